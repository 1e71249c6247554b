/**
 * Local metric plane ↔ WGS84.
 *
 * The generator lays the street out in metres (x east, y north) because block sizes, building
 * spacing and setbacks are planning rules in metres. Only at the very end are positions turned into
 * [lng, lat] with a local equirectangular projection about the origin, which is exact to a few
 * centimetres over a town of 20 km — far below what a community map can show. Lengths of walk edges
 * are measured on the sphere (haversine) from the final coordinates, as the contract asks.
 */
import type { Position } from './types.js';

/** North-west corner of the real 向阳街道 layout: the old town by 烟台山, coast just to the north. */
export const ORIGIN: Readonly<{ lng: number; lat: number }> = { lng: 121.378, lat: 37.5505 };

/** Mean Earth radius (IUGG), metres. */
export const EARTH_RADIUS_M = 6_371_008.8;

const M_PER_DEG_LAT = (Math.PI / 180) * EARTH_RADIUS_M;
const M_PER_DEG_LNG = M_PER_DEG_LAT * Math.cos((ORIGIN.lat * Math.PI) / 180);

/** 1e-7 degrees ≈ 1 cm: enough for building footprints, and keeps JSON small. */
function round7(v: number): number {
  return Math.round(v * 1e7) / 1e7;
}

/** Local metres (x east, y north of {@link ORIGIN}) → [lng, lat], rounded to ~1 cm. */
export function toLngLat(x: number, y: number): Position {
  return [round7(ORIGIN.lng + x / M_PER_DEG_LNG), round7(ORIGIN.lat + y / M_PER_DEG_LAT)];
}

/** [lng, lat] → local metres; the inverse of {@link toLngLat} (used by tests and tools). */
export function toLocal(p: Position): [number, number] {
  return [(p[0] - ORIGIN.lng) * M_PER_DEG_LNG, (p[1] - ORIGIN.lat) * M_PER_DEG_LAT];
}

/** Great-circle distance in metres between two [lng, lat] positions. */
export function haversineM(a: Position, b: Position): number {
  const toRad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * toRad;
  const dLng = (b[0] - a[0]) * toRad;
  const s =
    Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * toRad) * Math.cos(b[1] * toRad) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(s)));
}

/** An axis-aligned rectangle in local metres; `y0` is the south edge, `y1` the north edge. */
export interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** A closed GeoJSON ring (counter-clockwise) for a rectangle in local metres. */
export function rectRing(r: Rect): Position[] {
  return [
    toLngLat(r.x0, r.y0),
    toLngLat(r.x1, r.y0),
    toLngLat(r.x1, r.y1),
    toLngLat(r.x0, r.y1),
    toLngLat(r.x0, r.y0),
  ];
}
