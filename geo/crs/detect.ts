/**
 * Guessing the coordinate system of a set of positions when the file does not say.
 *
 * - Values within ±180/±90 are geographic lng/lat. Whether they are WGS84/CGCS2000, GCJ-02 or
 *   BD-09 cannot be told from the numbers alone (the offsets are a few hundred metres of a
 *   plausible position), so the guess comes from the source hint (an Amap export → GCJ-02, Baidu →
 *   BD-09, otherwise WGS84) and the answer is marked `confirm: true` — the user must be asked.
 * - Eastings of 25–45 million metres carry a 3-degree GK zone prefix: the zone is certain.
 * - Eastings of 100–900 km with northings of 0.8–6 thousand km are GK without a prefix: the
 *   central meridian cannot be read from the numbers; the hint (or the caller's default) decides.
 * - Survey files often put northing first (X = north in Chinese surveying): swapped axes are detected.
 */
import type { LngLat } from './chinese-offsets.js';
import { GK_FIRST_ZONE, GK_LAST_ZONE, gkCmEpsg, gkZoneEpsg } from './gauss-kruger.js';
import type { CrsId } from './registry.js';

export type SourceHint = 'amap' | 'tencent' | 'baidu' | 'gps' | 'osm' | 'survey' | undefined;

export interface CrsGuess {
  kind: 'geographic' | 'gk-zone' | 'gk-cm' | 'unknown';
  /** The suggested CRS (null when nothing fits). */
  crs: CrsId | null;
  /** Other systems the same numbers could be in. */
  candidates: CrsId[];
  /** True when the numbers cannot settle it and the user must confirm. */
  confirm: boolean;
  /** True when positions are [northing, easting] and must be swapped before conversion. */
  swapAxes: boolean;
  reason: { zh: string; en: string };
}

const GEO_CANDIDATES: CrsId[] = ['EPSG:4326', 'EPSG:4490', 'GCJ02', 'BD09'];

function geographicDefault(hint: SourceHint): CrsId {
  if (hint === 'amap' || hint === 'tencent') return 'GCJ02';
  if (hint === 'baidu') return 'BD09';
  return 'EPSG:4326';
}

const isLngLat = ([x, y]: LngLat) => Math.abs(x) <= 180 && Math.abs(y) <= 90;
const zoneOf = (easting: number) => Math.floor(easting / 1_000_000);
const isPrefixed = ([x, y]: LngLat) => zoneOf(x) >= GK_FIRST_ZONE && zoneOf(x) <= GK_LAST_ZONE && y > 0 && y < 10_000_000;
const isPlainGk = ([x, y]: LngLat) => x > 100_000 && x < 900_000 && y > 800_000 && y < 6_500_000;

/** Guesses the CRS of `positions` (any sample; a few hundred are plenty). */
export function detectCrs(positions: readonly LngLat[], opts: { hint?: SourceHint; defaultCmZone?: number } = {}): CrsGuess {
  const pts = positions.filter((p) => Number.isFinite(p[0]) && Number.isFinite(p[1]));
  if (pts.length === 0) {
    return { kind: 'unknown', crs: null, candidates: [], confirm: true, swapAxes: false, reason: { zh: '没有坐标', en: 'no coordinates' } };
  }
  if (pts.every(isLngLat)) {
    const crs = geographicDefault(opts.hint);
    return {
      kind: 'geographic',
      crs,
      candidates: GEO_CANDIDATES,
      confirm: true,
      swapAxes: false,
      reason: {
        zh: '经纬度坐标；WGS84、GCJ-02（高德/腾讯）与 BD-09（百度）仅凭数值无法区分，请确认来源',
        en: 'lng/lat; WGS84, GCJ-02 (Amap/Tencent) and BD-09 (Baidu) cannot be told apart from the numbers — confirm the source',
      },
    };
  }
  for (const swap of [false, true]) {
    const xy = swap ? pts.map(([a, b]) => [b, a] as LngLat) : pts;
    if (xy.every(isPrefixed)) {
      const zones = new Set(xy.map(([x]) => zoneOf(x)));
      if (zones.size === 1) {
        const zone = [...zones][0];
        return {
          kind: 'gk-zone',
          crs: `EPSG:${gkZoneEpsg(zone)}`,
          candidates: [`EPSG:${gkZoneEpsg(zone)}`],
          confirm: false,
          swapAxes: swap,
          reason: { zh: `投影坐标（米），横坐标带号 ${zone}：CGCS2000 3度带第${zone}带`, en: `projected metres with zone prefix ${zone}: CGCS2000 3-degree GK zone ${zone}` },
        };
      }
    }
  }
  for (const swap of [false, true]) {
    const xy = swap ? pts.map(([a, b]) => [b, a] as LngLat) : pts;
    if (xy.every(isPlainGk)) {
      const zone = opts.defaultCmZone;
      const candidates: CrsId[] = [];
      for (let z = GK_FIRST_ZONE; z <= GK_LAST_ZONE; z++) candidates.push(`EPSG:${gkCmEpsg(z)}`);
      return {
        kind: 'gk-cm',
        crs: zone ? `EPSG:${gkCmEpsg(zone)}` : null,
        candidates,
        confirm: true,
        swapAxes: swap,
        reason: {
          zh: '投影坐标（米）无带号：请选择中央经线（3度带）',
          en: 'projected metres without a zone prefix: choose the central meridian (3-degree GK)',
        },
      };
    }
  }
  return {
    kind: 'unknown',
    crs: null,
    candidates: [],
    confirm: true,
    swapAxes: false,
    reason: { zh: '无法识别的坐标范围', en: 'coordinates in no recognised range' },
  };
}
