/** Formatting for the admin tables: local times, date-range bounds and audit details. */
import type { Lang } from '../../i18n/i18n';

/**
 * Local midnight of a `YYYY-MM-DD` date input (plus `addDays`) as an ISO timestamp, or undefined.
 * The audit range is `from` inclusive and `to` exclusive, so "to 6 June" is sent as 7 June 00:00.
 */
export function localDayIso(date: string, addDays = 0): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return undefined;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + addDays);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

const formatters = new Map<Lang, Intl.DateTimeFormat>();

/** `2024/6/1 14:03:05` (zh-CN) or `6/1/2024, 14:03:05` (en), in the browser's time zone. */
export function formatLocalTime(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  let f = formatters.get(lang);
  if (!f) {
    f = new Intl.DateTimeFormat(lang, {
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(lang, f);
  }
  return f.format(d);
}

/** `households: 12 · contacts: false`; empty detail → ''. */
export function formatDetail(detail: Record<string, unknown> | null | undefined): string {
  if (!detail || typeof detail !== 'object') return '';
  return Object.entries(detail)
    .map(([k, v]) => `${k}: ${v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' · ');
}
