/** Collects positional parameters while a query is assembled: `p.add(v)` returns `$n`. */
export class SqlParams {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** SQL for the id of the first published plan (a scalar subquery): a one-street database's plan. */
export const PUBLISHED_PLAN_SQL = `(SELECT id FROM grid_plans WHERE status = 'published' ORDER BY id LIMIT 1)`;

/**
 * SQL for the id of the published plan of the street whose id is the SQL expression `streetId`
 * (a parameter or a column such as `c.street_id`; issue #15: one published plan per street).
 * Null/undefined: {@link PUBLISHED_PLAN_SQL}.
 */
export function publishedPlanSql(streetId?: string | null): string {
  if (!streetId) return PUBLISHED_PLAN_SQL;
  return `(SELECT id FROM grid_plans WHERE status = 'published' AND street_id = ${streetId} ORDER BY id LIMIT 1)`;
}

/** SQL for the ids of every street's published plan (a subquery for `IN (…)`). */
export const PUBLISHED_PLANS_SQL = `SELECT id FROM grid_plans WHERE status = 'published'`;

/**
 * Grid size for PostGIS overlays (ST_Intersection, ST_Difference, ST_Union): 1e-9° (~0.1 mm).
 * With a grid size GEOS snap-rounds, which is robust without its exception-driven fallback;
 * PGlite's GEOS (WebAssembly) cannot take that fallback and failed on valid polygons
 * (db/client.ts SilentQueryFailure).
 */
export const OVERLAY_GRID = '1e-9';
