/**
 * Voronoi cells of the buildings clipped to the community — the same cells the server dissolves
 * into grid polygons (server/repos/grid-geometry.repo.ts: ST_VoronoiPolygons of the centroids,
 * intersected with the community). Per cell we keep its area and perimeter and, per neighbour, the
 * length of the edge they share inside the community — enough to get any grid's area and
 * perimeter (hence Polsby–Popper) as sums, without polygon unions.
 *
 * Each cell is first built whole (a frame cut by the bisectors with the building's Delaunay
 * neighbours: convex, every edge labelled with its neighbour), then measured against the community:
 * a shared edge counts only where it runs inside the community (a concave community can cut a
 * bisector into pieces, or away entirely — then the two cells do not touch in the derived
 * polygons either), and the perimeter is those edges plus the community boundary inside the cell.
 *
 * Cells are built in the frame the server builds them in (sites and boundary given in that frame)
 * and measured in metres: `toMetres` maps a frame vector to metres (x and y scaled separately).
 */
import { clipConvex, type LabelledRing, segmentInConvex, segmentInside } from './clip.js';
import type { XY } from './project.js';

export interface Cells {
  /** m² of the cell inside the community. */
  area: Float64Array;
  /** m of the cell's outline inside the community. */
  perimeter: Float64Array;
  /** shared[i]: neighbour → length (m) of the common cell edge inside the community, only when > 0. */
  shared: Map<number, number>[];
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

const open = (ring: readonly XY[]): XY[] => {
  const r = ring.slice();
  if (r.length > 1 && r[0][0] === r[r.length - 1][0] && r[0][1] === r[r.length - 1][1]) r.pop();
  return r;
};

/** Area of `ring` inside the convex `cell` (Sutherland–Hodgman: its zero-width bridges add no area). */
function areaInConvex(ring: readonly XY[], cell: LabelledRing): number {
  let r: XY[] = ring.slice();
  const n = cell.ring.length;
  for (let k = 0; k < n && r.length; k++) {
    const p = cell.ring[k];
    const q = cell.ring[(k + 1) % n];
    r = clipConvex({ ring: r, label: r.map(() => -1) }, (x) => -orientOf(cell) * ((q[0] - p[0]) * (x[1] - p[1]) - (q[1] - p[1]) * (x[0] - p[0])), -1).ring;
  }
  return ringArea(r);
}

function orientOf(cell: LabelledRing): number {
  let s = 0;
  for (let k = 0; k < cell.ring.length; k++) {
    const p = cell.ring[k];
    const q = cell.ring[(k + 1) % cell.ring.length];
    s += p[0] * q[1] - q[0] * p[1];
  }
  return s >= 0 ? 1 : -1;
}

/**
 * `boundary`: the community's rings (outer first, then holes; open or closed) in the frame;
 * `sites` distinct points; `neighbours` their Delaunay neighbours.
 */
export function clippedCells(sites: readonly XY[], neighbours: readonly number[][], boundary: readonly (readonly XY[])[], toMetres: XY = [1, 1]): Cells {
  const n = sites.length;
  const rings = boundary.map(open).filter((r) => r.length >= 3);
  const [sx, sy] = toMetres;
  const metres = (a: XY, b: XY) => Math.hypot((b[0] - a[0]) * sx, (b[1] - a[1]) * sy);
  const pts = [...sites, ...rings.flat()];
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  const pad = Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys), 1);
  const [x0, y0, x1, y1] = [Math.min(...xs) - pad, Math.min(...ys) - pad, Math.max(...xs) + pad, Math.max(...ys) + pad];
  const frame: LabelledRing = { ring: [[x0, y0], [x1, y0], [x1, y1], [x0, y1]], label: [-1, -1, -1, -1] };

  const area = new Float64Array(n);
  const perimeter = new Float64Array(n);
  const shared: Map<number, number>[] = [];
  for (let i = 0; i < n; i++) {
    let cell = frame;
    const a = sites[i];
    for (const j of neighbours[i]) {
      const b = sites[j];
      const [mx, my, dx, dy] = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2, b[0] - a[0], b[1] - a[1]];
      cell = clipConvex(cell, (q) => (q[0] - mx) * dx + (q[1] - my) * dy, j);
    }
    area[i] = Math.max(0, (rings.length ? areaInConvex(rings[0], cell) : 0) - rings.slice(1).reduce((s, h) => s + areaInConvex(h, cell), 0)) * sx * sy;
    const m = new Map<number, number>();
    let per = 0;
    for (let k = 0; k < cell.ring.length; k++) {
      const j = cell.label[k];
      if (j < 0) continue;
      const p = cell.ring[k];
      const q = cell.ring[(k + 1) % cell.ring.length];
      const len = segmentInside(p, q, rings).reduce((s, [t0, t1]) => s + (t1 - t0), 0) * metres(p, q);
      if (len <= 1e-9) continue;
      m.set(j, (m.get(j) ?? 0) + len);
      per += len;
    }
    for (const ring of rings) {
      for (let k = 0; k < ring.length; k++) {
        const p = ring[k];
        const q = ring[(k + 1) % ring.length];
        const t = segmentInConvex(p, q, cell.ring);
        if (t) per += (t[1] - t[0]) * metres(p, q);
      }
    }
    perimeter[i] = per;
    shared.push(m);
  }
  // Both sides measure the same bisector piece; keep the smaller of the two (rounding apart).
  for (let i = 0; i < n; i++) {
    for (const [j, len] of shared[i]) {
      const other = shared[j].get(i) ?? 0;
      const min = Math.min(len, other);
      if (min > 0) {
        shared[i].set(j, min);
        shared[j].set(i, min);
      } else {
        shared[i].delete(j);
        shared[j].delete(i);
      }
    }
  }
  return { area, perimeter, shared };
}
