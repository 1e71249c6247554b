/**
 * "Where to add": greedy maximum coverage. Given places not yet covered (with weights — households),
 * candidate sites and a walking distance, pick k sites one at a time, each covering the most weight
 * not covered by the sites picked before it. Greedy is the classic (1 − 1/e)-approximation of
 * maximum coverage and, unlike an exact solver, answers in milliseconds for a street.
 *
 * Who-covers-whom is found from the places' side: one Dijkstra per uncovered place with the cutoff
 * (the network is undirected, so the nodes it reaches are exactly the node sites that would reach
 * it), which costs (#uncovered places × a local search) instead of (#candidate nodes × …).
 */
import { DijkstraWorkspace, shortestPaths } from './dijkstra.js';
import { type EdgePosition, distanceTo, sourcesAt } from './edge-position.js';
import type { RoutingGraph } from './graph.js';

export interface WeightedPlace { position: EdgePosition; weight: number }

/** A candidate: a graph node (index) or a point on an edge. */
export type Candidate = { node: number } | { position: EdgePosition };

export interface PickedSite {
  candidate: number;
  /** Weight newly covered by this site (after the sites picked before it). */
  gain: number;
  /** Indexes of the places it newly covers. */
  places: number[];
}

export function greedySites(
  g: RoutingGraph,
  places: readonly WeightedPlace[],
  candidates: readonly Candidate[],
  distanceM: number,
  k: number,
): PickedSite[] {
  const ws = new DijkstraWorkspace(g);
  const nodeCandidate = new Map<number, number>();
  // Point candidates by their edge: only those on an edge with a reached end (or on the place's own
  // edge) can lie within the distance, so each place checks a handful, not every candidate.
  const pointsOnEdge = new Map<number, number[]>();
  candidates.forEach((c, i) => {
    if ('node' in c) nodeCandidate.set(c.node, i);
    else pointsOnEdge.set(c.position.edge, [...(pointsOnEdge.get(c.position.edge) ?? []), i]);
  });
  const covers: number[][] = candidates.map(() => []);
  places.forEach((place, p) => {
    if (place.weight <= 0) return;
    const sp = shortestPaths(g, sourcesAt(g, place.position), distanceM, ws);
    const edges = new Set<number>(pointsOnEdge.has(place.position.edge) ? [place.position.edge] : []);
    for (const v of sp.settled) {
      const c = nodeCandidate.get(v);
      if (c !== undefined) covers[c].push(p);
      if (pointsOnEdge.size === 0) continue;
      for (let a = g.adjStart[v]; a < g.adjStart[v + 1]; a++) if (pointsOnEdge.has(g.adjEdge[a])) edges.add(g.adjEdge[a]);
    }
    for (const e of edges) {
      for (const c of pointsOnEdge.get(e)!) {
        const pos = (candidates[c] as { position: EdgePosition }).position;
        if (distanceTo(g, sp, pos, place.position) <= distanceM) covers[c].push(p);
      }
    }
  });
  const covered = new Uint8Array(places.length);
  const picked: PickedSite[] = [];
  const used = new Uint8Array(candidates.length);
  for (let round = 0; round < k; round++) {
    let best = -1;
    let bestGain = 0;
    for (let c = 0; c < candidates.length; c++) {
      if (used[c]) continue;
      let gain = 0;
      for (const p of covers[c]) if (!covered[p]) gain += places[p].weight;
      if (gain > bestGain) {
        bestGain = gain;
        best = c;
      }
    }
    if (best < 0) break;
    used[best] = 1;
    const newly = covers[best].filter((p) => !covered[p]);
    for (const p of newly) covered[p] = 1;
    picked.push({ candidate: best, gain: bestGain, places: newly });
  }
  return picked;
}
