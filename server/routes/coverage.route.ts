/**
 * Coverage audit (issue #6): `GET /api/coverage` (per-building flags + aggregates, exports),
 * `GET /api/coverage/summary[?community=|grid=]` (the wall screen's figure: share of households
 * in the 10-minute circle, for the street or the selected community or grid) and `POST /api/coverage/sites` (where to add: greedy maximum coverage).
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app.js';
import { badRequest, notFound, validate } from '../http-error.js';
import { communityExists, gridExists } from '../repos/layers.repo.js';
import { type LifeCircleLevel, getStandard, knownCategories } from '../repos/life-circle.repo.js';
import type { Sql } from '../db/client.js';
import { auditCoverage, proposeSites } from '../services/coverage.js';
import { coverageCsv, coverageGeoJson, coverageXlsx } from '../services/coverage-export.js';
import { coverageSummary } from '../services/coverage-summary.js';
import { walkNetwork } from '../services/walk-network.js';
import { jsonBody } from './auth.route.js';
import type { AppEnv } from '../auth/middleware.js';
import { streetOf } from '../services/street-context.js';
import { latSchema, lngSchema } from './life-query.js';
import { communityCodeSchema, gridCodeSchema } from './query-schemas.js';

const levelParam = z.coerce.number().pipe(z.union([z.literal(5), z.literal(10), z.literal(15)], { message: 'level must be 5, 10 or 15' }));
const categoryParam = z.string().regex(/^[a-z_][a-z0-9_]{0,39}$/, 'category must be a category code');

const coverageQuery = z.object({
  level: levelParam,
  category: categoryParam.optional(),
  community: communityCodeSchema.optional(),
  format: z.enum(['json', 'csv', 'xlsx', 'geojson']).default('json'),
});

/** The street, or one community or grid (a grid wins when both are given). */
const summaryQuery = z.object({ level: levelParam.default(10), community: communityCodeSchema.optional(), grid: gridCodeSchema.optional() });

const sitesBody = z.object({
  category: categoryParam,
  level: z.union([z.literal(5), z.literal(10), z.literal(15)]),
  k: z.number().int().min(1).max(10).default(3),
  candidates: z.array(z.tuple([lngSchema, latSchema])).min(1).max(500).optional(),
});

async function levelOf(db: Sql, level: number, streetId?: number | null): Promise<LifeCircleLevel> {
  const standard = await getStandard(db, streetId);
  return standard.levels.find((l) => l.level === level)!;
}

async function checkCategory(db: Sql, category: string) {
  if (!(await knownCategories(db)).has(category)) throw notFound(`设施类别 ${category} 不存在`, `facility category ${category} not found`);
}

/** Codes of a street's communities (the audit of one street, issue #15). */
async function streetCommunities(db: Sql, streetId: number): Promise<Set<string>> {
  return new Set((await db.query<{ code: string }>('SELECT code FROM communities WHERE street_id = $1', [streetId])).map((r) => r.code));
}

export function coverageRoutes({ db }: AppDeps) {
  return new Hono<AppEnv>()
    .get('/', async (c) => {
      const q = validate(coverageQuery, c.req.query(), '查询参数');
      if (q.category) await checkCategory(db, q.category);
      if (q.community && !(await communityExists(db, q.community))) throw notFound(`社区 ${q.community} 不存在`, `community ${q.community} not found`);
      const street = await streetOf(c, db, { impliedBy: q });
      const level = await levelOf(db, q.level, street?.id);
      const categories = q.category ? [q.category] : level.categories;
      const result = auditCoverage(await walkNetwork(db), level, categories, q.community, street && (await streetCommunities(db, street.id)));
      const name = `coverage-${q.level}min${q.category ? `-${q.category}` : ''}${q.community ? `-${q.community}` : ''}`;
      if (q.format === 'csv') {
        return c.body(coverageCsv(result), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}.csv"` });
      }
      if (q.format === 'xlsx') {
        return c.body(new Uint8Array(await coverageXlsx(result)), 200, {
          'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          'content-disposition': `attachment; filename="${name}.xlsx"`,
        });
      }
      if (q.format === 'geojson') {
        const rows = await db.query<{ code: string; g: string }>(
          `SELECT b.code, ST_AsGeoJSON(b.geom, 7) AS g FROM buildings b JOIN communities c ON c.id = b.community_id
           WHERE $1::int IS NULL OR c.street_id = $1`,
          [street?.id ?? null],
        );
        const footprints = new Map(rows.map((r) => [r.code, JSON.parse(r.g) as unknown]));
        c.header('content-disposition', `attachment; filename="${name}.geojson"`);
        return c.json(coverageGeoJson(result, footprints));
      }
      return c.json({ ...result, minutes: level.minutes, ms: Math.round(result.ms * 10) / 10 });
    })
    .get('/summary', async (c) => {
      const q = validate(summaryQuery, c.req.query(), '查询参数');
      if (q.community && !(await communityExists(db, q.community))) throw notFound(`社区 ${q.community} 不存在`, `community ${q.community} not found`);
      const street = await streetOf(c, db, { impliedBy: q });
      if (q.grid && !(await gridExists(db, q.grid, undefined, street?.id))) throw notFound(`网格 ${q.grid} 不存在`, `grid ${q.grid} not found`);
      return c.json(await coverageSummary(db, q.level, { community: q.community, grid: q.grid }, street));
    })
    .post('/sites', async (c) => {
      const body = validate(sitesBody, await jsonBody(c), '请求体');
      await checkCategory(db, body.category);
      const street = await streetOf(c, db);
      const level = await levelOf(db, body.level, street?.id);
      const net = await walkNetwork(db);
      const candidates = body.candidates?.map(([lng, lat], i) => {
        const snap = net.index.nearest(lng, lat, 250);
        if (!snap) throw badRequest('off_network', `候选点 ${i + 1} 不在步行网络附近（250 米内没有道路）`, `candidate ${i + 1} is not near the walk network (no street within 250 m)`);
        return { lngLat: [lng, lat] as [number, number], position: { position: snap } };
      });
      const t0 = performance.now();
      const result = proposeSites(net, level, body.category, body.k, candidates);
      return c.json({ ...result, ms: Math.round(performance.now() - t0) });
    });
}
