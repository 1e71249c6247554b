/**
 * The union of corridors of a given half-width around polylines, as GeoJSON — the polygon of an
 * isochrone band. The distance to the nearest line is sampled on a grid in a local metric plane
 * (cell = a third of the corridor) and contoured at the corridor width by marching squares.
 * Costs O(reached length × corridor / cell²), milliseconds for a 15-minute band, where a vector
 * buffer-and-union (turf/JSTS) of the same lines took tens of seconds. The isochrone draws all its
 * bands on one grid (band-polygons.ts, from this file's grid and stamping); `corridorPolygon`, one
 * band on a grid of its own, is the reference the tests compare those bands with.
 */
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import type { LngLat } from './graph.js';
import { localProjection } from './local-projection.js';
import { contourPolygons } from './marching-squares.js';

/** Grids larger than this many points get coarser cells. */
const MAX_POINTS = 1_000_000;

/**
 * Lowers `field` (a grid of `stride` points per row, origin x0/y0, spacing `cell`) to the squared
 * distance from segment a–b at the points i0…i1 × j0…j1, where that is smaller. The corridor's and
 * the isochrone bands' inner loop.
 */
export function stampSegment(
  field: Float32Array, x0: number, y0: number, cell: number, stride: number,
  ax: number, ay: number, bx: number, by: number, i0: number, i1: number, j0: number, j1: number,
) {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  for (let j = j0; j <= j1; j++) {
    const py = y0 + j * cell;
    const row = j * stride;
    for (let i = i0; i <= i1; i++) {
      const px = x0 + i * cell;
      const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2));
      const ex = ax + t * dx - px;
      const ey = ay + t * dy - py;
      const d = ex * ex + ey * ey;
      if (d < field[row + i]) field[row + i] = d;
    }
  }
}

/**
 * The sampling grid for a corridor of `corridorM` around lines within the local box
 * (minX, minY)–(maxX, maxY), in metres: a cell of a third of the corridor (coarser when that would
 * exceed {@link MAX_POINTS} points), padded so every contour closes inside. Shared by the corridor
 * and the isochrone bands (band-polygons.ts).
 */
export function corridorGrid(minX: number, minY: number, maxX: number, maxY: number, corridorM: number) {
  let cell = corridorM / 3;
  const pad = corridorM + 2 * cell;
  const span = (maxX - minX + 2 * pad) * (maxY - minY + 2 * pad);
  if (span / (cell * cell) > MAX_POINTS) cell = Math.sqrt(span / MAX_POINTS);
  const w = Math.ceil((maxX - minX + 2 * pad + 2 * cell) / cell);
  const h = Math.ceil((maxY - minY + 2 * pad + 2 * cell) / cell);
  return { cell, x0: minX - pad - cell, y0: minY - pad - cell, w, h, stride: w + 1 };
}

export function corridorPolygon(lines: readonly LngLat[][], corridorM: number): Feature<Polygon | MultiPolygon> | null {
  if (lines.length === 0 || !(corridorM > 0)) return null;
  const [lng0, lat0] = lines[0][0];
  const proj = localProjection(lng0, lat0);
  const local = lines.map((l) => l.map(([lng, lat]) => proj.toLocal(lng, lat)));
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const l of local) for (const [x, y] of l) {
    if (x < minX) minX = x;
    if (y < minY) minY = y;
    if (x > maxX) maxX = x;
    if (y > maxY) maxY = y;
  }
  const { cell, x0, y0, w, h, stride } = corridorGrid(minX, minY, maxX, maxY, corridorM);
  // Squared distances while stamping (no square root in the inner loop).
  const far = (corridorM + 4 * cell) ** 2;
  const dist = new Float32Array(stride * (h + 1)).fill(far);
  const reach = corridorM + 2 * cell;
  for (const l of local) {
    for (let k = 0; k < l.length - 1; k++) stamp(l[k], l[k + 1]);
    if (l.length === 1) stamp(l[0], l[0]);
  }
  function stamp([ax, ay]: [number, number], [bx, by]: [number, number]) {
    const i0 = Math.max(0, Math.floor((Math.min(ax, bx) - reach - x0) / cell));
    const i1 = Math.min(w, Math.ceil((Math.max(ax, bx) + reach - x0) / cell));
    const j0 = Math.max(0, Math.floor((Math.min(ay, by) - reach - y0) / cell));
    const j1 = Math.min(h, Math.ceil((Math.max(ay, by) + reach - y0) / cell));
    stampSegment(dist, x0, y0, cell, stride, ax, ay, bx, by, i0, i1, j0, j1);
  }
  for (let o = 0; o < dist.length; o++) dist[o] = Math.sqrt(dist[o]) - corridorM;
  const polygons = contourPolygons({ w, h, values: dist }).map((rings) =>
    rings.map((ring) => ring.map(([i, j]) => round(proj.toLngLat(x0 + i * cell, y0 + j * cell)))),
  );
  if (polygons.length === 0) return null;
  const geometry: Polygon | MultiPolygon =
    polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0] } : { type: 'MultiPolygon', coordinates: polygons };
  return { type: 'Feature', properties: {}, geometry };
}

/** 1e-7° ≈ 1 cm keeps the JSON small. */
function round([lng, lat]: LngLat): Position {
  return [Math.round(lng * 1e7) / 1e7, Math.round(lat * 1e7) / 1e7];
}
