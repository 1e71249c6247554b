/** Lenient readers for cell values as rosters write them: "12户", "3单元", " 25 ", 12.0, "是". */

/**
 * Characters no text field needs and PostgreSQL or a reader's screen would misuse: NUL and other C0
 * controls (tab and line breaks allowed), DEL and the C1 controls (terminal escapes in logs), the
 * bidirectional embedding, override and isolate controls U+202A–U+202E and U+2066–U+2069 (a name
 * that displays reversed, e.g. to fake a phone number or a file extension), and lone UTF-16
 * surrogates, which PostgreSQL cannot store. Refused in every JSON body (server/routes/auth.route.ts
 * jsonBody) and in every imported value that is kept (map-records.ts: a row error).
 */
// Control characters are exactly what we look for here.
// eslint-disable-next-line no-control-regex
export const UNSAFE_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function text(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const s = String(v).trim();
  return s === '' ? null : s;
}

/** A non-negative integer, allowing a unit suffix (户, 人, 层, 单元) and a zero fraction (`12.0`); null when empty; NaN when not a number. */
export function count(v: unknown): number | null {
  if (v === null || v === undefined || (typeof v === 'string' && v.trim() === '')) return null;
  if (typeof v === 'number') return Number.isInteger(v) ? v : NaN;
  const m = /^\s*第?\s*(\d+)(?:\.0+)?\s*(户|人|层|单元|栋|幢|号楼?)?\s*$/.exec(String(v));
  return m ? Number(m[1]) : NaN;
}

export function yesNo(v: unknown): boolean | null {
  const s = text(v)?.toLowerCase();
  if (s === undefined || s === null) return null;
  if (['是', 'y', 'yes', 'true', '1', '封闭'].includes(s)) return true;
  if (['否', 'n', 'no', 'false', '0', '开放', '不封闭'].includes(s)) return false;
  return null;
}

export function decimal(v: unknown): number {
  if (typeof v === 'number') return v;
  const s = text(v);
  return s === null ? NaN : Number(s);
}

/** Units a count may carry after its number ("12户", "6层" …). */
const COUNT_UNIT = '(?:户|人|层|单元|栋|幢|号楼?)?';

/**
 * An optional whole number read leniently: `value` as `count` reads it, else a decimal rounded
 * half up (`3.5` → 4: "clearly a number, not a whole one"), else null; `how` says which, so the
 * importer can warn (never reject) for an optional column. `12.0` is 12 exactly, not a rounding.
 */
export function lenientCount(v: unknown): { value: number | null; how: 'read' | 'rounded' | 'dropped' } {
  const c = count(v);
  if (c === null) return { value: null, how: 'read' };
  if (Number.isFinite(c)) return { value: c, how: 'read' };
  const x = typeof v === 'number' ? v : Number(new RegExp(`^\\s*(-?\\d+(?:\\.\\d+)?)\\s*${COUNT_UNIT}\\s*$`).exec(String(v))?.[1] ?? NaN);
  if (!Number.isFinite(x)) return { value: null, how: 'dropped' };
  return Number.isInteger(x) ? { value: x, how: 'read' } : { value: Math.round(x), how: 'rounded' };
}

/**
 * A year as rosters and OSM `start_date` write it: `1998`, `1998年`, `1998-05`, `1998-05-01` are
 * 1998; an approximate year (`ca. 1900`, `c. 1900`, `~1900`, `约1900年`, `1900年左右`) is that year,
 * `how: 'approximate'`; anything else (`1890s`, `C19`, `1900..1910`, `before 1900`) is null, `how: 'dropped'`.
 */
export function lenientYear(v: unknown): { value: number | null; how: 'read' | 'approximate' | 'dropped' } {
  if (typeof v === 'number') return Number.isInteger(v) ? { value: v, how: 'read' } : { value: null, how: 'dropped' };
  const s = text(v);
  if (s === null) return { value: null, how: 'read' };
  const exact = /^(\d{4})(?:年|-\d{1,2}(?:-\d{1,2})?)?$/.exec(s);
  if (exact) return { value: Number(exact[1]), how: 'read' };
  const approx = /^(?:ca\.?|c\.|circa|about|~|约)\s*(\d{4})\s*年?$/i.exec(s) ?? /^(\d{4})\s*年?\s*(?:左右|前后)$/.exec(s);
  if (approx) return { value: Number(approx[1]), how: 'approximate' };
  return { value: null, how: 'dropped' };
}
