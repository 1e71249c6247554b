/** Accounts: creation (CLI and first run) and role grants. */
import type { Sql } from '../db/client.js';
import { hashPassword } from './password.js';
import { assertStrongPassword } from './password-strength.js';
import type { RoleGrant, Scope } from './principal.js';
import { sha256 } from './sessions.repo.js';

export async function countUsers(db: Sql): Promise<number> {
  const [r] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
  return r.n;
}

export async function createUser(
  db: Sql,
  u: { username: string; password: string; displayName?: string; grants: RoleGrant[]; mustChangePassword?: boolean },
): Promise<number> {
  await assertStrongPassword(u.password, u);
  const [row] = await db.query<{ id: number }>(
    'INSERT INTO users (username, display_name, password_hash, must_change_password) VALUES ($1, $2, $3, $4) RETURNING id',
    [u.username, u.displayName ?? u.username, await hashPassword(u.password), u.mustChangePassword ?? false],
  );
  for (const g of u.grants) {
    await db.query('INSERT INTO user_roles (user_id, role, scope_type, scope_code) VALUES ($1, $2, $3, $4)', [
      row.id, g.role, g.scopeType, g.scopeCode,
    ]);
  }
  return row.id;
}

/**
 * Sets a new password (checked for strength against the user's names) and ends the user's
 * sessions except `keepSession`. `mustChange` marks a password someone else saw (printed by the
 * CLI) that the user must replace at the next sign-in. Returns false when there is no such user.
 */
export async function setPassword(
  db: Sql,
  u: { username: string; password: string; mustChange: boolean; keepSession?: string },
): Promise<boolean> {
  const [user] = await db.query<{ id: number; username: string; display_name: string }>(
    'SELECT id, username, display_name FROM users WHERE lower(username) = lower($1)',
    [u.username],
  );
  if (!user) return false;
  await assertStrongPassword(u.password, { username: user.username, displayName: user.display_name });
  await db.query(
    'UPDATE users SET password_hash = $2, password_changed_at = now(), must_change_password = $3 WHERE id = $1',
    [user.id, await hashPassword(u.password), u.mustChange],
  );
  await db.query('DELETE FROM sessions WHERE user_id = $1 AND id IS DISTINCT FROM $2', [user.id, u.keepSession ?? null]);
  return true;
}

/** Stores a kiosk token (hashed) and returns its id. `scope` null: the whole deployment. */
export async function createKioskToken(db: Sql, token: string, label: string, createdBy: number | null, scope: Scope | null = null): Promise<number> {
  const [row] = await db.query<{ id: number }>(
    'INSERT INTO kiosk_tokens (token_hash, label, created_by, scope_type, scope_code) VALUES ($1, $2, $3, $4, $5) RETURNING id',
    [sha256(token), label, createdBy, scope?.scopeType ?? null, scope?.scopeCode ?? null],
  );
  return row.id;
}
