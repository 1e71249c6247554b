/** Grid geometry derived from building assignments (used by the seeder and the plan editor). */
import type { Sql } from '../db/client.js';
import { OVERLAY_GRID } from './sql-params.js';

/**
 * Grid polygons from the building assignment: Voronoi cells of the building centroids, clipped to
 * the community, dissolved per grid. A building's cell depends only on the centroids, never on the
 * assignment, so a grid whose buildings do not change keeps exactly the same polygon (locked grids
 * stay put while neighbours are repainted). `communityIds` limits the work to edited communities.
 */
export async function deriveGridPolygons(tx: Sql, planId: number, communityIds?: number[]) {
  const scope = [planId, communityIds ? JSON.stringify(communityIds) : null];
  // Grids that have buildings, which the last statement gives a polygon: on PGlite a GEOS failure
  // there answers "no rows" instead of an error and would leave every grid empty.
  const [{ n }] = await tx.query<{ n: number }>(
    `SELECT count(DISTINCT bg.grid_id)::int AS n FROM building_grid bg JOIN grids g ON g.id = bg.grid_id
     WHERE bg.plan_id = $1 AND ($2::jsonb IS NULL OR g.community_id IN (SELECT jsonb_array_elements_text($2::jsonb)::int))`,
    scope,
  );
  await tx.query(
    `UPDATE grids SET geom = 'SRID=4326;MULTIPOLYGON EMPTY'::geometry
     WHERE plan_id = $1 AND ($2::jsonb IS NULL OR community_id IN (SELECT jsonb_array_elements_text($2::jsonb)::int))`,
    scope,
  );
  const shaped = await tx.query(
    `WITH cells AS (
       SELECT c.id AS community_id, c.geom AS cgeom,
              -- Voronoi needs two distinct sites: one building (or several on one spot) get the whole community.
              (ST_Dump(CASE WHEN count(DISTINCT ST_AsEWKB(b.centroid)) < 2 THEN c.geom
                            ELSE ST_VoronoiPolygons(ST_Collect(b.centroid), 0, c.geom) END)).geom AS cell
       FROM communities c JOIN buildings b ON b.community_id = c.id
       WHERE $2::jsonb IS NULL OR c.id IN (SELECT jsonb_array_elements_text($2::jsonb)::int)
       GROUP BY c.id, c.geom),
     assigned AS (
       SELECT bg.grid_id, ST_Intersection(cells.cell, cells.cgeom, ${OVERLAY_GRID}) AS g
       FROM cells JOIN buildings b ON b.community_id = cells.community_id AND ST_Intersects(cells.cell, b.centroid)
       JOIN building_grid bg ON bg.building_id = b.id AND bg.plan_id = $1),
     dissolved AS (
       SELECT grid_id, ST_Multi(ST_CollectionExtract(ST_UnaryUnion(ST_Collect(g), ${OVERLAY_GRID}), 3)) AS geom
       FROM assigned GROUP BY grid_id)
     UPDATE grids SET geom = d.geom FROM dissolved d WHERE d.grid_id = grids.id RETURNING grids.id`,
    scope,
  );
  if (n > 0 && shaped.length === 0) throw new Error(`grid polygons: none of ${n} grids could be shaped; the edit is rolled back`);
}


/**
 * Mends grids the Voronoi derivation left in several pieces within one piece of their community
 * (real, irregular communities — issue #15; a community's own exclaves are left alone): every
 * piece but the largest goes, with the buildings whose centroid lies in it, to the neighbouring
 * grid of the same community that shares the longest border with it. Locked and dedicated grids
 * are neither changed nor grown. Returns how many pieces moved; polygons and assignments stay
 * consistent (a building lies in its grid's polygon).
 */
export async function mendGridFragments(tx: Sql, planId: number, communityIds: number[], rounds = 3): Promise<number> {
  let moved = 0;
  for (let round = 0; round < rounds; round++) {
    await tx.query('DROP TABLE IF EXISTS mend_moves');
    await tx.query(`CREATE TEMP TABLE mend_moves ON COMMIT DROP AS
      WITH parts AS (
        SELECT g.id AS grid_id, g.community_id, d.geom, ST_Area(d.geom) AS a
        FROM grids g, LATERAL ST_Dump(g.geom) d
        WHERE g.plan_id = $1 AND g.community_id = ANY ($2::int[]) AND g.kind = 'basic' AND NOT g.locked),
      tagged AS (
        SELECT parts.*, (SELECT p.path[1] FROM communities c, LATERAL ST_Dump(c.geom) p
                         WHERE c.id = parts.community_id AND ST_Intersects(p.geom, ST_PointOnSurface(parts.geom)) LIMIT 1) AS piece
        FROM parts),
      frag AS (SELECT * FROM (SELECT tagged.*, row_number() OVER (PARTITION BY grid_id, piece ORDER BY a DESC) AS rk FROM tagged) r WHERE rk > 1)
      SELECT f.grid_id AS from_grid, f.geom,
        (SELECT o.id FROM grids o WHERE o.plan_id = $1 AND o.community_id = f.community_id AND o.id <> f.grid_id
           AND o.kind = 'basic' AND NOT o.locked AND ST_Intersects(o.geom, f.geom)
         ORDER BY ST_Length(ST_CollectionExtract(ST_Intersection(o.geom, f.geom), 2)) DESC, o.id LIMIT 1) AS to_grid
      FROM frag f`, [planId, communityIds]);
    await tx.query('DELETE FROM mend_moves WHERE to_grid IS NULL');
    const [{ n }] = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM mend_moves');
    if (n === 0) break;
    moved += n;
    await tx.query(`UPDATE building_grid bg SET grid_id = m.to_grid FROM mend_moves m, buildings b
      WHERE bg.plan_id = $1 AND bg.grid_id = m.from_grid AND b.id = bg.building_id AND ST_Intersects(m.geom, b.centroid)`, [planId]);
    await tx.query(`UPDATE grids g SET geom = ST_Multi(ST_CollectionExtract(ST_Difference(g.geom, x.u, ${OVERLAY_GRID}), 3))
      FROM (SELECT from_grid, ST_Union(geom) AS u FROM mend_moves GROUP BY from_grid) x WHERE g.id = x.from_grid`);
    await tx.query(`UPDATE grids g SET geom = ST_Multi(ST_CollectionExtract(ST_UnaryUnion(ST_Collect(g.geom, x.u), ${OVERLAY_GRID}), 3))
      FROM (SELECT to_grid, ST_Union(geom) AS u FROM mend_moves GROUP BY to_grid) x WHERE g.id = x.to_grid`);
  }
  return moved;
}
