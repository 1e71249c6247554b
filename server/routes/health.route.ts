import { Hono } from 'hono';
import type { AppDeps } from '../app.js';
import { defaultEncoding } from '../repos/tiles.repo.js';
import { isDatabaseUnavailable } from '../db/client.js';
import type { AppEnv } from '../auth/middleware.js';
import { streetKey, streetOf } from '../services/street-context.js';

/**
 * `GET /api/health` — backend and PostGIS version, and whether this node should get traffic:
 * 503 `draining` after a stop signal (so a load balancer takes it out while it finishes), 503
 * with `database: "down"` at once while the database is known to be unreachable; `GET /api/config` — what the web app needs
 * before anything else: basemap, the street (`?street=` / `?district=`, services/street-context.ts) and its district, and the number of its buildings (a client decides from it,
 * without waiting for heavier answers, whether to draw GeoJSON or vector tiles) and the street's
 * extent (so a map can be framed before any layer or summary has arrived). Public.
 */
const encoder = new TextEncoder();

export function healthRoutes({ db, config, availability, lifecycle, cache }: AppDeps) {
  return new Hono<AppEnv>()
    .get('/health', async (c) => {
      const database = availability.isDown ? 'down' : await db.query('SELECT 1').then(() => 'up', (err: unknown) => {
        if (isDatabaseUnavailable(err)) return 'down';
        throw err;
      });
      const status = lifecycle?.draining ? 'draining' : database === 'down' ? 'unavailable' : 'ok';
      if (status !== 'ok') c.header('Retry-After', '1');
      return c.json({
        status,
        database,
        backend: db.backend,
        postgis: db.capabilities.postgisVersion,
        tiles: defaultEncoding(db) === 'postgis' ? 'st_asmvt' : 'typescript',
      }, status === 'ok' ? 200 : 503);
    })
    .get('/config', async (c) => {
      const street = await streetOf(c, db);
      // The street's building count, kept under the data version (every page's first request).
      const counted = await cache.get(`config/buildings/${streetKey(street)}`, async () => {
        const [{ n }] = await db.query<{ n: number }>(street
          ? 'SELECT count(*)::int AS n FROM buildings WHERE community_id IN (SELECT id FROM communities WHERE street_id = $1)'
          : 'SELECT count(*)::int AS n FROM buildings', street ? [street.id] : []);
        return encoder.encode(String(n));
      });
      const buildings = Number(new TextDecoder().decode(counted));
      return c.json({
        basemap: config.basemap,
        street: street && { code: street.code, name: street.name },
        district: street?.districtCode ? { code: street.districtCode, name: street.districtName } : null,
        buildings,
        bbox: street?.bbox ?? null,
      });
    });
}
