/**
 * Coverage of places (buildings) by a set of facilities within a walking distance: ONE multi-source
 * Dijkstra from all facilities of a category (cutoff = the life-circle distance) gives every node its
 * distance to the nearest facility; a place's distance then comes from the two ends of its edge, or
 * straight along the edge when a facility sits on the same edge.
 */
import { DijkstraWorkspace, shortestPaths, type Source } from './dijkstra.js';
import { type EdgePosition, distanceTo, sourcesAt } from './edge-position.js';
import type { RoutingGraph } from './graph.js';

/**
 * Network distance from each place to its nearest facility, Infinity beyond `cutoffM`.
 * Also returns the index of that nearest facility (-1 when none within the cutoff).
 */
export function distancesToNearest(
  g: RoutingGraph,
  facilities: readonly EdgePosition[],
  places: readonly EdgePosition[],
  cutoffM: number,
  ws: DijkstraWorkspace = new DijkstraWorkspace(g),
): { distance: Float64Array; nearest: Int32Array } {
  const distance = new Float64Array(places.length).fill(Infinity);
  const nearest = new Int32Array(places.length).fill(-1);
  if (facilities.length === 0) return { distance, nearest };
  const sources: Source[] = [];
  const facilityOfSource: number[] = [];
  facilities.forEach((f, i) => {
    for (const s of sourcesAt(g, f)) {
      sources.push(s);
      facilityOfSource.push(i);
    }
  });
  const sp = shortestPaths(g, sources, cutoffM, ws);
  const onEdge = new Map<number, number[]>();
  facilities.forEach((f, i) => {
    const list = onEdge.get(f.edge);
    if (list) list.push(i);
    else onEdge.set(f.edge, [i]);
  });
  places.forEach((p, k) => {
    const len = g.edgeLength[p.edge];
    const s = g.edgeSource[p.edge];
    const t = g.edgeTarget[p.edge];
    let best = sp.dist[s] + p.offsetM;
    let who = sp.origin[s] >= 0 ? facilityOfSource[sp.origin[s]] : -1;
    const viaT = sp.dist[t] + len - p.offsetM;
    if (viaT < best) {
      best = viaT;
      who = facilityOfSource[sp.origin[t]];
    }
    for (const i of onEdge.get(p.edge) ?? []) {
      const d = Math.abs(facilities[i].offsetM - p.offsetM);
      if (d < best) {
        best = d;
        who = i;
      }
    }
    if (best <= cutoffM) {
      distance[k] = best;
      nearest[k] = who;
    }
  });
  return { distance, nearest };
}

/** Distance between two network positions (no cutoff) — a reference for tests. */
export function networkDistance(g: RoutingGraph, a: EdgePosition, b: EdgePosition): number {
  return distanceTo(g, shortestPaths(g, sourcesAt(g, a)), b, a);
}
