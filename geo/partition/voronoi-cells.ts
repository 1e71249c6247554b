/**
 * Voronoi cells of the buildings clipped to the community: each cell is the community polygon cut
 * by the bisectors with the building's Delaunay neighbours. Per cell we keep its area and
 * perimeter and, per neighbour, the length of the edge they share — enough to get any grid's area
 * and perimeter (hence Polsby–Popper) as sums, without polygon unions.
 */
import type { XY } from './project.js';

export interface Cells {
  area: Float64Array;
  perimeter: Float64Array;
  /** shared[i]: neighbour → length of the common cell edge (metres), only when > 0. */
  shared: Map<number, number>[];
}

/** Keeps the part of `ring` (open ring) on the side of the bisector of a→b nearer to a. */
function clipHalfPlane(ring: XY[], a: XY, b: XY): XY[] {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const mx = (a[0] + b[0]) / 2;
  const my = (a[1] + b[1]) / 2;
  const side = (q: XY) => (q[0] - mx) * dx + (q[1] - my) * dy; // ≤ 0 is a's side
  const out: XY[] = [];
  for (let k = 0; k < ring.length; k++) {
    const p = ring[k];
    const q = ring[(k + 1) % ring.length];
    const sp = side(p);
    const sq = side(q);
    if (sp <= 0) out.push(p);
    if ((sp < 0 && sq > 0) || (sp > 0 && sq < 0)) {
      const t = sp / (sp - sq);
      out.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
    }
  }
  return out;
}

export function ringArea(ring: readonly XY[]): number {
  let s = 0;
  for (let k = 0; k < ring.length; k++) {
    const p = ring[k];
    const q = ring[(k + 1) % ring.length];
    s += p[0] * q[1] - q[0] * p[1];
  }
  return Math.abs(s) / 2;
}

/** Distance of r from the perpendicular bisector of a–b. */
function bisectorOffset(r: XY, a: XY, b: XY): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  return Math.abs((r[0] - (a[0] + b[0]) / 2) * dx + (r[1] - (a[1] + b[1]) / 2) * dy) / Math.hypot(dx, dy);
}

/** `boundary` is the community's outer ring (open or closed), `sites` distinct points inside it. */
export function clippedCells(sites: readonly XY[], neighbours: readonly number[][], boundary: readonly XY[]): Cells {
  const n = sites.length;
  const ring0 = boundary.slice();
  if (ring0.length > 1 && ring0[0][0] === ring0[ring0.length - 1][0] && ring0[0][1] === ring0[ring0.length - 1][1]) ring0.pop();
  const area = new Float64Array(n);
  const perimeter = new Float64Array(n);
  const shared: Map<number, number>[] = [];
  for (let i = 0; i < n; i++) {
    let ring = ring0;
    for (const j of neighbours[i]) ring = clipHalfPlane(ring, sites[i], sites[j]);
    area[i] = ringArea(ring);
    const m = new Map<number, number>();
    let per = 0;
    for (let k = 0; k < ring.length; k++) {
      const p = ring[k];
      const q = ring[(k + 1) % ring.length];
      const len = Math.hypot(q[0] - p[0], q[1] - p[1]);
      per += len;
      if (len < 1e-6) continue;
      // Which bisector does this edge lie on? The one both ends are equidistant for.
      for (const j of neighbours[i]) {
        const d = Math.hypot(sites[j][0] - sites[i][0], sites[j][1] - sites[i][1]);
        const tol = 1e-6 * Math.max(1, d) + 1e-5;
        if (bisectorOffset(p, sites[i], sites[j]) < tol && bisectorOffset(q, sites[i], sites[j]) < tol) {
          m.set(j, (m.get(j) ?? 0) + len);
          break;
        }
      }
    }
    perimeter[i] = per;
    shared.push(m);
  }
  // Make the shared lengths symmetric (tiny numeric differences, or an edge seen from one side only).
  for (let i = 0; i < n; i++) {
    for (const [j, len] of shared[i]) {
      const other = shared[j].get(i);
      if (other === undefined) shared[j].set(i, len);
      else if (other !== len) {
        const mean = (len + other) / 2;
        shared[i].set(j, mean);
        shared[j].set(i, mean);
      }
    }
  }
  return { area, perimeter, shared };
}
