/**
 * Issue #14 points 4, 5 and 9 through the real API and database: login throttling that cannot be
 * raced (also across two server processes' connection pools), keyed per (account, address) and per
 * address on unknown names, growing delays, the admin way back in, and the Secure cookie / client
 * address behind a trusted proxy. The TCP peer is set through the node-server conninfo bindings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { THROTTLE } from '../../server/auth/login-throttle.js';
import { createUser } from '../../server/auth/users.repo.js';
import type { Database } from '../../server/db/client.js';
import { testApp } from '../helpers/app.js';
import { TEST_PASSWORD, as, ensureTestUsers, signIn } from '../helpers/auth.js';
import { nativeConnection } from '../helpers/test-db.js';

type App = ReturnType<typeof createApp>;
let app: App;
let db: Database;
/** A second app on its own connection pool, like a second server process (native only). */
let other: { app: App; db: Database | null };

beforeAll(async () => {
  const t = await testApp();
  ({ app, db } = t);
  await ensureTestUsers(t.db, t.dataset);
  const second = await nativeConnection();
  other = { app: second ? createApp({ db: second, config: loadConfig({}) }) : app, db: second };
});

afterAll(async () => {
  await other.db?.close();
});

const STRONG = 'Granite-Lantern-Ferry-48';
const peer = (address: string) => ({ incoming: { socket: { remoteAddress: address } } });

async function login(username: string, password: string, address: string, opts: { via?: App; headers?: Record<string, string> } = {}): Promise<Response> {
  return (opts.via ?? app).request(
    '/api/auth/login',
    { method: 'POST', headers: { 'content-type': 'application/json', ...opts.headers }, body: JSON.stringify({ username, password }) },
    peer(address),
  );
}

async function failedLogins(actor: string): Promise<number> {
  const [r] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'login_failed' AND actor = $1`, [actor]);
  return r.n;
}

const viewer = (username: string) => createUser(db, { username, password: STRONG, grants: [{ role: 'viewer', scopeType: 'street', scopeCode: '*' }] });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('issue #14.4: the throttle cannot be raced', () => {
  it('40 parallel wrong passwords for one account check at most the free allowance', async () => {
    await viewer('thr_race');
    const t0 = performance.now();
    const statuses = await Promise.all(
      Array.from({ length: 40 }, (_, i) => login('thr_race', `wrong-password-${i}`, '192.0.2.40', { via: i % 2 ? other.app : app }).then((r) => r.status)),
    );
    const checked = statuses.filter((s) => s === 401).length;
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    // The free allowance, plus the attempts the schedule itself lets through while the 40 were still
    // arriving: attempt free + k waits 2^k − 1 s in all (a loaded machine can spread 40 requests over
    // more than a second). On a quiet machine they all arrive within the first second: exactly `free`.
    const elapsedS = (performance.now() - t0) / 1000;
    let extra = 0;
    while ((2 ** (extra + 1) - 1) * THROTTLE.baseDelayS <= elapsedS) extra++;
    expect(checked).toBeLessThanOrEqual(THROTTLE.accountFree + extra);
    expect(await failedLogins('thr_race')).toBe(checked);
    expect(statuses.filter((s) => s === 429).length).toBe(40 - checked);
  });
});

describe('issue #14.5: nobody can lock anybody else out', () => {
  it('52 made-up names from one address slow that address on unknown names only', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 52; i++) statuses.push((await login(`nobody_${i}`, 'Some-guess-2024', '198.51.100.52')).status);
    expect(statuses.slice(0, THROTTLE.addressFree).every((s) => s === 401)).toBe(true);
    expect(statuses).toContain(429);
    // The real admin, from another address and from the spraying address itself.
    expect((await login('t_admin', TEST_PASSWORD, '203.0.113.1')).status).toBe(200);
    expect((await login('t_admin', TEST_PASSWORD, '198.51.100.52')).status).toBe(200);
  });

  it('5 wrong passwords on other names do not stop the admin from the same address', async () => {
    for (const name of ['t_viewer', 't_planner', 'ghost_a', 'ghost_b', 't_grid_worker']) {
      expect((await login(name, 'wrong-password-x', '198.51.100.5')).status).toBe(401);
    }
    expect((await login('t_admin', TEST_PASSWORD, '198.51.100.5')).status).toBe(200);
  });

  it('failures from address A do not stop the same user at address B', async () => {
    await viewer('thr_ab');
    for (let i = 0; i < THROTTLE.accountFree; i++) expect((await login('thr_ab', `wrong-${i}-pass`, '192.0.2.10')).status).toBe(401);
    const fromB = await login('thr_ab', STRONG, '192.0.2.11');
    expect(fromB.status).toBe(200);
    // A success at B does not lift A's throttle (it is a different pair).
    const [row] = await db.query<{ attempts: number }>(`SELECT attempts FROM login_throttle WHERE username = 'thr_ab' AND address = '192.0.2.10'`);
    expect(row.attempts).toBe(THROTTLE.accountFree);
  });

  it('delays grow 1 s, 2 s, 4 s …, and an admin lifts them (audited)', async () => {
    await viewer('thr_grow');
    const delayOf = async () => {
      const [r] = await db.query<{ d: number }>(
        `SELECT extract(epoch FROM next_at - updated_at)::float8 AS d FROM login_throttle WHERE username = 'thr_grow' AND address = '192.0.2.77'`,
      );
      return r.d;
    };
    const seen: number[] = [];
    for (let i = 0; i < THROTTLE.accountFree; i++) {
      expect((await login('thr_grow', `wrong-${i}-pass`, '192.0.2.77')).status).toBe(401);
      seen.push(await delayOf());
    }
    await sleep(1100);
    expect((await login('thr_grow', 'wrong-6-pass', '192.0.2.77')).status).toBe(401);
    seen.push(await delayOf());
    await sleep(2100);
    expect((await login('thr_grow', 'wrong-7-pass', '192.0.2.77')).status).toBe(401);
    seen.push(await delayOf());
    expect(seen).toEqual([0, 0, 0, 0, 1, 2, 4]);

    // Within the 4 s: even the right password waits, and is told how long.
    const blocked = await login('thr_grow', STRONG, '192.0.2.77');
    expect(blocked.status).toBe(429);
    const wait = Number(blocked.headers.get('retry-after'));
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(4);

    const viewerSession = await signIn(app, 'viewer');
    expect((await app.request('/api/users/thr_grow/login-throttle', { method: 'DELETE', headers: as(viewerSession) })).status).toBe(403);
    const admin = await signIn(app, 'admin');
    const unlock = await app.request('/api/users/THR_GROW/login-throttle', { method: 'DELETE', headers: as(admin) });
    expect(await unlock.json()).toEqual({ ok: true, cleared: 1 });
    expect((await login('thr_grow', STRONG, '192.0.2.77')).status).toBe(200);
    const [logged] = await db.query<{ detail: { cleared: number } }>(
      `SELECT detail FROM audit_log WHERE action = 'login_unlock' AND target_id = 'thr_grow' AND actor = 't_admin'`,
    );
    expect(logged.detail.cleared).toBe(1);
  });

  it('a success starts the pair over', async () => {
    await viewer('thr_reset');
    for (let i = 0; i < THROTTLE.accountFree - 1; i++) expect((await login('thr_reset', `wrong-${i}-pass`, '192.0.2.90')).status).toBe(401);
    expect((await login('thr_reset', STRONG, '192.0.2.90')).status).toBe(200);
    expect(await db.query(`SELECT 1 FROM login_throttle WHERE username = 'thr_reset'`)).toEqual([]);
  });
});

describe('issue #14.9: behind a trusted TLS proxy', () => {
  const proxied = () => createApp({ db, config: loadConfig({ GRIDATLAS_TRUSTED_PROXIES: '10.0.0.0/8, ::1' }) });
  const https = { 'x-forwarded-proto': 'https', 'x-forwarded-for': '198.51.100.200' };

  it('sets a Secure session cookie only when a trusted proxy says the browser used HTTPS', async () => {
    const behind = proxied();
    const cookieOf = async (res: Response) => {
      expect(res.status).toBe(200);
      return res.headers.get('set-cookie') ?? '';
    };
    expect(await cookieOf(await login('t_viewer', TEST_PASSWORD, '10.1.2.3', { via: behind, headers: https }))).toMatch(/;\s*Secure/i);
    expect(await cookieOf(await login('t_viewer', TEST_PASSWORD, '::ffff:10.1.2.3', { via: behind, headers: https }))).toMatch(/;\s*Secure/i);
    // The same headers from an untrusted peer, or with no proxy configured, are ignored.
    expect(await cookieOf(await login('t_viewer', TEST_PASSWORD, '203.0.113.9', { via: behind, headers: https }))).not.toMatch(/Secure/i);
    expect(await cookieOf(await login('t_viewer', TEST_PASSWORD, '10.1.2.3', { headers: https }))).not.toMatch(/Secure/i);
    expect(await cookieOf(await login('t_viewer', TEST_PASSWORD, '10.1.2.3', { via: behind, headers: { 'x-forwarded-proto': 'http' } }))).not.toMatch(/Secure/i);
  });

  it('throttles and audits the forwarded client, not the proxy', async () => {
    const behind = proxied();
    await viewer('thr_proxy');
    const from = (client: string) => ({ via: behind, headers: { 'x-forwarded-for': `${client}, 10.0.0.9` } });
    for (let i = 0; i < THROTTLE.accountFree; i++) expect((await login('thr_proxy', `wrong-${i}-pass`, '10.0.0.1', from('198.51.100.61'))).status).toBe(401);
    // Another client behind the same proxy is not slowed down by the first one.
    expect((await login('thr_proxy', STRONG, '10.0.0.1', from('198.51.100.62'))).status).toBe(200);
    const ips = await db.query<{ ip: string }>(`SELECT DISTINCT ip FROM audit_log WHERE actor = 'thr_proxy' ORDER BY ip`);
    expect(ips.map((r) => r.ip)).toEqual(['198.51.100.61', '198.51.100.62']);
    // A client cannot choose its own address by sending X-Forwarded-For without the proxy.
    expect((await login('thr_proxy', 'wrong-x-pass', '203.0.113.50', { via: behind, headers: { 'x-forwarded-for': '198.51.100.62' } })).status).toBe(401);
    const [last] = await db.query<{ ip: string }>(`SELECT ip FROM audit_log WHERE actor = 'thr_proxy' ORDER BY id DESC LIMIT 1`);
    expect(last.ip).toBe('203.0.113.50');
  });
});
