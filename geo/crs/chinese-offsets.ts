/**
 * China's obfuscated lng/lat systems:
 * - GCJ-02 (国测局坐标, "Mars coordinates"): Amap/Gaode, Tencent, Google China. WGS84 plus a
 *   deliberately non-linear offset of a few hundred metres, computed on the Krasovsky ellipsoid.
 * - BD-09 (百度坐标): Baidu, GCJ-02 with a further rotation/scale around a fixed offset.
 *
 * The forward formulas (WGS84 → GCJ-02 → BD-09) are the widely published ones. They have no
 * closed-form inverse, so GCJ-02 → WGS84 and BD-09 → GCJ-02 are solved iteratively: start from
 * the one-step estimate and correct by the forward residual until it is below ~1e-9° (≈0.1 mm).
 *
 * The offset only applies inside mainland China (a bounding box, as every implementation uses):
 * outside it, coordinates are unchanged in every direction.
 */

export type LngLat = [number, number];

/** Krasovsky 1940 semi-major axis and first eccentricity squared, used by GCJ-02. */
const A = 6378245.0;
const EE = 0.006693421622965943;
const X_PI = (Math.PI * 3000.0) / 180.0;

/** Rough mainland-China box: the GCJ-02 offset applies inside it only. */
export function outOfChina([lng, lat]: LngLat): boolean {
  return lng < 72.004 || lng > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

function offsetLat(x: number, y: number): number {
  let r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  r += ((20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin((y / 3.0) * Math.PI)) * 2.0) / 3.0;
  r += ((160.0 * Math.sin((y / 12.0) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30.0)) * 2.0) / 3.0;
  return r;
}

function offsetLng(x: number, y: number): number {
  let r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  r += ((20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin((x / 3.0) * Math.PI)) * 2.0) / 3.0;
  r += ((150.0 * Math.sin((x / 12.0) * Math.PI) + 300.0 * Math.sin((x / 30.0) * Math.PI)) * 2.0) / 3.0;
  return r;
}

/** WGS84 → GCJ-02 (published forward formula). */
export function wgs84ToGcj02(p: LngLat): LngLat {
  if (outOfChina(p)) return [p[0], p[1]];
  const [lng, lat] = p;
  let dLat = offsetLat(lng - 105.0, lat - 35.0);
  let dLng = offsetLng(lng - 105.0, lat - 35.0);
  const radLat = (lat / 180.0) * Math.PI;
  let magic = Math.sin(radLat);
  magic = 1 - EE * magic * magic;
  const sqrtMagic = Math.sqrt(magic);
  dLat = (dLat * 180.0) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI);
  dLng = (dLng * 180.0) / ((A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return [lng + dLng, lat + dLat];
}

/** GCJ-02 → BD-09 (published forward formula). */
export function gcj02ToBd09([lng, lat]: LngLat): LngLat {
  const z = Math.sqrt(lng * lng + lat * lat) + 0.00002 * Math.sin(lat * X_PI);
  const theta = Math.atan2(lat, lng) + 0.000003 * Math.cos(lng * X_PI);
  return [z * Math.cos(theta) + 0.0065, z * Math.sin(theta) + 0.006];
}

/** The published one-step BD-09 → GCJ-02 approximation (error up to ~1e-6°). */
export function bd09ToGcj02Approx([lng, lat]: LngLat): LngLat {
  const x = lng - 0.0065;
  const y = lat - 0.006;
  const z = Math.sqrt(x * x + y * y) - 0.00002 * Math.sin(y * X_PI);
  const theta = Math.atan2(y, x) - 0.000003 * Math.cos(x * X_PI);
  return [z * Math.cos(theta), z * Math.sin(theta)];
}

const TOLERANCE_DEG = 1e-10;
const MAX_STEPS = 30;

/** Solves forward(x) = target for x by fixed-point correction from a starting guess. */
function invert(forward: (p: LngLat) => LngLat, target: LngLat, start: LngLat): LngLat {
  let x: LngLat = [start[0], start[1]];
  for (let i = 0; i < MAX_STEPS; i++) {
    const f = forward(x);
    const dx = target[0] - f[0];
    const dy = target[1] - f[1];
    x = [x[0] + dx, x[1] + dy];
    if (Math.abs(dx) < TOLERANCE_DEG && Math.abs(dy) < TOLERANCE_DEG) break;
  }
  return x;
}

/** GCJ-02 → WGS84, iterative (the forward offset varies slowly, so it converges in a few steps). */
export function gcj02ToWgs84(p: LngLat): LngLat {
  if (outOfChina(p)) return [p[0], p[1]];
  const g = wgs84ToGcj02(p);
  const start: LngLat = [2 * p[0] - g[0], 2 * p[1] - g[1]];
  return invert(wgs84ToGcj02, p, start);
}

/** BD-09 → GCJ-02, iterative refinement of the published approximation. */
export function bd09ToGcj02(p: LngLat): LngLat {
  return invert(gcj02ToBd09, p, bd09ToGcj02Approx(p));
}

/** WGS84 → BD-09 (via GCJ-02). Outside China unchanged (the common rule for both offsets). */
export function wgs84ToBd09(p: LngLat): LngLat {
  if (outOfChina(p)) return [p[0], p[1]];
  return gcj02ToBd09(wgs84ToGcj02(p));
}

/** BD-09 → WGS84 (via GCJ-02); outside China unchanged. */
export function bd09ToWgs84(p: LngLat): LngLat {
  if (outOfChina(p)) return [p[0], p[1]];
  return gcj02ToWgs84(bd09ToGcj02(p));
}

/** Great-circle distance in metres (haversine), for measuring conversion errors. */
export function distanceM(a: LngLat, b: LngLat): number {
  const R = 6371008.8;
  const toRad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * toRad;
  const dLng = (b[0] - a[0]) * toRad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * toRad) * Math.cos(b[1] * toRad) * Math.sin(dLng / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}
