/**
 * Builds one community on its blocks: dedicated sites and the 党群服务中心 first, then old houses
 * around the community's old core, towers on the main roads, old blocks and walk-up compounds on the
 * rest, leaving what is not needed as green space.
 *
 * The community's brief fixes how many buildings it has and how many households its grids should
 * hold; this module turns that into footprints, compounds and walk paths. Parcels are taken whole
 * and, when a compound does not fill one, the unused end is handed back as a new parcel, so land is
 * used about as densely as the planning rules allow.
 */
import type { Template } from './building-types.js';
import { type Block, type Parcel, carveParcels, depth, makeBlock, width } from './blocks.js';
import { housingMix, type Quota, tuneHouseholds } from './housing-mix.js';
import type { Anchor, Side } from './parcel-layout.js';
import { fillHousing, type PlaceFn, placeSite, type Program } from './parcel-programs.js';
import type { NameRegistry } from './place-names.js';
import type { Rect } from './projection.js';
import { Random } from './random.js';
import type { CommunitySeed } from './real-street.js';
import { type PublicKind, planSite, type SitePlan } from './sites.js';
import type { StreetGrid } from './street-grid.js';
import type { WalkGraph } from './walk-graph.js';

export interface BuiltBuilding {
  tpl: Template;
  rect: Rect;
  entrance: number;
  compound: number | null;
  /** Index into `sites` (dedicated) or -1 − index into `publics`; null for housing. */
  site: number | null;
  /** Buildings of one compound/quarter/site share a unit id (grids keep units whole if they can). */
  unit: number;
  sortKey: number[];
  number: string;
  name: string | null;
}

export interface BuiltCompound {
  name: string;
  gated: boolean;
  builtYear: number;
  fence: Rect;
  anchors: Anchor[];
  buildings: number[];
}

export interface BuiltSite {
  plan: SitePlan;
  fence: Rect;
  anchors: Anchor[];
  buildings: number[];
  /** The road side its gate faces, for the facility point and the address. */
  side: Side;
  block: Block;
}

export interface CommunityBuild {
  index: number;
  brief: CommunitySeed;
  blocks: Block[];
  parks: Block[];
  compounds: BuiltCompound[];
  buildings: BuiltBuilding[];
  sites: BuiltSite[];
  publics: BuiltSite[];
  /** Open old-house quarters (no compound record): their buildings and facility anchors. */
  quarters: { anchors: Anchor[]; buildings: number[] }[];
  /** Parcels left as green space (fitness grounds and gardens may go there). */
  green: Parcel[];
}

/** Builds community `index` of the grid into `graph`; `households` is its household target. */
export function buildCommunity(
  seed: number,
  grid: StreetGrid,
  graph: WalkGraph,
  index: number,
  brief: CommunitySeed,
  cells: readonly number[],
  households: number,
  names: NameRegistry,
  police: boolean,
): CommunityBuild {
  const rng = Random.derive(seed, 'community', brief.code);
  const blocks: Block[] = [];
  const parks: Block[] = [];
  let free: Parcel[] = [];
  cells.forEach((cell, order) => {
    const row = Math.floor(cell / grid.cols);
    const firstRow = Math.floor(cells[0] / grid.cols);
    const block = makeBlock(grid, cell, order, (row - firstRow) % 2 === 0 ? 1 : -1);
    if (grid.parks.has(cell)) parks.push(block);
    else {
      blocks.push(block);
      free.push(...carveParcels(rng, block));
    }
  });
  const build: CommunityBuild = { index, brief, blocks, parks, compounds: [], buildings: [], sites: [], publics: [], quarters: [], green: [] };
  const bare = brief.shortName.replace(/社区$/, '');
  let unit = 0;

  const place: PlaceFn = (p, placed, extra, fence) => {
    const ids: number[] = [];
    const u = unit++;
    for (const b of placed) {
      const cx = (b.rect.x0 + b.rect.x1) / 2;
      const rowY = graph.position(b.entrance)[1]; // a row's entrances share its branch path
      ids.push(build.buildings.length);
      build.buildings.push({
        tpl: b.tpl, rect: b.rect, entrance: b.entrance, compound: null, site: null, unit: u, number: '', name: null,
        sortKey: [p.block.order, p.strip, -Math.round((fence.y0 + fence.y1) / 2), -Math.round(rowY), cx * p.block.dir],
        ...extra,
      });
    }
    return ids;
  };

  // 1. Dedicated sites and public buildings, largest first.
  const plans: { plan: SitePlan; dedicated: boolean }[] = brief.sites.map((s) => ({
    plan: planSite(rng, s.kind, s.name ?? ''),
    dedicated: true,
  }));
  const publicKinds: PublicKind[] = police ? ['party_hall', 'police_station'] : ['party_hall'];
  for (const k of publicKinds) {
    plans.push({ plan: planSite(rng, k, k === 'party_hall' ? `${brief.shortName}党群服务中心` : `${bare}派出所`), dedicated: false });
  }
  const order = plans.map((_, i) => i).sort((a, b) => plans[b].plan.needW * plans[b].plan.needD - plans[a].plan.needW * plans[a].plan.needD);
  const siteSlots: (BuiltSite | null)[] = plans.map(() => null);
  for (const i of order) {
    const { plan } = plans[i];
    const placed = placeSite(rng, graph, free, plan);
    if (!placed) continue;
    free = placed.free;
    plan.name = names.unique(plan.name || `${placed.block.frontage[placed.side].name}商业街`, '期');
    const site: BuiltSite = { plan, fence: placed.fence, anchors: [], buildings: [], side: placed.side, block: placed.block };
    site.buildings = place(placed.parcel, placed.placed, {}, placed.fence);
    site.anchors = placed.anchors.map((a) => ({ ...a, building: site.buildings[a.building] }));
    readingSort(site.buildings.map((b) => build.buildings[b])).forEach((bb, k) => {
      bb.number = `${k + 1}号楼`;
      if (bb.tpl.label?.endsWith('号商铺')) bb.tpl.label = `${k + 1}号商铺`;
      bb.name = `${plan.name}${bb.tpl.label ?? ''}`;
    });
    siteSlots[i] = site;
  }
  plans.forEach((p, i) => {
    const s = siteSlots[i];
    if (!s) return;
    const list = p.dedicated ? build.sites : build.publics;
    const id = p.dedicated ? build.sites.length : -1 - build.publics.length;
    for (const b of s.buildings) build.buildings[b].site = id;
    list.push(s);
  });

  // 2. Housing.
  const siteBuildings = build.buildings.length;
  const mix = housingMix(rng, brief.style, Math.max(0, brief.buildings - siteBuildings), households);
  const quotas: Record<Program, Quota> = {
    house: { left: mix.house }, tower: { left: mix.tower }, oldblock: { left: mix.oldblock }, walkup: { left: mix.walkup },
  };
  const focus = focusPoint(rng, brief, blocks, parks);
  const majorRoad = (p: Parcel) =>
    (['N', 'S', 'W', 'E'] as const).some((s) => p.sides[s] && p.block.frontage[s].kind !== 'local');
  const preference: Record<Program, (p: Parcel) => number> = {
    house: (p) => Math.hypot((p.rect.x0 + p.rect.x1) / 2 - focus[0], (p.rect.y0 + p.rect.y1) / 2 - focus[1]) + rng.range(0, 60),
    tower: (p) => (majorRoad(p) ? 0 : 400) - width(p.rect) * depth(p.rect) / 100 + rng.range(0, 150),
    oldblock: () => rng.float(),
    walkup: () => rng.float(),
  };
  // Two passes (the second picks up parcels handed back in the first); whatever still has no land
  // is then built as old houses, which fit in the smallest leftovers — households are settled on
  // their targets afterwards by floors, so the building count can be kept exactly.
  for (let pass = 0; pass < 3; pass++) {
    if (pass === 2) {
      quotas.house.left += quotas.tower.left + quotas.oldblock.left + quotas.walkup.left;
      quotas.tower.left = quotas.oldblock.left = quotas.walkup.left = 0;
    }
    for (const program of ['house', 'tower', 'oldblock', 'walkup'] as const) {
      const quota = quotas[program];
      const tried = new Set<Parcel>();
      const minSide = pass === 2 ? 20 : 30;
      while (quota.left > 0) {
        let pick: Parcel | null = null;
        let best = Infinity;
        for (const p of free) {
          if (tried.has(p) || width(p.rect) < minSide || depth(p.rect) < minSide) continue;
          const s = preference[program](p);
          if (s < best) [best, pick] = [s, p];
        }
        if (!pick) break;
        const res = fillHousing(rng, graph, build, pick, program, quota, names, place);
        if (!res.used) {
          tried.add(pick);
          continue;
        }
        free = free.filter((p) => p !== pick);
        if (res.rest) free.push(res.rest);
      }
    }
  }
  build.green = free;

  const residential = build.buildings.filter((b) => b.tpl.use === 'residential').map((b) => b.tpl);
  tuneHouseholds(rng, residential, households);
  numberHousing(build);
  return build;
}

/** Old core of the community: its middle (所城里), next to the park (烟台山), or a random block. */
function focusPoint(rng: Random, brief: CommunitySeed, blocks: Block[], parks: Block[]): [number, number] {
  const centre = (b: Block) => [(b.outer.x0 + b.outer.x1) / 2, (b.outer.y0 + b.outer.y1) / 2] as [number, number];
  if (brief.style === 'hill' && parks.length > 0) return centre(parks[0]);
  if (brief.style === 'oldtown') {
    const cs = blocks.map(centre);
    return [cs.reduce((s, c) => s + c[0], 0) / cs.length, cs.reduce((s, c) => s + c[1], 0) / cs.length];
  }
  return centre(rng.pick(blocks));
}

/** Numbers housing the way door plates read: 1号楼… per compound, 1号院… per open quarter. */
function numberHousing(build: CommunityBuild): void {
  const byUnit = new Map<number, BuiltBuilding[]>();
  for (const b of build.buildings) {
    if (b.site !== null) continue;
    const list = byUnit.get(b.unit);
    if (list) list.push(b);
    else byUnit.set(b.unit, [b]);
  }
  for (const list of byUnit.values()) {
    readingSort(list).forEach((b, k) => (b.number = b.compound === null ? `${k + 1}号院` : `${k + 1}号楼`));
  }
}

/** Rows north → south (centres within 5 m are one row), west → east within a row. */
function readingSort(list: BuiltBuilding[]): BuiltBuilding[] {
  const cy = (b: BuiltBuilding) => (b.rect.y0 + b.rect.y1) / 2;
  const byY = list.slice().sort((a, b) => cy(b) - cy(a));
  const row = new Map<BuiltBuilding, number>();
  byY.forEach((b, i) => row.set(b, i > 0 && cy(byY[i - 1]) - cy(b) < 5 ? row.get(byY[i - 1])! : i));
  return byY.sort((a, b) => row.get(a)! - row.get(b)! || a.rect.x0 - b.rect.x0);
}

export function compareKeys(a: readonly number[], b: readonly number[]): number {
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return a[k] - b[k];
  return 0;
}
