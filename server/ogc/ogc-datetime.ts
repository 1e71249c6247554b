/**
 * The `datetime` parameter of OGC API – Features (/req/core/fc-time-response D–F): an RFC 3339
 * date-time, or an interval `start/end` where either end (not both) may be open (`..` or empty).
 * Parsed by hand against RFC 3339 §5.6 because `Date.parse` accepts far more (`2018`, `garbage 1`,
 * local times) and would let invalid values through as "everything".
 */

/** Epoch milliseconds of each end; `null` is an open end. */
export interface DatetimeFilter {
  start: number | null;
  end: number | null;
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|([+-])(\d{2}):(\d{2}))$/;

const daysIn = (y: number, m: number) => [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];

/** Epoch milliseconds of an RFC 3339 date-time, or null when it is not one (also 2021-02-30 or 24:00). */
export function parseRfc3339(s: string): number | null {
  const m = DATE_TIME.exec(s);
  if (!m) return null;
  const [y, mo, d, h, mi, sec] = m.slice(1, 7).map(Number);
  if (mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || sec > 60) return null;
  let offset = 0;
  if (m[9]) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return null;
    offset = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const ms = m[7] ? Math.round(Number(`0${m[7]}`) * 1000) : 0;
  // A leap second (:60) is kept as the last instant of its minute.
  return Date.UTC(y, mo - 1, d, h, mi, Math.min(sec, 59), ms) - offset * 60_000;
}

const openEnd = (s: string) => s === '' || s === '..';

/** The instant or interval `raw` names, or null when it is not valid `datetime` syntax. */
export function parseDatetime(raw: string): DatetimeFilter | null {
  const parts = raw.split('/');
  if (parts.length === 1) {
    const t = parseRfc3339(raw);
    return t === null ? null : { start: t, end: t };
  }
  if (parts.length !== 2) return null;
  const [a, b] = parts;
  if (openEnd(a) && openEnd(b)) return null;
  const start = openEnd(a) ? null : parseRfc3339(a);
  const end = openEnd(b) ? null : parseRfc3339(b);
  if ((!openEnd(a) && start === null) || (!openEnd(b) && end === null)) return null;
  if (start !== null && end !== null && start > end) return null;
  return { start, end };
}
