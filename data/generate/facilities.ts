/**
 * Facilities and service outlets. Schools, markets and the hospital sit at their dedicated sites;
 * the rest face the street on block frontages, in numbers per community that leave realistic gaps
 * in life-circle coverage (e.g. fewer elderly canteens than communities).
 */
import type { LCommunity } from './layout.js';
import type { Rng } from './rng.js';
import type { NetworkBuilder } from './walk-network.js';

export interface LFacility { category: string; name: string; x: number; y: number; community: number; address: string }

/** Facilities per community (fractions are spread so the street total is right). */
const PER_COMMUNITY: Record<string, number> = {
  party_station: 1.5, community_service: 1, elderly_canteen: 0.6, elderly_daycare: 0.4, health_station: 1,
  after_school: 0.5, supermarket: 1, convenience: 3, pharmacy: 1, fitness: 1.5, culture_station: 0.6,
  bus_stop: 2, refuse_point: 3, parcel_locker: 3, police: 0.25, kindergarten: 0.5,
};
const PER_STREET: Record<string, number> = { party_center: 1, health_center: 1 };
const LABEL: Record<string, string[]> = {
  party_center: ['向阳街道党群服务中心'], party_station: ['党群服务驿站'], community_service: ['社区居委会'],
  elderly_canteen: ['长者食堂'], elderly_daycare: ['日间照料中心'], health_station: ['社区卫生服务站'],
  health_center: ['向阳街道社区卫生服务中心'], after_school: ['四点半学校'], supermarket: ['家家悦超市', '振华超市', '利群便利'],
  convenience: ['家政服务点', '送水送气点', '修理铺', '理发店', '干洗店', '快餐店'], pharmacy: ['漱玉平民大药房', '百姓大药房'],
  fitness: ['全民健身广场', '健身点'], culture_station: ['文化活动站'], bus_stop: ['公交站'], refuse_point: ['垃圾分类投放点'],
  parcel_locker: ['丰巢快递柜'], police: ['社区警务室'], kindergarten: ['社区幼儿园'],
};

export function placeFacilities(rng: Rng, communities: LCommunity[], net: NetworkBuilder, shortNames: string[]): LFacility[] {
  const out: LFacility[] = [];
  const carry = new Map<string, number>();
  for (const c of communities) {
    for (const [cat, rate] of Object.entries(PER_COMMUNITY)) {
      const acc = (carry.get(cat) ?? 0) + rate;
      const n = Math.floor(acc + 1e-9);
      carry.set(cat, acc - n);
      for (let i = 0; i < n; i++) out.push(frontage(rng, c, cat, net, shortNames[c.index]));
    }
    for (const p of c.parcels.filter((q) => q.kind === 'dedicated')) {
      const [x, y] = p.buildings[0].door;
      const cat = p.dedicatedType === 'school'
        ? (p.name.includes('幼儿园') ? 'kindergarten' : p.name.includes('中学') ? 'middle_school' : 'primary_school')
        : p.dedicatedType === 'market' ? 'food_market' : p.dedicatedType === 'hospital' ? 'health_center' : null;
      if (cat) out.push({ category: cat, name: p.name, x, y, community: c.index, address: `${shortNames[c.index]}${p.name}` });
    }
  }
  for (const [cat, n] of Object.entries(PER_STREET)) {
    for (let i = 0; i < n; i++) out.push(frontage(rng, communities[Math.min(2, communities.length - 1)], cat, net, shortNames[0]));
  }
  return out;
}

function frontage(rng: Rng, c: LCommunity, category: string, net: NetworkBuilder, shortName: string): LFacility {
  const block = rng.pick(c.parcels).block;
  const south = rng.chance(0.5);
  const x = Math.round(block.x0 + 25 + rng.next() * (block.x1 - block.x0 - 50));
  const roadY = south ? block.y0 : block.y1;
  const y = south ? roadY + 6 : roadY - 6;
  net.toRoad(x, y, { h: roadY }, 'footway');
  const base = rng.pick(LABEL[category]);
  const name = category === 'party_center' || category === 'health_center' ? base : `${shortName.replace('社区', '')}${base}`;
  return { category, name, x, y, community: c.index, address: `${shortName}临街${rng.int(1, 199)}号` };
}
