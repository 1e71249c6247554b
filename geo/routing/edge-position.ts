/**
 * Points on the network that are not nodes: a start point, a facility or a building entrance
 * snapped partway along an edge. Distances to and from them go through either end of their edge,
 * or straight along the edge when both points lie on the same one.
 */
import type { LngLat, RoutingGraph } from './graph.js';
import type { ShortestPaths, Source } from './dijkstra.js';

export interface EdgePosition {
  edge: number;
  /** Metres along the edge from its source node (0 … edgeLength). */
  offsetM: number;
}

/** The two Dijkstra sources of a start point on an edge. */
export function sourcesAt(g: RoutingGraph, pos: EdgePosition, extra = 0): Source[] {
  const len = g.edgeLength[pos.edge];
  return [
    { node: g.edgeSource[pos.edge], distance: extra + pos.offsetM },
    { node: g.edgeTarget[pos.edge], distance: extra + Math.max(0, len - pos.offsetM) },
  ];
}

/**
 * Network distance from the sources of `sp` to `pos`. `from` is the start point when it lies on an
 * edge (single-source runs): on the same edge the direct way along it may be shorter.
 */
export function distanceTo(g: RoutingGraph, sp: ShortestPaths, pos: EdgePosition, from?: EdgePosition): number {
  const len = g.edgeLength[pos.edge];
  let d = Math.min(sp.dist[g.edgeSource[pos.edge]] + pos.offsetM, sp.dist[g.edgeTarget[pos.edge]] + len - pos.offsetM);
  if (from && from.edge === pos.edge) d = Math.min(d, Math.abs(from.offsetM - pos.offsetM));
  return d;
}

/**
 * The part of edge e between `fromM` and `toM` metres from its source (either order; the line runs
 * from `fromM` to `toM`). Positions along a polyline are planar-proportional to the stored length.
 */
export function slicePolyline(g: RoutingGraph, e: number, fromM: number, toM: number): LngLat[] {
  const len = g.edgeLength[e];
  const reverse = fromM > toM;
  const a = Math.max(0, Math.min(fromM, toM));
  const b = Math.min(len, Math.max(fromM, toM));
  const start = g.geomStart[e];
  const end = g.geomStart[e + 1];
  const c = g.coords;
  const lat0 = (c[2 * start + 1] * Math.PI) / 180;
  const kx = Math.cos(lat0);
  const seg: number[] = [];
  let total = 0;
  for (let p = start; p < end - 1; p++) {
    const s = Math.hypot((c[2 * p + 2] - c[2 * p]) * kx, c[2 * p + 3] - c[2 * p + 1]);
    seg.push(s);
    total += s;
  }
  const scale = len > 0 && total > 0 ? total / len : 0;
  const at = (m: number): LngLat => {
    let rest = m * scale;
    for (let i = 0; i < seg.length; i++) {
      const p = start + i;
      if (rest <= seg[i] || i === seg.length - 1) {
        const t = seg[i] === 0 ? 0 : Math.min(1, rest / seg[i]);
        return [c[2 * p] + t * (c[2 * p + 2] - c[2 * p]), c[2 * p + 1] + t * (c[2 * p + 3] - c[2 * p + 1])];
      }
      rest -= seg[i];
    }
    return [c[2 * start], c[2 * start + 1]];
  };
  const out: LngLat[] = [at(a)];
  let acc = 0;
  for (let i = 0; i < seg.length - 1; i++) {
    acc += seg[i];
    const m = scale === 0 ? 0 : acc / scale;
    if (m > a && m < b) out.push([c[2 * (start + i + 1)], c[2 * (start + i + 1) + 1]]);
  }
  out.push(at(b));
  return reverse ? out.reverse() : out;
}
