/**
 * Set-up from an empty database (issue #15.3):
 *   GET  /api/setup/status?street=<code>                → per step state, counts, problems (services/setup/status.ts)
 *   POST /api/setup/rosters?street=<code>&replace=0|1   → generated household rosters for the street's buildings
 * Admins and planners; generating rosters needs a street-wide role for that street (CSRF, audited).
 * The street: services/street-context.ts (`?street=`, the caller's single street, the only street);
 * an empty database answers the status with every step missing (rosters: 404 `street_not_found`).
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app.js';
import type { AppEnv } from '../auth/middleware.js';
import type { Principal } from '../auth/principal.js';
import { PLANNING_ROLES, assertStreetWide, covers, outOfScope } from '../auth/scope.js';
import { validate } from '../http-error.js';
import { generateRostersAudited } from '../repos/rosters.repo.js';
import { setupStatus } from '../services/setup/status.js';
import { requireStreetOf, streetOf } from '../services/street-context.js';
import { clientIp } from './auth.route.js';

const rostersQuery = z.object({ street: z.string().optional(), district: z.string().optional(), replace: z.enum(['0', '1', 'true', 'false']).optional() });

/** Street-wide admin/planner of this street (or of every street). */
function assertStreetRole(p: Principal, street: string, what: { zh: string; en: string }) {
  assertStreetWide(p, PLANNING_ROLES, what);
  if (!covers(p, PLANNING_ROLES, { streetCode: street, communityCode: null, gridCode: null })) {
    throw outOfScope(`${what.zh}：不是您负责的街道 ${street}`, `${what.en}: street ${street} is not yours`);
  }
}

export function setupRoutes({ db, cache }: AppDeps) {
  return new Hono<AppEnv>()
    .get('/status', async (c) => {
      return c.json(await setupStatus(db, await streetOf(c, db, { protectedData: true })));
    })
    .post('/rosters', async (c) => {
      const q = validate(rostersQuery, c.req.query(), '查询参数');
      const p = c.get('principal')!;
      const street = await requireStreetOf(c, db, { protectedData: true });
      assertStreetRole(p, street.code, { zh: '生成住户台账', en: 'generating household rosters' });
      const replace = q.replace === '1' || q.replace === 'true';
      const summary = await generateRostersAudited(db, street, replace, { actor: p.name, userId: p.kind === 'user' ? p.id : null, ip: clientIp(c) });
      cache.invalidate();
      return c.json(summary);
    });
}
