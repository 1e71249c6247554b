/**
 * Places a community's facilities (设施) and links each to the walk network with a short footway.
 *
 * Schools, markets and hospitals stand at their dedicated sites, the 党群服务中心 and 居委会 at the
 * community's public building; shops, clinics and stops face the street on the pavement in front of
 * a block; block-level things (垃圾分类点, 快递柜, fitness corners) sit inside compounds next to a
 * building. Counts per community are modest and partly random — fewer 长者食堂 than communities,
 * not every compound with a parcel locker — so the life-circle audit finds real gaps.
 */
import { type Block, KERB_M } from './blocks.js';
import type { CommunityBuild } from './community.js';
import type { Anchor, Side } from './parcel-layout.js';
import { CONVENIENCE_NAMES, PHARMACY_NAMES, SUPERMARKET_NAMES } from './place-names.js';
import type { Random } from './random.js';
import type { StreetGrid } from './street-grid.js';
import type { WalkGraph } from './walk-graph.js';

export interface PlacedFacility {
  category: string;
  name: string;
  x: number;
  y: number;
  address: string;
}

/** Minimum distance between two joins on one road segment, metres. */
const CLEAR_M = 3;

interface FrontageQuery {
  near?: [number, number];
  block?: Block;
  side?: Side;
  /** Allowed coordinate range along the side (x for N/S, y for W/E). */
  range?: [number, number];
  majorOnly?: boolean;
  /** Fraction of the kerb distance from the road centre (bus stops stand at the kerb). */
  kerb?: number;
}

/** Places all facilities of one community; `buildingNumbers[i]` is the "5号楼" of building i. */
export function placeCommunityFacilities(
  rng: Random,
  grid: StreetGrid,
  graph: WalkGraph,
  build: CommunityBuild,
  buildingNumbers: readonly string[],
): PlacedFacility[] {
  const out: PlacedFacility[] = [];
  const short = build.brief.shortName;
  const allBlocks = [...build.blocks, ...build.parks];
  const centre: [number, number] = [
    allBlocks.reduce((s, b) => s + (b.outer.x0 + b.outer.x1) / 2, 0) / allBlocks.length,
    allBlocks.reduce((s, b) => s + (b.outer.y0 + b.outer.y1) / 2, 0) / allBlocks.length,
  ];

  const front = (category: string, name: string | ((road: string) => string), q: FrontageQuery = {}) => {
    const spot = frontageSpot(rng, grid, graph, allBlocks, q);
    if (!spot) return false;
    out.push({ category, name: typeof name === 'string' ? name : name(spot.road), x: spot.x, y: spot.y, address: spot.address });
    return true;
  };
  const inside = (category: string, anchors: Anchor[], name: string, place: string) => {
    const a = anchors.shift();
    if (!a) return false;
    const id = graph.node(a.x, a.y);
    graph.edge(a.node, id, 'footway');
    out.push({ category, name, x: a.x, y: a.y, address: `${place}${buildingNumbers[a.building]}旁` });
    return true;
  };
  const atSite = (s: CommunityBuild['sites'][number]) => ({
    block: s.block, side: s.side, range: [s.fence.x0 + CLEAR_M, s.fence.x1 - CLEAR_M] as [number, number],
  });

  // Sites: the facility each dedicated site is.
  for (const s of build.sites) {
    const cat = { primary: 'primary_school', middle: 'middle_school', kindergarten: 'kindergarten', market: 'food_market', hospital: 'health_center' }[
      s.plan.kind as string
    ];
    if (cat) front(cat, s.plan.name, atSite(s));
    else if (s.plan.kind === 'commercial') {
      const [c, n] = rng.pick([['supermarket', rng.pick(SUPERMARKET_NAMES)], ['pharmacy', rng.pick(PHARMACY_NAMES)], ['convenience', rng.pick(CONVENIENCE_NAMES)]] as const);
      front(c, c === 'convenience' ? n : (road) => `${n}(${road}店)`, atSite(s));
    }
  }
  // The community's public building: 党群服务中心 with its 居委会 and often the 文化活动站.
  const hall = build.publics.find((p) => p.plan.kind === 'party_hall');
  const hallQ = hall ? atSite(hall) : { near: centre };
  if (!front('party_center', `${short}党群服务中心`, hallQ)) front('party_center', `${short}党群服务中心`, { near: centre });
  if (!front('community_service', `${short}居委会`, hallQ)) front('community_service', `${short}居委会`, { near: centre });
  if (rng.chance(0.7)) front('culture_station', `${short}文化活动站`, rng.chance(0.6) ? hallQ : {});
  const station = build.publics.find((p) => p.plan.kind === 'police_station');
  if (station) front('police', station.plan.name, atSite(station));
  else if (rng.chance(0.45)) front('police', `${short}警务室`);

  if (rng.chance(0.6)) front('elderly_canteen', `${short}长者食堂`);
  if (rng.chance(0.5)) front('elderly_daycare', `${short}日间照料中心`);
  if (rng.chance(0.65)) front('health_station', `${short}卫生服务站`);
  if (rng.chance(0.4)) front('after_school', `${short}四点半学校`);
  for (let k = rng.int(1, 2); k > 0; k--) front('supermarket', (road) => `${rng.pick(SUPERMARKET_NAMES)}(${road}店)`, { majorOnly: rng.chance(0.6) });
  for (let k = rng.int(1, 2); k > 0; k--) front('pharmacy', (road) => `${rng.pick(PHARMACY_NAMES)}(${road}店)`);
  for (let k = rng.int(3, 5); k > 0; k--) front('convenience', rng.pick(CONVENIENCE_NAMES));

  const compounds = rng.shuffle(build.compounds.filter((c) => c.anchors.length > 0));
  for (let k = rng.int(1, 2); k > 0; k--) {
    const c = compounds[k - 1];
    if (c && rng.chance(0.5)) inside('party_station', c.anchors, `${c.name}党群服务驿站`, c.name);
    else front('party_station', (road) => `${road}党群服务驿站`);
  }
  if (build.parks.length > 0) front('fitness', `${short.replace(/社区$/, '')}公园健身场地`, { block: rng.pick(build.parks) });
  else front('fitness', `${short.replace(/社区$/, '')}全民健身广场`);
  for (const c of build.compounds) {
    if (rng.chance(0.75)) inside('refuse_point', c.anchors, `${c.name}垃圾分类点`, c.name);
    if (rng.chance(c.gated ? 0.6 : 0.25)) inside('parcel_locker', c.anchors, `${c.name}丰巢快递柜`, c.name);
    if (rng.chance(0.15)) inside('fitness', c.anchors, `${c.name}健身点`, c.name);
  }
  for (const q of build.quarters) {
    if (rng.chance(0.6)) inside('refuse_point', q.anchors, '垃圾分类投放点', '');
    if (rng.chance(0.3)) inside('convenience', q.anchors, rng.pick(CONVENIENCE_NAMES), '');
  }
  // Bus stops on the main roads, at the kerb.
  let stops = 0;
  for (const b of rng.shuffle(allBlocks)) {
    for (const side of ['N', 'S', 'W', 'E'] as const) {
      if (stops >= 4 || b.frontage[side].kind === 'local' || !rng.chance(0.3)) continue;
      const cross = side === 'N' || side === 'S' ? b.frontage[rng.chance(0.5) ? 'W' : 'E'].name : b.frontage[rng.chance(0.5) ? 'N' : 'S'].name;
      if (front('bus_stop', (road) => `${road}${cross}口站`, { block: b, side, kerb: 0.75 })) stops++;
    }
  }
  return out;
}

/** A free spot on a block's pavement, joined to the road by a footway; null when none is free. */
function frontageSpot(rng: Random, grid: StreetGrid, graph: WalkGraph, blocks: readonly Block[], q: FrontageQuery) {
  const candidates: { block: Block; side: Side; score: number }[] = [];
  for (const block of q.block ? [q.block] : blocks) {
    for (const side of q.side ? [q.side] : (['N', 'S', 'W', 'E'] as const)) {
      if (q.majorOnly && block.frontage[side].kind === 'local') continue;
      const bx = (block.outer.x0 + block.outer.x1) / 2;
      const by = (block.outer.y0 + block.outer.y1) / 2;
      const score = q.near ? Math.hypot(bx - q.near[0], by - q.near[1]) + rng.range(0, 120) : rng.float();
      candidates.push({ block, side, score });
    }
  }
  candidates.sort((a, b) => a.score - b.score);
  for (const { block, side } of candidates.slice(0, 8)) {
    const f = block.frontage[side];
    const ns = side === 'N' || side === 'S';
    let lo = (ns ? block.inner.x0 : block.inner.y0) + CLEAR_M;
    let hi = (ns ? block.inner.x1 : block.inner.y1) - CLEAR_M;
    if (q.range) [lo, hi] = [Math.max(lo, q.range[0]), Math.min(hi, q.range[1])];
    if (hi <= lo) continue;
    const used = graph.usedOn(f.seg);
    for (let attempt = 0; attempt < 8; attempt++) {
      const at = rng.range(lo, hi);
      if (used.some((u) => Math.abs(u - at) < CLEAR_M)) continue;
      const kerb = KERB_M[f.kind] * (q.kerb ?? 1);
      const inward = side === 'N' || side === 'E' ? -kerb : kerb;
      const [x, y] = ns ? [at, f.road + inward] : [f.road + inward, at];
      const id = graph.node(x, y);
      graph.edge(id, graph.roadNode(f.seg, at), 'footway');
      // Door numbers run from the west (E–W roads) or the north (N–S roads), odd on one side.
      const along = ns ? at - grid.xs[0] : grid.ys[0] - at;
      const odd = side === 'S' || side === 'E';
      const number = 2 * Math.floor(along / 12) + (odd ? 1 : 2);
      return { x, y, road: f.name, address: `${f.name}${number}号` };
    }
  }
  return null;
}
