/**
 * The building adjacency graph of one community: buildings are neighbours when their Voronoi cells
 * (clipped to the community) share an edge of at least MIN_SHARED metres inside the community and
 * the segment between the two buildings does not cross a barrier (arterial road, river, rail).
 * Cells' areas, perimeters and shared edge lengths come along for the compactness measure.
 *
 * The cells are the very cells the server dissolves into grid polygons, so "connected in this
 * graph" means "one polygon after derivation" (issue #16): PostGIS builds the Voronoi diagram of
 * the centroids in longitude/latitude degrees, and a Voronoi diagram is not preserved by scaling x
 * and y differently — cells built in local metres (x shrunk by cos φ) touched other neighbours
 * than the derived polygons do. So the diagram is built in degrees (scaled uniformly, which
 * changes nothing) and only measured in metres.
 */
import { delaunayNeighbours, separatePoints } from './delaunay.js';
import { localProjection, type XY } from './project.js';
import type { LngLat, PartitionBuilding } from './types.js';
import { clippedCells, type Cells } from './voronoi-cells.js';

/**
 * Cells touching along less than this (m) are not neighbours: such a contact is a Voronoi vertex
 * up to rounding, and the derived polygons may meet there at a point only (two pieces).
 */
export const MIN_SHARED = 0.1;

/** Geometric neighbours of building i (cells share an edge of MIN_SHARED or more), barriers ignored. */
export function touching(g: BuildingGraph, i: number): number[] {
  const out: number[] = [];
  for (const [j, len] of g.cells.shared[i]) if (len >= MIN_SHARED) out.push(j);
  return out.sort((a, b) => a - b);
}

export interface BuildingGraph {
  n: number;
  /** Local metres. */
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
  // The server's frame: degrees, scaled uniformly (by metres per degree of latitude).
  const [mx] = proj([ref[0] + 1, ref[1]]);
  const [, my] = proj([ref[0], ref[1] + 1]);
  const toFrame = (p: LngLat): XY => [(p[0] - ref[0]) * my, (p[1] - ref[1]) * my];
  const sites = separatePoints(buildings.map((b) => toFrame(b.centroid)));
  const scale = mx / my;
  const xy: XY[] = sites.map(([x, y]) => [x * scale, y]);
  const n = xy.length;
  let rings = boundary.map((r) => r.map(toFrame)).filter((r) => r.length >= 3);
  if (!rings.length) {
    // No boundary given: a generous box around the buildings.
    const xs = sites.map((p) => p[0]);
    const ys = sites.map((p) => p[1]);
    const [x0, x1, y0, y1] = [Math.min(...xs) - 50, Math.max(...xs) + 50, Math.min(...ys) - 50, Math.max(...ys) + 50];
    rings = [[[x0, y0], [x1, y0], [x1, y1], [x0, y1]]];
  }
  const outer = rings[0].map(([x, y]): XY => [x * scale, y]);
  const delaunay = delaunayNeighbours(sites);
  const cells = clippedCells(sites, delaunay, rings, [scale, 1]);
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
    for (const [j, len] of cells.shared[i]) {
      if (j <= i || len < MIN_SHARED) continue;
      if (segs.some(([p, q]) => segmentsCross(xy[i], xy[j], p, q))) continue;
      adj[i].push(j);
      adj[j].push(i);
    }
  }
  for (const a of adj) a.sort((u, v) => u - v);
  return { n, xy, adj, cells };
}
