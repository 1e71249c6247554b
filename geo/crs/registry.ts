/**
 * The coordinate systems an import may arrive in, by one identifier each, and the conversion of
 * any of them to WGS84 lng/lat (what PostGIS stores, SRID 4326).
 */
import { bd09ToWgs84, gcj02ToWgs84, type LngLat } from './chinese-offsets.js';
import { epsgEntry, epsgGrids, epsgToWgs84 } from './epsg.js';
import { gkProjection, gkToLngLat } from './gauss-kruger.js';

/** 'EPSG:4326' WGS84, 'EPSG:4490' CGCS2000, 'GCJ02', 'BD09', 'EPSG:4513'…'EPSG:4554' GK, or any 'EPSG:<n>' epsg-index knows (epsg.ts). */
export type CrsId = string;

const ALIASES: Record<string, CrsId> = {
  wgs84: 'EPSG:4326',
  'epsg:4326': 'EPSG:4326',
  '4326': 'EPSG:4326',
  'crs84': 'EPSG:4326',
  'urn:ogc:def:crs:ogc:1.3:crs84': 'EPSG:4326',
  'urn:ogc:def:crs:epsg::4326': 'EPSG:4326',
  cgcs2000: 'EPSG:4490',
  'epsg:4490': 'EPSG:4490',
  '4490': 'EPSG:4490',
  'urn:ogc:def:crs:epsg::4490': 'EPSG:4490',
  gcj02: 'GCJ02',
  'gcj-02': 'GCJ02',
  amap: 'GCJ02',
  gaode: 'GCJ02',
  tencent: 'GCJ02',
  bd09: 'BD09',
  'bd-09': 'BD09',
  baidu: 'BD09',
};

/** Canonical id for a user-supplied name, or null when unknown. */
export function parseCrs(input: string): CrsId | null {
  const s = input.trim().toLowerCase();
  if (ALIASES[s]) return ALIASES[s];
  const m = /^(?:epsg:{1,2}|urn:ogc:def:crs:epsg::)?(\d{4,6})$/.exec(s);
  if (m) {
    const code = Number(m[1]);
    if (code === 4326 || code === 4490) return `EPSG:${code}`;
    if (gkProjection(code) || epsgEntry(code)) return `EPSG:${code}`;
  }
  return null;
}

export interface CrsInfo {
  id: CrsId;
  zh: string;
  en: string;
  projected: boolean;
}

export function describeCrs(id: CrsId): CrsInfo {
  switch (id) {
    case 'EPSG:4326':
      return { id, zh: 'WGS84 经纬度（GPS、天地图、OpenStreetMap）', en: 'WGS84 lng/lat (GPS, Tianditu, OSM)', projected: false };
    case 'EPSG:4490':
      return { id, zh: 'CGCS2000 经纬度', en: 'CGCS2000 lng/lat', projected: false };
    case 'GCJ02':
      return { id, zh: 'GCJ-02 火星坐标（高德、腾讯）', en: 'GCJ-02 (Amap, Tencent)', projected: false };
    case 'BD09':
      return { id, zh: 'BD-09 百度坐标', en: 'BD-09 (Baidu)', projected: false };
    default: {
      const code = Number(id.slice(5));
      const gk = gkProjection(code);
      if (!gk) {
        const e = epsgEntry(code);
        if (!e) throw new RangeError(`unknown CRS ${id}`);
        const grids = epsgGrids(code);
        if (grids.length === 0) return { id, zh: `${e.name}（EPSG:${code}）`, en: `${e.name} (EPSG:${code})`, projected: e.kind === 'CRS-PROJCRS' };
        // Its datum shift needs a grid file we do not ship: converted without the shift (tens to ~100 m off).
        return {
          id, projected: e.kind === 'CRS-PROJCRS',
          zh: `${e.name}（EPSG:${code}；缺少基准转换格网 ${grids.join('、')}，按无基准偏移近似，误差可达数十至百米）`,
          en: `${e.name} (EPSG:${code}; without its datum grid ${grids.join(', ')}: no datum shift, up to tens of metres to ~100 m off)`,
        };
      }
      return gk.prefixed
        ? { id, zh: `CGCS2000 3度带高斯-克吕格 第${gk.zone}带`, en: `CGCS2000 3-degree Gauss–Krüger zone ${gk.zone}`, projected: true }
        : { id, zh: `CGCS2000 3度带高斯-克吕格 中央经线${gk.centralMeridian}°E`, en: `CGCS2000 3-degree Gauss–Krüger CM ${gk.centralMeridian}E`, projected: true };
    }
  }
}

/** A function converting positions of `crs` to WGS84 lng/lat. */
export function toWgs84Fn(crs: CrsId): (p: LngLat) => LngLat {
  switch (crs) {
    case 'EPSG:4326':
    case 'EPSG:4490':
      return (p) => [p[0], p[1]];
    case 'GCJ02':
      return gcj02ToWgs84;
    case 'BD09':
      return bd09ToWgs84;
    default: {
      const epsg = Number(crs.slice(5));
      if (gkProjection(epsg)) return (p) => gkToLngLat(epsg, p);
      if (!epsgEntry(epsg)) throw new RangeError(`unknown CRS ${crs}`);
      return epsgToWgs84(epsg);
    }
  }
}

/** The ids a picker offers (any other EPSG code is accepted by parseCrs too). */
export function allCrsIds(): CrsId[] {
  const ids = ['EPSG:4326', 'EPSG:4490', 'GCJ02', 'BD09'];
  for (let e = 4513; e <= 4554; e++) ids.push(`EPSG:${e}`);
  return ids;
}
