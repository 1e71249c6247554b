/**
 * A local equirectangular plane in metres about a reference latitude — exact to centimetres over a
 * town, and cheap enough for the inner loops of snapping and isochrone building.
 */
import type { LngLat } from './graph.js';

const EARTH_RADIUS_M = 6_371_008.8;
const M_PER_DEG = (Math.PI / 180) * EARTH_RADIUS_M;

export interface LocalProjection {
  readonly lng0: number;
  readonly lat0: number;
  /** Metres per degree of longitude and of latitude at lat0. */
  readonly kx: number;
  readonly ky: number;
  toLocal(lng: number, lat: number): [number, number];
  toLngLat(x: number, y: number): LngLat;
}

export function localProjection(lng0: number, lat0: number): LocalProjection {
  const kx = M_PER_DEG * Math.cos((lat0 * Math.PI) / 180);
  const ky = M_PER_DEG;
  return {
    lng0, lat0, kx, ky,
    toLocal: (lng, lat) => [(lng - lng0) * kx, (lat - lat0) * ky],
    toLngLat: (x, y) => [lng0 + x / kx, lat0 + y / ky],
  };
}
