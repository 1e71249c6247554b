import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app.js';
import { notFound, validate } from '../http-error.js';
import { getScreenBuilding } from '../repos/screen.repo.js';
import { screenSummary } from '../services/screen-figures.js';
import type { AppEnv } from '../auth/middleware.js';
import { streetKey, streetOf } from '../services/street-context.js';

const codeSchema = z.string().min(1).max(64).regex(/^[\w-]+$/, 'building code has invalid characters');

/**
 * The wall screen's data (issue #7), public and read-only: aggregates only.
 * `GET /api/screen/summary?street=` — everything the screen shows in one answer for one street (street, communities,
 * grids with masked workers, facility counts, party density cells; kept across restarts under the
 * data version, services/screen-figures.ts);
 * `GET /api/screen/buildings/:code` — one building's figures for the drill-down card.
 */
export function screenRoutes({ db, cache }: AppDeps) {
  return new Hono<AppEnv>()
    .get('/summary', async (c) => {
      // A kiosk without ?street= gets its own street; another street's → 403 (street-context.ts).
      const street = await streetOf(c, db);
      const body = await cache.get(`screen/summary/${streetKey(street)}`, async (version) =>
        new TextEncoder().encode(JSON.stringify(await screenSummary(db, street, version))));
      return c.body(body as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-cache' });
    })
    .get('/buildings/:code', async (c) => {
      const code = validate(codeSchema, c.req.param('code'), '楼栋编号');
      const b = await getScreenBuilding(db, code);
      if (!b) throw notFound(`楼栋 ${code} 不存在`, `building ${code} not found`);
      return c.json(b);
    });
}
