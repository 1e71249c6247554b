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

