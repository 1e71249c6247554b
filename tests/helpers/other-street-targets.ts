/**
 * Issue #15: protected reads aimed at ANOTHER street. For every GET route of ROUTE_ACCESS that
 * needs a role, the paths that read the second street's data (tests/helpers/second-street.ts);
 * tests/integration/access.test.ts sends each as accounts and a kiosk of the first street and
 * requires a refusal (it fails for a protected GET route missing here, so a new one cannot be
 * forgotten). The write routes reuse FOREIGN_TARGETS (foreign-targets.ts), prepared in the second
 * street.
 */
import type { Hono } from 'hono';
import type { StreetDataset } from '../../data/generate/types.js';
import type { Database } from '../../server/db/client.js';
import { type Session, as } from './auth.js';
import { publishedPlan } from './foreign-targets.js';

export interface OtherStreetCtx {
  app: { request: Hono['request'] };
  db: Database;
  /** The other street's dataset. */
  ds: StreetDataset;
  /** A deployment-wide admin, who makes the targets. */
  root: Session;
}

async function post<T>(ctx: OtherStreetCtx, path: string, body: unknown): Promise<T> {
  const res = await ctx.app.request(path, { method: 'POST', headers: as(ctx.root), body: JSON.stringify(body) });
  if (res.status >= 300) throw new Error(`prepare POST ${path} → ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** A request reported by the root admin in the other street (with a tiny photo). */
async function otherRequest(ctx: OtherStreetCtx): Promise<number> {
  const png = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
  const building = ctx.ds.buildings.find((b) => b.households > 0)!.code;
  return (await post<{ id: number }>(ctx, '/api/requests', { category: 'repair', description: '另一街道的诉求', channel: 'resident', building, photo: png })).id;
}

/** A partition job of the other street, started by the root admin and waited for (the database is quiet afterwards). */
async function otherJob(ctx: OtherStreetCtx): Promise<string> {
  const plan = await publishedPlan(ctx);
  const { id } = (await post<{ job: { id: string } }>(ctx, `/api/plans/${plan}/partition`, { community: ctx.ds.communities[0].code })).job;
  for (let status = ''; !['done', 'failed', 'cancelled'].includes(status); await new Promise((r) => setTimeout(r, 200))) {
    status = ((await (await ctx.app.request(`/api/jobs/${id}`, { headers: as(ctx.root) })).json()) as { status: string }).status;
  }
  return id;
}

export const OTHER_STREET_READS: Record<string, (ctx: OtherStreetCtx) => Promise<string[]>> = {
  'GET /api/buildings/:code/households': async (ctx) => [`/api/buildings/${ctx.ds.buildings[0].code}/households`],
  'GET /api/plans': async (ctx) => [`/api/plans?street=${ctx.ds.street.code}`],
  'GET /api/plans/:id': async (ctx) => [`/api/plans/${await publishedPlan(ctx)}`],
  'GET /api/plans/:id/validate': async (ctx) => [`/api/plans/${await publishedPlan(ctx)}/validate`],
  'GET /api/plans/:id/diff': async (ctx) => [`/api/plans/${await publishedPlan(ctx)}/diff`],
  'GET /api/plans/:id/export': async (ctx) => {
    const plan = await publishedPlan(ctx);
    return ['geojson', 'xlsx'].map((f) => `/api/plans/${plan}/export?format=${f}`);
  },
  'GET /api/requests': async (ctx) => [`/api/requests?street=${ctx.ds.street.code}`],
  'GET /api/requests/:id/history': async (ctx) => [`/api/requests/${await otherRequest(ctx)}/history`],
  'GET /api/requests/:id/photo': async (ctx) => [`/api/requests/${await otherRequest(ctx)}/photo`],
  'GET /api/requests/:id/resolve-photo': async (ctx) => [`/api/requests/${await otherRequest(ctx)}/resolve-photo`],
  'GET /api/report-links': async (ctx) => [`/api/report-links?community=${ctx.ds.communities[0].code}`],
  'GET /api/worker/buildings': async (ctx) => [`/api/worker/buildings?grid=${ctx.ds.plan.grids[0].code}`],
  'GET /api/worker/route': async (ctx) => {
    const b = ctx.ds.buildings[0];
    const [lng, lat] = b.footprint[0][0];
    return [`/api/worker/route?lng=${lng}&lat=${lat}&building=${b.code}`];
  },
  'GET /api/jobs/:id': async (ctx) => [`/api/jobs/${await otherJob(ctx)}`],
  'GET /api/jobs/:id/events': async (ctx) => [`/api/jobs/${await otherJob(ctx)}/events`],
  'GET /api/export/:layer': async (ctx) => ['buildings', 'grids', 'facilities'].map((l) => `/api/export/${l}?street=${ctx.ds.street.code}`),
  'GET /api/setup/status': async (ctx) => [`/api/setup/status?street=${ctx.ds.street.code}`],
  // Deployment-wide records: an account of one of two streets does not reach them.
  'GET /api/audit': async () => ['/api/audit'],
  'GET /api/kiosk-tokens': async () => ['/api/kiosk-tokens'],
};
