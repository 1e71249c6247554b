/**
 * Every route of the app declares who may call it, and the declaration holds: each route is
 * called anonymously and with every role; the answer must be 401 / 403 exactly where
 * ROUTE_ACCESS says so, and never where it does not (a route's own scope check — a community
 * planner on a street-wide plan — answers 403 `out_of_scope`, which is not a role decision).
 *
 * Scope (issue #14): every state-changing route of ROUTE_ACCESS is sent requests aimed outside
 * the caller's scope (tests/helpers/foreign-targets.ts, which must list every such route) by a
 * community planner, a community admin, a grid worker and a street viewer; each must be refused
 * and leave every table as it was (tests/helpers/db-digest.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_ACCESS } from '../../server/auth/access.js';
import { decide, type Principal, type Role } from '../../server/auth/principal.js';
import { testApp } from '../helpers/app.js';
import { ALL_ROLES, type Session, TEST_PASSWORD, as, ensureScopedUsers, signIn, signInAs } from '../helpers/auth.js';
import { dataDigest } from '../helpers/db-digest.js';
import { FOREIGN_REQUEST, FOREIGN_TARGETS, type Probe, type ScopeCtx } from '../helpers/foreign-targets.js';
import { publishedId } from '../helpers/plan-digest.js';
import type { RoleGrant } from '../../server/auth/principal.js';
import { createKioskToken, createUser } from '../../server/auth/users.repo.js';
import { isolatedApp } from '../helpers/isolated-db.js';
import { seedSecondStreet } from '../helpers/second-street.js';
import { OTHER_STREET_READS, type OtherStreetCtx } from '../helpers/other-street-targets.js';

type App = Awaited<ReturnType<typeof testApp>>['app'];
let app: App;
let t: Awaited<ReturnType<typeof testApp>>;

let publishedAtStart: number;

beforeAll(async () => {
  t = await testApp();
  app = t.app;
  await ensureScopedUsers(t.db, t.dataset);
  publishedAtStart = await publishedId(t.db);
});

// The files of this project share one database: the scope test publishes a community plan (its
// content is the same) and reports one request; leave the street as it was for the next file.
afterAll(async () => {
  await t.db.query(`DELETE FROM requests WHERE description = $1`, [FOREIGN_REQUEST]);
  if ((await publishedId(t.db)) === publishedAtStart) return;
  const admin = await signIn(app, 'admin');
  const copy = (await (await app.request('/api/plans', { method: 'POST', headers: as(admin), body: JSON.stringify({ from: publishedAtStart }) })).json()) as { id: number };
  await app.request(`/api/plans/${copy.id}/publish`, { method: 'POST', headers: as(admin), body: JSON.stringify({ reason: 'restore the plan after the scope test' }) });
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

/** The scoped callers: accounts whose scope is less than the street (or whose role writes nothing). */
const SCOPED = ['t_planner', 't_community_admin', 't_grid_worker', 't_viewer'];
const WRITE_ROUTES = () => Object.keys(ROUTE_ACCESS).filter((k) => !k.startsWith('GET '));

async function send(method: string, probe: Probe, s: Session, on: { request: App['request'] } = app) {
  if (probe.file) {
    const form = new FormData();
    form.append('file', new File([probe.file.text], probe.file.name));
    return on.request(probe.path, { method, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf }, body: form });
  }
  return on.request(probe.path, { method, headers: as(s, probe.headers), body: probe.body === undefined ? undefined : JSON.stringify(probe.body) });
}

describe('scope: no write route lets a scoped role change anything outside its scope (issue #14)', () => {
  it('has a foreign target for every state-changing route, and none for a route that is gone', () => {
    expect(WRITE_ROUTES().filter((k) => !(k in FOREIGN_TARGETS)), 'write routes without a foreign target').toEqual([]);
    expect(Object.keys(FOREIGN_TARGETS).filter((k) => !WRITE_ROUTES().includes(k)), 'stale foreign targets').toEqual([]);
  });

  it('refuses every foreign target for every scoped caller and leaves every table unchanged', async () => {
    const admin = await signIn(app, 'admin');
    const ctx: ScopeCtx = { app, db: t.db, ds: t.dataset, admin, planner: () => signIn(app, 'planner') };
    const holes: string[] = [];
    for (const key of WRITE_ROUTES()) {
      const target = FOREIGN_TARGETS[key];
      const method = key.split(' ')[0];
      // A target that cannot even be prepared (the street already damaged) is reported, not thrown.
      const probes = await target.prepare(ctx).catch((e: Error) => (holes.push(`${key}: prepare failed: ${e.message}`), []));
      for (const username of SCOPED) {
        for (const probe of probes) {
          // A fresh session per call: logout and password changes must not spoil the next one.
          const session = await signInAs(app, username);
          if (probe.own) {
            const fresh = { ...probe, ...(await probe.own.fresh()) };
            const outside = await probe.own.outside();
            const res = await send(method, fresh, session);
            if (res.status >= 500) holes.push(`${username} ${method} ${fresh.path} → ${res.status}`);
            const now = await probe.own.outside();
            if (JSON.stringify(now) !== JSON.stringify(outside)) holes.push(`${username} ${method} ${fresh.path} → ${res.status}: changed what lies outside their community`);
            continue;
          }
          const before = await dataDigest(t.db);
          const res = await send(method, probe, session);
          const label = `${username} ${method} ${probe.path} ${JSON.stringify(probe.body ?? probe.file?.name ?? '')} → ${res.status}`;
          if (target.kind === 'foreign' && ![401, 403, 404, ...(probe.alsoRefused ?? [])].includes(res.status)) holes.push(`${label}: not refused`);
          const after = await dataDigest(t.db);
          const changed = Object.keys(before).filter((table) => after[table] !== before[table]);
          if (changed.length > 0) holes.push(`${label}: changed ${changed.join(', ')}`);
        }
      }
    }
    expect(holes).toEqual([]);
  });
});

/**
 * Issue #15: a second street of another district beside the first, in a database of their own.
 * Accounts of the first street (street admin, street planner, district viewer, grid worker) and
 * a kiosk of the first street are sent every protected read of the second street's data
 * (tests/helpers/other-street-targets.ts) and every write target prepared in the second street
 * (FOREIGN_TARGETS, each path naming `?street=` of the second street): all refused, nothing changed.
 */
describe('the other street: street-scoped accounts and kiosks reach nothing of it (issue #15)', () => {
  let two: Awaited<ReturnType<typeof isolatedApp>>;
  let other: OtherStreetCtx;
  const CALLERS = ['t_a_admin', 't_a_planner', 't_a_district', 't_a_worker'];
  const KIOSK = 'access-other-street-kiosk-0123';

  beforeAll(async () => {
    two = await isolatedApp('access_streets');
    const b = (await seedSecondStreet(two.db)).dataset;
    const a = two.dataset;
    const grants: Record<string, RoleGrant> = {
      t_root: { role: 'admin', scopeType: 'street', scopeCode: '*' },
      t_a_admin: { role: 'admin', scopeType: 'street', scopeCode: a.street.code },
      t_a_planner: { role: 'planner', scopeType: 'street', scopeCode: a.street.code },
      t_a_district: { role: 'viewer', scopeType: 'district', scopeCode: a.street.code.slice(0, 6) },
      t_a_worker: { role: 'grid_worker', scopeType: 'grid', scopeCode: a.plan.grids[0].code },
      t_b_planner: { role: 'planner', scopeType: 'community', scopeCode: b.communities[0].code },
    };
    for (const [username, grant] of Object.entries(grants)) await createUser(two.db, { username, password: TEST_PASSWORD, grants: [grant] });
    await createKioskToken(two.db, KIOSK, 'street A wall', null, { scopeType: 'street', scopeCode: a.street.code });
    other = { app: two.app, db: two.db, ds: b, root: await signInAs(two.app, 't_root') };
  });
  afterAll(async () => two?.close());

  const PROTECTED_READS = () => Object.keys(ROUTE_ACCESS).filter((k) => k.startsWith('GET ') && Array.isArray(ROUTE_ACCESS[k]));

  it('has an other-street read for every protected GET route', () => {
    expect(PROTECTED_READS().filter((k) => !(k in OTHER_STREET_READS)), 'protected reads without an other-street target').toEqual([]);
    expect(Object.keys(OTHER_STREET_READS).filter((k) => !PROTECTED_READS().includes(k)), 'stale targets').toEqual([]);
  });

  it('refuses every protected read of the other street, and the kiosk its screen', async () => {
    const holes: string[] = [];
    const sessions = await Promise.all(CALLERS.map((u) => signInAs(two.app, u)));
    for (const key of PROTECTED_READS()) {
      for (const path of await OTHER_STREET_READS[key](other)) {
        for (const [i, s] of sessions.entries()) {
          const res = await two.app.request(path, { headers: as(s) });
          if (![401, 403, 404].includes(res.status)) holes.push(`${CALLERS[i]} GET ${path} → ${res.status}`);
        }
      }
    }
    const kiosk = await (async () => {
      const res = await two.app.request(`/kiosk/${KIOSK}`);
      return { cookie: /ga_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')![0], csrf: '' };
    })();
    const screen = await two.app.request(`/api/screen/summary?street=${other.ds.street.code}`, { headers: as(kiosk) });
    if (screen.status !== 403) holes.push(`kiosk GET /api/screen/summary?street=<other> → ${screen.status}`);
    expect(holes).toEqual([]);
  });

  it('refuses every write target of the other street and leaves every table unchanged', async () => {
    const ctx: ScopeCtx = { app: two.app, db: two.db, ds: other.ds, admin: other.root, planner: () => signInAs(two.app, 't_b_planner') };
    const withStreet = (path: string) => `${path}${path.includes('?') ? '&' : '?'}street=${other.ds.street.code}`;
    const sessions = await Promise.all(CALLERS.map((u) => signInAs(two.app, u)));
    const holes: string[] = [];
    for (const key of WRITE_ROUTES()) {
      const target = FOREIGN_TARGETS[key];
      if (target.kind !== 'foreign') continue; // the caller's own session/account, or nothing stored
      const method = key.split(' ')[0];
      const probes = await target.prepare(ctx).catch((e: Error) => (holes.push(`${key}: prepare failed: ${e.message}`), []));
      for (const probe of probes) {
        const aimed = probe.own ? { ...probe, ...(await probe.own.fresh()) } : probe;
        for (const [i, s] of sessions.entries()) {
          const before = await dataDigest(two.db);
          const res = await send(method, { ...aimed, path: withStreet(aimed.path) }, s, two.app);
          const label = `${CALLERS[i]} ${method} ${withStreet(aimed.path)} ${JSON.stringify(aimed.body ?? aimed.file?.name ?? '')} → ${res.status}`;
          if (![401, 403, 404, ...(probe.alsoRefused ?? [])].includes(res.status)) holes.push(`${label}: not refused`);
          const after = await dataDigest(two.db);
          const changed = Object.keys(before).filter((table) => after[table] !== before[table]);
          if (changed.length > 0) holes.push(`${label}: changed ${changed.join(', ')}`);
        }
      }
    }
    expect(holes).toEqual([]);
  });
});
