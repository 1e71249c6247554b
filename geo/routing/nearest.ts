/**
 * The k nearest targets (facilities) by walking distance from a start point, with their routes.
 * Searches with a growing cutoff (1 km, 2 km, 4 km …) so a near answer never explores the whole
 * network: a target whose distance is within the cutoff of a run is exact, because every shorter
 * path would pass through an end of its edge, settled in that run.
 */
import { DijkstraWorkspace, type ShortestPaths, shortestPaths } from './dijkstra.js';
import { type EdgePosition, distanceTo, sourcesAt } from './edge-position.js';
import type { LngLat, RoutingGraph } from './graph.js';
import { routeLine } from './route.js';

export interface NearestHit<T> { target: T; distanceM: number; route: LngLat[] }

export function nearestTargets<T extends { position: EdgePosition }>(
  g: RoutingGraph,
  start: EdgePosition,
  targets: readonly T[],
  k: number,
  opts: { firstCutoffM?: number; ws?: DijkstraWorkspace } = {},
): NearestHit<T>[] {
  if (k <= 0 || targets.length === 0) return [];
  const ws = opts.ws ?? new DijkstraWorkspace(g);
  let cutoff = opts.firstCutoffM ?? 1000;
  for (;;) {
    const sp: ShortestPaths = shortestPaths(g, sourcesAt(g, start), cutoff, ws);
    const found = targets
      .map((target) => ({ target, distanceM: distanceTo(g, sp, target.position, start) }))
      .filter((h) => h.distanceM <= cutoff)
      .sort((a, b) => a.distanceM - b.distanceM);
    const exhausted = cutoff === Infinity || sp.settled.length === g.nodeCount;
    if (found.length >= k || exhausted) {
      return found.slice(0, k).map((h) => ({ ...h, route: routeLine(g, sp, start, h.target.position) }));
    }
    cutoff = cutoff > 64_000 ? Infinity : cutoff * 2;
  }
}
