import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app.js';
import { notFound, validate } from '../http-error.js';
import { communityExists, gridExists, planExists } from '../repos/layers.repo.js';
import { getStats, listCategories } from '../repos/stats.repo.js';
import type { AppEnv } from '../auth/middleware.js';
import { streetOf } from '../services/street-context.js';
import { communityCodeSchema, gridCodeSchema, idSchema } from './query-schemas.js';

const querySchema = z.object({
  community: communityCodeSchema.optional(),
  grid: gridCodeSchema.optional(),
  plan: idSchema.optional(),
});

/**
 * `GET /api/stats` (counts for a street — `?street=`, services/street-context.ts — or one of its
 * communities or grids) and `GET /api/categories`. Public aggregates.
 */
const encoder = new TextEncoder();

export function statsRoutes({ db, cache }: AppDeps) {
  return new Hono<AppEnv>()
    .get('/stats', async (c) => {
      const q = validate(querySchema, c.req.query(), '查询参数');
      if (q.community !== undefined && !(await communityExists(db, q.community))) {
        throw notFound(`社区 ${q.community} 不存在`, `community ${q.community} not found`);
      }
      if (q.plan !== undefined && !(await planExists(db, q.plan))) throw notFound(`方案 ${q.plan} 不存在`, `plan ${q.plan} not found`);
      const street = await streetOf(c, db, { impliedBy: q });
      if (q.grid !== undefined && !(await gridExists(db, q.grid, q.plan, street?.id))) throw notFound(`网格 ${q.grid} 不存在`, `grid ${q.grid} not found`);
      return c.json({ ...(await getStats(db, { ...q, streetId: street?.id })), street: street && { code: street.code, name: street.name } });
    })
    // Counts over every facility of the database: kept under the data version (a wall screen's first load asks for it).
    .get('/categories', async (c) => {
      const body = await cache.get('categories', async () => encoder.encode(JSON.stringify(await listCategories(db))));
      return c.body(body as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-cache' });
    });
}
