/**
 * A stored plan in the shape geo/plan/validate.ts works on (communities, grids, buildings and the
 * explicit building → grid assignment), for benchmarks and tests that compare geo/ with PostGIS.
 */
import type { Area, PlanBuilding, PlanGrid } from '../../geo/plan/validate.js';
import type { Sql } from '../../server/db/client.js';

export interface PlanFixture {
  communities: Map<string, Area>;
  grids: PlanGrid[];
  buildings: PlanBuilding[];
  assignment: Map<string, string>;
}

export async function loadPlanFixture(db: Sql, planId: number): Promise<PlanFixture> {
  const communities = await db.query<{ code: string; geometry: Area }>(
    `SELECT code, ST_AsGeoJSON(geom, 7)::json AS geometry FROM communities ORDER BY code`,
  );
  const grids = await db.query<PlanGrid>(
    `SELECT g.code AS id, g.code, g.kind, c.code AS "communityId", ST_AsGeoJSON(g.geom, 7)::json AS geometry
     FROM grids g JOIN communities c ON c.id = g.community_id WHERE g.plan_id = $1 ORDER BY g.code`,
    [planId],
  );
  const buildings = await db.query<PlanBuilding & { cx: number; cy: number }>(
    `SELECT b.code AS id, b.households, b.residents, c.code AS "communityId", ST_X(b.centroid) AS cx, ST_Y(b.centroid) AS cy,
            coalesce((SELECT sum(h.party_members) FROM households h WHERE h.building_id = b.id), 0)::int AS "partyMembers"
     FROM buildings b JOIN communities c ON c.id = b.community_id ORDER BY b.code`,
  );
  const assignment = await db.query<{ building: string; grid: string }>(
    `SELECT b.code AS building, g.code AS grid FROM building_grid bg JOIN buildings b ON b.id = bg.building_id
     JOIN grids g ON g.id = bg.grid_id WHERE bg.plan_id = $1`,
    [planId],
  );
  return {
    communities: new Map(communities.map((c) => [c.code, c.geometry])),
    grids,
    buildings: buildings.map(({ cx, cy, ...b }) => ({ ...b, centroid: [cx, cy] as [number, number] })),
    assignment: new Map(assignment.map((a) => [a.building, a.grid])),
  };
}
