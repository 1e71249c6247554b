/**
 * Query parameters of the OGC API as OGC 17-069r4 defines them, parsed strictly: every OGC
 * resource refuses a parameter its OpenAPI definition does not list (/req/core/query-param-unknown)
 * and a listed one with a value outside its schema (/req/core/query-param-invalid), both with 400.
 * Integers are plain decimal digits only: `1e2`, `0x10`, `+5`, `1.0` are not what the definition's
 * `type: integer` says, and a lenient `Number()` would also serve them.
 */
import type { Context } from 'hono';
import { badRequest } from '../http-error.js';
import type { BBox } from '../repos/layers.repo.js';
import { type DatetimeFilter, parseDatetime } from './ogc-datetime.js';

/** The `f` values each resource's OpenAPI definition lists (ogc-docs.ts publishes the same lists). */
export const F_JSON = ['json'] as const;
export const F_GEOJSON = ['json', 'geojson'] as const;

export const MAX_LIMIT = 10_000;
export const DEFAULT_LIMIT = 100;
export const MAX_OFFSET = 10_000_000;

/** A 2D box in CRS84; `minx > maxx` never reaches SQL (split at the anti-meridian first). */
export type Box = BBox;

const invalid = (name: string, value: string, why: string, whyZh: string) =>
  badRequest('invalid_input', `参数 ${name}=${value} 无效：${whyZh}`, `invalid parameter ${name}=${value}: ${why}`);

/**
 * The query as one value per name, after refusing names outside `allowed`, repeated names (which
 * value would count is unspecified) and an `f` outside the resource's listed formats.
 */
export function ogcQuery(c: Context, allowed: readonly string[], formats: readonly string[]): Record<string, string> {
  const all = c.req.queries();
  const unknown = Object.keys(all).filter((k) => !allowed.includes(k) && k !== 'f');
  if (unknown.length) {
    throw badRequest('invalid_input', `未知参数：${unknown.join('、')}`, `unknown query parameters: ${unknown.join(', ')}`);
  }
  const out: Record<string, string> = {};
  for (const [k, values] of Object.entries(all)) {
    if (values.length !== 1) throw invalid(k, values.join('&'), 'given more than once', '重复给出');
    out[k] = values[0];
  }
  if (out.f !== undefined && !formats.includes(out.f)) {
    const list = formats.join(', ');
    throw badRequest('invalid_format', `不支持的格式 f=${out.f}（可用：${list}）`, `unsupported format f=${out.f} (listed: ${list})`);
  }
  return out;
}

const INTEGER = /^(0|[1-9][0-9]*)$/;
/** RFC 8259 number syntax (what `type: number` in the definition means), no hex, no blanks. */
const NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;

/** `limit`: an integer ≥ 1 in plain decimal digits; above the maximum it is served as the maximum (/req/core/fc-limit-response-1 C). */
export function parseLimit(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_LIMIT;
  if (!INTEGER.test(raw) || raw === '0') throw invalid('limit', raw, 'an integer from 1 written in decimal digits', '应为不小于 1 的十进制整数');
  return raw.length > 6 ? MAX_LIMIT : Math.min(Number(raw), MAX_LIMIT);
}

/** `offset`: an integer ≥ 0 in plain decimal digits, at most {@link MAX_OFFSET}. */
export function parseOffset(raw: string | undefined): number {
  if (raw === undefined) return 0;
  if (!INTEGER.test(raw) || raw.length > 9 || Number(raw) > MAX_OFFSET) {
    throw invalid('offset', raw, `an integer from 0 to ${MAX_OFFSET} in decimal digits`, `应为 0 到 ${MAX_OFFSET} 的十进制整数`);
  }
  return Number(raw);
}

/**
 * `bbox` (/req/core/fc-bbox-definition): four numbers in CRS84 or six in CRS84h (the heights are
 * checked and then not used: our features are 2D). Longitudes in [-180, 180], latitudes in
 * [-90, 90], miny ≤ maxy. A box whose first longitude is larger than the second spans the
 * anti-meridian (as the standard says) and becomes two boxes; a box of zero width or height is a
 * line or a point and stays one. Returns the boxes whose union is the requested area.
 */
export function parseBbox(raw: string | undefined): Box[] | undefined {
  if (raw === undefined) return undefined;
  const parts = raw.split(',');
  if ((parts.length !== 4 && parts.length !== 6) || !parts.every((v) => NUMBER.test(v))) {
    throw invalid('bbox', raw, 'four (or six) comma-separated numbers', '应为逗号分隔的 4 个（或 6 个）数');
  }
  const n = parts.map(Number);
  if (n.length === 6 && n[2] > n[5]) throw invalid('bbox', raw, 'the minimum height is above the maximum', '最低高度大于最高高度');
  const [minx, miny, maxx, maxy] = n.length === 6 ? [n[0], n[1], n[3], n[4]] : n;
  if ([minx, maxx].some((x) => x < -180 || x > 180) || [miny, maxy].some((y) => y < -90 || y > 90)) {
    throw invalid('bbox', raw, 'outside CRS84 (longitude -180..180, latitude -90..90)', '超出 CRS84 范围（经度 -180..180，纬度 -90..90）');
  }
  if (miny > maxy) throw invalid('bbox', raw, 'the lower latitude is above the upper one', '下边纬度大于上边纬度');
  if (minx <= maxx) return [[minx, miny, maxx, maxy]];
  return [[minx, miny, 180, maxy], [-180, miny, maxx, maxy]];
}

/** `datetime` parsed per /req/core/fc-time-response D–F; garbage is a 400. */
export function parseDatetimeParam(raw: string | undefined): DatetimeFilter | undefined {
  if (raw === undefined) return undefined;
  const parsed = parseDatetime(raw);
  if (!parsed) {
    throw invalid('datetime', raw, 'an RFC 3339 date-time or an interval start/end with ".." or "" for an open end', '应为 RFC 3339 时间或区间（开端用 ".." 或留空）');
  }
  return parsed;
}

/** A feature id as served: canonical decimal digits only, so `/items/1` has no aliases (`01`, `1.0`, `+1`, `1e0`, `0x1`). */
export function canonicalFeatureId(raw: string): number | null {
  if (!/^[1-9][0-9]{0,9}$/.test(raw)) return null;
  const id = Number(raw);
  return id < 2 ** 31 ? id : null;
}

/** A property filter value (`?<property>=<value>`, /rec/core/fc-filters) as the property's JSON type says. */
export function parsePropertyFilter(name: string, raw: string, type: 'integer' | 'number' | 'boolean' | 'string'): string | number | boolean {
  if (type === 'string') return raw;
  if (type === 'boolean') {
    if (raw === 'true' || raw === 'false') return raw === 'true';
    throw invalid(name, raw, 'true or false', '应为 true 或 false');
  }
  if (type === 'integer' ? /^-?(0|[1-9][0-9]{0,14})$/.test(raw) : NUMBER.test(raw) && Number.isFinite(Number(raw))) return Number(raw);
  throw invalid(name, raw, type === 'integer' ? 'an integer in decimal digits' : 'a number', type === 'integer' ? '应为十进制整数' : '应为数字');
}
