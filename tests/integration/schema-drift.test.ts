/**
 * The drizzle schema (server/db/schema.ts) must describe exactly the tables the SQL migrations
 * create: same tables, same columns, same nullability.
 */
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import { beforeAll, describe, expect, it } from 'vitest';
import * as schema from '../../server/db/schema.js';
import type { Database } from '../../server/db/client.js';
import { testDb } from '../helpers/test-db.js';

let db: Database;
beforeAll(async () => {
  ({ db } = await testDb());
});

const tables = (Object.values(schema) as unknown[]).filter(
  (v): v is PgTable => typeof v === 'object' && v !== null && Symbol.for('drizzle:IsDrizzleTable') in v,
);

describe('schema drift', () => {
  it('drizzle tables match the migrated database column for column', async () => {
    expect(tables.length).toBeGreaterThanOrEqual(13);
    const rows = await db.query<{ table_name: string; column_name: string; is_nullable: string }>(
      `SELECT table_name, column_name, is_nullable FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name NOT IN
         ('_migrations', 'spatial_ref_sys', 'geometry_columns', 'geography_columns', 'raster_columns', 'raster_overviews')`,
    );
    const dbCols = new Map<string, Map<string, boolean>>();
    for (const r of rows) {
      if (!dbCols.has(r.table_name)) dbCols.set(r.table_name, new Map());
      dbCols.get(r.table_name)!.set(r.column_name, r.is_nullable === 'YES');
    }
    const drizzleCols = new Map(
      tables.map((t) => {
        const cfg = getTableConfig(t);
        return [cfg.name, new Map(cfg.columns.map((c) => [c.name, !c.notNull]))] as const;
      }),
    );
    expect([...drizzleCols.keys()].sort()).toEqual([...dbCols.keys()].sort());
    for (const [name, cols] of drizzleCols) {
      expect(Object.fromEntries(cols), name).toEqual(Object.fromEntries(dbCols.get(name)!));
    }
  });
});
