/** Grid look-ups shared by the plan edit operations (paint mode and polygon mode). */
import type { Sql } from '../db/client.js';
import { HttpError, badRequest } from '../http-error.js';
import type { PlanRow } from './plans.repo.js';

export interface GridRef {
  id: number;
  code: string;
  name: string;
  kind: 'basic' | 'dedicated';
  dedicatedType: string | null;
  communityId: number;
  communityCode: string;
  locked: boolean;
}

/** A grid of the plan by code: 400 when unknown or outside the plan's community. */
export async function findGrid(tx: Sql, plan: PlanRow, gridCode: string): Promise<GridRef> {
  const [g] = await tx.query<GridRef>(
    `SELECT g.id, g.code, g.name, g.kind, g.dedicated_type AS "dedicatedType", g.community_id AS "communityId",
            c.code AS "communityCode", g.locked
     FROM grids g JOIN communities c ON c.id = g.community_id WHERE g.plan_id = $1 AND g.code = $2`,
    [plan.id, gridCode],
  );
  if (!g) throw badRequest('unknown_grid', `方案中没有网格 ${gridCode}`, `no grid ${gridCode} in this plan`);
  if (plan.communityId !== null && g.communityId !== plan.communityId) {
    throw badRequest('out_of_plan_scope', `网格 ${gridCode} 不在本方案的社区内`, `grid ${gridCode} is outside this plan's community`);
  }
  return g;
}

/** 409 `locked`: the edit would change a locked grid. */
export const lockedError = (what: string) =>
  new HttpError(409, 'locked', `${what} 已锁定，不能修改`, `${what} is locked and cannot change`);

/** The next free code of a community: `<community code>-NNN` after the highest number in use. */
export async function nextGridCode(tx: Sql, planId: number, communityId: number, communityCode: string): Promise<string> {
  const [{ next }] = await tx.query<{ next: number }>(
    `SELECT coalesce(max(substring(code from '-(\\d+)$')::int), 0) + 1 AS next FROM grids WHERE plan_id = $1 AND community_id = $2`,
    [planId, communityId],
  );
  return `${communityCode}-${String(next).padStart(3, '0')}`;
}
