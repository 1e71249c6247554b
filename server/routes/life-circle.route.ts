/**
 * The life-circle standard as data: `GET /api/life-circle/standard` (public) and
 * `PUT /api/life-circle/standard` (street-wide planner/admin; validated, one transaction, audited), and
 * `GET /api/life-circle/network` (topology check of the walk network: disconnected pieces).
 */
import { Hono } from 'hono';
import type { AppDeps } from '../app.js';
import type { AppEnv } from '../auth/middleware.js';
import { PLANNING_ROLES, assertStreetWide, deploymentWide } from '../auth/scope.js';
import { streetOf } from '../services/street-context.js';
import { badRequest, validate } from '../http-error.js';
import { audit } from '../repos/audit.repo.js';
import { getStandard, knownCategories, standardSchema, writeStandard, writeStreetStandard } from '../repos/life-circle.repo.js';
import { walkNetwork } from '../services/walk-network.js';
import { clientIp, jsonBody } from './auth.route.js';
import { networkReport } from './life-network.js';

export function lifeCircleRoutes({ db }: AppDeps) {
  return new Hono<AppEnv>()
    .get('/standard', async (c) => c.json(await getStandard(db, (await streetOf(c, db))?.id)))
    .get('/network', async (c) => c.json(networkReport(await walkNetwork(db))))
    .put('/standard', async (c) => {
      // One standard for the whole street (issue #14.8): a community role may not change it.
      // Issue #15: a street of a several-street deployment gets its own; a one-street deployment
      // (or a deployment-wide caller without ?street=) changes the deployment's default.
      const p = c.get('principal')!;
      const street = await streetOf(c, db, { protectedData: true });
      assertStreetWide(p, PLANNING_ROLES, { zh: '修改生活圈标准', en: 'changing the life-circle standard' }, street?.code);
      const [{ n }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM streets');
      const own = street !== null && n > 1 && !(c.req.query('street') === undefined && deploymentWide(p, PLANNING_ROLES));
      const body = validate(standardSchema, await jsonBody(c), '生活圈标准');
      const known = await knownCategories(db);
      const unknown = [...new Set(body.levels.flatMap((l) => l.categories))].filter((x) => !known.has(x));
      if (unknown.length > 0) {
        throw badRequest('unknown_category', `未知的设施类别：${unknown.join('、')}`, `unknown facility categories: ${unknown.join(', ')}`);
      }
      await db.transaction(async (tx) => {
        await getStandard(tx);
        if (own) await writeStreetStandard(tx, street.id, body, p.name);
        else await writeStandard(tx, body, p.name);
        await audit(tx, { actor: p.name, userId: p.kind === 'user' ? p.id : null, action: 'life_circle_standard_edit', targetType: 'life_circle_standard', targetId: own ? street.code : 'street', detail: { levels: body.levels.map((l) => ({ level: l.level, distanceM: l.distanceM, categories: l.categories.length })), speedMPerMin: body.speedMPerMin }, ip: clientIp(c) });
      });
      return c.json(await getStandard(db, street?.id));
    });
}
