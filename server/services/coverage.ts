/**
 * The coverage audit: for every residential building and every category the standard requires at
 * a level, is a facility of that category within the level's walking distance? One multi-source
 * Dijkstra per category (from all its facilities at once), never one per building. Aggregates are
 * shares of households, by community, by grid of the published plan and by category.
 */
import { type Candidate, distancesToNearest, greedySites } from '../../geo/routing/index.js';
import type { LifeCircleLevel } from '../repos/life-circle.repo.js';
import { type NetBuilding, type WalkNetwork, hasPosition } from './walk-network.js';

export interface BuildingCoverage {
  code: string; number: string; name: string | null;
  community: string; communityName: string; grid: string | null; gridName: string | null;
  households: number;
  /** Covered for every audited category. */
  covered: boolean;
  /** Walking metres to the nearest facility per category (null: none within the distance). */
  distances: Record<string, number | null>;
  /** False when the building could not be placed on the walk network. */
  routed: boolean;
  position: [number, number];
}

export interface Aggregate {
  key: string; name: string; buildings: number; households: number; coveredHouseholds: number; share: number;
  uncoveredBuildings: number;
}

export interface CoverageResult {
  level: number; distanceM: number; categories: string[];
  buildings: BuildingCoverage[];
  totals: Omit<Aggregate, 'key' | 'name'>;
  byCategory: (Aggregate & { facilities: number })[];
  byCommunity: Aggregate[];
  byGrid: Aggregate[];
  ms: number;
}

/** Buildings people live in: the audit counts households. */
export const residential = (b: NetBuilding) => b.households > 0;

/** Buildings by community, grid … (`keyOf`); those whose key is null are left out. */
export function groupRows(rows: readonly BuildingCoverage[], keyOf: (b: BuildingCoverage) => string | null): Map<string, BuildingCoverage[]> {
  const groups = new Map<string, BuildingCoverage[]>();
  for (const b of rows) {
    const k = keyOf(b);
    if (k === null) continue;
    const list = groups.get(k);
    if (list) list.push(b);
    else groups.set(k, [b]);
  }
  return groups;
}

/**
 * The audit of `community`, or of the buildings of `communities` (one street's, issue #15), or of
 * every building. Facilities of any street count: people walk across street borders.
 */
export function auditCoverage(net: WalkNetwork, level: LifeCircleLevel, categories: readonly string[], community?: string, communities?: ReadonlySet<string> | null): CoverageResult {
  const t0 = performance.now();
  const buildings = net.buildings.filter(residential)
    .filter((b) => !community || b.community_code === community)
    .filter((b) => !communities || communities.has(b.community_code));
  const placed = buildings.filter(hasPosition);
  const perCategory = new Map<string, Float64Array>();
  for (const cat of categories) {
    const facilities = net.facilities.filter(hasPosition).filter((f) => f.category === cat).map((f) => f.position);
    const { distance } = distancesToNearest(net.graph, facilities, placed.map((b) => b.position), level.distanceM, net.ws);
    perCategory.set(cat, distance);
  }
  const indexOfPlaced = new Map<NetBuilding, number>(placed.map((b, i) => [b, i]));
  const rows: BuildingCoverage[] = buildings.map((b) => {
    const i = indexOfPlaced.get(b);
    const distances: Record<string, number | null> = {};
    for (const cat of categories) {
      const d = i === undefined ? Infinity : perCategory.get(cat)![i];
      distances[cat] = Number.isFinite(d) ? Math.round(d * 10) / 10 : null;
    }
    return {
      code: b.code, number: b.number, name: b.name, community: b.community_code, communityName: b.community_name,
      grid: b.grid_code, gridName: b.grid_name, households: b.households,
      covered: categories.every((c) => distances[c] !== null), distances, routed: i !== undefined,
      position: [Number(b.lng), Number(b.lat)],
    };
  });
  const aggregate = (key: string, name: string, list: BuildingCoverage[], isCovered: (b: BuildingCoverage) => boolean): Aggregate => {
    const households = list.reduce((s, b) => s + b.households, 0);
    const coveredHouseholds = list.filter(isCovered).reduce((s, b) => s + b.households, 0);
    return {
      key, name, buildings: list.length, households, coveredHouseholds,
      share: households === 0 ? 0 : Math.round((coveredHouseholds / households) * 10000) / 10000,
      uncoveredBuildings: list.filter((b) => !isCovered(b)).length,
    };
  };
  const groupBy = (keyOf: (b: BuildingCoverage) => string | null, nameOf: (b: BuildingCoverage) => string) =>
    [...groupRows(rows, keyOf)].sort(([a], [b]) => a.localeCompare(b)).map(([k, list]) => aggregate(k, nameOf(list[0]), list, (b) => b.covered));
  const { key: _k, name: _n, ...totals } = aggregate('all', 'all', rows, (b) => b.covered);
  return {
    level: level.level, distanceM: level.distanceM, categories: [...categories], buildings: rows, totals,
    byCategory: categories.map((cat) => ({
      ...aggregate(cat, cat, rows, (b) => b.distances[cat] !== null),
      facilities: net.facilities.filter((f) => f.category === cat).length,
    })),
    byCommunity: groupBy((b) => b.community, (b) => b.communityName),
    byGrid: groupBy((b) => b.grid, (b) => b.gridName ?? b.grid ?? ''),
    ms: performance.now() - t0,
  };
}

export interface ProposedSite {
  rank: number;
  position: [number, number];
  /** The walk node proposed (when candidates were not given). */
  nodeId: number | null;
  /** Index into the given candidates (when given). */
  candidate: number | null;
  gainHouseholds: number;
  gainBuildings: number;
  /** Share of all audited households covered after adding this site and those before it. */
  shareAfter: number;
  buildings: string[];
}

/**
 * Greedy maximum coverage of the households not yet covered for `category` at `level`: k sites from
 * the walk nodes, or from the given candidate points (already snapped by the caller).
 */
export function proposeSites(
  net: WalkNetwork,
  level: LifeCircleLevel,
  category: string,
  k: number,
  candidates?: { lngLat: [number, number]; position: Candidate }[],
) {
  const audit = auditCoverage(net, level, [category]);
  const byCode = new Map(net.buildings.map((b) => [b.code, b]));
  const uncovered = audit.buildings.filter((b) => !b.covered && b.routed).map((b) => byCode.get(b.code)!).filter(hasPosition);
  const cands: Candidate[] = candidates ? candidates.map((c) => c.position) : Array.from({ length: net.graph.nodeCount }, (_, node) => ({ node }));
  const picked = greedySites(net.graph, uncovered.map((b) => ({ position: b.position, weight: b.households })), cands, level.distanceM, k);
  let covered = audit.totals.coveredHouseholds;
  const sites: ProposedSite[] = picked.map((p, i) => {
    covered += p.gain;
    const c = cands[p.candidate];
    const node = 'node' in c ? c.node : -1;
    return {
      rank: i + 1,
      position: candidates ? candidates[p.candidate].lngLat : [net.graph.nodeLng[node], net.graph.nodeLat[node]],
      nodeId: node >= 0 ? net.graph.nodeIds[node] : null,
      candidate: candidates ? p.candidate : null,
      gainHouseholds: p.gain,
      gainBuildings: p.places.length,
      shareAfter: audit.totals.households === 0 ? 0 : Math.round((covered / audit.totals.households) * 10000) / 10000,
      buildings: p.places.map((q) => uncovered[q].code),
    };
  });
  return {
    category, level: level.level, distanceM: level.distanceM,
    before: { households: audit.totals.households, coveredHouseholds: audit.totals.coveredHouseholds, share: audit.totals.share },
    uncoveredHouseholds: audit.totals.households - audit.totals.coveredHouseholds,
    sites,
  };
}
