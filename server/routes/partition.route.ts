/**
 * Partitioner API (issue #5):
 *   POST   /api/plans/:id/partition {community, mode, seed, objective} → 202 {job}
 *          objective "households" (default) | "load": balance grid load as a second objective (issue #20)
 *   GET    /api/jobs/:id                                    → {id, kind, status, progress, stage, result, error}
 *                                                              (any background job: partitions and imports, issue #14.3)
 *   GET    /api/jobs/:id/events                             → server-sent events `progress` … then `done` | `failed` | `cancelled`
 *   DELETE /api/jobs/:id                                    → cancels a running job
 * The partition runs in a worker thread (server/services/partition-jobs.ts) of this process, or of
 * any process working the PostgreSQL job queue (services/jobs/, issue #19: then every server
 * answers these routes for every job); the result is a new draft plan copied from plan :id with
 * the community's buildings reassigned.
 */
import { type Context, Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import type { AppDeps } from '../app.js';
import type { AppEnv } from '../auth/middleware.js';
import type { Principal } from '../auth/principal.js';
import { PLANNING_ROLES, assertCommunity, outOfScope, streetWide } from '../auth/scope.js';
import { HttpError, badRequest, notFound, validate } from '../http-error.js';
import { getPlan } from '../repos/plans.repo.js';
import { type JobView, isTerminal } from '../services/worker-jobs.js';
import { assertStreetInScope, wholeDeployment } from '../services/street-context.js';
import { jsonBody } from './auth.route.js';
import { idSchema } from './query-schemas.js';

const partitionSchema = z.object({
  community: z.string().regex(/^\d{12}$/),
  mode: z.enum(['fresh', 'rebalance']).default('fresh'),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
  objective: z.enum(['households', 'load']).default('households'),
});
const jobIdSchema = z.string().uuid();

/** Admins/planners of the plan's street may partition any of its communities; community ones only their own. */
function assertMayPartition(p: Principal, community: string, streetCode: string) {
  assertCommunity(p, PLANNING_ROLES, community, { zh: '只能划分本社区', en: 'you may only partition your own community' }, streetCode);
}

export function partitionRoutes({ db, queue }: AppDeps) {
  /**
   * A job, for whoever started it or a street-wide admin/planner only: an import job's result
   * carries the uploaded rows, a partition's the community's buildings (issue #14 scope rules).
   */
  const job = async (c: Context<AppEnv>): Promise<JobView> => {
    const found = await queue.get(validate(jobIdSchema, c.req.param('id'), '任务编号'));
    if (!found) throw notFound(`任务 ${c.req.param('id')} 不存在`, `job ${c.req.param('id')} not found`);
    const p = c.get('principal')!;
    if (found.owner !== p.id && !(await wholeDeployment(db, p, PLANNING_ROLES))) {
      throw outOfScope('只能查看或取消自己启动的任务', 'you may only follow or cancel jobs you started');
    }
    return found.job;
  };
  return new Hono<AppEnv>()
    .post('/plans/:id/partition', async (c) => {
      const p = c.get('principal')!;
      const id = validate(idSchema, c.req.param('id'), '方案编号');
      const body = validate(partitionSchema, await jsonBody(c), '参数');
      const plan = await getPlan(db, id);
      await assertStreetInScope(db, p, plan.streetCode);
      // A community draft is limited to its community; once published (or archived) a plan holds
      // the whole street (the rest carried over at publish), so any community may start from it.
      const planScope = plan.status === 'draft' ? plan.communityCode : null;
      if (planScope && planScope !== body.community) {
        throw badRequest('out_of_plan_scope', `社区 ${body.community} 不在本方案范围内`, `community ${body.community} is outside this plan`);
      }
      assertMayPartition(p, body.community, plan.streetCode);
      const [own] = await db.query<{ street_id: number }>('SELECT street_id FROM communities WHERE code = $1', [body.community]);
      if (own && own.street_id !== plan.streetId) {
        throw badRequest('out_of_plan_scope', `社区 ${body.community} 不在本方案的街道内`, `community ${body.community} is not in this plan's street`);
      }
      const started = await queue.startPartition({
        planId: id, streetId: plan.streetId, community: body.community, mode: body.mode, seed: body.seed, objective: body.objective,
        actor: p.name, userId: p.id,
        // A community planner's draft is a community plan (it publishes that community only).
        scope: planScope ?? (streetWide(p, PLANNING_ROLES, plan.streetCode) ? null : body.community),
      });
      return c.json({ job: started }, 202);
    })
    .get('/jobs/:id', async (c) => c.json(await job(c)))
    .get('/jobs/:id/events', async (c) => {
      const first = await job(c);
      return streamSSE(c, async (stream) => {
        const pending: JobView[] = [first];
        let wake: (() => void) | null = null;
        const unsubscribe = queue.watch(first.id, (v) => {
          pending.push(v);
          wake?.();
        });
        stream.onAbort(() => {
          unsubscribe();
          wake?.();
        });
        try {
          while (!stream.aborted) {
            const v = pending.shift();
            if (!v) {
              await new Promise<void>((r) => (wake = r));
              wake = null;
              continue;
            }
            const event = isTerminal(v.status) ? v.status : 'progress';
            await stream.writeSSE({ event, data: JSON.stringify(v) });
            if (isTerminal(v.status)) break;
          }
        } finally {
          unsubscribe();
        }
      });
    })
    .delete('/jobs/:id', async (c) => {
      const before = await job(c);
      if (isTerminal(before.status) || before.status === 'writing') {
        throw new HttpError(409, 'job_finished', `任务已结束（${before.status}），无法取消`, `job already ${before.status}; cannot cancel`);
      }
      return c.json(await queue.cancel(before.id));
    });
}
