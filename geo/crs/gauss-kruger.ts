/**
 * CGCS2000 (China Geodetic Coordinate System 2000, EPSG:4490) and its 3-degree Gauss–Krüger
 * projections, as the survey bureau delivers them:
 * - EPSG:4513–4533 "3-degree Gauss-Kruger zone 25–45": false easting = zone × 1,000,000 + 500,000,
 *   so every easting carries its zone number in front (39 500 000 m at CM 117°E).
 * - EPSG:4534–4554 "3-degree Gauss-Kruger CM 75E–135E": false easting 500,000 m, no zone prefix.
 * Zone n has central meridian 3n°. CGCS2000 uses the GRS80 ellipsoid; its frame differs from
 * WGS84 by centimetres, which we treat as identical (a map of buildings cannot show it).
 */
import proj4 from 'proj4';
import type { LngLat } from './chinese-offsets.js';

export const GK_FIRST_ZONE = 25;
export const GK_LAST_ZONE = 45;

/** EPSG code of the zone-prefixed 3-degree GK projection for zone n (25–45). */
export const gkZoneEpsg = (zone: number) => 4488 + zone;
/** EPSG code of the central-meridian (no prefix) 3-degree GK projection for zone n (25–45). */
export const gkCmEpsg = (zone: number) => 4509 + zone;

export interface GkProjection {
  epsg: number;
  zone: number;
  centralMeridian: number;
  prefixed: boolean;
  proj4: string;
}

/** The GK projection behind an EPSG code in 4513–4554, or null. */
export function gkProjection(epsg: number): GkProjection | null {
  let zone: number;
  let prefixed: boolean;
  if (epsg >= 4513 && epsg <= 4533) {
    zone = epsg - 4488;
    prefixed = true;
  } else if (epsg >= 4534 && epsg <= 4554) {
    zone = epsg - 4509;
    prefixed = false;
  } else {
    return null;
  }
  const cm = zone * 3;
  const x0 = prefixed ? zone * 1_000_000 + 500_000 : 500_000;
  return {
    epsg,
    zone,
    centralMeridian: cm,
    prefixed,
    proj4: `+proj=tmerc +lat_0=0 +lon_0=${cm} +k=1 +x_0=${x0} +y_0=0 +ellps=GRS80 +units=m +no_defs`,
  };
}

export const CGCS2000_PROJ4 = '+proj=longlat +ellps=GRS80 +no_defs';

const converters = new Map<number, proj4.Converter>();
function converter(epsg: number): proj4.Converter {
  let c = converters.get(epsg);
  if (!c) {
    const gk = gkProjection(epsg);
    if (!gk) throw new RangeError(`EPSG:${epsg} is not a CGCS2000 3-degree Gauss–Krüger projection`);
    c = proj4(CGCS2000_PROJ4, gk.proj4);
    converters.set(epsg, c);
  }
  return c;
}

/** Projected GK metres [easting, northing] → CGCS2000 lng/lat. */
export function gkToLngLat(epsg: number, p: LngLat): LngLat {
  const [lng, lat] = converter(epsg).inverse([p[0], p[1]]);
  return [lng, lat];
}

/** CGCS2000 lng/lat → projected GK metres [easting, northing]. */
export function lngLatToGk(epsg: number, p: LngLat): LngLat {
  const [x, y] = converter(epsg).forward([p[0], p[1]]);
  return [x, y];
}

/** The 3-degree zone whose central meridian is nearest to a longitude. */
export function zoneForLng(lng: number): number {
  return Math.round(lng / 3);
}
