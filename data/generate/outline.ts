/**
 * Outline of a set of grid blocks: the polygon a community or the whole street covers.
 *
 * Communities are unions of blocks, so their borders are exactly the road centre lines they share:
 * neighbouring communities meet without gap or overlap, which the grid tessellation in the seeder
 * relies on. Tracing the boundary edges of the block set (instead of a general polygon union) is
 * exact and fast, and yields counter-clockwise outer rings as GeoJSON asks.
 */
import type { StreetGrid } from './street-grid.js';

/** A ring in local metres, closed (first point repeated last). */
export type MetricRing = [number, number][];

/**
 * Boundary rings of the blocks for which `inside(cell)` holds: the outer ring first (CCW), then
 * any holes (CW). The block set should be edge-connected.
 */
export function outlineBlocks(grid: StreetGrid, cells: readonly number[]): MetricRing[] {
  const set = new Set(cells);
  const inside = (c: number, r: number) => c >= 0 && r >= 0 && c < grid.cols && r < grid.rows && set.has(r * grid.cols + c);
  // Directed boundary edges between vertex ids (i + j * (cols + 1)), interior on the left.
  const vid = (i: number, j: number) => j * (grid.cols + 1) + i;
  const next = new Map<number, number[]>();
  const add = (a: number, b: number) => {
    const list = next.get(a);
    if (list) list.push(b);
    else next.set(a, [b]);
  };
  for (const cell of set) {
    const c = cell % grid.cols;
    const r = Math.floor(cell / grid.cols);
    // Corners: NW (c, r), NE (c+1, r), SE (c+1, r+1), SW (c, r+1); y decreases with j.
    if (!inside(c, r + 1)) add(vid(c, r + 1), vid(c + 1, r + 1)); // south edge, west → east
    if (!inside(c + 1, r)) add(vid(c + 1, r + 1), vid(c + 1, r)); // east edge, south → north
    if (!inside(c, r - 1)) add(vid(c + 1, r), vid(c, r)); // north edge, east → west
    if (!inside(c - 1, r)) add(vid(c, r), vid(c, r + 1)); // west edge, north → south
  }
  const rings: MetricRing[] = [];
  const starts = [...next.keys()].sort((a, b) => a - b);
  for (const start of starts) {
    while ((next.get(start)?.length ?? 0) > 0) {
      const ids: number[] = [start];
      let at = start;
      for (;;) {
        const outs = next.get(at)!;
        const to = outs.pop()!;
        if (to === start) break;
        ids.push(to);
        at = to;
      }
      rings.push(simplify(ids.map((id) => [grid.xs[id % (grid.cols + 1)], grid.ys[Math.floor(id / (grid.cols + 1))]])));
    }
  }
  rings.sort((a, b) => Math.abs(signedArea(b)) - Math.abs(signedArea(a)));
  return rings;
}

/** Drops collinear vertices and closes the ring. */
function simplify(points: [number, number][]): MetricRing {
  const out: [number, number][] = [];
  const n = points.length;
  for (let k = 0; k < n; k++) {
    const prev = points[(k - 1 + n) % n];
    const p = points[k];
    const nx = points[(k + 1) % n];
    const cross = (p[0] - prev[0]) * (nx[1] - p[1]) - (p[1] - prev[1]) * (nx[0] - p[0]);
    if (cross !== 0) out.push(p);
  }
  out.push(out[0]);
  return out;
}

/** Shoelace area, positive for counter-clockwise rings. */
export function signedArea(ring: readonly (readonly [number, number])[]): number {
  let s = 0;
  for (let k = 0; k + 1 < ring.length; k++) s += ring[k][0] * ring[k + 1][1] - ring[k + 1][0] * ring[k][1];
  return s / 2;
}
