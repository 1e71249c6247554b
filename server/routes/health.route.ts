import { Hono } from 'hono';
import type { AppDeps } from '../app.js';
import { defaultEncoding } from '../repos/tiles.repo.js';

/**
 * `GET /api/health` — backend and PostGIS version; `GET /api/config` — what the web app needs
 * before anything else: basemap, street, and the number of buildings (a client decides from it,
 * without waiting for heavier answers, whether to draw GeoJSON or vector tiles). Public.
 */
export function healthRoutes({ db, config }: AppDeps) {
  return new Hono()
    .get('/health', async (c) => {
      await db.query('SELECT 1');
      return c.json({
        status: 'ok',
        backend: db.backend,
        postgis: db.capabilities.postgisVersion,
        tiles: defaultEncoding(db) === 'postgis' ? 'st_asmvt' : 'typescript',
      });
    })
    .get('/config', async (c) => {
      const [[street], [{ buildings }]] = await Promise.all([
        db.query<{ code: string; name: string }>('SELECT code, name FROM streets ORDER BY id LIMIT 1'),
        db.query<{ buildings: number }>('SELECT count(*)::int AS buildings FROM buildings'),
      ]);
      return c.json({ basemap: config.basemap, street: street ?? null, buildings });
    });
}
