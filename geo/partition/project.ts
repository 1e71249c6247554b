/** Local planar metres around a reference point (equirectangular; fine at community scale). */
import type { LngLat } from './types.js';

export type XY = [number, number];

export function localProjection(ref: LngLat): (p: LngLat) => XY {
  const kx = 111320 * Math.cos((ref[1] * Math.PI) / 180);
  const ky = 110540;
  return (p) => [(p[0] - ref[0]) * kx, (p[1] - ref[1]) * ky];
}
