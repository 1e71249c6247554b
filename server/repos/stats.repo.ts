/**
 * Aggregate figures for the street, a community or a grid (published plan unless told otherwise).
 * Households and residents come from the buildings' declared totals, the same figures the grid
 * tallies use, so KPI panels and grid colours always agree.
 */
import { DEFAULT_BAND } from '../../geo/band.js';
import type { Sql } from '../db/client.js';
import { PUBLISHED_PLAN_SQL, publishedPlanSql } from './sql-params.js';

export interface StatsScope {
  community?: string;
  grid?: string;
  plan?: number;
  /** The street's database id (issue #15); absent: the whole database. */
  streetId?: number | null;
}

export interface Stats {
  scope: { community: string | null; grid: string | null };
  planId: number | null;
  communities: number;
  compounds: number;
  buildings: number;
  households: number;
  residents: number;
  partyMembers: number;
  partyHouseholds: number;
  partyCenters: number;
  grids: { total: number; basic: number; dedicated: number; under: number; in: number; over: number };
  facilities: { total: number; byCategory: { code: string; name: string; count: number }[] };
}

export async function getStats(db: Sql, scope: StatsScope): Promise<Stats> {
  const { lo, hi } = DEFAULT_BAND;
  const params = [scope.community ?? null, scope.grid ?? null, scope.plan ?? null, scope.streetId ?? null];
  const planSql = `coalesce($3::int, ${publishedPlanSql('$4::int')}, CASE WHEN $4::int IS NULL THEN ${PUBLISHED_PLAN_SQL} END)`;
  // Buildings in scope: by community code and/or by grid code within the plan.
  const scopedBuildings = `
    SELECT b.* FROM buildings b JOIN communities c ON c.id = b.community_id
    LEFT JOIN building_grid bg ON bg.building_id = b.id AND bg.plan_id = ${planSql}
    LEFT JOIN grids g ON g.id = bg.grid_id
    WHERE ($1::text IS NULL OR c.code = $1) AND ($2::text IS NULL OR g.code = $2) AND ($4::int IS NULL OR c.street_id = $4)`;
  const scopedGrids = `
    SELECT g.* FROM grids g JOIN communities c ON c.id = g.community_id
    WHERE g.plan_id = ${planSql} AND ($1::text IS NULL OR c.code = $1) AND ($2::text IS NULL OR g.code = $2)
      AND ($4::int IS NULL OR c.street_id = $4)`;

  const [totals] = await db.query<Omit<Stats, 'scope' | 'grids' | 'facilities'>>(
    `WITH sb AS (${scopedBuildings})
     SELECT ${planSql} AS "planId",
       (SELECT count(DISTINCT community_id) FROM sb)::int AS communities,
       (SELECT count(DISTINCT compound_id) FROM sb)::int AS compounds,
       (SELECT count(*) FROM sb)::int AS buildings,
       (SELECT coalesce(sum(households), 0) FROM sb)::int AS households,
       (SELECT coalesce(sum(residents), 0) FROM sb)::int AS residents,
       -- party tallies kept per building by triggers on households (migration 0010)
       (SELECT coalesce(sum(party_members), 0) FROM sb)::int AS "partyMembers",
       (SELECT coalesce(sum(party_households), 0) FROM sb)::int AS "partyHouseholds",
       (SELECT coalesce(sum(party_centers), 0) FROM sb)::int AS "partyCenters"`,
    params,
  );

  const [grids] = await db.query<Stats['grids']>(
    `WITH sg AS (${scopedGrids}),
     t AS (SELECT sg.kind, coalesce(sum(b.households), 0) AS hh FROM sg
           LEFT JOIN building_grid bg ON bg.grid_id = sg.id LEFT JOIN buildings b ON b.id = bg.building_id
           GROUP BY sg.id, sg.kind)
     SELECT count(*)::int AS total,
       (count(*) FILTER (WHERE kind = 'basic'))::int AS basic,
       (count(*) FILTER (WHERE kind = 'dedicated'))::int AS dedicated,
       (count(*) FILTER (WHERE kind = 'basic' AND hh < ${lo}))::int AS under,
       (count(*) FILTER (WHERE kind = 'basic' AND hh BETWEEN ${lo} AND ${hi}))::int AS "in",
       (count(*) FILTER (WHERE kind = 'basic' AND hh > ${hi}))::int AS over
     FROM t`,
    params,
  );

  const byCategory = await db.query<{ code: string; name: string; count: number }>(
    `SELECT fc.code, fc.name, count(f.id)::int AS count
     FROM facility_categories fc
     LEFT JOIN facilities f ON f.category = fc.code AND (
       ($1::text IS NULL OR f.community_id = (SELECT id FROM communities WHERE code = $1))
       AND ($2::text IS NULL OR ST_Intersects(f.geom,
             (SELECT g.geom FROM grids g WHERE g.code = $2 AND g.plan_id = ${planSql})))
       AND ($4::int IS NULL OR f.community_id IN (SELECT id FROM communities WHERE street_id = $4)
            OR (f.community_id IS NULL AND ST_Intersects(f.geom, (SELECT geom FROM streets WHERE id = $4)))))
     GROUP BY fc.code, fc.name, fc.sort ORDER BY fc.sort, fc.code`,
    params,
  );

  return {
    scope: { community: scope.community ?? null, grid: scope.grid ?? null },
    ...totals,
    grids,
    facilities: { total: byCategory.reduce((s, c) => s + c.count, 0), byCategory },
  };
}

/** Facility categories with their life-circle level, colour and number of facilities. */
export function listCategories(db: Sql) {
  return db.query<{ code: string; name: string; nameEn: string; level: string; color: string; sort: number; count: number }>(
    `SELECT fc.code, fc.name, fc.name_en AS "nameEn", fc.level, fc.color, fc.sort, count(f.id)::int AS count
     FROM facility_categories fc LEFT JOIN facilities f ON f.category = fc.code
     GROUP BY fc.code ORDER BY fc.sort, fc.code`,
  );
}
