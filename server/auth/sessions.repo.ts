/** Sessions and the principal behind them. Only the SHA-256 of a session token is stored. */
import { createHash, randomBytes } from 'node:crypto';
import type { Sql } from '../db/client.js';
import type { Principal, RoleGrant, Scope } from './principal.js';

export const SESSION_HOURS = 12;
export const KIOSK_SESSION_DAYS = 365;

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const token = () => randomBytes(32).toString('base64url');

/** Opens a session for a user or a kiosk; returns the cookie token (never stored) and CSRF token. */
export async function createSession(db: Sql, who: { userId: number } | { kioskId: number }) {
  const cookie = token();
  const csrf = token();
  const [userId, kioskId, hours] =
    'userId' in who ? [who.userId, null, SESSION_HOURS] : [null, who.kioskId, KIOSK_SESSION_DAYS * 24];
  await db.query(
    `INSERT INTO sessions (id, user_id, kiosk_id, csrf_token, expires_at)
     VALUES ($1, $2, $3, $4, now() + make_interval(hours => $5::int))`,
    [sha256(cookie), userId, kioskId, csrf, hours],
  );
  return { cookie, csrf, maxAge: hours * 3600 };
}

export async function deleteSession(db: Sql, sessionId: string) {
  await db.query('DELETE FROM sessions WHERE id = $1', [sessionId]);
}

/** The principal of a cookie token, or null when unknown, expired, disabled or revoked. */
export async function principalOf(db: Sql, cookie: string): Promise<Principal | null> {
  const id = sha256(cookie);
  const [s] = await db.query<{
    user_id: number | null; kiosk_id: number | null; csrf_token: string; username: string | null;
    display_name: string | null; label: string | null; kiosk_scope: Scope | null; grants: RoleGrant[] | null; must_change_password: boolean | null;
  }>(
    `SELECT s.user_id, s.kiosk_id, s.csrf_token, u.username, u.display_name, k.label, u.must_change_password,
            CASE WHEN k.scope_type IS NULL THEN NULL ELSE json_build_object('scopeType', k.scope_type, 'scopeCode', k.scope_code) END AS kiosk_scope,
            (SELECT json_agg(json_build_object('role', r.role, 'scopeType', r.scope_type, 'scopeCode', r.scope_code))
             FROM user_roles r WHERE r.user_id = s.user_id) AS grants
     FROM sessions s
     LEFT JOIN users u ON u.id = s.user_id AND NOT u.disabled
     LEFT JOIN kiosk_tokens k ON k.id = s.kiosk_id AND k.revoked_at IS NULL
     WHERE s.id = $1 AND s.expires_at > now()`,
    [id],
  );
  if (!s) return null;
  if (s.user_id !== null && s.username) {
    return { kind: 'user', id: s.user_id, name: s.username, displayName: s.display_name || s.username, grants: s.grants ?? [], sessionId: id, csrfToken: s.csrf_token, mustChangePassword: s.must_change_password === true };
  }
  if (s.kiosk_id !== null && s.label) {
    return { kind: 'kiosk', id: s.kiosk_id, name: `kiosk:${s.label}`, displayName: s.label, grants: [], kioskScope: s.kiosk_scope, sessionId: id, csrfToken: s.csrf_token };
  }
  return null;
}
