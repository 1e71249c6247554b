/**
 * Publishing a draft (issue #4, #14.1): the one implementation behind `POST /api/plans/:id/publish`
 * and `npm run partition -- --publish`. Publishes of one street run one after another (the street's
 * row lock); a draft made before another publish changed its part is refused (409
 * `published_changed`); a community plan carries the rest of the street over from the plan
 * published now; validation errors refuse the publish unless a reason is given.
 */
import type { Sql } from '../db/client.js';
import { HttpError } from '../http-error.js';
import { audit } from './audit.repo.js';
import { carryOverOutside, samePart } from './plan-scope.repo.js';
import { validatePlanSql } from './plan-validation.repo.js';
import { type PlanRow, getPlan } from './plans.repo.js';

/** A publish refused for validation errors without a reason (422); ends the transaction. */
export class PublishRefused extends Error {
  constructor(readonly problems: Awaited<ReturnType<typeof validatePlanSql>>) {
    super('publish refused');
  }
}

export interface PublishOptions {
  reason?: string;
  actor: string;
  userId: number | null;
  ip?: string | null;
  /** Throws when the caller may not publish this plan (scope check of the route). */
  assertMay?: (plan: PlanRow) => void;
}

/** Publishes draft `id` in `tx`; throws {@link PublishRefused} for validation errors without a reason. */
export async function publishDraft(tx: Sql, id: number, opts: PublishOptions): Promise<{ published: number; previous: number | null; errors: number }> {
  await tx.query('SELECT s.id FROM streets s JOIN grid_plans p ON p.street_id = s.id WHERE p.id = $1 FOR UPDATE OF s', [id]);
  const [row] = await tx.query<{ status: string; version: number }>('SELECT status, version FROM grid_plans WHERE id = $1 FOR UPDATE', [id]);
  if (!row) throw new HttpError(404, 'not_found', `方案 ${id} 不存在`, `plan ${id} not found`);
  const plan = await getPlan(tx, id);
  opts.assertMay?.(plan);
  if (row.status !== 'draft') throw new HttpError(409, 'not_draft', '只能发布草案', 'only drafts can be published');
  // The plan published now for the draft's street (each street has its own, issue #15).
  const [pub] = await tx.query<{ id: number }>(`SELECT id FROM grid_plans WHERE street_id = $1 AND status = 'published'`, [plan.streetId]);
  const current = pub?.id ?? null;
  // A community plan only conflicts with a publish that changed its own community meanwhile.
  const stale = current !== null && plan.basedOn !== current &&
    (plan.communityId === null || plan.basedOn === null || !(await samePart(tx, plan.basedOn, current, plan.communityId)));
  if (stale) {
    throw new HttpError(409, 'published_changed', '草案创建后已有新方案发布，请基于新方案重新制作', 'another plan was published since this draft was made; start from it');
  }
  // A community plan publishes its community only: the rest of the street is carried over
  // from the plan published now, before validation, so what is checked is what goes live.
  if (plan.communityId !== null) await carryOverOutside(tx, id, plan.communityId, current);
  const problems = (await validatePlanSql(tx, id)).filter((x) => x.severity === 'error');
  // Thrown, not returned: the carry-over above must roll back with the refusal.
  if (problems.length > 0 && !opts.reason) throw new PublishRefused(problems);
  await tx.query(`UPDATE grid_plans SET status = 'archived' WHERE status = 'published' AND street_id = $1`, [plan.streetId]);
  await tx.query(
    `UPDATE grid_plans SET status = 'published', published_at = now(), publish_reason = $2, version = version + 1, updated_at = now() WHERE id = $1`,
    [id, opts.reason ?? null],
  );
  await audit(tx, { actor: opts.actor, userId: opts.userId, action: 'plan_publish', targetType: 'plan', targetId: String(id), detail: { previous: current, errors: problems.length, reason: opts.reason ?? null }, ip: opts.ip ?? null });
  return { published: id, previous: current, errors: problems.length };
}
