/**
 * The life-circle standard as data: `GET /api/life-circle/standard` (public) and
 * `PUT /api/life-circle/standard` (street-wide planner/admin; validated, one transaction, audited), and
 * `GET /api/life-circle/network` (topology check of the walk network: disconnected pieces).
 */
import { Hono } from 'hono';
import type { AppDeps } from '../app.js';
import type { AppEnv } from '../auth/middleware.js';
import { PLANNING_ROLES, assertStreetWide } from '../auth/scope.js';
import { badRequest, validate } from '../http-error.js';
import { audit } from '../repos/audit.repo.js';
import { getStandard, knownCategories, standardSchema, writeStandard } from '../repos/life-circle.repo.js';
import { walkNetwork } from '../services/walk-network.js';
import { clientIp, jsonBody } from './auth.route.js';
import { networkReport } from './life-network.js';

export function lifeCircleRoutes({ db }: AppDeps) {
  return new Hono<AppEnv>()
    .get('/standard', async (c) => c.json(await getStandard(db)))
    .get('/network', async (c) => c.json(networkReport(await walkNetwork(db))))
    .put('/standard', async (c) => {
      // One standard for the whole street (issue #14.8): a community role may not change it.
      assertStreetWide(c.get('principal')!, PLANNING_ROLES, { zh: '修改生活圈标准', en: 'changing the life-circle standard' });
      const body = validate(standardSchema, await jsonBody(c), '生活圈标准');
      const known = await knownCategories(db);
      const unknown = [...new Set(body.levels.flatMap((l) => l.categories))].filter((x) => !known.has(x));
      if (unknown.length > 0) {
        throw badRequest('unknown_category', `未知的设施类别：${unknown.join('、')}`, `unknown facility categories: ${unknown.join(', ')}`);
      }
      const p = c.get('principal')!;
      await db.transaction(async (tx) => {
        await getStandard(tx);
        await writeStandard(tx, body, p.name);
        await audit(tx, { actor: p.name, userId: p.kind === 'user' ? p.id : null, action: 'life_circle_standard_edit', targetType: 'life_circle_standard', targetId: 'street', detail: { levels: body.levels.map((l) => ({ level: l.level, distanceM: l.distanceM, categories: l.categories.length })), speedMPerMin: body.speedMPerMin }, ip: clientIp(c) });
      });
      return c.json(await getStandard(db));
    });
}
