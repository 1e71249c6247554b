/**
 * Points on the network (facilities, buildings) bucketed by the edge they lie on, so that a search
 * visits only the points on the edges it reached — work proportional to the reached part of the
 * network, not to every facility of a city (31k on a 100k-building street, issue #17).
 */
import type { ShortestPaths } from './dijkstra.js';
import { type EdgePosition, distanceTo } from './edge-position.js';
import type { RoutingGraph } from './graph.js';

/** Point indices grouped by edge: the points on edge e are items[start[e] … start[e+1]). */
export interface EdgeBuckets {
  start: Int32Array;
  items: Int32Array;
}

/** Buckets `positions` (null: not on the network, left out) by edge. */
export function bucketByEdge(edgeCount: number, positions: readonly (EdgePosition | null)[]): EdgeBuckets {
  const start = new Int32Array(edgeCount + 1);
  for (const p of positions) if (p) start[p.edge + 1]++;
  for (let e = 0; e < edgeCount; e++) start[e + 1] += start[e];
  const fill = start.slice(0, edgeCount);
  const items = new Int32Array(start[edgeCount]);
  positions.forEach((p, i) => {
    if (p) items[fill[p.edge]++] = i;
  });
  return { start, items };
}

/**
 * The points within `budget` metres of the sources of `sp` (budget ≤ its cutoff), with their
 * distances, nearest first. `from` is the start point of a single-source run (a point on its own
 * edge is reached along the edge even when neither end is). Exact: a point reached within the
 * budget through an end of its edge has that end settled, so its edge is visited.
 */
export function pointsWithin(
  g: RoutingGraph,
  sp: ShortestPaths,
  buckets: EdgeBuckets,
  positionOf: (index: number) => EdgePosition,
  budget: number,
  from?: EdgePosition,
): { index: number; distanceM: number }[] {
  const out: { index: number; distanceM: number }[] = [];
  const seen = new Set<number>();
  const visit = (e: number) => {
    if (seen.has(e)) return;
    seen.add(e);
    for (let k = buckets.start[e]; k < buckets.start[e + 1]; k++) {
      const index = buckets.items[k];
      const d = distanceTo(g, sp, positionOf(index), from);
      if (d <= budget) out.push({ index, distanceM: d });
    }
  };
  for (const u of sp.settled) {
    if (sp.dist[u] > budget) break;
    for (let a = g.adjStart[u]; a < g.adjStart[u + 1]; a++) visit(g.adjEdge[a]);
  }
  if (from) visit(from.edge);
  return out.sort((a, b) => a.distanceM - b.distanceM || a.index - b.index);
}
