/**
 * Planar clipping helpers for the Voronoi cells (voronoi-cells.ts): a convex polygon cut by a
 * half-plane with its edges' labels kept (which bisector each edge lies on), and the parts of a
 * segment inside a polygon with holes or inside a convex polygon. Exact enough at community
 * scale; no polygon unions, so a cell clipped by a concave community never gains the zero-width
 * "bridges" a Sutherland–Hodgman clip of the community leaves along the cut line.
 */
import type { XY } from './project.js';

/** A convex ring; `label[k]` names the edge from `ring[k]` to `ring[k + 1]` (−1: the frame). */
export interface LabelledRing {
  ring: XY[];
  label: number[];
}

/**
 * Keeps the part of a convex ring where side(q) ≤ 0; the new edge along the cut gets `cut` as label.
 * `side` is affine, so the cut point of an edge is found by linear interpolation.
 */
export function clipConvex(r: LabelledRing, side: (q: XY) => number, cut: number): LabelledRing {
  const ring: XY[] = [];
  const label: number[] = [];
  const n = r.ring.length;
  for (let k = 0; k < n; k++) {
    const p = r.ring[k];
    const q = r.ring[(k + 1) % n];
    const sp = side(p);
    const sq = side(q);
    const at = (): XY => {
      const t = sp / (sp - sq);
      return [p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])];
    };
    if (sp <= 0) {
      ring.push(p);
      label.push(r.label[k]);
      if (sq > 0) {
        ring.push(at());
        label.push(cut);
      }
    } else if (sq < 0) {
      // Re-entering: the rest of this edge is kept (q itself is pushed as the next edge's start).
      ring.push(at());
      label.push(r.label[k]);
    }
  }
  return { ring, label };
}

/** Even–odd point in polygon (rings: outer first, then holes; open or closed). */
export function insideRings(pt: XY, rings: readonly XY[][]): boolean {
  let inside = false;
  for (const ring of rings) {
    for (let k = 0, m = ring.length - 1; k < ring.length; m = k++) {
      const [xi, yi] = ring[k];
      const [xj, yj] = ring[m];
      if (yi > pt[1] !== yj > pt[1] && pt[0] < ((xj - xi) * (pt[1] - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

/** Parameters t ∈ [0, 1] of segment a→b's sub-segments inside the polygon `rings`. */
export function segmentInside(a: XY, b: XY, rings: readonly XY[][]): [number, number][] {
  const ts = [0, 1];
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  for (const ring of rings) {
    for (let k = 0; k < ring.length; k++) {
      const p = ring[k];
      const q = ring[(k + 1) % ring.length];
      const ex = q[0] - p[0];
      const ey = q[1] - p[1];
      const den = dx * ey - dy * ex;
      if (Math.abs(den) < 1e-18) continue;
      const t = ((p[0] - a[0]) * ey - (p[1] - a[1]) * ex) / den;
      const u = ((p[0] - a[0]) * dy - (p[1] - a[1]) * dx) / den;
      if (t > 0 && t < 1 && u >= 0 && u <= 1) ts.push(t);
    }
  }
  ts.sort((x, y) => x - y);
  const out: [number, number][] = [];
  for (let k = 0; k + 1 < ts.length; k++) {
    const [t0, t1] = [ts[k], ts[k + 1]];
    if (t1 - t0 <= 0) continue;
    const tm = (t0 + t1) / 2;
    if (!insideRings([a[0] + tm * dx, a[1] + tm * dy], rings)) continue;
    const last = out[out.length - 1];
    if (last && last[1] === t0) last[1] = t1;
    else out.push([t0, t1]);
  }
  return out;
}

/** Parameters [t0, t1] of segment a→b inside a convex ring (counter-clockwise or not), or null. */
export function segmentInConvex(a: XY, b: XY, ring: readonly XY[]): [number, number] | null {
  if (ring.length < 3) return null;
  let area2 = 0;
  for (let k = 0; k < ring.length; k++) {
    const p = ring[k];
    const q = ring[(k + 1) % ring.length];
    area2 += p[0] * q[1] - q[0] * p[1];
  }
  const orient = area2 >= 0 ? 1 : -1;
  let t0 = 0;
  let t1 = 1;
  for (let k = 0; k < ring.length; k++) {
    const p = ring[k];
    const q = ring[(k + 1) % ring.length];
    // Inside of edge p→q: orient · cross(q − p, x − p) ≥ 0, linear in t along a→b.
    const f = (x: XY) => orient * ((q[0] - p[0]) * (x[1] - p[1]) - (q[1] - p[1]) * (x[0] - p[0]));
    const fa = f(a);
    const fb = f(b);
    if (fa < 0 && fb < 0) return null;
    if (fa < 0) t0 = Math.max(t0, fa / (fa - fb));
    else if (fb < 0) t1 = Math.min(t1, fa / (fa - fb));
    if (t0 >= t1) return null;
  }
  return [t0, t1];
}
