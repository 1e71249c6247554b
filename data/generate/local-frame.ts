/**
 * The generator lays the street out in local metres (x east, y north) from a south-west origin
 * near 121.372°E 37.528°N (芝罘区, south of 烟台山) and converts to WGS84 at the end.
 */
import type { PolygonCoords, Position } from './types.js';

export const ORIGIN: Position = [121.372, 37.528];
const M_PER_DEG_LAT = 110_574;
const M_PER_DEG_LNG = 111_320 * Math.cos((ORIGIN[1] * Math.PI) / 180);

export const toLngLat = (x: number, y: number): Position => [
  round7(ORIGIN[0] + x / M_PER_DEG_LNG),
  round7(ORIGIN[1] + y / M_PER_DEG_LAT),
];

const round7 = (v: number) => Math.round(v * 1e7) / 1e7;

export interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** A rectangle as a closed, counter-clockwise GeoJSON polygon. */
export function rectPolygon(r: Rect): PolygonCoords {
  return [[toLngLat(r.x0, r.y0), toLngLat(r.x1, r.y0), toLngLat(r.x1, r.y1), toLngLat(r.x0, r.y1), toLngLat(r.x0, r.y0)]];
}

export const inset = (r: Rect, d: number): Rect => ({ x0: r.x0 + d, y0: r.y0 + d, x1: r.x1 - d, y1: r.y1 - d });
export const centre = (r: Rect): [number, number] => [(r.x0 + r.x1) / 2, (r.y0 + r.y1) / 2];

/** Great-circle length of a WGS84 line in metres (haversine). */
export function lineLengthM(line: Position[]): number {
  let sum = 0;
  for (let i = 1; i < line.length; i++) {
    const [lng1, lat1] = line[i - 1].map((v) => (v * Math.PI) / 180);
    const [lng2, lat2] = line[i].map((v) => (v * Math.PI) / 180);
    const h = Math.sin((lat2 - lat1) / 2) ** 2 + Math.cos(lat1) * Math.cos(lat2) * Math.sin((lng2 - lng1) / 2) ** 2;
    sum += 2 * 6_371_008.8 * Math.asin(Math.sqrt(h));
  }
  return Math.round(sum * 100) / 100;
}
