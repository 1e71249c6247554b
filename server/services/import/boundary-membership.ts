/**
 * After communities' outlines change: which buildings and compounds now lie in another community
 * of the same street (by a point surely inside them, ST_PointOnSurface — a centroid of an L-shaped
 * block can fall outside it, and the importer places buildings by the same point, resolve.ts).
 * Those move (community_id updated, ids kept); those that now lie in no community of their street
 * stay where they were and are reported, since a building must belong to a community.
 *
 * Grid plans are not touched: a moved building keeps its grid, and `planOutdated` says the
 * published plan now has grids whose buildings straddle communities, to be re-partitioned by a
 * planner (re-partitioning silently here would discard their hand edits).
 */
import type { Sql } from '../../db/client.js';

const SAMPLE = 10;

export interface Membership {
  /** Buildings that moved to another community: how many, a few codes. */
  moved: { count: number; codes: string[] };
  /** Buildings whose point now lies in no community of their street (left in their old one). */
  orphaned: { count: number; codes: string[] };
  compoundsMoved: { count: number; codes: string[] };
  /** A moved building belongs to a grid of a published plan: that plan should be re-partitioned. */
  planOutdated: boolean;
}

const movesOf = (table: 'buildings' | 'compounds') => `
  WITH changed AS (SELECT id, street_id, geom FROM communities WHERE id = ANY ($1::int[])),
  cand AS (
    SELECT t.id, t.code, t.community_id AS old, c.street_id, ST_PointOnSurface(t.geom) AS pt
    FROM ${table} t JOIN communities c ON c.id = t.community_id
    WHERE t.community_id IN (SELECT id FROM changed)
       OR EXISTS (SELECT 1 FROM changed ch WHERE ch.street_id = c.street_id AND ch.geom && t.geom AND ST_Intersects(ch.geom, t.geom)))
  SELECT cand.id, cand.code, cand.old,
    (SELECT n.id FROM communities n WHERE n.street_id = cand.street_id AND ST_Intersects(n.geom, cand.pt)
     ORDER BY (n.id = cand.old) DESC, n.id LIMIT 1) AS new
  FROM cand`;

interface Move { id: number; code: string; old: number; new: number | null }

const summary = (list: Move[]) => ({ count: list.length, codes: list.slice(0, SAMPLE).map((m) => m.code) });

/** Moves buildings and compounds of the given (changed or new) communities' streets; returns what moved. */
export async function rederiveMembership(tx: Sql, communityIds: number[]): Promise<Membership> {
  const none = { count: 0, codes: [] };
  if (communityIds.length === 0) return { moved: none, orphaned: none, compoundsMoved: none, planOutdated: false };
  const buildings = await tx.query<Move>(movesOf('buildings'), [communityIds]);
  const compounds = await tx.query<Move>(movesOf('compounds'), [communityIds]);
  const moved = buildings.filter((m) => m.new !== null && m.new !== m.old).sort((a, b) => a.code.localeCompare(b.code));
  const orphaned = buildings.filter((m) => m.new === null).sort((a, b) => a.code.localeCompare(b.code));
  const compoundsMoved = compounds.filter((m) => m.new !== null && m.new !== m.old);
  for (const [table, list] of [['buildings', moved], ['compounds', compoundsMoved]] as const) {
    if (list.length === 0) continue;
    await tx.query(`UPDATE ${table} t SET community_id = m.new FROM json_to_recordset($1::json) AS m(id int, new int) WHERE t.id = m.id`,
      [JSON.stringify(list.map((m) => ({ id: m.id, new: m.new })))]);
  }
  const [plan] = moved.length === 0 ? [{ n: 0 }] : await tx.query<{ n: number }>(`
    SELECT count(*)::int AS n FROM building_grid bg JOIN grid_plans p ON p.id = bg.plan_id
    WHERE p.status = 'published' AND bg.building_id = ANY ($1::int[])`, [moved.map((m) => m.id)]);
  return { moved: summary(moved), orphaned: summary(orphaned), compoundsMoved: summary(compoundsMoved), planOutdated: plan.n > 0 };
}
