/**
 * The polygons of all isochrone bands at once (issue #17): each band is the union of corridors of
 * half-width `corridorM` around the network pieces reached within its budget — the same shape as
 * {@link corridorPolygon} draws for one band, so a gated compound with no reached gate stays
 * outside — built on one shared distance grid:
 *
 * - the bands are nested, so band k's field (squared distance to its pieces) is band k−1's with
 *   only the stretches band k−1 did not reach (its *increment*) stamped on top: one array, and
 *   every reached metre is stamped once, not once per band;
 * - distances are kept squared and stamped only as far as a contour can need them
 *   (corridorM + one cell); the contour takes square roots only next to its crossings;
 * - pieces are walked straight from the graph's coordinate array (no sliced polylines);
 * - the contours come from {@link contourPolygons} (typed arrays), and straight runs of the
 *   marching-squares rings — one vertex per grid cell — are thinned by Douglas–Peucker to
 *   {@link SIMPLIFY_M}, well under the grid's own error (≈ cell² / 8r ≈ 0.4 m), which keeps the
 *   JSON a few times smaller.
 */
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import type { RoutingGraph } from './graph.js';
import { corridorGrid, stampSegment } from './corridor-polygon.js';
import { localProjection } from './local-projection.js';
import { type PolygonRings, contourPolygons } from './marching-squares.js';
import type { EdgePiece } from './reached-edges.js';

/** Rings are thinned to this many metres (perpendicular distance of a dropped vertex). */
export const SIMPLIFY_M = 0.25;
/** Grids larger than this many points get coarser cells. */

export type BandPolygon = Feature<Polygon | MultiPolygon> | null;

/**
 * One polygon per band (null for a band that reached nothing). `bands[k]` are the pieces reached
 * within band k's budget; budgets increase with k, so every band's pieces contain the previous
 * band's (as {@link reachedPieces} returns them for growing budgets).
 */
export function bandPolygons(g: RoutingGraph, bands: readonly (readonly EdgePiece[])[], corridorM: number): BandPolygon[] {
  const last = bands[bands.length - 1];
  if (!last || last.length === 0 || !(corridorM > 0)) return bands.map(() => null);
  const c = g.coords;
  const p0 = g.geomStart[last[0].edge];
  const proj = localProjection(c[2 * p0], c[2 * p0 + 1]);
  const { kx, ky, lng0, lat0 } = proj;

  // The grid covers the largest band (every other band lies inside it).
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const { edge } of last) {
    for (let p = g.geomStart[edge]; p < g.geomStart[edge + 1]; p++) {
      const x = (c[2 * p] - lng0) * kx;
      const y = (c[2 * p + 1] - lat0) * ky;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  }
  const { cell, x0, y0, w, h, stride } = corridorGrid(minX, minY, maxX, maxY, corridorM);
  // A grid point next to a contour crossing lies within corridorM + cell of the reached pieces, so
  // exact distances are needed only that far; points beyond keep `far` (outside).
  const reach = corridorM + cell;
  const far = (corridorM + 2 * cell) ** 2;
  // Squared distance of every grid point to the pieces stamped so far: after band k's increment
  // it is band k's field (the bands are nested), so one array serves every band.
  const nearest = new Float32Array(stride * (h + 1)).fill(far);
  let iMin = w, iMax = 0, jMin = h, jMax = 0;

  /** Lowers `nearest` to the squared distance from segment a–b (local metres) where that is smaller. */
  function stamp(ax: number, ay: number, bx: number, by: number) {
    const i0 = Math.max(0, Math.floor((Math.min(ax, bx) - reach - x0) / cell));
    const i1 = Math.min(w, Math.ceil((Math.max(ax, bx) + reach - x0) / cell));
    const j0 = Math.max(0, Math.floor((Math.min(ay, by) - reach - y0) / cell));
    const j1 = Math.min(h, Math.ceil((Math.max(ay, by) + reach - y0) / cell));
    if (i0 < iMin) iMin = i0;
    if (i1 > iMax) iMax = i1;
    if (j0 < jMin) jMin = j0;
    if (j1 > jMax) jMax = j1;
    stampSegment(nearest, x0, y0, cell, stride, ax, ay, bx, by, i0, i1, j0, j1);
  }

  /**
   * Stamps the stretch [fromM, toM] of edge e (metres along its stored length; positions on the
   * polyline are planar-proportional to it, as in slicePolyline).
   */
  function stampStretch(e: number, fromM: number, toM: number) {
    const start = g.geomStart[e];
    const end = g.geomStart[e + 1];
    let total = 0;
    for (let p = start; p < end - 1; p++) total += Math.hypot((c[2 * p + 2] - c[2 * p]) * kx, (c[2 * p + 3] - c[2 * p + 1]) * ky);
    const len = g.edgeLength[e];
    const scale = len > 0 && total > 0 ? total / len : 0;
    const a = Math.max(0, fromM) * scale;
    const b = Math.min(len, toM) * scale;
    let acc = 0;
    for (let p = start; p < end - 1; p++) {
      const ax = (c[2 * p] - lng0) * kx;
      const ay = (c[2 * p + 1] - lat0) * ky;
      const bx = (c[2 * p + 2] - lng0) * kx;
      const by = (c[2 * p + 3] - lat0) * ky;
      const s = Math.hypot(bx - ax, by - ay);
      const lo = Math.max(a, acc);
      const hi = Math.min(b, acc + s);
      if (hi >= lo && (hi > lo || s === 0 || a === b)) {
        const t0 = s === 0 ? 0 : (lo - acc) / s;
        const t1 = s === 0 ? 0 : (hi - acc) / s;
        stamp(ax + t0 * (bx - ax), ay + t0 * (by - ay), ax + t1 * (bx - ax), ay + t1 * (by - ay));
      }
      acc += s;
      if (acc > b) break;
    }
    if (end - start === 1) {
      const x = (c[2 * start] - lng0) * kx;
      const y = (c[2 * start + 1] - lat0) * ky;
      stamp(x, y, x, y);
    }
  }

  const out: BandPolygon[] = [];
  let previous = new Map<number, EdgePiece[]>();
  for (const pieces of bands) {
    const current = new Map<number, EdgePiece[]>();
    for (const piece of pieces) {
      let list = current.get(piece.edge);
      if (!list) current.set(piece.edge, (list = []));
      list.push(piece);
      for (const [a, b] of newStretches(piece, previous.get(piece.edge))) stampStretch(piece.edge, a, b);
    }
    previous = current;
    const window = { i0: Math.max(0, iMin - 1), i1: Math.min(w, iMax + 1), j0: Math.max(0, jMin - 1), j1: Math.min(h, jMax + 1) };
    const polygons = contourPolygons({ w, h, values: nearest, level: corridorM * corridorM, squared: true, window });
    out.push(pieces.length === 0 ? null : toFeature(polygons.map((rings) => thinRings(rings, SIMPLIFY_M / cell)), (i, j) => [lng0 + (x0 + i * cell) / kx, lat0 + (y0 + j * cell) / ky]));
  }
  return out;
}

/** The parts of `piece` not covered by the previous band's pieces on the same edge. */
export function newStretches(piece: EdgePiece, before: readonly EdgePiece[] | undefined): [number, number][] {
  let rest: [number, number][] = [[piece.fromM, piece.toM]];
  for (const p of before ?? []) {
    rest = rest.flatMap(([a, b]): [number, number][] => {
      if (p.toM <= a || p.fromM >= b) return [[a, b]];
      const parts: [number, number][] = [];
      if (p.fromM > a) parts.push([a, p.fromM]);
      if (p.toM < b) parts.push([p.toM, b]);
      return parts;
    });
  }
  return rest;
}

function thinRings(rings: PolygonRings, tolerance: number): PolygonRings {
  return rings.map((r) => {
    const thin = simplifyRing(r, tolerance);
    return thin.length >= 4 ? thin : r;
  });
}

/**
 * Douglas–Peucker on a closed ring (first point = last): keeps the first point and the vertex
 * farthest from it, and between them every vertex farther than `tolerance` from the chord.
 */
export function simplifyRing(ring: [number, number][], tolerance: number): [number, number][] {
  const n = ring.length - 1;
  if (n < 4) return ring;
  let far = 0;
  let farD = -1;
  for (let k = 1; k < n; k++) {
    const d = (ring[k][0] - ring[0][0]) ** 2 + (ring[k][1] - ring[0][1]) ** 2;
    if (d > farD) [far, farD] = [k, d];
  }
  const keep = new Uint8Array(n + 1);
  keep[0] = keep[far] = keep[n] = 1;
  const tol2 = tolerance * tolerance;
  const stack: number[] = [0, far, far, n];
  while (stack.length) {
    const b = stack.pop()!;
    const a = stack.pop()!;
    if (b - a < 2) continue;
    const [ax, ay] = ring[a];
    const dx = ring[b][0] - ax;
    const dy = ring[b][1] - ay;
    const len2 = dx * dx + dy * dy;
    let best = -1;
    let bestD = tol2;
    for (let k = a + 1; k < b; k++) {
      const px = ring[k][0] - ax;
      const py = ring[k][1] - ay;
      const cross = px * dy - py * dx;
      const d = len2 === 0 ? px * px + py * py : (cross * cross) / len2;
      if (d > bestD) [best, bestD] = [k, d];
    }
    if (best < 0) continue;
    keep[best] = 1;
    stack.push(a, best, best, b);
  }
  const out: [number, number][] = [];
  for (let k = 0; k <= n; k++) if (keep[k]) out.push(ring[k]);
  return out;
}

function toFeature(polygons: PolygonRings[], toLngLat: (i: number, j: number) => [number, number]): BandPolygon {
  if (polygons.length === 0) return null;
  const coords = polygons.map((rings) => rings.map((ring) => ring.map(([i, j]) => round(toLngLat(i, j)))));
  const geometry: Polygon | MultiPolygon = coords.length === 1 ? { type: 'Polygon', coordinates: coords[0] } : { type: 'MultiPolygon', coordinates: coords };
  return { type: 'Feature', properties: {}, geometry };
}

/** 1e-7° ≈ 1 cm keeps the JSON small. */
function round([lng, lat]: [number, number]): Position {
  return [Math.round(lng * 1e7) / 1e7, Math.round(lat * 1e7) / 1e7];
}
