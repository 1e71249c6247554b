import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app.js';
import type { AppEnv } from '../auth/middleware.js';
import type { Principal } from '../auth/principal.js';
import { PLANNING_ROLES, assertCommunity } from '../auth/scope.js';
import { HttpError, badRequest, validate } from '../http-error.js';
import { audit } from '../repos/audit.repo.js';
import { planGeoJson, planRoster, planShapefile } from '../repos/plan-export.repo.js';
import { contentDisposition } from '../services/export-formats.js';
import { planGridReach } from '../services/party-reach.js';
import { walkNetwork } from '../services/walk-network.js';
import { layerGeoJson } from '../repos/layers.repo.js';
import { applyOps, planEditSchema } from '../repos/plan-ops.repo.js';
import { PublishRefused, publishDraft } from '../repos/plan-publish.repo.js';
import { diffPlans, validatePlanSql } from '../repos/plan-validation.repo.js';
import { type PlanRow, createDraft, deleteDraft, getPlan, listPlans, lockForEdit, planAssignments, publishedPlanId, recordEdit } from '../repos/plans.repo.js';
import { clientIp, jsonBody } from './auth.route.js';
import { assertStreetInScope, requireStreetOf, streetOf } from '../services/street-context.js';
import { idSchema } from './query-schemas.js';

const createSchema = z.object({
  name: z.string().trim().min(1).max(80).optional(),
  community: z.string().regex(/^\d{12}$/).optional(),
  // Omitted: the published plan, or an empty draft on a street that has none yet (a new territory).
  from: z.union([z.enum(['published', 'empty']), idSchema]).optional(),
});
const exportSchema = z.enum(['geojson', 'shp', 'xlsx']);
const EXPORT_TYPES = { geojson: 'application/geo+json', shp: 'application/zip', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } as const;
const EXPORT_EXT = { geojson: 'geojson', shp: 'zip', xlsx: 'xlsx' } as const;
/** A file name from a plan name: no path or reserved characters. */
const fileBase = (plan: PlanRow) => `${[...plan.name].map((ch) => (ch < ' ' || '\\/:*?"<>|'.includes(ch) ? '_' : ch)).join('').slice(0, 60)}-${plan.id}`;

const publishSchema = z.object({ reason: z.string().trim().min(4).max(500).optional() });

/**
 * Admins and planners of the plan's street (or district, or the deployment) may edit any plan of
 * it; community ones only plans of their community.
 */
function assertMayEdit(p: Principal, plan: Pick<PlanRow, 'communityCode' | 'streetCode'>) {
  assertCommunity(p, PLANNING_ROLES, plan.communityCode, { zh: '只能编辑本社区的方案', en: 'you may only edit plans of your own community' }, plan.streetCode);
}

/** `If-Match: <version>` (quotes allowed), required for edits. */
function ifMatch(c: Context): number {
  const v = Number((c.req.header('if-match') ?? '').replace(/^W\//, '').replace(/"/g, ''));
  if (!Number.isInteger(v) || v < 1) {
    throw new HttpError(428, 'version_required', '请在 If-Match 头中给出方案版本号', 'send the plan version in If-Match');
  }
  return v;
}

const actorOf = (p: Principal) => ({ actor: p.name, userId: p.id });

/** Plans API (issue #4): list, create, read, edit with optimistic versions, validate, diff, publish. */
export function planRoutes({ db, cache }: AppDeps) {
  /** A plan named by `:id`, which must lie in the caller's streets (403 `out_of_scope`, issue #15). */
  const scopedPlan = async (c: Context<AppEnv>, sql: typeof db = db) => {
    const plan = await getPlan(sql, validate(idSchema, c.req.param('id'), '方案编号'));
    await assertStreetInScope(sql, c.get('principal') ?? null, plan.streetCode);
    return plan;
  };
  const planId = async (c: Context<AppEnv>) => (await scopedPlan(c)).id;
  return new Hono<AppEnv>()
    .get('/', async (c) => c.json(await listPlans(db, (await streetOf(c, db, { protectedData: true }))?.id ?? null)))
    .post('/', async (c) => {
      const p = c.get('principal')!;
      const body = validate(createSchema, await jsonBody(c), '参数');
      // A plan belongs to a street: ?street=, or the community's, or the caller's only one.
      const street = await requireStreetOf(c, db, { protectedData: true, impliedBy: { community: body.community } });
      assertMayEdit(p, { communityCode: body.community ?? null, streetCode: street.code });
      const created = await db.transaction(async (tx) => {
        const plan = await createDraft(tx, { name: body.name, communityCode: body.community, from: body.from, streetId: street.id });
        await audit(tx, { ...actorOf(p), action: 'plan_create', targetType: 'plan', targetId: String(plan.id), detail: { from: body.from, community: body.community ?? null }, ip: clientIp(c) });
        return plan;
      });
      return c.json(created, 201);
    })
    .get('/:id', async (c) => {
      const plan = await scopedPlan(c);
      const id = plan.id;
      const grids = JSON.parse(await layerGeoJson(db, 'grids', { plan: id })) as unknown;
      c.header('ETag', `"${plan.version}"`);
      return c.json({ plan, version: plan.version, grids, assignments: await planAssignments(db, id) });
    })
    .patch('/:id', async (c) => {
      const p = c.get('principal')!;
      const id = await planId(c);
      const expected = ifMatch(c);
      const body = validate(planEditSchema, await jsonBody(c), '编辑操作');
      const { version, results } = await db.transaction(async (tx) => {
        const plan = await lockForEdit(tx, id, expected);
        assertMayEdit(p, plan);
        const results = await applyOps(tx, plan, body.ops);
        const v = await recordEdit(tx, id, p.name, body.ops.map((o, i) => (results[i] ? { ...o, result: results[i] } : o)));
        await audit(tx, { ...actorOf(p), action: 'plan_edit', targetType: 'plan', targetId: String(id), detail: { version: v, ops: body.ops.map((o) => o.op), results: results.filter(Boolean) }, ip: clientIp(c) });
        return { version: v, results };
      });
      cache.invalidate();
      c.header('ETag', `"${version}"`);
      return c.json({ id, version, results });
    })
    .delete('/:id', async (c) => {
      const p = c.get('principal')!;
      const id = await planId(c);
      await db.transaction(async (tx) => {
        assertMayEdit(p, await getPlan(tx, id));
        await deleteDraft(tx, id);
        await audit(tx, { ...actorOf(p), action: 'plan_delete', targetType: 'plan', targetId: String(id), ip: clientIp(c) });
      });
      cache.invalidate();
      return c.json({ ok: true });
    })
    .get('/:id/validate', async (c) => {
      const id = await planId(c);
      const problems = await validatePlanSql(db, id);
      const count = (s: string) => problems.filter((x) => x.severity === s).length;
      return c.json({ plan: id, valid: count('error') === 0, errors: count('error'), warnings: count('warning'), problems });
    })
    .get('/:id/export', async (c) => {
      const plan = await scopedPlan(c);
      const id = plan.id;
      const format = validate(exportSchema, c.req.query('format') ?? 'geojson', '导出格式 format');
      // Party reach and load per grid (issue #20) beside the household tallies.
      const extras = await planGridReach(db, await walkNetwork(db), id);
      const body =
        format === 'geojson' ? Buffer.from(JSON.stringify(await planGeoJson(db, id, extras)))
        : format === 'shp' ? await planShapefile(db, id, `grids_plan${id}`, extras)
        : await planRoster(db, id, c.get('principal') ?? null, extras);
      return c.body(new Uint8Array(body), 200, {
        'Content-Type': EXPORT_TYPES[format],
        'Content-Disposition': contentDisposition(`${fileBase(plan)}.${EXPORT_EXT[format]}`),
        'Cache-Control': 'no-store',
      });
    })
    .get('/:id/diff', async (c) => {
      const plan = await scopedPlan(c);
      const id = plan.id;
      const base = c.req.query('base') ? validate(idSchema, c.req.query('base'), 'base') : await publishedPlanId(db, plan.streetId);
      if (base === null) throw badRequest('no_base', '没有可比较的已发布方案', 'no published plan to compare with');
      await assertStreetInScope(db, c.get('principal') ?? null, (await getPlan(db, base)).streetCode);
      return c.json(await diffPlans(db, id, base));
    })
    .post('/:id/publish', async (c) => {
      const p = c.get('principal')!;
      const id = await planId(c);
      const body = validate(publishSchema, await jsonBody(c), '参数');
      const outcome = await db.transaction((tx) => publishDraft(tx, id, {
        reason: body.reason, ...actorOf(p), ip: clientIp(c), assertMay: (plan) => assertMayEdit(p, plan),
      })).catch((e: unknown) => {
        if (e instanceof PublishRefused) return e;
        throw e;
      });
      if (outcome instanceof PublishRefused) {
        const n = outcome.problems.length;
        return c.json({ error: { code: 'invalid_plan', message: `方案有 ${n} 个问题，需填写发布理由 / The plan has ${n} problems: give a reason to publish anyway` }, problems: outcome.problems }, 422);
      }
      cache.invalidate();
      return c.json(outcome);
    });
}
