/**
 * Grid plans: listing, creating drafts (a copy of the published plan or of any earlier plan, or
 * empty), optimistic versioning, deletion. Edit operations live in plan-ops.repo.ts.
 */
import type { Sql } from '../db/client.js';
import { HttpError, badRequest, notFound } from '../http-error.js';
import { copyPlanGrids } from './plan-scope.repo.js';
import { publishedPlanSql } from './sql-params.js';

export interface PlanRow {
  id: number;
  name: string;
  status: 'draft' | 'published' | 'archived';
  version: number;
  streetId: number;
  /** The street's 9-digit code (issue #15: a plan belongs to one street). */
  streetCode: string;
  communityId: number | null;
  communityCode: string | null;
  basedOn: number | null;
  publishReason: string | null;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
  grids: number;
}

const PLAN_COLUMNS = `p.id, p.name, p.status, p.version, p.street_id AS "streetId",
  (SELECT s.code FROM streets s WHERE s.id = p.street_id) AS "streetCode", p.community_id AS "communityId",
  c.code AS "communityCode", p.based_on AS "basedOn", p.publish_reason AS "publishReason",
  p.created_at AS "createdAt", p.updated_at AS "updatedAt", p.published_at AS "publishedAt",
  (SELECT count(*)::int FROM grids g WHERE g.plan_id = p.id) AS grids`;

/** The plans of street `streetId` (null: every plan, a database without streets), newest first. */
export function listPlans(db: Sql, streetId: number | null) {
  return db.query<PlanRow>(
    `SELECT ${PLAN_COLUMNS} FROM grid_plans p LEFT JOIN communities c ON c.id = p.community_id
     WHERE $1::int IS NULL OR p.street_id = $1 ORDER BY p.id DESC`,
    [streetId],
  );
}

export async function getPlan(db: Sql, id: number): Promise<PlanRow> {
  const [row] = await db.query<PlanRow>(
    `SELECT ${PLAN_COLUMNS} FROM grid_plans p LEFT JOIN communities c ON c.id = p.community_id WHERE p.id = $1`,
    [id],
  );
  if (!row) throw notFound(`方案 ${id} 不存在`, `plan ${id} not found`);
  return row;
}

/** The published plan of street `streetId` (issue #15: one per street). */
export async function publishedPlanId(db: Sql, streetId: number): Promise<number | null> {
  const [row] = await db.query<{ id: number | null }>(`SELECT ${publishedPlanSql('$1::int')} AS id`, [streetId]);
  return row?.id ?? null;
}

/**
 * Creates a draft; `from` is 'published', 'empty' or the id of a plan to copy (restore). A draft
 * for one community takes only that community from `from`; the rest is the published plan.
 */
export async function createDraft(
  tx: Sql,
  opts: { name?: string; communityCode?: string; from?: 'published' | 'empty' | number; streetId: number },
): Promise<{ id: number; version: number }> {
  const street = { id: opts.streetId };
  // `from` omitted: the published plan when there is one, else an empty draft — a street just
  // set up has nothing published, and its first plan starts empty (it was a 404 "no published
  // plan to copy" for a copy nobody asked for).
  const from = opts.from ?? ((await publishedPlanId(tx, street.id)) === null ? 'empty' : 'published');
  const source = from === 'empty' ? null : from === 'published' ? await publishedPlanId(tx, street.id) : from;
  if (from !== 'empty' && source === null) throw notFound('没有已发布的方案可复制', 'there is no published plan to copy');
  if (typeof from === 'number' && (await getPlan(tx, from)).streetId !== street.id) {
    throw badRequest('other_street', `方案 ${from} 属于另一个街道`, `plan ${from} belongs to another street`);
  }
  const [community] = opts.communityCode
    ? await tx.query<{ id: number; street_id: number }>('SELECT id, street_id FROM communities WHERE code = $1', [opts.communityCode])
    : [{ id: null as number | null, street_id: street.id }];
  if (!community) throw notFound(`社区 ${opts.communityCode} 不存在`, `community ${opts.communityCode} not found`);
  if (community.street_id !== street.id) {
    throw badRequest('other_street', `社区 ${opts.communityCode} 不属于该街道`, `community ${opts.communityCode} is not in this street`);
  }
  const name = opts.name ?? `${new Date().toISOString().slice(0, 10)} 网格调整草案`;
  // based_on is the published plan this draft starts from — the baseline for the diff and for
  // the publish check — even when the content is copied from an older plan (a restore).
  const baseline = await publishedPlanId(tx, street.id);
  const [plan] = await tx.query<{ id: number; version: number }>(
    `INSERT INTO grid_plans (name, status, version, street_id, community_id, based_on)
     VALUES ($1, 'draft', 1, $2, $3, $4) RETURNING id, version`,
    [name, street.id, community.id, baseline],
  );
  if (community.id === null) {
    if (source !== null) await copyPlanGrids(tx, plan.id, source, null);
  } else {
    // A community draft (issue #14.1): the rest of the street as published, and only this
    // community taken from the source — `empty` empties this community alone, an older plan
    // restores this community alone.
    if (baseline !== null) await copyPlanGrids(tx, plan.id, baseline, { except: community.id });
    if (source !== null) await copyPlanGrids(tx, plan.id, source, { only: community.id });
  }
  return plan;
}

/**
 * Takes the plan's row lock and checks it may be edited at `expected` version: 404 unknown,
 * 409 `not_draft` for published/archived plans, 409 `stale_version` when someone saved first.
 */
export async function lockForEdit(tx: Sql, id: number, expected: number): Promise<PlanRow> {
  const [row] = await tx.query<{ status: string; version: number }>(
    'SELECT status, version FROM grid_plans WHERE id = $1 FOR UPDATE',
    [id],
  );
  if (!row) throw notFound(`方案 ${id} 不存在`, `plan ${id} not found`);
  if (row.status !== 'draft') throw new HttpError(409, 'not_draft', '只能修改草案；请从该方案新建草案', 'only drafts can be edited; make a new draft from this plan');
  if (row.version !== expected) {
    throw new HttpError(409, 'stale_version', `方案已被他人修改（当前版本 ${row.version}），请重新加载`, `plan changed meanwhile (now version ${row.version}); reload`);
  }
  return getPlan(tx, id);
}

/** Bumps the version and records the operations that produced it. */
export async function recordEdit(tx: Sql, id: number, actor: string, ops: unknown): Promise<number> {
  const [row] = await tx.query<{ version: number }>(
    'UPDATE grid_plans SET version = version + 1, updated_at = now() WHERE id = $1 RETURNING version',
    [id],
  );
  await tx.query('INSERT INTO plan_edits (plan_id, version, actor, ops) VALUES ($1, $2, $3, $4::jsonb)', [
    id, row.version, actor, JSON.stringify(ops),
  ]);
  return row.version;
}

export async function deleteDraft(tx: Sql, id: number) {
  const plan = await getPlan(tx, id);
  if (plan.status !== 'draft') throw new HttpError(409, 'not_draft', '只能删除草案', 'only drafts can be deleted');
  await tx.query('DELETE FROM grid_plans WHERE id = $1', [id]);
}

/** Building → grid code of a plan (what the planner paints). */
export function planAssignments(db: Sql, id: number) {
  return db.query<{ building: string; grid: string }>(
    `SELECT b.code AS building, g.code AS grid FROM building_grid bg
     JOIN buildings b ON b.id = bg.building_id JOIN grids g ON g.id = bg.grid_id
     WHERE bg.plan_id = $1 ORDER BY b.code`,
    [id],
  );
}
