/**
 * Issue #14.10 through the real API and database: weak passwords (`password12`, one containing the
 * username) are refused on every path that sets one, and a printed password must be changed before
 * anything else can be done.
 */
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../server/auth/users.repo.js';
import type { Database } from '../../server/db/client.js';
import { ensureFirstAdmin } from '../../server/services/first-run.js';
import { testApp } from '../helpers/app.js';
import { as, ensureTestUsers } from '../helpers/auth.js';
import { announceNativeOnly } from '../helpers/test-db.js';
import { inject } from 'vitest';

type App = Awaited<ReturnType<typeof testApp>>['app'];
let app: App;
let db: Database;

beforeAll(async () => {
  const t = await testApp();
  ({ app, db } = t);
  await ensureTestUsers(t.db, t.dataset);
});

const grants = [{ role: 'viewer' as const, scopeType: 'street' as const, scopeCode: '*' }];

async function session(username: string, password: string) {
  const res = await app.request('/api/auth/login', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { csrfToken: string; mustChangePassword: boolean };
  return { cookie: /ga_session=[^;]+/.exec(res.headers.get('set-cookie')!)![0], csrf: body.csrfToken, mustChange: body.mustChangePassword };
}

const change = (s: { cookie: string; csrf: string }, current: string, next: string) =>
  app.request('/api/auth/password', { method: 'POST', headers: as(s), body: JSON.stringify({ current, next }) });

async function errorOf(res: Response) {
  const body = (await res.json()) as { error: { code: string; message: string } };
  return body.error;
}

describe('weak passwords are refused everywhere', () => {
  it('the change-password API refuses password12 and one containing the username, accepts a strong one', async () => {
    await createUser(db, { username: 'wang', password: 'Ferry-Granite-Lantern-48', grants });
    const s = await session('wang', 'Ferry-Granite-Lantern-48');
    for (const weak of ['password12', 'wang2024wang', 'WANG-Correct-Horse-88', 'Password123!']) {
      const res = await change(s, 'Ferry-Granite-Lantern-48', weak);
      expect(res.status, weak).toBe(400);
      const err = await errorOf(res);
      expect(err.code).toBe('weak_password');
      expect(err.message).toMatch(/[\u4e00-\u9fff].*[A-Za-z]{3,}/);
    }
    expect((await change(s, 'Ferry-Granite-Lantern-48', 'Quiet-Harbor-Pines-2031')).status).toBe(200);
  });

  it('accounts created by an admin (CLI, first start) go through the same check', async () => {
    await expect(createUser(db, { username: 'li_na', password: 'password12', grants })).rejects.toThrow(/too easy to guess/);
    await expect(createUser(db, { username: 'li_na', password: 'li_na-Secure-Lamp-77', grants })).rejects.toThrow(/username/);
    expect(await db.query(`SELECT 1 FROM users WHERE username = 'li_na'`)).toEqual([]);
  });

  it('the first start refuses a weak GRIDATLAS_ADMIN_PASSWORD and flags a printed one', async () => {
    // On an empty users table, inside a transaction that is rolled back: the shared data stays.
    const rollback = new Error('rollback');
    await expect(
      db.transaction(async (tx) => {
        await tx.query('DELETE FROM users');
        await expect(ensureFirstAdmin(tx, 'password12')).rejects.toThrow(/GRIDATLAS_ADMIN_PASSWORD.*too weak/);
        await expect(ensureFirstAdmin(tx, 'admin-Harbor-Pines-2031')).rejects.toThrow(/username/);
        const printed = await ensureFirstAdmin(tx, undefined);
        expect(printed?.password).toMatch(/^Ga-/);
        const [row] = await tx.query<{ must_change_password: boolean }>(`SELECT must_change_password FROM users WHERE username = 'admin'`);
        expect(row.must_change_password).toBe(true);
        throw rollback;
      }),
    ).rejects.toBe(rollback);
    expect(await db.query(`SELECT 1 FROM users WHERE username = 't_admin'`)).toHaveLength(1);
  });

  it('npm run user -- passwd / create refuse weak passwords; unlock lifts a throttle', async () => {
    const url = inject('testDatabaseUrl');
    if (!url) return announceNativeOnly('npm run user against the test database');
    const cli = (...args: string[]) =>
      spawnSync('npx', ['tsx', 'scripts/user.ts', ...args], { env: { ...process.env, DATABASE_URL: url }, encoding: 'utf8', timeout: 60_000 });
    await createUser(db, { username: 'cli_user', password: 'Ferry-Granite-Lantern-48', grants });
    const weak = cli('passwd', 'cli_user', '--password', 'password12');
    expect(weak.status).toBe(2);
    expect(weak.stderr).toMatch(/too easy to guess/);
    const made = cli('create', 'cli_new', '--role', 'viewer', '--scope', 'street:*', '--password', 'cli_new-Harbor-2031');
    expect(made.status).toBe(2);
    expect(made.stderr).toMatch(/username/);
    await db.query(`INSERT INTO login_throttle (scope, username, address, attempts, next_at) VALUES ('account', 'cli_user', '192.0.2.3', 9, now() + interval '10 minutes')`);
    const unlock = cli('unlock', 'CLI_USER');
    expect(unlock.status, unlock.stderr).toBe(0);
    expect(await db.query(`SELECT 1 FROM login_throttle WHERE username = 'cli_user'`)).toEqual([]);
    expect(await db.query(`SELECT 1 FROM audit_log WHERE action = 'login_unlock' AND actor = 'cli' AND target_id = 'cli_user'`)).toHaveLength(1);
  }, 120_000);
});

describe('a printed password must be changed first', () => {
  it('answers 403 password_change_required everywhere except me, password and logout', async () => {
    await createUser(db, { username: 'mc_admin', password: 'Printed-Temp-Kettle-55', mustChangePassword: true, grants: [{ role: 'admin', scopeType: 'street', scopeCode: '*' }] });
    const s = await session('mc_admin', 'Printed-Temp-Kettle-55');
    expect(s.mustChange).toBe(true);
    const me = await app.request('/api/auth/me', { headers: as(s) });
    expect(((await me.json()) as { mustChangePassword: boolean }).mustChangePassword).toBe(true);
    for (const path of ['/api/audit', '/api/plans', '/api/stats', '/api/kiosk-tokens']) {
      const res = await app.request(path, { headers: as(s) });
      expect(res.status, path).toBe(403);
      const err = await errorOf(res);
      expect(err.code).toBe('password_change_required');
      expect(err.message).toMatch(/[\u4e00-\u9fff].*[A-Za-z]{3,}/);
    }
    expect((await app.request('/api/kiosk-tokens', { method: 'POST', headers: as(s), body: '{"label":"x"}' })).status).toBe(403);
    expect((await change(s, 'Printed-Temp-Kettle-55', 'password12')).status).toBe(400);
    expect((await change(s, 'Printed-Temp-Kettle-55', 'Orchard-Violet-Compass-19')).status).toBe(200);
    expect((await app.request('/api/audit', { headers: as(s) })).status).toBe(200);
    const after = await app.request('/api/auth/me', { headers: as(s) });
    expect(((await after.json()) as { mustChangePassword: boolean }).mustChangePassword).toBe(false);
    expect((await session('mc_admin', 'Orchard-Violet-Compass-19')).mustChange).toBe(false);
  });

  it('logout still works while the change is pending', async () => {
    await createUser(db, { username: 'mc_viewer', password: 'Printed-Temp-Kettle-56', mustChangePassword: true, grants });
    const s = await session('mc_viewer', 'Printed-Temp-Kettle-56');
    expect((await app.request('/api/auth/logout', { method: 'POST', headers: as(s) })).status).toBe(200);
    expect((await app.request('/api/auth/me', { headers: as(s) })).status).toBe(401);
  });
});
