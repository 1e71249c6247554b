/** Test accounts for every role, and signing in through the real API. */
import type { Hono } from 'hono';
import type { Database } from '../../server/db/client.js';
import type { Role, RoleGrant } from '../../server/auth/principal.js';
import { createKioskToken, createUser } from '../../server/auth/users.repo.js';
import type { StreetDataset } from '../../data/generate/types.js';

export const TEST_PASSWORD = 'Test-password-2024';
export const ALL_ROLES: readonly Role[] = ['admin', 'planner', 'grid_worker', 'viewer', 'screen'];
const KIOSK_TOKEN = 'test-kiosk-token-0123456789';

let created: Promise<void> | undefined;

/** Creates t_admin, t_planner, t_grid_worker, t_viewer and a kiosk link once per database. */
export function ensureTestUsers(db: Database, ds: StreetDataset) {
  created ??= (async () => {
    const community = ds.communities[0].code;
    const grid = ds.plan.grids.find((g) => g.communityCode === community)!.code;
    const grants: Record<Exclude<Role, 'screen'>, RoleGrant> = {
      admin: { role: 'admin', scopeType: 'street', scopeCode: ds.street.code },
      planner: { role: 'planner', scopeType: 'community', scopeCode: community },
      grid_worker: { role: 'grid_worker', scopeType: 'grid', scopeCode: grid },
      viewer: { role: 'viewer', scopeType: 'street', scopeCode: ds.street.code },
    };
    for (const [role, grant] of Object.entries(grants)) {
      await createUser(db, { username: `t_${role}`, password: TEST_PASSWORD, grants: [grant] });
    }
    await createKioskToken(db, KIOSK_TOKEN, 'test wall', null);
  })();
  return created;
}

let scoped: Promise<void> | undefined;

/**
 * Accounts for the scope checks of issue #14, once per database: a street-wide planner
 * (t_street_planner) and an admin scoped to the first community (t_community_admin) — the test
 * accounts above cover a community planner, a grid worker and a street viewer.
 */
export function ensureScopedUsers(db: Database, ds: StreetDataset) {
  scoped ??= (async () => {
    await ensureTestUsers(db, ds);
    const extra: Record<string, RoleGrant> = {
      t_street_planner: { role: 'planner', scopeType: 'street', scopeCode: ds.street.code },
      t_community_admin: { role: 'admin', scopeType: 'community', scopeCode: ds.communities[0].code },
    };
    for (const [username, grant] of Object.entries(extra)) await createUser(db, { username, password: TEST_PASSWORD, grants: [grant] });
  })();
  return scoped;
}

export interface Session {
  cookie: string;
  csrf: string;
}

function cookieFrom(res: Response): string {
  const set = res.headers.get('set-cookie') ?? '';
  const m = /ga_session=([^;]+)/.exec(set);
  if (!m) throw new Error(`no session cookie (status ${res.status})`);
  return `ga_session=${m[1]}`;
}

type Requester = Hono<never> | { request: Hono['request'] };

/** Signs in as the test account of `role` (the kiosk link for 'screen'). */
export async function signIn(app: Requester, role: Role): Promise<Session> {
  if (role === 'screen') {
    const res = await app.request(`/kiosk/${KIOSK_TOKEN}`);
    const cookie = cookieFrom(res);
    const me = await app.request('/api/auth/me', { headers: { cookie } });
    return { cookie, csrf: ((await me.json()) as { csrfToken: string }).csrfToken };
  }
  return signInAs(app, `t_${role}`);
}

/** Signs in as a test account by name (all share TEST_PASSWORD). */
export async function signInAs(app: Requester, username: string): Promise<Session> {
  const res = await app.request('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: TEST_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login as ${username} → ${res.status} ${await res.text()}`);
  return { cookie: cookieFrom(res), csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
}

/** Request headers for a session (cookie, CSRF token, JSON body). */
export const as = (s: Session | null, extra: Record<string, string> = {}) => ({
  ...(s ? { cookie: s.cookie, 'x-csrf-token': s.csrf } : {}),
  'content-type': 'application/json',
  ...extra,
});
