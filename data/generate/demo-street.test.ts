import { describe, expect, it } from 'vitest';
import { bandStatus } from '../../geo/band.js';
import { DEFAULT_SEED, generateStreet } from './demo-street.js';
import { haversineM } from './projection.js';
import type { StreetDataset } from './types.js';
import { checkFootprints, checkGates, checkPlanCoverage, checkReferences, checkWalkGeometry, walkComponents } from './validate.js';

const demo = generateStreet({});
const csv = [
  ['370602001001', '友谊街社区居民委员会'], ['370602001002', '建昌街社区居民委员会'], ['370602001003', '所城里社区居民委员会'],
  ['370602001004', '向阳街社区居民委员会'], ['370602001005', '兴隆街社区居民委员会'], ['370602001006', '胜利路社区居民委员会'],
  ['370602001007', '华茂社区居民委员会'], ['370602001008', '烟台山社区居民委员会'],
];

function gridHouseholds(ds: StreetDataset) {
  const hh = new Map(ds.buildings.map((b) => [b.code, b.households]));
  return ds.plan.grids.map((g) => ({ grid: g, households: g.buildingCodes.reduce((s, c) => s + hh.get(c)!, 0) }));
}

/** Network distance (m) from the nearest node in `sources` to every node. */
function distances(ds: StreetDataset, sources: number[]): Float64Array {
  const adj = new Map<number, [number, number][]>();
  for (const e of ds.walkEdges) {
    (adj.get(e.source) ?? adj.set(e.source, []).get(e.source)!).push([e.target, e.lengthM]);
    (adj.get(e.target) ?? adj.set(e.target, []).get(e.target)!).push([e.source, e.lengthM]);
  }
  const dist = new Float64Array(ds.walkNodes.length + 1).fill(Infinity);
  const heap: [number, number][] = [];
  const push = (d: number, n: number) => {
    heap.push([d, n]);
    for (let i = heap.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (heap[p][0] <= heap[i][0]) break;
      [heap[p], heap[i]] = [heap[i], heap[p]];
      i = p;
    }
  };
  const pop = () => {
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && heap[l][0] < heap[m][0]) m = l;
        if (r < heap.length && heap[r][0] < heap[m][0]) m = r;
        if (m === i) break;
        [heap[m], heap[i]] = [heap[i], heap[m]];
        i = m;
      }
    }
    return top;
  };
  for (const s of sources) {
    dist[s] = 0;
    push(0, s);
  }
  while (heap.length > 0) {
    const [d, n] = pop();
    if (d > dist[n]) continue;
    for (const [m, w] of adj.get(n) ?? []) {
      if (d + w < dist[m]) {
        dist[m] = d + w;
        push(d + w, m);
      }
    }
  }
  return dist;
}

describe('generateStreet: the demo 向阳街道', () => {
  it('is deterministic: same options give a deep-equal dataset, another seed a different one', () => {
    expect(generateStreet({ seed: DEFAULT_SEED, buildings: 985 })).toEqual(demo);
    const other = generateStreet({ seed: 7 });
    expect(other.buildings.map((b) => b.footprint)).not.toEqual(demo.buildings.map((b) => b.footprint));
    expect(other.households[0]).not.toEqual(demo.households[0]);
  });

  it('has the eight real communities, named as in communities.csv, on land south of the coast', () => {
    expect(demo.street).toMatchObject({ code: '370602001', name: '向阳街道' });
    expect(demo.communities.map((c) => [c.code, c.name])).toEqual(csv);
    expect(demo.communities.map((c) => c.shortName)).toContain('所城里社区');
    const lats = demo.walkNodes.map((n) => n.position[1]).concat(demo.buildings.flatMap((b) => b.footprint[0].map((p) => p[1])));
    const lngs = demo.walkNodes.map((n) => n.position[0]);
    expect(Math.max(...lats)).toBeLessThan(37.552);
    expect(Math.min(...lats)).toBeGreaterThan(37.52);
    expect(Math.min(...lngs)).toBeGreaterThan(121.36);
    expect(Math.max(...lngs)).toBeLessThan(121.42);
  });

  it('has the figures of the seed articles: ~985 buildings, ~17,000 households, 53 + 27 grids', () => {
    expect(demo.buildings.length).toBeGreaterThanOrEqual(940);
    expect(demo.buildings.length).toBeLessThanOrEqual(1030);
    expect(demo.households.length).toBeGreaterThanOrEqual(16_500);
    expect(demo.households.length).toBeLessThanOrEqual(17_800);
    expect(demo.buildings.reduce((s, b) => s + b.households, 0)).toBe(demo.households.length);
    expect(demo.plan.name).toBe('2024年网格划分方案');
    expect(demo.plan.grids.filter((g) => g.kind === 'basic')).toHaveLength(53);
    expect(demo.plan.grids.filter((g) => g.kind === 'dedicated')).toHaveLength(27);
  });

  it('has households like a city: ~2.6 residents, ~7% party members, tags at their rates, 党员中心户 ~1/40', () => {
    const hh = demo.households;
    const residents = hh.reduce((s, h) => s + h.size, 0);
    const party = hh.reduce((s, h) => s + h.partyMembers, 0);
    expect(residents / hh.length).toBeGreaterThan(2.45);
    expect(residents / hh.length).toBeLessThan(2.8);
    expect(party / residents).toBeGreaterThan(0.06);
    expect(party / residents).toBeLessThan(0.08);
    const share = (tag: string) => hh.filter((h) => h.tags.includes(tag)).length / hh.length;
    expect(share('独居老人')).toBeGreaterThan(0.03);
    expect(share('独居老人')).toBeLessThan(0.05);
    expect(share('出租户')).toBeGreaterThan(0.1);
    expect(share('出租户')).toBeLessThan(0.14);
    expect(share('空置')).toBeGreaterThan(0.02);
    expect(share('空置')).toBeLessThan(0.04);
    expect(share('低保户')).toBeGreaterThan(0.005);
    expect(share('低保户')).toBeLessThan(0.02);
    expect(hh.filter((h) => h.tags.includes('独居老人')).every((h) => h.size === 1)).toBe(true);
    const centers = hh.filter((h) => h.isPartyCenter);
    expect(centers.every((h) => h.partyMembers > 0)).toBe(true);
    expect(hh.length / centers.length).toBeGreaterThan(32);
    expect(hh.length / centers.length).toBeLessThan(50);
  });

  it('gives households a unit within the building, a floor+door room, a name and a mobile number', () => {
    const byCode = new Map(demo.buildings.map((b) => [b.code, b]));
    const rooms = new Set<string>();
    for (const h of demo.households) {
      const b = byCode.get(h.buildingCode)!;
      expect(b.use).toBe('residential');
      expect(h.unit).toBeGreaterThanOrEqual(1);
      expect(h.unit).toBeLessThanOrEqual(b.units);
      expect(h.room).toMatch(/^[1-9]\d?0[1-4]$/);
      expect(Number(h.room.slice(0, -2))).toBeLessThanOrEqual(b.floors);
      expect(h.headName).toMatch(/^[\u4e00-\u9fff]{2,3}$/);
      expect(h.headPhone).toMatch(/^1(3\d|5[0-35-9]|8\d)\d{8}$/);
      const key = `${h.buildingCode}/${h.unit}/${h.room}`;
      expect(rooms.has(key)).toBe(false);
      rooms.add(key);
    }
    for (const b of demo.buildings) {
      if (b.use === 'residential') {
        const perLanding = b.households / (b.floors * b.units);
        expect(Number.isInteger(perLanding) && perLanding >= 1 && perLanding <= 4, b.code).toBe(true);
      } else expect([b.households, b.residents]).toEqual([0, 0]);
    }
  });

  it('mixes walk-up slabs, old low-rise houses and a few towers, and every kind of non-residential use', () => {
    const res = demo.buildings.filter((b) => b.use === 'residential');
    const size = (b: (typeof res)[number]) => {
      const xs = b.footprint[0].map((p) => p[0]);
      const ys = b.footprint[0].map((p) => p[1]);
      return [haversineM([Math.min(...xs), ys[0]], [Math.max(...xs), ys[0]]), haversineM([xs[0], Math.min(...ys)], [xs[0], Math.max(...ys)])];
    };
    const slabs = res.filter((b) => b.floors >= 4 && b.floors <= 7 && size(b)[0] >= 40);
    expect(slabs.length).toBeGreaterThan(150);
    for (const b of slabs) {
      const [w, d] = size(b);
      expect(w).toBeGreaterThan(d * 2.5); // E–W slabs, facing south
      expect(d).toBeGreaterThan(10.9);
      expect(d).toBeLessThan(14.1);
    }
    const oldTown = res.filter((b) => b.communityCode === '370602001003' && b.floors <= 2);
    expect(oldTown.length).toBeGreaterThan(60);
    expect(res.filter((b) => b.floors >= 18).length).toBeGreaterThan(3);
    for (const use of ['school', 'market', 'office', 'hospital', 'commercial', 'public']) {
      expect(demo.buildings.some((b) => b.use === use), use).toBe(true);
    }
    expect(demo.compounds.filter((c) => c.gated).length / demo.compounds.length).toBeGreaterThan(0.6);
    expect(new Set(demo.compounds.map((c) => c.name)).size).toBe(demo.compounds.length);
  });

  it('puts every building in exactly one grid of its own community, numbered and staffed', () => {
    expect(checkReferences(demo)).toEqual([]);
    expect(checkPlanCoverage(demo)).toEqual([]);
    const use = new Map(demo.buildings.map((b) => [b.code, b.use]));
    for (const g of demo.plan.grids) {
      expect(g.code).toMatch(new RegExp(`^${g.communityCode}-\\d{3}$`));
      if (g.kind === 'basic') {
        expect(g.name).toMatch(/^.+社区第\d+网格$/);
        expect(g.dedicatedType).toBeNull();
        expect(g.workers.map((w) => w.role)).toEqual(['full_time', 'auxiliary']);
        expect(g.buildingCodes.every((c) => use.get(c) === 'residential' || use.get(c) === 'public')).toBe(true);
      } else {
        expect(g.name).toMatch(/专属网格$/);
        expect(['school', 'market', 'hospital', 'office', 'commercial']).toContain(g.dedicatedType);
        expect(g.workers.map((w) => w.role)).toEqual(['full_time']);
        expect(g.buildingCodes.every((c) => use.get(c) === g.dedicatedType)).toBe(true);
      }
    }
    // Basic grids are numbered first, serials run 001… without gaps inside each community.
    for (const c of demo.communities) {
      const grids = demo.plan.grids.filter((g) => g.communityCode === c.code);
      expect(grids.map((g) => Number(g.code.slice(-3)))).toEqual(grids.map((_, i) => i + 1));
      const kinds = grids.map((g) => g.kind);
      expect(kinds.lastIndexOf('basic')).toBeLessThan(kinds.indexOf('dedicated'));
    }
    const types = new Set(demo.plan.grids.map((g) => g.dedicatedType).filter(Boolean));
    expect(types).toEqual(new Set(['school', 'market', 'hospital', 'office', 'commercial']));
  });

  it('has drifted: 15–25% of the basic grids are out of the 300–400 band, on both sides', () => {
    const basic = gridHouseholds(demo).filter((g) => g.grid.kind === 'basic');
    const status = basic.map((g) => bandStatus(g.households, 'basic'));
    const out = status.filter((s) => s !== 'in').length / basic.length;
    expect(out).toBeGreaterThanOrEqual(0.15);
    expect(out).toBeLessThanOrEqual(0.25);
    expect(status).toContain('under');
    expect(status).toContain('over');
    expect(Math.min(...basic.map((g) => g.households))).toBeGreaterThan(150);
    expect(Math.max(...basic.map((g) => g.households))).toBeLessThan(550);
  });

  it('lays footprints without overlap, each inside its community and compound', () => {
    expect(checkFootprints(demo)).toEqual([]);
  });

  it('has one planar, connected walk network with geodesic lengths', () => {
    expect(walkComponents(demo)).toBe(1);
    expect(checkWalkGeometry(demo)).toEqual([]);
    const kinds = new Set(demo.walkEdges.map((e) => e.kind));
    expect(kinds).toEqual(new Set(['arterial', 'secondary', 'local', 'footway', 'path', 'gate']));
    const arterials = new Set(demo.walkEdges.filter((e) => e.kind === 'arterial').map((e) => e.name));
    for (const road of ['北马路', '南大街', '胜利路', '解放路', '西南河路']) expect(arterials).toContain(road);
  });

  it('reaches gated compounds only through 1–3 gate edges', () => {
    expect(demo.compounds.some((c) => c.gated)).toBe(true);
    expect(checkGates(demo)).toEqual([]);
  });

  it('links every facility to the network and leaves gaps in 5-minute coverage', () => {
    const nodeAt = new Map(demo.walkNodes.map((n) => [`${n.position[0]},${n.position[1]}`, n.id]));
    const nodeOf = (f: (typeof demo.facilities)[number]) => nodeAt.get(`${f.position[0]},${f.position[1]}`);
    expect(demo.facilities.every((f) => nodeOf(f) !== undefined)).toBe(true);
    expect(demo.facilities.length).toBeGreaterThan(200);
    expect(demo.facilities.length).toBeLessThan(600);
    expect(new Set(demo.facilities.map((f) => f.category))).toEqual(new Set(demo.categories.map((c) => c.code)));
    expect(demo.facilities.filter((f) => f.address.match(/[路街]\d+号$/)).length).toBeGreaterThan(100);
    // Share of network nodes within 300 m of an elderly canteen: some, not all.
    const dist = distances(demo, demo.facilities.filter((f) => f.category === 'elderly_canteen').map((f) => nodeOf(f)!));
    const within = demo.walkNodes.filter((n) => dist[n.id] <= 300).length / demo.walkNodes.length;
    expect(within).toBeGreaterThan(0.05);
    expect(within).toBeLessThan(0.9);
  });
});

describe('generateStreet: scaled for benchmarks', () => {
  const big = generateStreet({ buildings: 10_000 });

  it('adds synthetic communities around the real ones and keeps the invariants', () => {
    expect(big.buildings.length).toBeGreaterThanOrEqual(9_900);
    expect(big.buildings.length).toBeLessThanOrEqual(10_000);
    expect(big.communities.slice(0, 8).map((c) => c.code)).toEqual(csv.map((c) => c[0]));
    expect(big.communities[8].code).toBe('370602001009');
    expect(big.communities[8].name).toMatch(/^.+社区居民委员会$/);
    // The real eight stay as they are.
    expect(big.buildings.filter((b) => b.communityCode === '370602001001')).toEqual(
      demo.buildings.filter((b) => b.communityCode === '370602001001'),
    );
    expect(checkReferences(big)).toEqual([]);
    expect(checkPlanCoverage(big)).toEqual([]);
    expect(checkFootprints(big)).toEqual([]);
    expect(checkGates(big)).toEqual([]);
    expect(walkComponents(big)).toBe(1);
    expect(Math.max(...big.walkNodes.map((n) => n.position[1]))).toBeLessThan(37.552);
  });

  it('has about one basic grid per 350 households and dedicated grids in every community', () => {
    const basic = big.plan.grids.filter((g) => g.kind === 'basic').length;
    expect(basic).toBeGreaterThan((big.households.length / 350) * 0.9);
    expect(basic).toBeLessThan((big.households.length / 350) * 1.15);
    for (const c of big.communities) {
      expect(big.plan.grids.some((g) => g.communityCode === c.code && g.kind === 'dedicated'), c.code).toBe(true);
    }
    const out = gridHouseholds(big).filter((g) => g.grid.kind === 'basic' && bandStatus(g.households, 'basic') !== 'in').length;
    expect(out / basic).toBeGreaterThanOrEqual(0.15);
    expect(out / basic).toBeLessThanOrEqual(0.25);
  });
});
