/**
 * Rate limits of the anonymous report endpoint (issue #18.3), in PostgreSQL (`report_rate`,
 * migration 0023) so they hold across server processes: fixed windows counted with one atomic
 * `INSERT … ON CONFLICT DO UPDATE … RETURNING` per key. Without SMS there is no identity to tie a
 * resident to, so three keys each get their own budget:
 * - the client address (as client-address.ts resolves it: proxies only when trusted);
 * - the device id the report page keeps in localStorage (a browser that clears it is still held
 *   by its address);
 * - the QR token's place (one building or compound cannot flood its grid worker).
 */
import type { Sql } from '../db/client.js';
import { HttpError } from '../http-error.js';

/** 429 `too_many_reports`; the route adds `Retry-After: retryAfterS`. */
export class RateLimited extends HttpError {
  constructor(readonly retryAfterS: number) {
    super(429, 'too_many_reports', `提交过于频繁，请 ${retryAfterS} 秒后再试`, `too many reports; try again in ${retryAfterS} s`);
  }
}

export interface RateRule {
  key: string;
  limit: number;
  windowS: number;
}

export const REPORT_LIMITS = {
  /** Reports per client address. */
  address: { limit: 5, windowS: 600 },
  /** Reports per device id. */
  device: { limit: 3, windowS: 600 },
  /** Reports per building or compound (all residents together). */
  subject: { limit: 30, windowS: 3600 },
} as const;

/** The rules for one report. */
export function reportRules(r: { address: string; device: string | null; subject: string }): RateRule[] {
  const rules: RateRule[] = [
    { key: `address:${r.address}`, ...REPORT_LIMITS.address },
    { key: `subject:${r.subject}`, ...REPORT_LIMITS.subject },
  ];
  if (r.device) rules.push({ key: `device:${r.device}`, ...REPORT_LIMITS.device });
  return rules;
}

/**
 * Counts one report against every rule; the first rule over its limit refuses with 429
 * `too_many_reports` (`retryAfterS`: seconds to the end of its window, for Retry-After).
 */
export async function takeReportSlot(db: Sql, rules: readonly RateRule[]): Promise<void> {
  for (const r of rules) {
    const [row] = await db.query<{ hits: number; retry: number }>(
      `INSERT INTO report_rate AS t (key, window_start, hits)
       VALUES ($1, to_timestamp(floor(extract(epoch FROM now()) / $2) * $2), 1)
       ON CONFLICT (key, window_start) DO UPDATE SET hits = t.hits + 1
       RETURNING t.hits, GREATEST(1, ceil(extract(epoch FROM t.window_start + make_interval(secs => $2) - now())))::int AS retry`,
      [r.key, r.windowS],
    );
    if (row.hits > r.limit) {
      throw new RateLimited(row.retry);
    }
  }
  await db.query(`DELETE FROM report_rate WHERE window_start < now() - interval '1 day'`);
}
