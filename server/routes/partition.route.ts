/**
 * Partitioner API (issue #5):
 *   POST   /api/plans/:id/partition {community, mode, seed} → 202 {job}
 *   GET    /api/jobs/:id                                    → {id, kind, status, progress, stage, result, error}
 *                                                              (any background job: partitions and imports, issue #14.3)
 *   GET    /api/jobs/:id/events                             → server-sent events `progress` … then `done` | `failed` | `cancelled`
 *   DELETE /api/jobs/:id                                    → cancels a running job
 * The partition runs in a worker thread (server/services/partition-jobs.ts); the result is a new
 * draft plan copied from plan :id with the community's buildings reassigned.
 */
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import type { AppDeps } from '../app.js';
import type { AppEnv } from '../auth/middleware.js';
import type { Principal } from '../auth/principal.js';
import { HttpError, badRequest, notFound, validate } from '../http-error.js';
import { loadPartitionInput, writePartitionDraft } from '../repos/partition.repo.js';
import { getPlan } from '../repos/plans.repo.js';
import { startPartition } from '../services/partition-jobs.js';
import { type JobView, isTerminal } from '../services/worker-jobs.js';
import { jsonBody } from './auth.route.js';
import { idSchema } from './query-schemas.js';

const partitionSchema = z.object({
  community: z.string().regex(/^\d{12}$/),
  mode: z.enum(['fresh', 'rebalance']).default('fresh'),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
});
const jobIdSchema = z.string().uuid();

/** Street-wide admins/planners may partition any community; a community planner only their own. */
function assertMayPartition(p: Principal, community: string) {
  if (p.grants.some((g) => (g.role === 'admin' || g.role === 'planner') && g.scopeType === 'street')) return;
  if (p.grants.some((g) => g.role === 'planner' && g.scopeType === 'community' && g.scopeCode === community)) return;
  throw new HttpError(403, 'out_of_scope', '只能划分本社区', 'you may only partition your own community');
}

export function partitionRoutes({ db, cache, jobs }: AppDeps) {
  const job = (id: string): JobView => {
    const j = jobs.get(validate(jobIdSchema, id, '任务编号'));
    if (!j) throw notFound(`任务 ${id} 不存在`, `job ${id} not found`);
    return j;
  };
  return new Hono<AppEnv>()
    .post('/plans/:id/partition', async (c) => {
      const p = c.get('principal')!;
      const id = validate(idSchema, c.req.param('id'), '方案编号');
      const body = validate(partitionSchema, await jsonBody(c), '参数');
      const plan = await getPlan(db, id);
      if (plan.communityCode && plan.communityCode !== body.community) {
        throw badRequest('out_of_plan_scope', `社区 ${body.community} 不在本方案范围内`, `community ${body.community} is outside this plan`);
      }
      assertMayPartition(p, body.community);
      const input = await loadPartitionInput(db, id, body.community);
      if (!input.buildings.length) throw badRequest('empty_community', `社区 ${body.community} 没有楼栋`, `community ${body.community} has no buildings`);
      const started = startPartition(jobs, { ...input, mode: body.mode, seed: body.seed }, p.id, async (result) => {
        const summary = await db.transaction((tx) =>
          writePartitionDraft(tx, { sourceId: id, community: body.community, result, mode: body.mode, seed: body.seed, actor: p.name, userId: p.id }),
        );
        cache.invalidate();
        return summary;
      });
      return c.json({ job: started }, 202);
    })
    .get('/jobs/:id', (c) => c.json(job(c.req.param('id'))))
    .get('/jobs/:id/events', (c) => {
      const first = job(c.req.param('id'));
      return streamSSE(c, async (stream) => {
        const queue: JobView[] = [first];
        let wake: (() => void) | null = null;
        const unsubscribe = jobs.subscribe(first.id, (v) => {
          queue.push(v);
          wake?.();
        });
        stream.onAbort(() => {
          unsubscribe();
          wake?.();
        });
        try {
          while (!stream.aborted) {
            const v = queue.shift();
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
    .delete('/jobs/:id', (c) => {
      const before = job(c.req.param('id'));
      if (isTerminal(before.status) || before.status === 'writing') {
        throw new HttpError(409, 'job_finished', `任务已结束（${before.status}），无法取消`, `job already ${before.status}; cannot cancel`);
      }
      return c.json(jobs.cancel(before.id));
    });
}
