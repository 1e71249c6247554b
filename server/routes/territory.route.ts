import { Hono } from 'hono';
import type { AppDeps } from '../app.js';
import type { AppEnv } from '../auth/middleware.js';
import { listTerritory } from '../repos/territory.repo.js';
import { callerStreetCodes } from '../services/street-context.js';

/**
 * `GET /api/territory` (issue #15) — the districts and streets of the deployment with each
 * street's extent and counts, for the street picker and the district screen. Public aggregate,
 * filtered to what the caller may see: a kiosk its scope, a street/district/community/grid-scoped
 * account the streets of its grants, anonymous and deployment-wide callers everything.
 */
export function territoryRoutes({ db, cache }: AppDeps) {
  return new Hono<AppEnv>().get('/territory', async (c) => {
    const codes = await callerStreetCodes(db, c.get('principal') ?? null);
    const key = `territory/${codes === null ? '*' : codes.join(',')}`;
    const body = await cache.get(key, async () => new TextEncoder().encode(JSON.stringify(await listTerritory(db, codes))));
    return c.body(body as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-cache' });
  });
}
