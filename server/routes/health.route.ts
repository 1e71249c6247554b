import { Hono } from 'hono';
import type { AppDeps } from '../app.js';
import { defaultEncoding } from '../repos/tiles.repo.js';
import { isDatabaseUnavailable } from '../db/client.js';

/**
 * `GET /api/health` — backend and PostGIS version, and whether this node should get traffic:
 * 503 `draining` after a stop signal (so a load balancer takes it out while it finishes), 503
 * with `database: "down"` at once while the database is known to be unreachable; `GET /api/config` — what the web app needs
 * before anything else: basemap, street, and the number of buildings (a client decides from it,
 * without waiting for heavier answers, whether to draw GeoJSON or vector tiles) and the street's
 * extent (so a map can be framed before any layer or summary has arrived). Public.
 */
export function healthRoutes({ db, config, availability, lifecycle }: AppDeps) {
  return new Hono()
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
      const [[street], [{ buildings }], [extent]] = await Promise.all([
        db.query<{ code: string; name: string }>('SELECT code, name FROM streets ORDER BY id LIMIT 1'),
        db.query<{ buildings: number }>('SELECT count(*)::int AS buildings FROM buildings'),
        // Rounded to 6 decimals like every bbox the API sends (~0.1 m).
        db.query<{ bbox: [number, number, number, number] | null }>(
          `SELECT CASE WHEN e IS NULL THEN NULL ELSE json_build_array(round(ST_XMin(e)::numeric, 6)::float8, round(ST_YMin(e)::numeric, 6)::float8,
             round(ST_XMax(e)::numeric, 6)::float8, round(ST_YMax(e)::numeric, 6)::float8) END AS bbox
           FROM (SELECT ST_Extent(geom) AS e FROM communities) x`,
        ),
      ]);
      return c.json({ basemap: config.basemap, street: street ?? null, buildings, bbox: extent?.bbox ?? null });
    });
}
