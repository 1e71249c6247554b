/** Collects positional parameters while a query is assembled: `p.add(v)` returns `$n`. */
export class SqlParams {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** SQL for the id of the street's published plan (a scalar subquery). */
export const PUBLISHED_PLAN_SQL = `(SELECT id FROM grid_plans WHERE status = 'published' ORDER BY id LIMIT 1)`;

/**
 * Grid size for PostGIS overlays (ST_Intersection, ST_Difference, ST_Union): 1e-9° (~0.1 mm).
 * With a grid size GEOS snap-rounds, which is robust without its exception-driven fallback;
 * PGlite's GEOS (WebAssembly) cannot take that fallback and failed on valid polygons
 * (db/client.ts SilentQueryFailure).
 */
export const OVERLAY_GRID = '1e-9';
