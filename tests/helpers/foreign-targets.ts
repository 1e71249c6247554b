/**
 * For every state-changing route of ROUTE_ACCESS: requests aimed OUTSIDE the scope of the test's
 * scoped callers (a planner and an admin of the first community, a grid worker of one of its
 * grids, a street-wide viewer). tests/integration/access.test.ts sends each as each caller and
 * requires a refusal and an unchanged database; it fails for a write route missing here, so a new
 * route cannot be forgotten (issue #14).
 *
 * `prepare` runs once per route as the street-wide admin (it may create the foreign draft, job,
 * request or kiosk link to aim at) and returns the probes. A probe expects 401/403/404 unless it
 * names other refusals (an edit of the caller's own community draft that reaches into another
 * community is a 400 `out_of_plan_scope` / `wrong_community`, or 409 for a finished job).
 * Two kinds of route have no foreign target: `own` ones act on the caller's own session or
 * account only, `compute` ones write nothing; they are still sent and must change nothing shared.
 */
import type { Hono } from 'hono';
import type { StreetDataset } from '../../data/generate/types.js';
import type { Database } from '../../server/db/client.js';
import { type Session, TEST_PASSWORD, as } from './auth.js';
import { communityDigests } from './plan-digest.js';

export interface ScopeCtx {
  app: { request: Hono['request'] };
  db: Database;
  ds: StreetDataset;
  /** The street-wide admin, who prepares the targets. */
  admin: Session;
  /** A fresh session of the scoped planner (community 0), for targets inside their own draft. */
  planner: () => Promise<Session>;
}

export interface Probe {
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Sent as multipart/form-data field `file` instead of a JSON body. */
  file?: { name: string; text: string };
  /** Accepted refusals besides 401/403/404. */
  alsoRefused?: number[];
  /**
   * A request the scoped planner may make inside their own community (it may succeed and change
   * their community): `fresh` makes a new target for each call, and `outside` — a snapshot of
   * what lies outside the community — must be the same after it as before.
   */
  own?: { fresh: () => Promise<{ path: string; body?: unknown }>; outside: () => Promise<unknown> };
}

export type Target =
  | { kind: 'foreign'; prepare: (ctx: ScopeCtx) => Promise<Probe[]> }
  | { kind: 'own' | 'compute'; why: string; prepare: (ctx: ScopeCtx) => Promise<Probe[]> };

const mine = (ds: StreetDataset) => ds.communities[0].code;
const foreign = (ds: StreetDataset) => ds.communities[1].code;
const foreignGrid = (ds: StreetDataset) => ds.plan.grids.find((g) => g.communityCode === foreign(ds))!.code;

async function json<T>(ctx: ScopeCtx, method: string, path: string, body: unknown, s: Session): Promise<T> {
  const res = await ctx.app.request(path, { method, headers: as(s), body: JSON.stringify(body) });
  if (res.status >= 300) throw new Error(`prepare ${method} ${path} → ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** A draft made by `s` (the admin unless given), with its version for If-Match. */
async function draftOf(ctx: ScopeCtx, body: object, s = ctx.admin): Promise<{ id: number; version: number }> {
  return json(ctx, 'POST', `/api/plans?${streetQ(ctx)}`, body, s);
}

/** The published plan of the dataset's street (one per street, issue #15). */
export const publishedPlan = async (ctx: Pick<ScopeCtx, 'db' | 'ds'>) =>
  (await ctx.db.query<{ id: number }>(
    `SELECT p.id FROM grid_plans p JOIN streets s ON s.id = p.street_id WHERE p.status = 'published' AND s.code = $1 ORDER BY p.id LIMIT 1`,
    [ctx.ds.street.code],
  ))[0].id;

/** `street=<code>` of the dataset's street: targets prepared in a database of several streets name theirs. */
const streetQ = (ctx: ScopeCtx) => `street=${ctx.ds.street.code}`;

/** A point in a grid of the demo plan: the centroid of its first building (not read from any plan). */
async function inside(ctx: ScopeCtx, grid: string): Promise<{ lon: number; lat: number }> {
  const building = ctx.ds.plan.grids.find((g) => g.code === grid)!.buildingCodes[0];
  const [p] = await ctx.db.query<{ lon: number; lat: number }>('SELECT ST_X(centroid) AS lon, ST_Y(centroid) AS lat FROM buildings WHERE code = $1', [building]);
  return p;
}

/** The published plan's grids, workers and assignments in every community but the scoped one. */
async function publishedOutside(ctx: ScopeCtx): Promise<Record<string, string>> {
  const all = await communityDigests(ctx.db, await publishedPlan(ctx));
  return Object.fromEntries([...all].filter(([c]) => c !== mine(ctx.ds)));
}

/**
 * The scoped planner's own community draft, holding nothing outside its community — what a draft
 * `from: "empty"` held before issue #14.1 (and what any draft may hold by the time it is published).
 */
async function staleOwnDraft(ctx: ScopeCtx): Promise<number> {
  const { id } = await draftOf(ctx, { community: mine(ctx.ds), from: 'published' }, await ctx.planner());
  await ctx.db.query('DELETE FROM grids WHERE plan_id = $1 AND community_id <> (SELECT id FROM communities WHERE code = $2)', [id, mine(ctx.ds)]);
  return id;
}

/** The description of the request the admin reports in another community (removed after the test). */
export const FOREIGN_REQUEST = '他社区的诉求（范围测试）';

const ifMatch = (version: number) => ({ 'if-match': `"${version}"` });

export const FOREIGN_TARGETS: Record<string, Target> = {
  'POST /api/auth/login': { kind: 'own', why: 'signs the caller in as themself', prepare: async () => [{ path: '/api/auth/login', body: { username: 't_planner', password: TEST_PASSWORD } }] },
  'POST /api/auth/logout': { kind: 'own', why: "ends the caller's own session", prepare: async () => [{ path: '/api/auth/logout', body: {} }] },
  'POST /api/auth/password': { kind: 'own', why: "changes the caller's own password only (no account parameter)", prepare: async () => [{ path: '/api/auth/password', body: { current: 'not-my-password', next: 'Another-long-passphrase-2024' } }] },
  'POST /api/coverage/sites': { kind: 'compute', why: 'proposes sites; stores nothing', prepare: async () => [{ path: '/api/coverage/sites', body: { category: 'elderly_canteen', level: 10, k: 1 } }] },

  'POST /api/plans': {
    kind: 'foreign',
    prepare: async (ctx) => [
      { path: '/api/plans', body: { community: foreign(ctx.ds), from: 'empty' } },
      { path: '/api/plans', body: { from: 'empty' } },
      { path: '/api/plans', body: { from: 'published' } },
    ],
  },
  'PATCH /api/plans/:id': {
    kind: 'foreign',
    prepare: async (ctx) => {
      const theirs = await draftOf(ctx, { community: foreign(ctx.ds), from: 'published' });
      const street = await draftOf(ctx, { from: 'published' });
      const own = await draftOf(ctx, { community: mine(ctx.ds), from: 'published' }, await ctx.planner());
      const rename = { ops: [{ op: 'renameGrid', grid: foreignGrid(ctx.ds), name: '越权改名' }] };
      const building = ctx.ds.plan.grids.find((g) => g.code === foreignGrid(ctx.ds))!.buildingCodes[0];
      const myGrid = ctx.ds.plan.grids.find((g) => g.communityCode === mine(ctx.ds))!.code;
      const ownProbe = (ops: unknown[]) => ({ path: `/api/plans/${own.id}`, headers: ifMatch(own.version), body: { ops }, alsoRefused: [400] });
      return [
        { path: `/api/plans/${theirs.id}`, headers: ifMatch(theirs.version), body: rename },
        { path: `/api/plans/${street.id}`, headers: ifMatch(street.version), body: rename },
        // Their own community's draft, reaching into another community.
        ownProbe(rename.ops),
        ownProbe([{ op: 'assign', grid: myGrid, buildings: [building] }]),
        ownProbe([{ op: 'addGrid', community: foreign(ctx.ds), name: '越权网格' }]),
        ownProbe([{ op: 'deleteGrid', grid: foreignGrid(ctx.ds) }]),
        ownProbe([{ op: 'lock', grid: foreignGrid(ctx.ds), locked: true }]),
      ];
    },
  },
  'DELETE /api/plans/:id': {
    kind: 'foreign',
    prepare: async (ctx) => [
      { path: `/api/plans/${(await draftOf(ctx, { community: foreign(ctx.ds), from: 'published' })).id}` },
      { path: `/api/plans/${(await draftOf(ctx, { from: 'published' })).id}` },
    ],
  },
  'POST /api/plans/:id/publish': {
    kind: 'foreign',
    prepare: async (ctx) => [
      { path: `/api/plans/${(await draftOf(ctx, { community: foreign(ctx.ds), from: 'empty' })).id}/publish`, body: { reason: '越权发布测试' } },
      { path: `/api/plans/${(await draftOf(ctx, { from: 'empty' })).id}/publish`, body: { reason: '越权发布测试' } },
      // The probe of issue #14.1: their own community's draft, published, must leave the rest of the street.
      {
        path: '', own: {
          fresh: async () => ({ path: `/api/plans/${await staleOwnDraft(ctx)}/publish`, body: { reason: '本社区发布测试' } }),
          outside: () => publishedOutside(ctx),
        },
      },
    ],
  },
  'POST /api/plans/:id/partition': {
    kind: 'foreign',
    prepare: async (ctx) => [
      { path: `/api/plans/${await publishedPlan(ctx)}/partition`, body: { community: foreign(ctx.ds) } },
      { path: `/api/plans/${(await draftOf(ctx, { community: foreign(ctx.ds), from: 'published' })).id}/partition`, body: { community: foreign(ctx.ds) } },
    ],
  },
  'DELETE /api/jobs/:id': {
    kind: 'foreign',
    prepare: async (ctx) => {
      const { job } = await json<{ job: { id: string } }>(ctx, 'POST', `/api/plans/${await publishedPlan(ctx)}/partition`, { community: foreign(ctx.ds) }, ctx.admin);
      // Wait for the job to write its draft, so the database is quiet while the probes run; the
      // scope check comes before the "already finished" one, so a 409 would mean it was skipped.
      for (let status = ''; !['done', 'failed', 'cancelled'].includes(status); await new Promise((r) => setTimeout(r, 200))) {
        status = (await (await ctx.app.request(`/api/jobs/${job.id}`, { headers: as(ctx.admin) })).json() as { status: string }).status;
      }
      return [{ path: `/api/jobs/${job.id}` }];
    },
  },
  'POST /api/requests': {
    kind: 'foreign',
    prepare: async (ctx) => [
      { path: '/api/requests', body: { category: 'repair', description: '越权上报测试', channel: 'hotline_12345', ...(await inside(ctx, foreignGrid(ctx.ds))) } },
      { path: '/api/requests', body: { category: 'repair', description: '越权上报测试', channel: 'hotline_12345', building: ctx.ds.plan.grids.find((g) => g.code === foreignGrid(ctx.ds))!.buildingCodes[0] } },
      { path: '/api/requests', body: { category: 'other', description: '街道外上报测试', channel: 'hotline_12345', lon: 100, lat: 30 } },
    ],
  },
  'POST /api/requests/:id/transition': {
    kind: 'foreign',
    prepare: async (ctx) => {
      const r = await json<{ id: number }>(ctx, 'POST', '/api/requests', { category: 'repair', description: FOREIGN_REQUEST, channel: 'hotline_12345', ...(await inside(ctx, foreignGrid(ctx.ds))) }, ctx.admin);
      return [
        { path: `/api/requests/${r.id}/transition`, body: { to: 'dispatched', assignee: { kind: 'grid_worker', code: foreignGrid(ctx.ds) } } },
        { path: `/api/requests/${r.id}/transition`, body: { to: 'closed', note: '越权关闭' } },
      ];
    },
  },
  // Issue #18.3: a resident's report needs a genuine QR token (a forged one for a foreign
  // building is refused); rating needs the tracking key; spam marks need the dispatcher's scope.
  'POST /api/public/report/:token': {
    kind: 'foreign',
    prepare: async (ctx) => {
      await ctx.app.request('/api/public/report/warm.up'); // makes the token secret before the digest
      const building = ctx.ds.plan.grids.find((g) => g.code === foreignGrid(ctx.ds))!.buildingCodes[0];
      const forged = `${Buffer.from(`b:${building}:99999`).toString('base64url')}.${'A'.repeat(22)}`;
      return [{ path: `/api/public/report/${forged}`, body: { category: 'repair', description: '伪造二维码的反映' } }];
    },
  },
  'POST /api/public/track/:key/rate': {
    kind: 'foreign',
    prepare: async () => [{ path: `/api/public/track/${'k'.repeat(32)}/rate`, body: { rating: 1 } }],
  },
  'POST /api/requests/:id/spam': {
    kind: 'foreign',
    prepare: async (ctx) => {
      const r = await json<{ id: number }>(ctx, 'POST', '/api/requests', { category: 'repair', description: FOREIGN_REQUEST, channel: 'resident', ...(await inside(ctx, foreignGrid(ctx.ds))) }, ctx.admin);
      return [{ path: `/api/requests/${r.id}/spam`, body: { spam: true } }];
    },
  },
  'PUT /api/life-circle/standard': {
    kind: 'foreign',
    prepare: async (ctx) => {
      const s = (await (await ctx.app.request(`/api/life-circle/standard?${streetQ(ctx)}`)).json()) as object;
      return [{ path: '/api/life-circle/standard', body: { ...s, speedMPerMin: 70 } }];
    },
  },
  // Party reach and load settings (issue #20): street-wide, like the life-circle standard.
  'PUT /api/party-reach/settings': {
    kind: 'foreign',
    prepare: async (ctx) => [{ path: `/api/party-reach/settings?${streetQ(ctx)}`, body: { distanceM: 200, householdsMin: 8, householdsMax: 12 } }],
  },
  // Generated rosters (issue #15.3) write households across the street: street-wide roles only.
  'POST /api/setup/rosters': {
    kind: 'foreign',
    prepare: async (ctx) => [{ path: `/api/setup/rosters?street=${ctx.ds.street.code}&replace=1` }],
  },
  'POST /api/import': {
    kind: 'foreign',
    prepare: async (ctx) => {
      const p = await inside(ctx, foreignGrid(ctx.ds));
      const file = { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [p.lon, p.lat] }, properties: { code: 'TEST-SCOPE-F1', name: '越权设施', category: 'elderly_canteen' } }] };
      // boundaries (issue #15.2) redraw communities: street-wide only, like the walk network.
      return ['facilities', 'walk', 'boundaries'].map((layer) => ({ path: `/api/import?layer=${layer}&crs=wgs84`, file: { name: `scope-${layer}.geojson`, text: JSON.stringify(file) } }));
    },
  },
  'POST /api/kiosk-tokens': { kind: 'foreign', prepare: async () => [{ path: '/api/kiosk-tokens', body: { label: '越权大屏' } }] },
  'DELETE /api/kiosk-tokens/:id': {
    kind: 'foreign',
    prepare: async (ctx) => [{ path: `/api/kiosk-tokens/${(await json<{ id: number }>(ctx, 'POST', '/api/kiosk-tokens', { label: '他人的大屏' }, ctx.admin)).id}` }],
  },
  // Lifting another account's login throttle is street-wide administration (issue #14.5).
  'DELETE /api/users/:username/login-throttle': { kind: 'foreign', prepare: async () => [{ path: '/api/users/t_admin/login-throttle' }] },
};
