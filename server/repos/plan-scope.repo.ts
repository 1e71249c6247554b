/**
 * Community plans (issue #14.1): a plan made for one community (grid_plans.community_id set) only
 * ever changes that community. Its draft holds the rest of the street as published, and at publish
 * the rest of the street is carried over again from the plan published at that moment, inside the
 * publish transaction — so whatever the draft holds outside its community (an old draft made
 * `from: "empty"`, a copy of an older plan) never reaches the published plan. A community's
 * planner publishes their community; the other communities stay exactly as they were.
 */
import type { Sql } from '../db/client.js';
import { HttpError } from '../http-error.js';

/** Which communities' grids to copy: all, only one, or all but one. */
export type CommunityFilter = { only: number } | { except: number } | null;

function filterSql(f: CommunityFilter, param: string): string {
  if (f === null) return 'true';
  return 'only' in f ? `o.community_id = ${param}` : `o.community_id <> ${param}`;
}

/**
 * Copies grids (with their workers and building assignments) of plan `from` into plan `to`,
 * limited by `filter`. 409 `code_clash` when a copied code is already taken in `to` (a grid code
 * given by hand in one community that another community's grid also uses).
 */
export async function copyPlanGrids(tx: Sql, to: number, from: number, filter: CommunityFilter) {
  const where = filterSql(filter, '$3');
  const params = filter === null ? [to, from] : [to, from, 'only' in filter ? filter.only : filter.except];
  const [clash] = await tx.query<{ code: string }>(
    `SELECT o.code FROM grids o JOIN grids n ON n.plan_id = $1 AND n.code = o.code WHERE o.plan_id = $2 AND ${where} LIMIT 1`,
    params,
  );
  if (clash) {
    throw new HttpError(409, 'code_clash', `网格编号 ${clash.code} 已被其他社区的网格使用，请先改用本社区的编号`, `grid code ${clash.code} is used by another community's grid; renumber it first`);
  }
  await tx.query(
    `INSERT INTO grids (plan_id, community_id, code, name, kind, dedicated_type, locked, geom)
     SELECT $1, o.community_id, o.code, o.name, o.kind, o.dedicated_type, o.locked, o.geom FROM grids o
     WHERE o.plan_id = $2 AND ${where}`,
    params,
  );
  await tx.query(
    `INSERT INTO grid_workers (grid_id, name, phone, role)
     SELECT n.id, w.name, w.phone, w.role FROM grid_workers w
     JOIN grids o ON o.id = w.grid_id AND o.plan_id = $2 JOIN grids n ON n.plan_id = $1 AND n.code = o.code
     WHERE ${where}`,
    params,
  );
  await tx.query(
    `INSERT INTO building_grid (plan_id, building_id, grid_id)
     SELECT $1, bg.building_id, n.id FROM building_grid bg
     JOIN grids o ON o.id = bg.grid_id JOIN grids n ON n.plan_id = $1 AND n.code = o.code
     WHERE bg.plan_id = $2 AND ${where}
     ON CONFLICT (plan_id, building_id) DO NOTHING`,
    params,
  );
}

/**
 * Makes community plan `planId` equal to plan `published` everywhere outside `communityId`:
 * drops the draft's grids and assignments outside the community, then copies the published ones.
 * Runs inside the publish transaction, before validation, so what is validated is what goes live.
 */
export async function carryOverOutside(tx: Sql, planId: number, communityId: number, published: number | null) {
  await tx.query('DELETE FROM grids WHERE plan_id = $1 AND community_id <> $2', [planId, communityId]);
  // An assignment of a building of another community can only point at a grid of that community
  // (gone now, cascaded); one left pointing into this community's grids would be stale too.
  await tx.query(
    `DELETE FROM building_grid bg USING buildings b WHERE bg.plan_id = $1 AND b.id = bg.building_id AND b.community_id <> $2`,
    [planId, communityId],
  );
  if (published !== null) await copyPlanGrids(tx, planId, published, { except: communityId });
}

/** md5 of one community's part of a plan: grids (exact geometry), workers and assignments. */
const COMMUNITY_PART_SQL = `SELECT md5(coalesce(string_agg(
    concat_ws('|', g.code, g.name, g.kind, g.dedicated_type, g.locked, md5(ST_AsEWKB(g.geom)),
      (SELECT string_agg(w.name || ':' || coalesce(w.phone, '') || ':' || w.role, ',' ORDER BY w.name, w.phone, w.role) FROM grid_workers w WHERE w.grid_id = g.id),
      (SELECT string_agg(bg.building_id::text, ',' ORDER BY bg.building_id) FROM building_grid bg WHERE bg.grid_id = g.id)),
    ';' ORDER BY g.code), '')) AS part
  FROM grids g WHERE g.plan_id = $1 AND g.community_id = $2`;

/**
 * True when plans `a` and `b` hold the same grids, workers and assignments in the community. A
 * community draft may be published after another community's publish (its rest is carried over
 * anyway), but not after a publish that changed its own community since the draft was made.
 */
export async function samePart(tx: Sql, a: number, b: number, communityId: number): Promise<boolean> {
  const [[x], [y]] = await Promise.all([a, b].map((id) => tx.query<{ part: string }>(COMMUNITY_PART_SQL, [id, communityId])));
  return x.part === y.part;
}
