import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app.js';
import type { AppEnv } from '../auth/middleware.js';
import { outOfScope } from '../auth/scope.js';
import { notFound, validate } from '../http-error.js';
import { districtExists, getDistrictScreen } from '../repos/district-screen.repo.js';
import { callerStreetCodes } from '../services/street-context.js';

const querySchema = z.object({
  district: z.string().regex(/^\d{6}$/, 'district must be a 6-digit code').optional(),
});

/** Overdue requests depend on the clock as well as the data: a cached answer lives one minute at most. */
const CLOCK_STEP_MS = 60_000;

/**
 * `GET /api/screen/district[?district=<6-digit>]` — the district wall screen (issue #15.4): every
 * street of the district (no parameter: of every district the caller sees) with households,
 * grids in and out of the band, open and overdue requests and a simplified outline. Public
 * aggregates, cached under the data version (and the minute, for overdue requests).
 *
 * Whose streets: without `?district=` the streets the caller sees (`GET /api/territory`: all for
 * anonymous and deployment-wide callers, a scoped account's or kiosk's own). With it, the whole
 * district — public figures — except for a scoped kiosk, which stays inside its scope: a wall
 * screen linked to one street or district gets 403 `out_of_scope` for another district.
 */
export function districtScreenRoutes({ db, cache }: AppDeps) {
  return new Hono<AppEnv>().get('/district', async (c) => {
    const q = validate(querySchema, c.req.query(), '查询参数');
    const p = c.get('principal') ?? null;
    const mine = await callerStreetCodes(db, p);
    let streets: string[] | undefined = mine ?? undefined;
    if (q.district !== undefined) {
      if (!(await districtExists(db, q.district))) throw notFound(`区县 ${q.district} 不存在`, `district ${q.district} not found`);
      if (p?.kind !== 'kiosk') streets = undefined;
      else if (streets && !streets.some((s) => s.startsWith(q.district!))) {
        throw outOfScope(`此大屏链接不能查看区县 ${q.district}`, `this wall-screen link may not show district ${q.district}`);
      }
    }
    const now = Date.now();
    const key = `screen/district?d=${q.district ?? '*'}&s=${streets?.join(',') ?? '*'}&t=${Math.floor(now / CLOCK_STEP_MS)}`;
    const body = await cache.get(key, async () => new TextEncoder().encode(JSON.stringify(await getDistrictScreen(db, { district: q.district, streets }, now))));
    return c.body(body as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-cache' });
  });
}
