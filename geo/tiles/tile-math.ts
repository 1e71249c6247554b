/**
 * Web-Mercator (EPSG:3857) tile arithmetic, XYZ scheme (x = 0 at the antimeridian, y = 0 at the
 * north edge), as MapLibre requests tiles and PostGIS `ST_TileEnvelope` computes them. Tile SQL is
 * built from these numbers, so they must agree with the database to the micrometre.
 */

/** WGS84 semi-major axis, the sphere radius of EPSG:3857. */
export const EARTH_RADIUS = 6378137;

/** Half the world's width in EPSG:3857 metres (π·R = 20037508.342789244). */
export const ORIGIN_SHIFT = Math.PI * EARTH_RADIUS;

/** Latitude at which Web Mercator's square world ends (atan(sinh(π)) in degrees). */
export const MAX_LATITUDE = (Math.atan(Math.sinh(Math.PI)) * 180) / Math.PI;

/** [minx, miny, maxx, maxy]: metres for EPSG:3857, or [west, south, east, north] degrees. */
export type Bounds = [number, number, number, number];

/**
 * Whether z/x/y names a real tile: integers, 0 ≤ z ≤ maxZoom and 0 ≤ x, y < 2^z. The tile route
 * checks this before any SQL so impossible addresses are a 400, not a database error.
 */
export function isValidTile(z: number, x: number, y: number, maxZoom = 22): boolean {
  if (!Number.isInteger(z) || !Number.isInteger(x) || !Number.isInteger(y)) return false;
  if (z < 0 || z > maxZoom) return false;
  const n = 2 ** z;
  return x >= 0 && x < n && y >= 0 && y < n;
}

function assertTile(z: number, x: number, y: number) {
  // PostGIS accepts zoom up to 31 (1 << zoom in 32 bits); so do we.
  if (!isValidTile(z, x, y, 31)) throw new RangeError(`invalid tile ${z}/${x}/${y}`);
}

/**
 * A tile's envelope in EPSG:3857 metres. Computed the way PostGIS `ST_TileEnvelope(z, x, y)` does
 * with its default bounds (world ±π·R): tile size = world width / 2^z, edges = origin + size·index,
 * so both sides of the encoder comparison clip to the same box (agreement well under 1e-6 m).
 *
 * @throws RangeError for an invalid tile address.
 */
export function tileBoundsMercator(z: number, x: number, y: number): Bounds {
  assertTile(z, x, y);
  const worldMin = -ORIGIN_SHIFT;
  const worldMax = ORIGIN_SHIFT;
  const size = (worldMax - worldMin) / 2 ** z;
  return [worldMin + size * x, worldMax - size * (y + 1), worldMin + size * (x + 1), worldMax - size * y];
}

/**
 * WGS84 longitude/latitude (degrees) → EPSG:3857 metres. Latitude is clamped to ±MAX_LATITUDE,
 * beyond which Mercator diverges; longitude is not wrapped.
 */
export function lngLatToMercator(lng: number, lat: number): [number, number] {
  const clamped = Math.max(-MAX_LATITUDE, Math.min(MAX_LATITUDE, lat));
  const x = (lng * ORIGIN_SHIFT) / 180;
  const y = EARTH_RADIUS * Math.log(Math.tan(Math.PI / 4 + (clamped * Math.PI) / 360));
  return [x, y];
}

/** EPSG:3857 metres → WGS84 longitude/latitude in degrees (inverse of lngLatToMercator). */
export function mercatorToLngLat(x: number, y: number): [number, number] {
  const lng = (x / ORIGIN_SHIFT) * 180;
  const lat = (2 * Math.atan(Math.exp(y / EARTH_RADIUS)) - Math.PI / 2) * (180 / Math.PI);
  return [lng, lat];
}

/**
 * A tile's envelope in WGS84 degrees [west, south, east, north], e.g. for a `geom && envelope`
 * index filter on lon/lat columns.
 *
 * @throws RangeError for an invalid tile address.
 */
export function tileBoundsLngLat(z: number, x: number, y: number): Bounds {
  const [minx, miny, maxx, maxy] = tileBoundsMercator(z, x, y);
  const [w, s] = mercatorToLngLat(minx, miny);
  const [e, n] = mercatorToLngLat(maxx, maxy);
  return [w, s, e, n];
}

/**
 * The [x, y] of the tile at zoom z containing a WGS84 point. Points on a shared edge belong to the
 * tile east/south of it (half-open tiles, as the envelope maths implies); points beyond the world
 * (|lat| > MAX_LATITUDE, |lng| ≥ 180) go to the edge tile.
 *
 * @throws RangeError when z is not an integer in 0…31 or a coordinate is not finite.
 */
export function lngLatToTile(lng: number, lat: number, z: number): [number, number] {
  if (!Number.isInteger(z) || z < 0 || z > 31) throw new RangeError(`invalid zoom ${z}`);
  if (!Number.isFinite(lng) || !Number.isFinite(lat)) throw new RangeError(`invalid position ${lng}, ${lat}`);
  const [mx, my] = lngLatToMercator(lng, lat);
  const n = 2 ** z;
  const size = (2 * ORIGIN_SHIFT) / n;
  const x = Math.min(n - 1, Math.max(0, Math.floor((mx + ORIGIN_SHIFT) / size)));
  const y = Math.min(n - 1, Math.max(0, Math.floor((ORIGIN_SHIFT - my) / size)));
  return [x, y];
}
