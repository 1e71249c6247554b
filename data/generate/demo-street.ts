/**
 * The demo street generator: a deterministic, believable 向阳街道 (芝罘区, 烟台) — or a larger town
 * around it for benchmarks — as one {@link StreetDataset}.
 *
 * Pure: no I/O, no clock, no Math.random; the same options give a deep-equal dataset. The steps
 * live in their own modules; this file only wires them together and turns local metres into WGS84:
 * 1. community briefs (real eight, plus synthetic ones when scaled)   community-seeds.ts
 * 2. the block grid and its roads                                      street-grid.ts
 * 3. household targets of the basic grids (with drift)                 grid-targets.ts
 * 4. per community: sites, compounds, buildings, paths and gates        community.ts
 * 5. households, the published plan, facilities                        household-records.ts,
 *                                                                      partition.ts, facility-placement.ts
 */
import categoriesJson from '../standards/facility-categories.json' with { type: 'json' };
import { householdsOf } from './building-types.js';
import { communitySeeds } from './community-seeds.js';
import { type BuiltBuilding, type CommunityBuild, buildCommunity, compareKeys } from './community.js';
import { placeCommunityFacilities } from './facility-placement.js';
import { type GridTarget, gridTargets } from './grid-targets.js';
import { buildingHouseholds, markPartyCenters } from './household-records.js';
import { type MetricRing, outlineBlocks } from './outline.js';
import { tuneHouseholds } from './housing-mix.js';
import { partitionSequence, readingOrder } from './partition.js';
import { mobilePhone, personName } from './people.js';
import { NameRegistry } from './place-names.js';
import { rectRing, toLngLat } from './projection.js';
import { Random } from './random.js';
import { shopsOf } from './shops.js';
import { REAL_BUILDINGS, STREET_CODE, STREET_NAME } from './real-street.js';
import { communityBlocks, type StreetGrid, buildStreetGrid } from './street-grid.js';
import type {
  BuildingSpec,
  CommunitySpec,
  CompoundSpec,
  FacilityCategorySpec,
  FacilitySpec,
  GridSpec,
  HouseholdSpec,
  PolygonCoords,
  StreetDataset,
} from './types.js';
import { WalkGraph } from './walk-graph.js';

/** The demo seed (the plan's publication day, 2024-06-01). */
export const DEFAULT_SEED = 20240601;
export const DEFAULT_BUILDINGS = REAL_BUILDINGS;
export const PLAN_NAME = '2024年网格划分方案';

const CATEGORIES = validateCategories(categoriesJson as unknown[]);
/** The facility categories of data/standards/facility-categories.json (checked at load). */
export const FACILITY_CATEGORIES: readonly FacilityCategorySpec[] = CATEGORIES;

/**
 * Generates the street. `buildings` defaults to the real 985; larger counts add synthetic
 * communities around the real eight (which stay as they are), smaller ones shrink them.
 */
export function generateStreet(opts: { seed?: number; buildings?: number } = {}): StreetDataset {
  const seed = opts.seed ?? DEFAULT_SEED;
  const briefs = communitySeeds(seed, Math.max(40, Math.round(opts.buildings ?? DEFAULT_BUILDINGS)));
  const grid = buildStreetGrid(seed, briefs);
  const cells = communityBlocks(grid, briefs.length);
  const targets = gridTargets(seed, briefs);
  const graph = new WalkGraph(grid);
  for (let j = 0; j <= grid.rows; j++) for (let i = 0; i <= grid.cols; i++) if (touchesStreet(grid, i, j)) graph.vertex(i, j);
  const names = new NameRegistry();

  const communities: CommunitySpec[] = [];
  const compounds: CompoundSpec[] = [];
  const buildings: BuildingSpec[] = [];
  const households: HouseholdSpec[] = [];
  const facilities: FacilitySpec[] = [];
  const grids: GridSpec[] = [];
  briefs.forEach((brief, i) => {
    const hh = targets[i].reduce((s, t) => s + t.households, 0);
    const police = i < 8 ? i === 3 : i % 8 === 5;
    const build = buildCommunity(seed, grid, graph, i, brief, cells[i], hh, names, police);
    const order = build.buildings.map((_, k) => k).sort((a, b) => compareKeys(build.buildings[a].sortKey, build.buildings[b].sortKey));
    const codes = new Array<string>(build.buildings.length);
    order.forEach((k, n) => (codes[k] = `${brief.code}-B${String(n + 1).padStart(4, '0')}`));

    communities.push({ code: brief.code, name: brief.name, shortName: brief.shortName, polygon: project(outlineBlocks(grid, cells[i])) });
    const compoundCodes = compoundsInOrder(build, order).map((c, n) => {
      const code = `${brief.code}-C${String(n + 1).padStart(2, '0')}`;
      const x = build.compounds[c];
      compounds.push({ code, name: x.name, communityCode: brief.code, gated: x.gated, builtYear: x.builtYear, polygon: [rectRing(x.fence)] });
      return [c, code] as const;
    });
    const compoundCode = new Map(compoundCodes);

    // Cut the housing into basic grids, then settle each grid on its household target by a floor
    // here and there (buildings come in lumps of 20–150 households; grids should not).
    const basicRuns = cutBasicGrids(build, order, targets[i]);
    const tuneRng = Random.derive(seed, 'grid-tuning', brief.code);
    basicRuns.forEach((run, j) => tuneHouseholds(tuneRng, run.map((k) => build.buildings[k].tpl), targets[i][j].households));

    const hhRng = Random.derive(seed, 'households', brief.code);
    const firstHousehold = households.length;
    for (const k of order) {
      const b = build.buildings[k];
      const t = b.tpl;
      const residents = t.use === 'residential' ? buildingHouseholds(hhRng, codes[k], t.units, t.floors, t.perFloor, households) : 0;
      buildings.push({
        code: codes[k], communityCode: brief.code, compoundCode: b.compound === null ? null : compoundCode.get(b.compound)!,
        number: b.number, name: b.name, use: t.use, floors: t.floors, units: t.units,
        households: householdsOf(t), residents, builtYear: t.builtYear, footprint: [rectRing(b.rect)],
        shops: shopsOf(seed, codes[k], t.use, b.compound !== null && build.compounds[b.compound].gated, t.builtYear),
      });
    }
    markPartyCenters(hhRng, households, firstHousehold);

    grids.push(...planCommunity(seed, build, basicRuns, codes, grid));
    const placed = placeCommunityFacilities(Random.derive(seed, 'facilities', brief.code), grid, graph, build, build.buildings.map((b) => b.number));
    for (const f of placed) {
      facilities.push({
        code: `F${String(facilities.length + 1).padStart(6, '0')}`, name: f.name, category: f.category,
        communityCode: brief.code, address: f.address, position: toLngLat(f.x, f.y),
      });
    }
  });

  const { nodes, edges } = graph.finish();
  const streetCells: number[] = [];
  grid.owner.forEach((o, cell) => o >= 0 && streetCells.push(cell));
  return {
    seed,
    street: { code: STREET_CODE, name: STREET_NAME, polygon: project(outlineBlocks(grid, streetCells)) },
    communities,
    compounds,
    buildings,
    households,
    categories: CATEGORIES.map((c) => ({ ...c })),
    facilities,
    walkNodes: nodes,
    walkEdges: edges,
    plan: { name: PLAN_NAME, grids },
  };
}

/** The housing (and public buildings) of one community cut into its basic grids, in sequence order. */
function cutBasicGrids(build: CommunityBuild, order: number[], targets: readonly GridTarget[]): number[][] {
  const housing = order.filter((k) => (build.buildings[k].site ?? -1) < 0);
  const runOf = partitionSequence(
    housing.map((k) => ({ households: householdsOf(build.buildings[k].tpl), unit: build.buildings[k].unit })),
    targets,
  );
  const runs: number[][] = targets.map(() => []);
  housing.forEach((k, n) => runs[runOf[n]].push(k));
  return runs;
}

/** The published plan of one community: its basic grids and one dedicated grid per site, numbered. */
function planCommunity(seed: number, build: CommunityBuild, basicRuns: number[][], codes: string[], grid: StreetGrid): GridSpec[] {
  const { brief } = build;
  const nonEmpty = basicRuns.filter((g) => g.length > 0);
  const dedicated = build.sites.map((s) => s.buildings.slice().sort((a, b) => compareKeys(build.buildings[a].sortKey, build.buildings[b].sortKey)));
  const northY = Math.max(...[...build.blocks, ...build.parks].map((b) => b.outer.y1));
  const centroid = (ids: number[]): [number, number] => [
    ids.reduce((s, k) => s + centreOf(build.buildings[k])[0], 0) / ids.length,
    ids.reduce((s, k) => s + centreOf(build.buildings[k])[1], 0) / ids.length,
  ];
  const basicOrder = readingOrder(nonEmpty.map(centroid), northY, blockHeight(grid));
  const dedicatedOrder = readingOrder(dedicated.map(centroid), northY, blockHeight(grid));
  const rng = Random.derive(seed, 'grid-workers', brief.code);
  const worker = (role: 'full_time' | 'auxiliary') => ({ name: personName(rng), phone: mobilePhone(rng), role });
  const out: GridSpec[] = [];
  const code = () => `${brief.code}-${String(out.length + 1).padStart(3, '0')}`;
  basicOrder.forEach((g, n) => {
    out.push({
      code: code(), name: `${brief.shortName}第${n + 1}网格`, communityCode: brief.code, kind: 'basic', dedicatedType: null,
      workers: [worker('full_time'), worker('auxiliary')], buildingCodes: nonEmpty[g].map((k) => codes[k]),
    });
  });
  for (const g of dedicatedOrder) {
    const site = build.sites[g];
    out.push({
      code: code(), name: `${site.plan.name}专属网格`, communityCode: brief.code, kind: 'dedicated',
      dedicatedType: site.plan.dedicatedType, workers: [worker('full_time')], buildingCodes: dedicated[g].map((k) => codes[k]),
    });
  }
  return out;
}

function centreOf(b: BuiltBuilding): [number, number] {
  return [(b.rect.x0 + b.rect.x1) / 2, (b.rect.y0 + b.rect.y1) / 2];
}

function blockHeight(grid: StreetGrid): number {
  return (grid.ys[0] - grid.ys[grid.rows]) / grid.rows;
}

/** Compounds in the order their first building appears in the sequence. */
function compoundsInOrder(build: CommunityBuild, order: number[]): number[] {
  const seen = new Set<number>();
  const out: number[] = [];
  for (const k of order) {
    const c = build.buildings[k].compound;
    if (c !== null && !seen.has(c)) {
      seen.add(c);
      out.push(c);
    }
  }
  return out;
}

function touchesStreet(grid: StreetGrid, i: number, j: number): boolean {
  for (const [c, r] of [[i - 1, j - 1], [i, j - 1], [i - 1, j], [i, j]]) {
    if (c >= 0 && r >= 0 && c < grid.cols && r < grid.rows && grid.owner[r * grid.cols + c] >= 0) return true;
  }
  return false;
}

function project(rings: MetricRing[]): PolygonCoords {
  return rings.map((ring) => ring.map(([x, y]) => toLngLat(x, y)));
}

/** Checks the editable category file at load, so a typo fails loudly instead of seeding nonsense. */
function validateCategories(raw: unknown[]): FacilityCategorySpec[] {
  const levels = new Set(['5min', '10min', '15min', 'block']);
  return raw.map((r, i) => {
    const c = r as FacilityCategorySpec;
    if (typeof c.code !== 'string' || typeof c.name !== 'string' || typeof c.nameEn !== 'string' || !levels.has(c.level) ||
        !/^#[0-9a-fA-F]{6}$/.test(c.color) || typeof c.sort !== 'number') {
      throw new Error(`facility-categories.json entry ${i} is invalid: ${JSON.stringify(r)}`);
    }
    return { code: c.code, name: c.name, nameEn: c.nameEn, level: c.level, color: c.color, sort: c.sort };
  });
}
