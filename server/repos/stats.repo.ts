/**
 * Aggregate figures for the street, a community or a grid (published plan unless told otherwise).
 * Households and residents come from the buildings' declared totals, the same figures the grid
 * tallies use, so KPI panels and grid colours always agree.
 */
import { DEFAULT_BAND } from '../../geo/band.js';
import type { Sql } from '../db/client.js';
import { PUBLISHED_PLAN_SQL, publishedPlanSql, SqlParams } from './sql-params.js';

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

/**
 * The SQL pieces of a scope, with only the conditions it names (no `$n IS NULL OR …`, which keeps
 * the planner from the street's indexes once a prepared statement goes generic): each query
 * gets its own parameters.
 */
function scopeSql(scope: StatsScope) {
  const p = new SqlParams();
  const street = scope.streetId != null ? `${p.add(scope.streetId)}::int` : null;
  const community = scope.community !== undefined ? p.add(scope.community) : null;
  const grid = scope.grid !== undefined ? p.add(scope.grid) : null;
  // Added when first used: a parameter the query does not mention would have no type.
  let plan: string | undefined;
  const and = (conds: (string | false | null)[]) => conds.filter(Boolean).join(' AND ') || 'true';
  return {
    p, street, community, grid, and,
    get plan() {
      plan ??= scope.plan !== undefined ? `${p.add(scope.plan)}::int` : street ? publishedPlanSql(street) : PUBLISHED_PLAN_SQL;
      return plan;
    },
  };
}

export async function getStats(db: Sql, scope: StatsScope): Promise<Stats> {
  const { lo, hi } = DEFAULT_BAND;

  // Buildings in scope (by community and/or by grid within the plan), every figure in one pass.
  const t = scopeSql(scope);
  const [totals] = await db.query<Omit<Stats, 'scope' | 'grids' | 'facilities'>>(
    `SELECT ${t.plan} AS "planId",
       count(DISTINCT b.community_id)::int AS communities,
       count(DISTINCT b.compound_id)::int AS compounds,
       count(b.id)::int AS buildings,
       coalesce(sum(b.households), 0)::int AS households,
       coalesce(sum(b.residents), 0)::int AS residents,
       -- party tallies kept per building by triggers on households (migration 0010)
       coalesce(sum(b.party_members), 0)::int AS "partyMembers",
       coalesce(sum(b.party_households), 0)::int AS "partyHouseholds",
       coalesce(sum(b.party_centers), 0)::int AS "partyCenters"
     FROM buildings b JOIN communities c ON c.id = b.community_id
     ${t.grid ? `JOIN building_grid bg ON bg.building_id = b.id AND bg.plan_id = ${t.plan} JOIN grids g ON g.id = bg.grid_id AND g.code = ${t.grid}` : ''}
     WHERE ${t.and([t.community && `c.code = ${t.community}`, t.street && `c.street_id = ${t.street}`])}`,
    t.p.values,
  );

  const g = scopeSql(scope);
  const [grids] = await db.query<Stats['grids']>(
    `WITH sg AS (SELECT g.id, g.kind FROM grids g JOIN communities c ON c.id = g.community_id
                 WHERE ${g.and([`g.plan_id = ${g.plan}`, g.community && `c.code = ${g.community}`, g.grid && `g.code = ${g.grid}`, g.street && `c.street_id = ${g.street}`])}),
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
    g.p.values,
  );

  // Facilities of the area: a street's are those of its communities, and those outside every
  // community that its outline holds (two index lookups, not a scan of every facility).
  const f = scopeSql(scope);
  const own = f.and([
    f.community && `f.community_id = (SELECT id FROM communities WHERE code = ${f.community})`,
    f.grid && `ST_Intersects(f.geom, (SELECT g.geom FROM grids g WHERE g.code = ${f.grid} AND g.plan_id = ${f.plan}))`,
  ]);
  const inScope = f.street
    ? `SELECT f.id, f.category FROM facilities f WHERE f.community_id IN (SELECT id FROM communities WHERE street_id = ${f.street}) AND ${own}
       UNION ALL
       SELECT f.id, f.category FROM facilities f
       WHERE f.community_id IS NULL AND ST_Intersects(f.geom, (SELECT geom FROM streets WHERE id = ${f.street})) AND ${own}`
    : `SELECT f.id, f.category FROM facilities f WHERE ${own}`;
  const byCategory = await db.query<{ code: string; name: string; count: number }>(
    `SELECT fc.code, fc.name, count(f.id)::int AS count
     FROM facility_categories fc LEFT JOIN (${inScope}) f ON f.category = fc.code
     GROUP BY fc.code, fc.name, fc.sort ORDER BY fc.sort, fc.code`,
    f.p.values,
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
