/**
 * The building adjacency graph of one community: buildings are neighbours when their Voronoi cells
 * (clipped to the community) share an edge and the segment between the two buildings does not
 * cross a barrier (arterial road, river, rail). Cells' areas, perimeters and shared edge lengths
 * come along for the compactness measure.
 */
import { delaunayNeighbours, separatePoints } from './delaunay.js';
import { localProjection, type XY } from './project.js';
import type { LngLat, PartitionBuilding } from './types.js';
import { clippedCells, type Cells } from './voronoi-cells.js';

export interface BuildingGraph {
  n: number;
  xy: XY[];
  /** Barrier-respecting neighbours (cells touch, segment crosses no barrier). */
  adj: number[][];
  /** Geometric neighbours (cells touch), barriers ignored — for perimeters only. */
  cells: Cells;
}

function segmentsCross(a: XY, b: XY, c: XY, d: XY): boolean {
  const o = (p: XY, q: XY, r: XY) => (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]);
  const d1 = o(c, d, a);
  const d2 = o(c, d, b);
  const d3 = o(a, b, c);
  const d4 = o(a, b, d);
  return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
}

export function buildGraph(buildings: readonly PartitionBuilding[], boundary: readonly LngLat[][], barriers: readonly LngLat[][]): BuildingGraph {
  const ring = boundary[0] ?? [];
  const ref: LngLat = ring.length ? ring[0] : buildings.length ? buildings[0].centroid : [0, 0];
  const proj = localProjection(ref);
  const xy = separatePoints(buildings.map((b) => proj(b.centroid)));
  const n = xy.length;
  let outer = ring.map(proj);
  if (outer.length < 3) {
    // No boundary given: a generous box around the buildings.
    const xs = xy.map((p) => p[0]);
    const ys = xy.map((p) => p[1]);
    const [x0, x1, y0, y1] = [Math.min(...xs) - 50, Math.max(...xs) + 50, Math.min(...ys) - 50, Math.max(...ys) + 50];
    outer = [[x0, y0], [x1, y0], [x1, y1], [x0, y1]];
  }
  const delaunay = delaunayNeighbours(xy);
  const cells = clippedCells(xy, delaunay, outer);
  const xs = outer.map((p) => p[0]);
  const ys = outer.map((p) => p[1]);
  const box = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
  const segs: [XY, XY][] = [];
  for (const line of barriers) {
    const pts = line.map(proj);
    for (let k = 0; k + 1 < pts.length; k++) {
      const [p, q] = [pts[k], pts[k + 1]];
      if (Math.max(p[0], q[0]) < box[0] || Math.min(p[0], q[0]) > box[2] || Math.max(p[1], q[1]) < box[1] || Math.min(p[1], q[1]) > box[3]) continue;
      segs.push([p, q]);
    }
  }
  const adj: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    for (const j of cells.shared[i].keys()) {
      if (j <= i || (cells.shared[i].get(j) ?? 0) < 0.01) continue;
      if (segs.some(([p, q]) => segmentsCross(xy[i], xy[j], p, q))) continue;
      adj[i].push(j);
      adj[j].push(i);
    }
  }
  for (const a of adj) a.sort((u, v) => u - v);
  return { n, xy, adj, cells };
}
