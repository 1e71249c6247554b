/**
 * Rate limits of the anonymous report endpoint (issue #18.3), in PostgreSQL (`report_rate`,
 * migration 0023) so they hold across server processes: fixed windows counted with one atomic
 * `INSERT … ON CONFLICT DO UPDATE … RETURNING` per key. Without SMS there is no identity to tie a
 * resident to, so three keys each get their own budget:
 * - the client address (as client-address.ts resolves it: proxies only when trusted);
 * - the device id the report page keeps in localStorage (a browser that clears it is still held
 *   by its address);
 * - the QR token's place (one building or compound cannot flood its grid worker), counted twice: per
 *   client address (5 an hour) and for everyone together (100 an hour). With only the shared budget
 *   (it was 30 an hour), six addresses could use it up and shut the building's real residents out
 *   for an hour; now that takes 20 addresses (an IPv6 /64 counts as one, client-address.ts).
 * Rules are taken in order and a refused one stops there, so an attempt refused for its address or
 * device does not use up the building's shared budget.
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
  /** Reports per building or compound from one client address. */
  subjectPerAddress: { limit: 5, windowS: 3600 },
  /** Reports per building or compound (all residents together). */
  subject: { limit: 100, windowS: 3600 },
} as const;

/** The rules for one report. */
export function reportRules(r: { address: string; device: string | null; subject: string }): RateRule[] {
  return [
    { key: `address:${r.address}`, ...REPORT_LIMITS.address },
    ...(r.device ? [{ key: `device:${r.device}`, ...REPORT_LIMITS.device }] : []),
    { key: `subject:${r.subject}@${r.address}`, ...REPORT_LIMITS.subjectPerAddress },
    { key: `subject:${r.subject}`, ...REPORT_LIMITS.subject },
  ];
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
