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
 * - the pieces are first put on the integer lines of the `geometry=lines` answer
 *   (band-lines.ts), and the polygons drawn from those lines — on the server and, for that answer,
 *   in the browser: the same code on the same integers;
 * - the contours come from {@link contourPolygons} (typed arrays), and straight runs of the
 *   marching-squares rings — one vertex per grid cell — are thinned by Douglas–Peucker to
 *   {@link SIMPLIFY_M}, well under the grid's own error (≈ cell² / 8r ≈ 0.4 m), which keeps the
 *   JSON a few times smaller.
 */
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import { decodeBandLines, reachedBandLines } from './band-lines.js';
import type { ShortestPaths } from './dijkstra.js';
import type { EdgePosition } from './edge-position.js';
import type { LngLat, RoutingGraph } from './graph.js';
import { corridorGrid, stampSegment } from './corridor-polygon.js';
import { localProjection } from './local-projection.js';
import { type PolygonRings, contourPolygons } from './marching-squares.js';

/** Rings are thinned to this many metres (perpendicular distance of a dropped vertex). */
export const SIMPLIFY_M = 0.25;

export type BandPolygon = Feature<Polygon | MultiPolygon> | null;

/**
 * One polygon per band (null for a band that reached nothing): `budgets` in increasing order
 * (each ≤ the paths' cutoff), drawn from the same integer lines as the `geometry=lines` answer.
 */
export function bandPolygons(g: RoutingGraph, sp: ShortestPaths, budgets: readonly number[], start: EdgePosition, corridorM: number): BandPolygon[] {
  const { lines } = reachedBandLines(g, sp, budgets, start);
  return bandPolygonsFromLines(decodeBandLines(lines), corridorM, lines.origin);
}

/**
 * One polygon per band from the lines each band adds to the one before (`increments[k]`, from
 * {@link decodeBandLines}): band k is the union of corridors around increments 0…k. `origin` anchors
 * the local plane, so the same lines and origin always draw the same rings.
 */
export function bandPolygonsFromLines(increments: readonly (readonly LngLat[][])[], corridorM: number, origin: LngLat): BandPolygon[] {
  if (!(corridorM > 0) || increments.every((lines) => lines.length === 0)) return increments.map(() => null);
  const { kx, ky, lng0, lat0 } = localProjection(origin[0], origin[1]);
  const local = increments.map((lines) => lines.map((line) => {
    const xy = new Float64Array(2 * line.length);
    for (let k = 0; k < line.length; k++) {
      xy[2 * k] = (line[k][0] - lng0) * kx;
      xy[2 * k + 1] = (line[k][1] - lat0) * ky;
    }
    return xy;
  }));

  // The grid covers the largest band (every other band lies inside it).
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const lines of local) {
    for (const xy of lines) {
      for (let k = 0; k < xy.length; k += 2) {
        if (xy[k] < minX) minX = xy[k];
        if (xy[k] > maxX) maxX = xy[k];
        if (xy[k + 1] < minY) minY = xy[k + 1];
        if (xy[k + 1] > maxY) maxY = xy[k + 1];
      }
    }
  }
  const { cell, x0, y0, w, h, stride } = corridorGrid(minX, minY, maxX, maxY, corridorM);
  // A grid point next to a contour crossing lies within corridorM + cell of the reached lines, so
  // exact distances are needed only that far; points beyond keep `far` (outside).
  const reach = corridorM + cell;
  const far = (corridorM + 2 * cell) ** 2;
  // Squared distance of every grid point to the lines stamped so far: after band k's increment
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

  const out: BandPolygon[] = [];
  let stamped = false;
  for (const lines of local) {
    for (const xy of lines) {
      if (xy.length === 2) stamp(xy[0], xy[1], xy[0], xy[1]);
      for (let k = 2; k < xy.length; k += 2) stamp(xy[k - 2], xy[k - 1], xy[k], xy[k + 1]);
      if (xy.length > 0) stamped = true;
    }
    if (!stamped) {
      out.push(null);
      continue;
    }
    const window = { i0: Math.max(0, iMin - 1), i1: Math.min(w, iMax + 1), j0: Math.max(0, jMin - 1), j1: Math.min(h, jMax + 1) };
    const polygons = contourPolygons({ w, h, values: nearest, level: corridorM * corridorM, squared: true, window });
    out.push(toFeature(polygons.map((rings) => thinRings(rings, SIMPLIFY_M / cell)), (i, j) => [lng0 + (x0 + i * cell) / kx, lat0 + (y0 + j * cell) / ky]));
  }
  return out;
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
