/**
 * Party-member reach of a street, community or grid (issue #20), on the walk network the life
 * circle uses (services/walk-network.ts: a building in a gated compound is entered through the
 * compound's paths and gates). The street's buildings are the places; the centres of the whole
 * street count for every household in it (people walk across community borders), while figures,
 * centres listed and suggestions are those of the scope asked for. The computations themselves
 * are geo/party/reach.ts.
 */
import { type ReachPlace, type ReachResult, partyReach, suggestCentres } from '../../geo/party/reach.js';
import { type LoadWeights, loadOf } from '../../geo/party/load.js';
import type { Database, Sql } from '../db/client.js';
import { dataVersion, derivedFigure, readDerivedFigurePart } from '../repos/derived-figures.repo.js';
import { type BuildingFigures, type PartySettings, buildingFigures, getPartySettings } from '../repos/party.repo.js';
import { type NetBuilding, type WalkNetwork, walkNetwork } from './walk-network.js';

export interface ReachScope { community?: string; grid?: string }

export interface ReachArea { key: string; name: string; households: number; reachedHouseholds: number; share: number; centres: number }

export interface ReachCentreView {
  building: string; number: string; community: string; grid: string | null; position: [number, number];
  /** Centre households in the building. */
  count: number;
  /** Households whose nearest centre is here (within the distance). */
  households: number;
  perCentre: number;
  status: 'under' | 'in' | 'over';
}

export interface ReachSuggestionView {
  rank: number; building: string; number: string; community: string; grid: string | null; position: [number, number];
  gainHouseholds: number; gainBuildings: number;
  /** Share of the scope's households reached after designating this and the suggestions before it. */
  shareAfter: number;
}

export interface PartyReachReport {
  households: number;
  reachedHouseholds: number;
  leftOutHouseholds: number;
  share: number;
  distanceM: number;
  householdsPerCentre: { min: number; max: number };
  centres: ReachCentreView[];
  suggestions: ReachSuggestionView[];
  byCommunity: ReachArea[];
  byGrid: ReachArea[];
  /** Buildings with households left out (for the map). */
  leftOut: { building: string; households: number; position: [number, number] }[];
  ms: number;
}

const share = (reached: number, all: number) => (all === 0 ? 0 : Math.round((reached / all) * 10000) / 10000);
const positionOf = (b: NetBuilding): [number, number] => [Number(b.lng), Number(b.lat)];

/** The street's buildings as reach places, in the network's order. */
export function reachPlaces(net: WalkNetwork, figures: ReadonlyMap<number, BuildingFigures>): { buildings: NetBuilding[]; places: ReachPlace[] } {
  const buildings = net.buildings.filter((b) => figures.has(b.id));
  const places = buildings.map((b) => {
    const f = figures.get(b.id)!;
    return { position: b.position, households: Number(b.households), centres: f.centres, partyHouseholds: f.partyHouseholds };
  });
  return { buildings, places };
}

/** Aggregates of `rows` (indexes into buildings) grouped by `keyOf`. */
function areas(buildings: NetBuilding[], places: ReachPlace[], reach: ReachResult, rows: number[], keyOf: (b: NetBuilding) => string | null, nameOf: (b: NetBuilding) => string): ReachArea[] {
  const out = new Map<string, ReachArea>();
  for (const i of rows) {
    const k = keyOf(buildings[i]);
    if (k === null) continue;
    let a = out.get(k);
    if (!a) out.set(k, (a = { key: k, name: nameOf(buildings[i]), households: 0, reachedHouseholds: 0, share: 0, centres: 0 }));
    a.households += places[i].households;
    if (reach.nearest[i] >= 0) a.reachedHouseholds += places[i].households;
    a.centres += places[i].centres;
  }
  return [...out.values()].sort((a, b) => a.key.localeCompare(b.key)).map((a) => ({ ...a, share: share(a.reachedHouseholds, a.households) }));
}

/** The reach of every building of a street, computed once for any number of scoped reports. */
export interface ComputedReach { buildings: NetBuilding[]; places: ReachPlace[]; reach: ReachResult; settings: PartySettings }

export function computeReach(net: WalkNetwork, figures: ReadonlyMap<number, BuildingFigures>, settings: PartySettings): ComputedReach {
  const { buildings, places } = reachPlaces(net, figures);
  const range = { min: settings.householdsMin, max: settings.householdsMax };
  return { buildings, places, reach: partyReach(net.graph, places, settings.distanceM, range, net.ws), settings };
}

export function partyReachReport(net: WalkNetwork, figures: ReadonlyMap<number, BuildingFigures>, settings: PartySettings, scope: ReachScope, suggest: number): PartyReachReport {
  const t0 = performance.now();
  const report = scopedReport(computeReach(net, figures, settings), scope, { net, suggest });
  return { ...report, ms: performance.now() - t0 };
}

/**
 * The report of one scope from a street's computed reach. With `lists` (the network to suggest
 * on), its centres, suggestions and left-out buildings; without, figures and areas only (the wall
 * screen's). `rows`: the scope's buildings when the caller has them already.
 */
function scopedReport(computed: ComputedReach, scope: ReachScope, lists: { net: WalkNetwork; suggest: number } | null, scopeRows?: number[]): PartyReachReport {
  const { buildings, places, reach, settings } = computed;
  const range = { min: settings.householdsMin, max: settings.householdsMax };
  const inScope = (i: number) => (!scope.community || buildings[i].community_code === scope.community) && (!scope.grid || buildings[i].grid_code === scope.grid);
  const rows = scopeRows ?? buildings.map((_, i) => i).filter(inScope);
  let households = 0;
  let reached = 0;
  for (const i of rows) {
    households += places[i].households;
    if (reach.nearest[i] >= 0) reached += places[i].households;
  }
  const view = (i: number) => {
    const b = buildings[i];
    return { building: b.code, number: b.number, community: b.community_code, grid: b.grid_code, position: positionOf(b) };
  };
  const centres = !lists ? [] : reach.centres.filter((c) => inScope(c.place)).map((c) => ({
    ...view(c.place), count: c.count, households: c.households, perCentre: Math.round(c.perCentre * 10) / 10, status: c.status,
  }));
  let after = reached;
  const suggestions = lists && lists.suggest > 0 ? suggestCentres(lists.net.graph, places, reach, lists.suggest, inScope).map((s, k) => {
    after += s.gainHouseholds;
    return { rank: k + 1, ...view(s.place), gainHouseholds: s.gainHouseholds, gainBuildings: s.reaches.length, shareAfter: share(after, households) };
  }) : [];
  return {
    households, reachedHouseholds: reached, leftOutHouseholds: households - reached, share: share(reached, households),
    distanceM: settings.distanceM, householdsPerCentre: range, centres, suggestions,
    byCommunity: areas(buildings, places, reach, rows, (b) => b.community_code, (b) => b.community_name),
    byGrid: areas(buildings, places, reach, rows, (b) => b.grid_code, (b) => b.grid_name ?? b.grid_code ?? ''),
    leftOut: !lists ? [] : rows.filter((i) => reach.nearest[i] < 0 && places[i].households > 0).map((i) => ({ building: buildings[i].code, households: places[i].households, position: positionOf(buildings[i]) })),
    ms: 0,
  };
}

/**
 * The wall screen's figures (`?lists=0`: no centres, suggestions or left-out lists) of a street
 * and of each of its communities and grids, from one reach computation — what is stored in
 * `derived_figures` so that a wall screen never builds the walk network (services/screen-figures.ts).
 */
export interface StoredReachFigures {
  street: PartyReachReport;
  communities: Record<string, PartyReachReport>;
  grids: Record<string, PartyReachReport>;
}

export function reachFigures(computed: ComputedReach): StoredReachFigures {
  // Each building's row in its community's and its grid's list, in one pass (a street of a city
  // has hundreds of grids: no scan of every building per grid).
  const byCommunity = new Map<string, number[]>();
  const byGrid = new Map<string, number[]>();
  computed.buildings.forEach((b, i) => {
    const c = byCommunity.get(b.community_code) ?? byCommunity.set(b.community_code, []).get(b.community_code)!;
    c.push(i);
    if (b.grid_code !== null) (byGrid.get(b.grid_code) ?? byGrid.set(b.grid_code, []).get(b.grid_code)!).push(i);
  });
  const slim = (scope: ReachScope, rows: number[]) => scopedReport(computed, scope, null, rows);
  return {
    street: slim({}, computed.buildings.map((_, i) => i)),
    communities: Object.fromEntries([...byCommunity].map(([c, rows]) => [c, slim({ community: c }, rows)])),
    grids: Object.fromEntries([...byGrid].map(([g, rows]) => [g, slim({ grid: g }, rows)])),
  };
}

/** Load of each building (by code) under the street's weights. */
export function buildingLoads(figures: ReadonlyMap<number, BuildingFigures>, weights: LoadWeights): Map<string, number> {
  return new Map([...figures.values()].map((f) => [f.code, Math.round(loadOf(f, weights) * 10) / 10]));
}

/** Load of each building of a community (by code) under its street's weights — the partitioner's input. */
export async function communityLoads(db: Sql, streetId: number, community: string): Promise<Map<string, number>> {
  const [settings, figures] = await Promise.all([getPartySettings(db, streetId), buildingFigures(db, { community })]);
  return buildingLoads(figures, settings.loadWeights);
}

/** Reach and load of one grid of a plan (exports, issue #20). */
export interface GridReachFigures { reachedHouseholds: number; reachShare: number; load: number }

/**
 * Per grid of plan `planId`: households reached by the street's 党员中心户, their share, and the
 * grid's load — the reach is per building (as GET /api/party-reach computes it), summed over the
 * plan's own building → grid assignment, so a draft's grids get their own figures.
 */
export async function planGridReach(db: Sql, net: WalkNetwork, planId: number): Promise<Map<string, GridReachFigures>> {
  const [plan] = await db.query<{ street_id: number }>('SELECT street_id FROM grid_plans WHERE id = $1', [planId]);
  if (!plan) return new Map();
  const [settings, figures] = await Promise.all([getPartySettings(db, plan.street_id), buildingFigures(db, { streetId: plan.street_id })]);
  const { buildings, places } = reachPlaces(net, figures);
  const reach = partyReach(net.graph, places, settings.distanceM, { min: settings.householdsMin, max: settings.householdsMax }, net.ws);
  const reachedById = new Map(buildings.map((b, i) => [b.id, reach.nearest[i] >= 0]));
  const rows = await db.query<{ grid: string; building: number }>(
    'SELECT g.code AS grid, bg.building_id AS building FROM building_grid bg JOIN grids g ON g.id = bg.grid_id WHERE bg.plan_id = $1', [planId]);
  const acc = new Map<string, { households: number; reached: number; load: number }>();
  for (const r of rows) {
    const f = figures.get(r.building);
    if (!f) continue;
    const a = acc.get(r.grid) ?? { households: 0, reached: 0, load: 0 };
    a.households += f.households;
    if (reachedById.get(r.building)) a.reached += f.households;
    a.load += loadOf(f, settings.loadWeights);
    acc.set(r.grid, a);
  }
  return new Map([...acc].map(([grid, a]) => [grid, {
    reachedHouseholds: a.reached, reachShare: share(a.reached, a.households), load: Math.round(a.load * 10) / 10,
  }]));
}

/** Bumped whenever StoredReachFigures changes shape. */
const REACH_FORMAT = 1;
const reachKey = (streetCode: string) => `party-reach/${streetCode}/v${REACH_FORMAT}`;

/**
 * The street's stored screen figures under the current data version (any committed change —
 * households, party flags, settings, the network, the published plan — makes them stale), else
 * computed (which builds the walk network) and stored.
 */
export async function storedReachFigures(db: Database, street: { id: number; code: string }, version?: string): Promise<StoredReachFigures> {
  return derivedFigure(db, reachKey(street.code), version ?? (await dataVersion(db)), async () => {
    const [settings, figures, net] = await Promise.all([getPartySettings(db, street.id), buildingFigures(db, { streetId: street.id }), walkNetwork(db)]);
    return reachFigures(computeReach(net, figures, settings));
  });
}

/**
 * `GET /api/party-reach?lists=0` (the wall screen): one scope's figures, read out of the street's
 * stored figures — a screen never waits for the walk network of a city (issue #15: 20 s and 1 GB
 * at 200k buildings) once they are stored. A community or grid without buildings: zero figures.
 */
export async function screenReach(db: Database, street: { id: number; code: string }, scope: ReachScope): Promise<PartyReachReport> {
  const version = await dataVersion(db);
  const path = scope.grid ? ['grids', scope.grid] : scope.community ? ['communities', scope.community] : ['street'];
  const part = await readDerivedFigurePart<PartyReachReport>(db, reachKey(street.code), version, path);
  let report: PartyReachReport | null | undefined;
  if (part.found) report = part.value;
  else {
    const all = await storedReachFigures(db, street, version);
    report = scope.grid ? all.grids[scope.grid] : scope.community ? all.communities[scope.community] : all.street;
  }
  // A grid's figures hold that grid only; asked with a community it is not in, the scope is empty.
  if (report && scope.grid && scope.community && !report.byCommunity.some((a) => a.key === scope.community)) report = null;
  if (report) return report;
  const settings = await getPartySettings(db, street.id);
  return {
    households: 0, reachedHouseholds: 0, leftOutHouseholds: 0, share: 0, distanceM: settings.distanceM,
    householdsPerCentre: { min: settings.householdsMin, max: settings.householdsMax },
    centres: [], suggestions: [], byCommunity: [], byGrid: [], leftOut: [], ms: 0,
  };
}
