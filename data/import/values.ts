/** Lenient readers for cell values as rosters write them: "12户", "3单元", " 25 ", 12.0, "是". */

export function text(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const s = String(v).trim();
  return s === '' ? null : s;
}

/** A non-negative integer, allowing a unit suffix (户, 人, 层, 单元); null when empty; NaN when not a number. */
export function count(v: unknown): number | null {
  if (v === null || v === undefined || (typeof v === 'string' && v.trim() === '')) return null;
  if (typeof v === 'number') return Number.isInteger(v) ? v : NaN;
  const m = /^\s*第?\s*(\d+)\s*(户|人|层|单元|栋|幢|号楼?)?\s*$/.exec(String(v));
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
