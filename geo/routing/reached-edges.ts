/**
 * The pieces of the network within a distance of the sources: whole edges when reachable end to
 * end, otherwise the stretch from each reached end up to where the budget runs out. These pieces —
 * not a circle — are what an isochrone polygon is built from. The isochrone itself computes them
 * for all its bands in one pass, already as lines (band-lines.ts `reachedBandLines`); this plain
 * per-budget form is the reference the tests hold that one to.
 */
import type { ShortestPaths } from './dijkstra.js';
import type { EdgePosition } from './edge-position.js';
import type { RoutingGraph } from './graph.js';

/** A stretch [fromM, toM] of edge `edge`, metres from its source. */
export interface EdgePiece { edge: number; fromM: number; toM: number }

/** Pieces reachable within `budget` metres (≤ the cutoff the paths were computed with). */
export function reachedPieces(g: RoutingGraph, sp: ShortestPaths, budget: number, start?: EdgePosition): EdgePiece[] {
  const out: EdgePiece[] = [];
  const seen = new Set<number>();
  const { dist, settled } = sp;
  const visit = (e: number) => {
    if (seen.has(e)) return;
    seen.add(e);
    const len = g.edgeLength[e];
    const fromSource = budget - dist[g.edgeSource[e]];
    const fromTarget = budget - dist[g.edgeTarget[e]];
    const ranges: [number, number][] = [];
    if (fromSource >= 0) ranges.push([0, Math.min(len, fromSource)]);
    if (fromTarget >= 0) ranges.push([Math.max(0, len - fromTarget), len]);
    if (start && start.edge === e) ranges.push([Math.max(0, start.offsetM - budget), Math.min(len, start.offsetM + budget)]);
    for (const [a, b] of mergeRanges(ranges)) out.push({ edge: e, fromM: a, toM: b });
  };
  for (const u of settled) {
    if (dist[u] > budget) break;
    for (let a = g.adjStart[u]; a < g.adjStart[u + 1]; a++) visit(g.adjEdge[a]);
  }
  if (start) visit(start.edge);
  return out;
}

function mergeRanges(ranges: [number, number][]): [number, number][] {
  ranges.sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const r of ranges) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}
