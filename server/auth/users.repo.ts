/** Accounts: creation (CLI and first run) and role grants. */
import type { Sql } from '../db/client.js';
import { hashPassword, passwordProblem } from './password.js';
import type { RoleGrant } from './principal.js';
import { sha256 } from './sessions.repo.js';

export async function countUsers(db: Sql): Promise<number> {
  const [r] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
  return r.n;
}

export async function createUser(
  db: Sql,
  u: { username: string; password: string; displayName?: string; grants: RoleGrant[] },
): Promise<number> {
  const problem = passwordProblem(u.password);
  if (problem) throw new Error(problem);
  const [row] = await db.query<{ id: number }>(
    'INSERT INTO users (username, display_name, password_hash) VALUES ($1, $2, $3) RETURNING id',
    [u.username, u.displayName ?? u.username, await hashPassword(u.password)],
  );
  for (const g of u.grants) {
    await db.query('INSERT INTO user_roles (user_id, role, scope_type, scope_code) VALUES ($1, $2, $3, $4)', [
      row.id, g.role, g.scopeType, g.scopeCode,
    ]);
  }
  return row.id;
}

/** Stores a kiosk token (hashed) and returns its id. */
export async function createKioskToken(db: Sql, token: string, label: string, createdBy: number | null): Promise<number> {
  const [row] = await db.query<{ id: number }>(
    'INSERT INTO kiosk_tokens (token_hash, label, created_by) VALUES ($1, $2, $3) RETURNING id',
    [sha256(token), label, createdBy],
  );
  return row.id;
}
