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
