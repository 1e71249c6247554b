/**
 * The walking route from a start point to a point on the network, as a polyline, reconstructed from
 * the predecessor edges of a single-source Dijkstra run.
 */
import type { ShortestPaths } from './dijkstra.js';
import { type EdgePosition, slicePolyline } from './edge-position.js';
import type { LngLat, RoutingGraph } from './graph.js';

export function routeLine(g: RoutingGraph, sp: ShortestPaths, from: EdgePosition, to: EdgePosition): LngLat[] {
  const len = g.edgeLength[to.edge];
  const s = g.edgeSource[to.edge];
  const t = g.edgeTarget[to.edge];
  const viaSource = sp.dist[s] + to.offsetM;
  const viaTarget = sp.dist[t] + len - to.offsetM;
  const direct = from.edge === to.edge ? Math.abs(from.offsetM - to.offsetM) : Infinity;
  if (direct <= viaSource && direct <= viaTarget) return slicePolyline(g, to.edge, from.offsetM, to.offsetM);
  const [endNode, lastPiece] =
    viaSource <= viaTarget ? [s, slicePolyline(g, to.edge, 0, to.offsetM)] : [t, slicePolyline(g, to.edge, len, to.offsetM)];
  // Walk back from the end node to the source it was reached from, collecting edges.
  const pieces: LngLat[][] = [lastPiece];
  let v = endNode;
  while (sp.predEdge[v] >= 0) {
    const e = sp.predEdge[v];
    const forward = g.edgeTarget[e] === v;
    pieces.push(slicePolyline(g, e, forward ? 0 : g.edgeLength[e], forward ? g.edgeLength[e] : 0));
    v = forward ? g.edgeSource[e] : g.edgeTarget[e];
  }
  const fromLen = g.edgeLength[from.edge];
  pieces.push(v === g.edgeSource[from.edge] ? slicePolyline(g, from.edge, from.offsetM, 0) : slicePolyline(g, from.edge, from.offsetM, fromLen));
  pieces.reverse();
  const out: LngLat[] = [];
  for (const piece of pieces) {
    for (const p of piece) {
      const last = out[out.length - 1];
      if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
    }
  }
  if (out.length === 1) out.push([out[0][0], out[0][1]]);
  return out;
}
