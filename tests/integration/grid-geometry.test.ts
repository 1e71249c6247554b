/**
 * Grid polygons derived from building assignments (server/repos/grid-geometry.repo.ts): every grid
 * with buildings gets a polygon, also in a community of a single building (a Voronoi diagram needs
 * two sites) or of several buildings on one spot. Run in a rolled-back transaction.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database, Sql } from '../../server/db/client.js';
import { deriveGridPolygons } from '../../server/repos/grid-geometry.repo.js';
import { testDb } from '../helpers/test-db.js';

let db: Database;
beforeAll(async () => {
  ({ db } = await testDb());
});

class Rollback extends Error {}

/** A square community far from the demo street, with one grid holding `spots` buildings. */
async function lonelyCommunity(tx: Sql, planId: number, spots: [number, number][]) {
  const [{ street }] = await tx.query<{ street: number }>('SELECT street_id AS street FROM grid_plans WHERE id = $1', [planId]);
  const [{ id: community }] = await tx.query<{ id: number }>(
    `INSERT INTO communities (code, name, short_name, street_id, geom)
     VALUES ('TEST-LONE', '测试社区', '测试', $1, ST_Multi(ST_MakeEnvelope(100, 10, 100.01, 10.01, 4326))) RETURNING id`,
    [street],
  );
  const [{ id: grid }] = await tx.query<{ id: number }>(
    `INSERT INTO grids (plan_id, community_id, code, name, kind, geom)
     VALUES ($1, $2, 'TEST-LONE-001', '测试网格', 'basic', 'SRID=4326;MULTIPOLYGON EMPTY') RETURNING id`,
    [planId, community],
  );
  for (const [i, [x, y]] of spots.entries()) {
    const [{ id: building }] = await tx.query<{ id: number }>(
      `INSERT INTO buildings (code, community_id, number, floors, units, households, residents, geom)
       VALUES ($1, $2, '1', 6, 2, 24, 60, ST_Multi(ST_Buffer(ST_SetSRID(ST_MakePoint($3, $4), 4326), 0.0001, 4))) RETURNING id`,
      [`TEST-LONE-B${i}`, community, x, y],
    );
    await tx.query('INSERT INTO building_grid (plan_id, building_id, grid_id) VALUES ($1, $2, $3)', [planId, building, grid]);
  }
  return { community, grid };
}

describe('deriveGridPolygons', () => {
  for (const [what, spots] of [
    ['a single building', [[100.005, 10.005]]],
    ['two buildings on one spot', [[100.004, 10.004], [100.004, 10.004]]],
  ] as [string, [number, number][]][]) {
    it(`gives the grid the whole community for ${what}`, async () => {
      const [{ id: planId }] = await db.query<{ id: number }>(`SELECT id FROM grid_plans WHERE status = 'published'`);
      let area = 0;
      await db
        .transaction(async (tx) => {
          const { community, grid } = await lonelyCommunity(tx, planId, spots);
          await deriveGridPolygons(tx, planId, [community]);
          [{ area }] = await tx.query<{ area: number }>(
            `SELECT ST_Area(g.geom) / ST_Area(c.geom) AS area FROM grids g, communities c WHERE g.id = $1 AND c.id = $2`,
            [grid, community],
          );
          throw new Rollback();
        })
        .catch((e: unknown) => {
          if (!(e instanceof Rollback)) throw e;
        });
      expect(area).toBeCloseTo(1, 6);
    });
  }
});
