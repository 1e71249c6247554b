/**
 * Every route of the app declares who may call it, and the declaration holds: each route is
 * called anonymously and with every role; the answer must be 401 / 403 exactly where
 * ROUTE_ACCESS says so, and never where it does not (a route's own scope check — a community
 * planner on a street-wide plan — answers 403 `out_of_scope`, which is not a role decision).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_ACCESS } from '../../server/auth/access.js';
import { decide, type Principal, type Role } from '../../server/auth/principal.js';
import { testApp } from '../helpers/app.js';
import { ALL_ROLES, as, ensureTestUsers, signIn } from '../helpers/auth.js';

type App = Awaited<ReturnType<typeof testApp>>['app'];
let app: App;

beforeAll(async () => {
  const t = await testApp();
  app = t.app;
  await ensureTestUsers(t.db, t.dataset);
});

const SAMPLE: Record<string, string> = { code: 'NO-SUCH-BUILDING', layer: 'grids', z: '15', x: '0', file: '0.mvt', token: 'no-such-token', id: '999999' };

function concrete(path: string): string {
  if (path === '/tiles/:file') return '/tiles/grids.json';
  if (path === '/*' || path === '*') return '/index.html';
  return path.replace(/:(\w+)/g, (_, name: string) => SAMPLE[name]);
}

const fakePrincipal = (role: Role): Principal => ({
  kind: role === 'screen' ? 'kiosk' : 'user', id: 1, name: role, displayName: role,
  grants: role === 'screen' ? [] : [{ role, scopeType: 'street', scopeCode: '*' }], sessionId: '', csrfToken: '',
});

describe('route access', () => {
  it('has a declared rule for every route the app serves', () => {
    const routes = app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`);
    const undeclared = routes.filter((k) => !(k in ROUTE_ACCESS));
    expect(undeclared).toEqual([]);
    const stale = Object.keys(ROUTE_ACCESS).filter((k) => !routes.includes(k));
    expect(stale).toEqual([]);
  });

  it('answers 401/403 exactly as declared, for anonymous callers and every role', async () => {
    const routes = app.routes.filter((r) => r.method !== 'ALL' && `${r.method} ${r.path}` in ROUTE_ACCESS);
    for (const who of [null, ...ALL_ROLES] as (Role | null)[]) {
      for (const r of routes) {
        // A fresh session per call: logout and password changes must not spoil the next check.
        const session = who ? await signIn(app, who) : null;
        const res = await app.request(concrete(r.path), { method: r.method, headers: as(session), body: r.method === 'GET' ? undefined : '{}' });
        const expected = decide(ROUTE_ACCESS[`${r.method} ${r.path}`], who ? fakePrincipal(who) : null);
        const label = `${who ?? 'anonymous'} ${r.method} ${r.path} → ${res.status}`;
        if (expected === 'unauthenticated') expect(res.status, label).toBe(401);
        else if (expected === 'forbidden') expect(res.status, label).toBe(403);
        else {
          // Allowed by role. A route may still refuse on scope (403 out_of_scope), never on role.
          expect(res.status, label).not.toBe(401);
          if (res.status === 403) expect(((await res.json()) as { error: { code: string } }).error.code, label).not.toBe('forbidden');
        }
      }
    }
  });

  it('refuses a state-changing request without the CSRF token', async () => {
    const s = await signIn(app, 'admin');
    const bad = await app.request('/api/kiosk-tokens', { method: 'POST', headers: { cookie: s.cookie, 'content-type': 'application/json' }, body: '{"label":"x"}' });
    expect(bad.status).toBe(403);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('csrf');
    const good = await app.request('/api/kiosk-tokens', { method: 'POST', headers: as(s), body: '{"label":"大厅大屏"}' });
    expect(good.status).toBe(201);
  });
});
