/**
 * Party-member reach (党员联系户, issue #20): every 党员中心户 (party-member centre household) keeps
 * in touch with the households around it, within a walking distance the street sets (e.g. 300 m)
 * and for a number of households the street sets (e.g. 10–15 each).
 *
 * Computed per place (a building: its households share one entrance on the walk network, so a
 * gated compound's buildings are reached only through its gates — the caller snaps them so):
 * - **reached**: within `distanceM` of the nearest place holding a centre, by ONE multi-source
 *   Dijkstra from all centres (geo/routing/coverage.ts, the life circle's own function);
 * - **centre load**: each reached place's households go to its nearest centre place; a place with
 *   n centre households shares them equally, and each centre is under / in / over the range;
 * - **suggestions**: which party-member households (places holding a party household that is not
 *   yet a centre) to designate so that most left-out households are reached — greedy maximum
 *   coverage (geo/routing/site-selection.ts, as for facility siting).
 */
import { distancesToNearest } from '../routing/coverage.js';
import { DijkstraWorkspace } from '../routing/dijkstra.js';
import type { EdgePosition } from '../routing/edge-position.js';
import type { RoutingGraph } from '../routing/graph.js';
import { greedySites } from '../routing/site-selection.js';

export interface ReachPlace {
  /** Where the place meets the walk network (null: not routable — never reached, never a centre). */
  position: EdgePosition | null;
  households: number;
  /** 党员中心户 in the place. */
  centres: number;
  /** Households with a party member (centres included). */
  partyHouseholds: number;
}

/** Households per centre the street expects (inclusive). */
export interface CentreRange { min: number; max: number }

export type CentreStatus = 'under' | 'in' | 'over';

export interface ReachCentre {
  /** Index of the place holding the centre(s). */
  place: number;
  /** Centre households in the place. */
  count: number;
  /** Households whose nearest centre place this is (within the distance). */
  households: number;
  /** households / count. */
  perCentre: number;
  status: CentreStatus;
}

export interface ReachResult {
  distanceM: number;
  /** Per place: walking metres to the nearest centre (Infinity beyond the distance). */
  distance: Float64Array;
  /** Per place: index of the place of its nearest centre (-1 when not reached). */
  nearest: Int32Array;
  households: number;
  reachedHouseholds: number;
  centres: ReachCentre[];
}

export function centreStatus(perCentre: number, range: CentreRange): CentreStatus {
  return perCentre < range.min ? 'under' : perCentre > range.max ? 'over' : 'in';
}

export function partyReach(
  g: RoutingGraph,
  places: readonly ReachPlace[],
  distanceM: number,
  range: CentreRange,
  ws: DijkstraWorkspace = new DijkstraWorkspace(g),
): ReachResult {
  if (!(distanceM >= 0)) throw new RangeError(`invalid distance ${distanceM}`);
  if (!(range.min >= 0 && range.min <= range.max)) throw new RangeError(`invalid range ${range.min}–${range.max}`);
  const routed = places.map((_, i) => i).filter((i) => places[i].position !== null);
  const centrePlaces = routed.filter((i) => places[i].centres > 0);
  const found = distancesToNearest(g, centrePlaces.map((i) => places[i].position!), routed.map((i) => places[i].position!), distanceM, ws);
  const distance = new Float64Array(places.length).fill(Infinity);
  const nearest = new Int32Array(places.length).fill(-1);
  const assigned = new Map<number, number>(centrePlaces.map((i) => [i, 0]));
  let households = 0;
  let reachedHouseholds = 0;
  for (const p of places) households += p.households;
  routed.forEach((i, k) => {
    if (found.nearest[k] < 0) return;
    const centre = centrePlaces[found.nearest[k]];
    distance[i] = found.distance[k];
    nearest[i] = centre;
    reachedHouseholds += places[i].households;
    assigned.set(centre, assigned.get(centre)! + places[i].households);
  });
  const centres = centrePlaces.map((place) => {
    const count = places[place].centres;
    const hh = assigned.get(place)!;
    return { place, count, households: hh, perCentre: hh / count, status: centreStatus(hh / count, range) };
  });
  return { distanceM, distance, nearest, households, reachedHouseholds, centres };
}

export interface CentreSuggestion {
  /** Index of the place holding the party-member household to designate. */
  place: number;
  /** Left-out households it would reach (beyond those of the suggestions before it). */
  gainHouseholds: number;
  /** The left-out places it would reach. */
  reaches: number[];
}

/**
 * Up to `k` places whose party-member households to designate as new centres, greedily each
 * reaching the most left-out households not reached by the ones before it. `eligible(i)` limits
 * both the left-out places and the candidates (e.g. to one community); default all.
 */
export function suggestCentres(
  g: RoutingGraph,
  places: readonly ReachPlace[],
  reach: ReachResult,
  k: number,
  eligible: (i: number) => boolean = () => true,
): CentreSuggestion[] {
  const left = places.map((_, i) => i).filter((i) => eligible(i) && places[i].position !== null && reach.nearest[i] < 0 && places[i].households > 0);
  const candidates = places.map((_, i) => i).filter((i) => eligible(i) && places[i].position !== null && places[i].partyHouseholds > places[i].centres);
  if (left.length === 0 || candidates.length === 0 || k <= 0) return [];
  const picked = greedySites(
    g,
    left.map((i) => ({ position: places[i].position!, weight: places[i].households })),
    candidates.map((i) => ({ position: places[i].position! })),
    reach.distanceM,
    k,
  );
  return picked.map((s) => ({ place: candidates[s.candidate], gainHouseholds: s.gain, reaches: s.places.map((q) => left[q]) }));
}
