/** Sign-in, sessions, rate limiting, password change and kiosk links through the real API. */
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../helpers/app.js';
import { TEST_PASSWORD, as, ensureTestUsers, signIn } from '../helpers/auth.js';
import { createUser } from '../../server/auth/users.repo.js';
import type { Database } from '../../server/db/client.js';

type App = Awaited<ReturnType<typeof testApp>>['app'];
let app: App;
let db: Database;

beforeAll(async () => {
  const t = await testApp();
  ({ app, db } = t);
  await ensureTestUsers(t.db, t.dataset);
});

const login = (username: string, password: string) =>
  app.request('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });

describe('sign-in', () => {
  it('sets an HttpOnly SameSite=Strict cookie and reports who is signed in', async () => {
    const res = await login('t_planner', TEST_PASSWORD);
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/ga_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const s = await signIn(app, 'planner');
    const me = (await (await app.request('/api/auth/me', { headers: as(s) })).json()) as { username: string; roles: { role: string }[] };
    expect(me.username).toBe('t_planner');
    expect(me.roles.map((r) => r.role)).toEqual(['planner']);
  });

  it('logs successful and failed logins, and throttles repeated failures with 429', async () => {
    await createUser(db, { username: 'victim', password: 'Blue-kettle-Orbit-73', grants: [{ role: 'viewer', scopeType: 'street', scopeCode: '*' }] });
    // 5 free attempts, then a delay that doubles with each one (login-throttle.ts): a 429 comes soon.
    let failed = 0;
    while ((await login('victim', 'wrong-password')).status === 401) failed++;
    expect(failed).toBeGreaterThanOrEqual(5);
    expect(failed).toBeLessThanOrEqual(7);
    const blocked = await login('victim', 'Blue-kettle-Orbit-73');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await blocked.json()) as { error: { message: string } }).error.message).toMatch(/秒后再试.*retry/);

    const admin = await signIn(app, 'admin');
    const log = (await (await app.request('/api/audit?actor=victim&action=login_failed', { headers: as(admin) })).json()) as { total: number };
    expect(log.total).toBe(failed);
    const ok = (await (await app.request('/api/audit?actor=t_admin&action=login', { headers: as(admin) })).json()) as { total: number };
    expect(ok.total).toBeGreaterThan(0);
  });

  it('changes a password, ends the other sessions, and logs out', async () => {
    await createUser(db, { username: 'changer', password: 'First-password-1', grants: [{ role: 'viewer', scopeType: 'street', scopeCode: '*' }] });
    const first = await login('changer', 'First-password-1');
    const a = { cookie: /ga_session=[^;]+/.exec(first.headers.get('set-cookie')!)![0], csrf: ((await first.json()) as { csrfToken: string }).csrfToken };
    const second = await login('changer', 'First-password-1');
    const b = { cookie: /ga_session=[^;]+/.exec(second.headers.get('set-cookie')!)![0], csrf: ((await second.json()) as { csrfToken: string }).csrfToken };

    const weak = await app.request('/api/auth/password', { method: 'POST', headers: as(a), body: JSON.stringify({ current: 'First-password-1', next: 'short' }) });
    expect(weak.status).toBe(400);
    const wrong = await app.request('/api/auth/password', { method: 'POST', headers: as(a), body: JSON.stringify({ current: 'nope', next: 'Second-password-2' }) });
    expect(wrong.status).toBe(403);
    const done = await app.request('/api/auth/password', { method: 'POST', headers: as(a), body: JSON.stringify({ current: 'First-password-1', next: 'Second-password-2' }) });
    expect(done.status).toBe(200);

    expect((await app.request('/api/auth/me', { headers: as(b) })).status).toBe(401);
    expect((await app.request('/api/auth/me', { headers: as(a) })).status).toBe(200);
    expect((await login('changer', 'First-password-1')).status).toBe(401);
    expect((await login('changer', 'Second-password-2')).status).toBe(200);

    expect((await app.request('/api/auth/logout', { method: 'POST', headers: as(a) })).status).toBe(200);
    expect((await app.request('/api/auth/me', { headers: as(a) })).status).toBe(401);
  });

  it('opens a screen session from a kiosk link until the link is revoked', async () => {
    const admin = await signIn(app, 'admin');
    const created = (await (await app.request('http://localhost/api/kiosk-tokens', { method: 'POST', headers: as(admin), body: '{"label":"会议室大屏"}' })).json()) as { id: number; url: string };
    const path = new URL(created.url).pathname;
    const open = await app.request(path);
    expect(open.status).toBe(302);
    expect(open.headers.get('location')).toBe('/screen');
    const cookie = /ga_session=[^;]+/.exec(open.headers.get('set-cookie')!)![0];
    const me = (await (await app.request('/api/auth/me', { headers: { cookie } })).json()) as { kind: string; roles: { role: string }[] };
    expect(me.kind).toBe('kiosk');
    expect(me.roles[0].role).toBe('screen');
    expect((await app.request('/api/stats', { headers: { cookie } })).status).toBe(200);

    expect((await app.request(`/api/kiosk-tokens/${created.id}`, { method: 'DELETE', headers: as(admin) })).status).toBe(200);
    expect((await app.request('/api/auth/me', { headers: { cookie } })).status).toBe(401);
    expect((await app.request(path)).status).toBe(404);
  });

  it('sends security headers with a CSP that allows no inline scripts', async () => {
    const res = await app.request('/api/health');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBeTruthy();
  });
});
