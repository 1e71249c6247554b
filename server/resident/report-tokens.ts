/**
 * Signed QR tokens for residents' reports (issue #18.3). A token names one building (`b`) or one
 * compound (`c`, 小区) and an expiry day, signed with HMAC-SHA-256 under a server secret, so a
 * resident cannot make a link for a place (or a lifetime) of their choosing:
 *
 *   token = base64url("<kind>:<code>:<expiry day>") "." base64url(first 16 bytes of the HMAC)
 *
 * The secret lives in the database (`server_secrets`, migration 0023): made once by the first
 * server that needs it, so every server process of one database signs and checks alike. Printing
 * the sheets again after the expiry (default two years) gives fresh tokens.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Sql } from '../db/client.js';
import { HttpError } from '../http-error.js';

export type ReportSubject = { kind: 'building' | 'compound'; code: string };

const SECRET_NAME = 'report_token_hmac';
const DAY_MS = 86_400_000;
/** How long a printed QR code stays valid. */
export const TOKEN_DAYS = 730;
const SIG_BYTES = 16;
const KIND_LETTER = { building: 'b', compound: 'c' } as const;

const secrets = new WeakMap<object, Promise<Buffer>>();

/** The HMAC key of this database, created on first use (concurrent servers agree on one row). */
export function reportSecret(db: Sql): Promise<Buffer> {
  let s = secrets.get(db);
  if (!s) {
    s = (async () => {
      await db.query('INSERT INTO server_secrets (name, secret) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [SECRET_NAME, randomBytes(32)]);
      const [row] = await db.query<{ secret: Uint8Array }>('SELECT secret FROM server_secrets WHERE name = $1', [SECRET_NAME]);
      return Buffer.from(row.secret);
    })();
    s.catch(() => secrets.delete(db));
    secrets.set(db, s);
  }
  return s;
}

const mac = (secret: Buffer, payload: string) => createHmac('sha256', secret).update(payload).digest().subarray(0, SIG_BYTES);

/** A token for `subject`, valid until `nowMs` + `days`. */
export function signReportToken(secret: Buffer, subject: ReportSubject, nowMs = Date.now(), days = TOKEN_DAYS): string {
  const payload = `${KIND_LETTER[subject.kind]}:${subject.code}:${Math.floor(nowMs / DAY_MS) + days}`;
  return `${Buffer.from(payload).toString('base64url')}.${mac(secret, payload).toString('base64url')}`;
}

const invalid = () => new HttpError(403, 'invalid_token', '二维码链接无效（可能被篡改），请重新扫描楼道里的二维码', 'this QR link is not valid (it may have been altered); scan the code in the stairwell again');

/** The subject of a genuine, unexpired token; 403 `invalid_token` or `token_expired` otherwise. */
export function verifyReportToken(secret: Buffer, token: string, nowMs = Date.now()): ReportSubject {
  const m = /^([A-Za-z0-9_-]{4,200})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!m) throw invalid();
  const payload = Buffer.from(m[1], 'base64url').toString();
  const given = Buffer.from(m[2], 'base64url');
  if (given.length !== SIG_BYTES || !timingSafeEqual(given, mac(secret, payload))) throw invalid();
  const p = /^([bc]):([\w-]{1,64}):(\d{1,7})$/.exec(payload);
  if (!p) throw invalid();
  if (Number(p[3]) * DAY_MS < nowMs) {
    throw new HttpError(403, 'token_expired', '该二维码已过期，请联系社区更换', 'this QR code has expired; ask the community office for a new one');
  }
  return { kind: p[1] === 'b' ? 'building' : 'compound', code: p[2] };
}
