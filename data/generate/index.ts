/**
 * Deterministic demo street modelled on 向阳街道 (Yantai 芝罘区): 8 real communities, ~985
 * buildings, ~17,000 households, facilities, a walk network and a published plan of 53 basic +
 * 27 dedicated grids, some drifted out of the 300–400 band. `buildings: N` scales it up with
 * synthetic communities for benchmarks.
 */
import categories from '../standards/facility-categories.json' with { type: 'json' };
import { DEFAULT_BAND, bandStatus } from '../../geo/band.js';
import { REAL_COMMUNITIES, STREET } from './communities.js';
import { placeFacilities } from './facilities.js';
import { buildingHouseholds } from './households.js';
import { type LCommunity, layoutStreet } from './layout.js';
import { centre, lineLengthM, rectPolygon, toLngLat } from './local-frame.js';
import { EXTRA_COMMUNITIES, personName, phone } from './names.js';
import { type PlanBuilding, type PlanCut, cutCommunity, numberingOrder } from './plan.js';
import { createRng, type Rng } from './rng.js';
import type { BuildingSpec, CommunitySpec, CompoundSpec, FacilityCategorySpec, GridSpec, HouseholdSpec, StreetDataset } from './types.js';
import { buildNetwork } from './walk-network.js';

export const DEFAULT_SEED = 20240601;
export const DEFAULT_BUILDINGS = 985;
const HOUSEHOLDS_PER_BUILDING = 17_600 / 985;
const BASIC_GRIDS_PER_HOUSEHOLD = 53 / 17_600;
const DEDICATED_PER_COMMUNITY = 27 / 8;

export function generateStreet(opts: { seed?: number; buildings?: number } = {}): StreetDataset {
  const seed = opts.seed ?? DEFAULT_SEED;
  const target = opts.buildings ?? DEFAULT_BUILDINGS;
  const rng = createRng(seed);
  const n = target <= 1200 ? 8 : Math.ceil(target / 105);
  const communities = layoutStreet(rng, n, Math.round(n * DEDICATED_PER_COMMUNITY), 2);
  trimToTarget(rng, communities, target);
  const meta = communities.map((c) => communityMeta(c.index));

  const buildings: BuildingSpec[] = [];
  const households: HouseholdSpec[] = [];
  const compounds: CompoundSpec[] = [];
  const planBuildings: PlanBuilding[][] = communities.map(() => []);
  const rawTotal = communities.flatMap((c) => c.parcels.flatMap((p) => p.buildings)).reduce((s, b) => s + b.rawHouseholds, 0);
  const scale = (target * HOUSEHOLDS_PER_BUILDING) / rawTotal;
  const siteNames = new Map<string, { name: string; type: string | null }>();
  for (const c of communities) {
    const code = meta[c.index].code;
    let seq = 0;
    let compoundSeq = 0;
    for (const [pi, p] of c.parcels.entries()) {
      const siteKey = `${code}:${pi}`;
      siteNames.set(siteKey, { name: p.name, type: p.dedicatedType });
      let compoundCode: string | null = null;
      if (p.kind === 'compound') {
        compoundCode = `${code}-C${String(++compoundSeq).padStart(2, '0')}`;
        compounds.push({ code: compoundCode, name: p.name, communityCode: code, gated: p.gated, builtYear: p.builtYear, polygon: rectPolygon(p.rect) });
      }
      for (const [bi, b] of p.buildings.entries()) {
        const bcode = `${code}-B${String(++seq).padStart(4, '0')}`;
        const hh = b.use === 'residential' ? Math.max(2, Math.round(b.rawHouseholds * scale)) : 0;
        const list = hh ? buildingHouseholds(rng, bcode, hh, b.floors, b.units) : [];
        households.push(...list);
        buildings.push({
          code: bcode, communityCode: code, compoundCode, number: `${bi + 1}号楼`, name: b.name, use: b.use,
          floors: b.floors, units: b.units, households: hh, residents: list.reduce((s, h) => s + h.size, 0),
          builtYear: b.builtYear, footprint: rectPolygon(b.rect),
        });
        const [x, y] = centre(b.rect);
        planBuildings[c.index].push({ code: bcode, households: hh, x, y, siteKey, dedicated: p.kind === 'dedicated' });
      }
    }
  }

  const net = buildNetwork(rng, communities);
  const facilities = placeFacilities(rng, communities, net, meta.map((m) => m.shortName));
  net.finish();
  const pos = new Map(net.nodes.map((nd) => [nd.id, toLngLat(nd.x, nd.y)]));

  const totalHouseholds = buildings.reduce((s, b) => s + b.households, 0);
  const basicPerCommunity = apportion(
    Math.round(totalHouseholds * BASIC_GRIDS_PER_HOUSEHOLD),
    planBuildings.map((list) => list.reduce((s, b) => s + b.households, 0)),
  );
  const grids = makePlan(seed, planBuildings, basicPerCommunity, meta, siteNames);

  const xs = communities.flatMap((c) => [c.rect.x0, c.rect.x1]);
  const ys = communities.flatMap((c) => [c.rect.y0, c.rect.y1]);
  return {
    seed,
    street: { ...STREET, polygon: rectPolygon({ x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) }) },
    communities: communities.map((c): CommunitySpec => ({ ...meta[c.index], polygon: rectPolygon(c.rect) })),
    compounds,
    buildings,
    households,
    categories: categories as FacilityCategorySpec[],
    facilities: facilities.map((f, i) => ({
      code: `F${String(i + 1).padStart(5, '0')}`, name: f.name, category: f.category,
      communityCode: meta[f.community].code, address: f.address, position: toLngLat(f.x, f.y),
    })),
    walkNodes: net.nodes.map((nd) => ({ id: nd.id, position: pos.get(nd.id)! })),
    walkEdges: net.edges.map((e) => {
      const line = [pos.get(e.source)!, pos.get(e.target)!];
      return { ...e, line, lengthM: lineLengthM(line) };
    }),
    plan: { name: '2024年网格划分方案', grids },
  };
}

function communityMeta(i: number): { code: string; name: string; shortName: string } {
  if (i < REAL_COMMUNITIES.length) return REAL_COMMUNITIES[i];
  const base = EXTRA_COMMUNITIES[(i - REAL_COMMUNITIES.length) % EXTRA_COMMUNITIES.length];
  const round = Math.floor((i - REAL_COMMUNITIES.length) / EXTRA_COMMUNITIES.length);
  const short = `${base}${round ? round + 1 : ''}社区`;
  return { code: `${STREET.code}${String(i + 1).padStart(3, '0')}`, name: `${short.slice(0, -2)}社区居民委员会`, shortName: short };
}

/** Removes residential buildings at random (keeping ≥ 3 per compound) down to the target count. */
function trimToTarget(rng: Rng, communities: LCommunity[], target: number) {
  const all = communities.flatMap((c) => c.parcels.flatMap((p) => p.buildings.map((b) => ({ p, b }))));
  let excess = all.length - target;
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [all[i], all[j]] = [all[j], all[i]];
  }
  const drop = new Set<object>();
  for (const { p, b } of all) {
    if (excess <= 0) break;
    if (p.kind !== 'compound' || p.buildings.filter((x) => !drop.has(x)).length <= 3) continue;
    drop.add(b);
    excess--;
  }
  for (const c of communities) for (const p of c.parcels) p.buildings = p.buildings.filter((b) => !drop.has(b));
}

/** Largest-remainder split of `total` proportional to `weights`, at least one each. */
function apportion(total: number, weights: number[]): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  const exact = weights.map((w) => (w / sum) * total);
  const out = exact.map((e) => Math.max(1, Math.floor(e)));
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0]);
  for (let k = 0; out.reduce((s, v) => s + v, 0) < total; k++) out[order[k % order.length][1]]++;
  return out;
}

/** Cuts grids, retrying the drift until 15–25% of basic grids are out of band (deterministic). */
function makePlan(
  seed: number,
  planBuildings: PlanBuilding[][],
  basicPerCommunity: number[],
  meta: { code: string; shortName: string }[],
  sites: Map<string, { name: string; type: string | null }>,
): GridSpec[] {
  let cuts: PlanCut[][] = [];
  for (let attempt = 0; attempt < 40; attempt++) {
    const rng = createRng(seed * 31 + attempt);
    cuts = planBuildings.map((list, i) => cutCommunity(rng, list, basicPerCommunity[i], 0.22));
    const hh = new Map(planBuildings.flat().map((b) => [b.code, b.households]));
    const basic = cuts.flat().filter((c) => c.kind === 'basic');
    const out = basic.filter((c) => bandStatus(c.buildingCodes.reduce((s, code) => s + hh.get(code)!, 0), 'basic', DEFAULT_BAND) !== 'in');
    const share = out.length / basic.length;
    if (share >= 0.15 && share <= 0.25) break;
  }
  const workerRng = createRng(seed + 7);
  return cuts.flatMap((list, ci) =>
    [...list].sort(numberingOrder).map((cut, i): GridSpec => {
      const n = i + 1;
      const site = sites.get(cut.siteKey)!;
      return {
        code: `${meta[ci].code}-${String(n).padStart(3, '0')}`,
        name: cut.kind === 'basic' ? `${meta[ci].shortName}第${n}网格` : `${site.name}专属网格`,
        communityCode: meta[ci].code,
        kind: cut.kind,
        dedicatedType: cut.kind === 'dedicated' ? site.type : null,
        workers: [
          { name: personName(workerRng), phone: phone(workerRng), role: 'full_time' as const },
          ...(cut.kind === 'basic' ? [{ name: personName(workerRng), phone: phone(workerRng), role: 'auxiliary' as const }] : []),
        ],
        buildingCodes: cut.buildingCodes,
      };
    }),
  );
}
