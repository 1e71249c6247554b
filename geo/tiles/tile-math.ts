/**
 * Web-Mercator (EPSG:3857) tile arithmetic, XYZ scheme (y = 0 at the north edge).
 * `tileBoundsMercator` matches PostGIS `ST_TileEnvelope(z, x, y)`.
 */
export const EARTH_RADIUS = 6378137;
export const ORIGIN_SHIFT = Math.PI * EARTH_RADIUS; // 20037508.342789244
const MAX_LAT = 85.0511287798066;

export type Bounds = [number, number, number, number];

export function isValidTile(z: number, x: number, y: number, maxZoom = 22): boolean {
  if (![z, x, y].every(Number.isInteger)) return false;
  if (z < 0 || z > maxZoom) return false;
  const n = 2 ** z;
  return x >= 0 && x < n && y >= 0 && y < n;
}

export function tileBoundsMercator(z: number, x: number, y: number): Bounds {
  const size = (2 * ORIGIN_SHIFT) / 2 ** z;
  const minx = -ORIGIN_SHIFT + x * size;
  const maxy = ORIGIN_SHIFT - y * size;
  return [minx, maxy - size, minx + size, maxy];
}

export function lngLatToMercator(lng: number, lat: number): [number, number] {
  const clamped = Math.max(-MAX_LAT, Math.min(MAX_LAT, lat));
  const x = (lng * ORIGIN_SHIFT) / 180;
  const y = EARTH_RADIUS * Math.log(Math.tan(Math.PI / 4 + (clamped * Math.PI) / 360));
  return [x, y];
}

export function mercatorToLngLat(x: number, y: number): [number, number] {
  const lng = (x / ORIGIN_SHIFT) * 180;
  const lat = (2 * Math.atan(Math.exp(y / EARTH_RADIUS)) - Math.PI / 2) * (180 / Math.PI);
  return [lng, lat];
}

export function tileBoundsLngLat(z: number, x: number, y: number): Bounds {
  const [minx, miny, maxx, maxy] = tileBoundsMercator(z, x, y);
  const [w, s] = mercatorToLngLat(minx, miny);
  const [e, n] = mercatorToLngLat(maxx, maxy);
  return [w, s, e, n];
}

/** The tile at zoom z containing a WGS84 point. */
export function lngLatToTile(lng: number, lat: number, z: number): [number, number] {
  const [mx, my] = lngLatToMercator(lng, lat);
  const n = 2 ** z;
  const size = (2 * ORIGIN_SHIFT) / n;
  const x = Math.min(n - 1, Math.max(0, Math.floor((mx + ORIGIN_SHIFT) / size)));
  const y = Math.min(n - 1, Math.max(0, Math.floor((ORIGIN_SHIFT - my) / size)));
  return [x, y];
}
