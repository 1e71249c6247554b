/**
 * A fingerprint of each community's part of a plan: its grids (code, name, kind, lock, exact
 * geometry), their workers and their buildings. Two plans agree on a community exactly when the
 * fingerprints are equal — what the scope tests of issue #14 compare before and after a publish.
 */
import type { Sql } from '../../server/db/client.js';

export async function communityDigests(db: Sql, planId: number): Promise<Map<string, string>> {
  const rows = await db.query<{ community: string; digest: string }>(
    `SELECT c.code AS community, md5(string_agg(
       concat_ws('|', g.code, g.name, g.kind, g.dedicated_type, g.locked, md5(ST_AsEWKB(g.geom)),
         (SELECT string_agg(w.name || ':' || w.role, ',' ORDER BY w.name, w.role) FROM grid_workers w WHERE w.grid_id = g.id),
         (SELECT string_agg(b.code, ',' ORDER BY b.code) FROM building_grid bg JOIN buildings b ON b.id = bg.building_id WHERE bg.grid_id = g.id)),
       ';' ORDER BY g.code)) AS digest
     FROM grids g JOIN communities c ON c.id = g.community_id WHERE g.plan_id = $1 GROUP BY c.code`,
    [planId],
  );
  return new Map(rows.map((r) => [r.community, r.digest]));
}

/** The id of the published plan. */
export async function publishedId(db: Sql): Promise<number> {
  const [row] = await db.query<{ id: number }>(`SELECT id FROM grid_plans WHERE status = 'published'`);
  return row.id;
}
