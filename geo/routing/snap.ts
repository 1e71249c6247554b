/**
 * Snapping a point to the nearest walkable edge.
 *
 * Edge segments are bucketed in a uniform grid (cell ≈ 100 m) in a local metric plane; a query
 * searches rings of cells outward until the best candidate is provably nearest. The result is a
 * position partway along the edge (`offsetM` metres from its source, in the edge's own length units),
 * so routing starts where the person actually stands, not at the nearer junction.
 */
import type { LngLat, RoutingGraph } from './graph.js';
import { type LocalProjection, localProjection } from './local-projection.js';

export interface Snap {
  edge: number;
  /** Distance along the edge from its source node, in the edge's length (metres). */
  offsetM: number;
  /** Straight-line distance from the query point to the edge (metres). */
  distanceM: number;
  /** The snapped position on the edge. */
  point: LngLat;
}

export interface EdgeIndex {
  readonly graph: RoutingGraph;
  readonly projection: LocalProjection;
  /**
   * The nearest edge within `maxDistanceM`, or null. `accept` filters edges (e.g. only paths inside
   * a gated compound for its buildings).
   */
  nearest(lng: number, lat: number, maxDistanceM?: number, accept?: (edge: number) => boolean): Snap | null;
}

const CELL_M = 100;

export function buildEdgeIndex(graph: RoutingGraph): EdgeIndex {
  let lngSum = 0;
  let latSum = 0;
  for (let i = 0; i < graph.nodeCount; i++) {
    lngSum += graph.nodeLng[i];
    latSum += graph.nodeLat[i];
  }
  const n = Math.max(1, graph.nodeCount);
  const proj = localProjection(lngSum / n, latSum / n);
  const { coords, geomStart } = graph;
  const points = coords.length / 2;
  const px = new Float64Array(points);
  const py = new Float64Array(points);
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let p = 0; p < points; p++) {
    const [x, y] = proj.toLocal(coords[2 * p], coords[2 * p + 1]);
    px[p] = x;
    py[p] = y;
    if (x < minX) minX = x;
    if (y < minY) minY = y;
    if (x > maxX) maxX = x;
    if (y > maxY) maxY = y;
  }
  if (points === 0) minX = minY = maxX = maxY = 0;
  const cols = Math.max(1, Math.ceil((maxX - minX) / CELL_M) + 1);
  const rows = Math.max(1, Math.ceil((maxY - minY) / CELL_M) + 1);
  const cellOf = (x: number, y: number): [number, number] => [
    Math.min(cols - 1, Math.max(0, Math.floor((x - minX) / CELL_M))),
    Math.min(rows - 1, Math.max(0, Math.floor((y - minY) / CELL_M))),
  ];
  // Segment s (from point s to s+1 within one edge) is listed in every cell its bbox overlaps.
  const segEdge = new Int32Array(points);
  const buckets = new Map<number, number[]>();
  for (let e = 0; e < graph.edgeCount; e++) {
    for (let p = geomStart[e]; p < geomStart[e + 1] - 1; p++) {
      segEdge[p] = e;
      const [c0, r0] = cellOf(Math.min(px[p], px[p + 1]), Math.min(py[p], py[p + 1]));
      const [c1, r1] = cellOf(Math.max(px[p], px[p + 1]), Math.max(py[p], py[p + 1]));
      for (let r = r0; r <= r1; r++) {
        for (let c = c0; c <= c1; c++) {
          const key = r * cols + c;
          let b = buckets.get(key);
          if (!b) buckets.set(key, (b = []));
          b.push(p);
        }
      }
    }
  }

  function nearest(lng: number, lat: number, maxDistanceM = Infinity, accept?: (edge: number) => boolean): Snap | null {
    const [x, y] = proj.toLocal(lng, lat);
    const [qc, qr] = cellOf(x, y);
    let best = -1;
    let bestD2 = Infinity;
    let bestT = 0;
    const seen = new Set<number>();
    const maxRing = Math.max(cols, rows);
    for (let ring = 0; ring <= maxRing; ring++) {
      // Every segment not yet seen lies at least (ring - 1) cells away (plus the offset of the point in its cell).
      const reach = Math.max(0, ring - 1) * CELL_M;
      if (best >= 0 && reach * reach > bestD2) break;
      if (reach > maxDistanceM) break;
      for (let r = qr - ring; r <= qr + ring; r++) {
        if (r < 0 || r >= rows) continue;
        for (let c = qc - ring; c <= qc + ring; c++) {
          if (c < 0 || c >= cols) continue;
          if (Math.max(Math.abs(r - qr), Math.abs(c - qc)) !== ring) continue;
          const bucket = buckets.get(r * cols + c);
          if (!bucket) continue;
          for (const s of bucket) {
            if (seen.has(s)) continue;
            seen.add(s);
            const e = segEdge[s];
            if (accept && !accept(e)) continue;
            const dx = px[s + 1] - px[s];
            const dy = py[s + 1] - py[s];
            const len2 = dx * dx + dy * dy;
            const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((x - px[s]) * dx + (y - py[s]) * dy) / len2));
            const ex = px[s] + t * dx - x;
            const ey = py[s] + t * dy - y;
            const d2 = ex * ex + ey * ey;
            if (d2 < bestD2) {
              bestD2 = d2;
              best = s;
              bestT = t;
            }
          }
        }
      }
    }
    if (best < 0 || Math.sqrt(bestD2) > maxDistanceM) return null;
    const e = segEdge[best];
    // Offset along the edge: planar length up to the snapped point, scaled to the edge's stored length.
    let along = 0;
    let total = 0;
    for (let p = geomStart[e]; p < geomStart[e + 1] - 1; p++) {
      const seg = Math.hypot(px[p + 1] - px[p], py[p + 1] - py[p]);
      if (p < best) along += seg;
      else if (p === best) along += bestT * seg;
      total += seg;
    }
    const offsetM = total === 0 ? 0 : (along / total) * graph.edgeLength[e];
    const sx = px[best] + bestT * (px[best + 1] - px[best]);
    const sy = py[best] + bestT * (py[best + 1] - py[best]);
    return { edge: e, offsetM, distanceM: Math.sqrt(bestD2), point: proj.toLngLat(sx, sy) };
  }

  return { graph, projection: proj, nearest };
}
