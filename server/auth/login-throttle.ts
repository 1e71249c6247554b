/**
 * Login throttling in PostgreSQL (table `login_throttle`, migration 0014), so it holds across
 * server processes and restarts and cannot be raced.
 *
 * Keys — never a global or per-account lock that a stranger can trigger:
 * - a KNOWN account: (lower(username), client address). Failures from address A never slow down
 *   the same user signing in from address B;
 * - an UNKNOWN name: the client address alone (spraying made-up names). Such failures never count
 *   against a real account.
 *
 * Each attempt is reserved atomically BEFORE the password is checked: one
 * `INSERT … ON CONFLICT DO UPDATE … WHERE next_at <= now() RETURNING` either takes the next slot or
 * changes nothing. The first {@link THROTTLE.accountFree} attempts of a pair are free; reserving
 * attempt n ≥ free sets the earliest next attempt to now + 1 s · 2^(n − free), capped at 15 min.
 * So N parallel requests check at most `free` passwords, then one per delay. A success deletes the
 * pair's row; a row untouched for 24 hours starts over (and is deleted lazily).
 */
import type { Sql } from '../db/client.js';

export const THROTTLE = {
  /** Attempts per (account, address) without delay. */
  accountFree: 5,
  /** Attempts on unknown names per address without delay (typos of a username in an office). */
  addressFree: 20,
  /** First delay after the free attempts; doubles with each further attempt. */
  baseDelayS: 1,
  /** The delay never grows beyond this. */
  maxDelayS: 15 * 60,
  /** A key with no attempt for this long is forgotten. */
  forgetAfterH: 24,
} as const;

export type ThrottleKey = { scope: 'account'; username: string; address: string } | { scope: 'address'; address: string };

export type Reservation = { ok: true; attempt: number } | { ok: false; retryAfterS: number };

/** The counter after this attempt: the old one plus one, or 1 when the row had been idle too long. */
const NEXT_ATTEMPT = `CASE WHEN t.updated_at < now() - make_interval(hours => $7::int) THEN 1 ELSE t.attempts + 1 END`;

const keyParams = (k: ThrottleKey) => [k.scope, k.scope === 'account' ? k.username.toLowerCase() : '', k.address];

/**
 * Takes the next attempt for `key`, or says how long to wait. The delay of attempt n is computed
 * in SQL from the row's own counter, so concurrent callers serialise on the row lock and each sees
 * the count its predecessor left.
 */
export async function reserveAttempt(db: Sql, key: ThrottleKey): Promise<Reservation> {
  const free = key.scope === 'account' ? THROTTLE.accountFree : THROTTLE.addressFree;
  const [row] = await db.query<{ attempts: number }>(
    `INSERT INTO login_throttle AS t (scope, username, address, attempts, next_at, updated_at)
     VALUES ($1, $2, $3, 1, now() + login_throttle_delay(1, $4, $5, $6), now())
     ON CONFLICT (scope, username, address) DO UPDATE SET
       attempts = ${NEXT_ATTEMPT},
       next_at = now() + login_throttle_delay(${NEXT_ATTEMPT}, $4, $5, $6),
       updated_at = now()
     WHERE t.next_at <= now()
     RETURNING t.attempts`,
    [...keyParams(key), free, THROTTLE.baseDelayS, THROTTLE.maxDelayS, THROTTLE.forgetAfterH],
  );
  if (row) return { ok: true, attempt: row.attempts };
  const [wait] = await db.query<{ s: number }>(
    `SELECT GREATEST(1, ceil(extract(epoch FROM next_at - now())))::int AS s
     FROM login_throttle WHERE scope = $1 AND username = $2 AND address = $3`,
    keyParams(key),
  );
  return { ok: false, retryAfterS: wait?.s ?? 1 };
}

/** After a correct password: the pair starts over, and long-idle rows of anyone are dropped. */
export async function clearAttempts(db: Sql, key: ThrottleKey): Promise<void> {
  await db.query('DELETE FROM login_throttle WHERE scope = $1 AND username = $2 AND address = $3', keyParams(key));
  await db.query(`DELETE FROM login_throttle WHERE updated_at < now() - make_interval(hours => $1::int)`, [THROTTLE.forgetAfterH]);
}

/** Admin way back in: forgets every throttle row of one account (all addresses). Returns the count. */
export async function unlockAccount(db: Sql, username: string): Promise<number> {
  const rows = await db.query(`DELETE FROM login_throttle WHERE scope = 'account' AND username = lower($1) RETURNING 1`, [username]);
  return rows.length;
}

/**
 * Seconds until this address may try an unknown name again, or null when it may now. A wrong
 * password for a known name from such an address answers the same 429 (routes/auth.route.ts), so
 * an attacker who sprayed made-up names cannot then tell real names (401) from made-up ones (429).
 */
export async function addressThrottled(db: Sql, address: string): Promise<number | null> {
  const [row] = await db.query<{ s: number }>(
    `SELECT GREATEST(1, ceil(extract(epoch FROM next_at - now())))::int AS s
     FROM login_throttle WHERE scope = 'address' AND username = '' AND address = $1 AND next_at > now()`,
    [address],
  );
  return row?.s ?? null;
}
