/**
 * The party tallies kept per building by triggers on households (migration 0010) always equal
 * what the household rows say: after the seed, and after inserts, updates (one of them moving a
 * household to another building), deletes and a truncate. Checked on real PostGIS inside a
 * transaction that is rolled back, so the shared test database is left as it was.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database, Sql } from '../../server/db/client.js';
import { testDb } from '../helpers/test-db.js';

let db: Database;
beforeAll(async () => {
  ({ db } = await testDb());
});

/** Buildings whose stored tallies differ from a recount of their household rows. */
const mismatches = async (sql: Sql) =>
  sql.query<{ id: number }>(
    `SELECT b.id FROM buildings b
     LEFT JOIN (SELECT building_id, sum(party_members)::int AS pm, (count(*) FILTER (WHERE party_members > 0))::int AS ph,
                       (count(*) FILTER (WHERE is_party_center))::int AS pc
                FROM households GROUP BY building_id) h ON h.building_id = b.id
     WHERE (b.party_members, b.party_households, b.party_centers)
           IS DISTINCT FROM (coalesce(h.pm, 0), coalesce(h.ph, 0), coalesce(h.pc, 0))`,
  );

const tallies = async (sql: Sql, id: number) =>
  (await sql.query<{ pm: number; ph: number; pc: number }>(
    'SELECT party_members AS pm, party_households AS ph, party_centers AS pc FROM buildings WHERE id = $1',
    [id],
  ))[0];

class Rollback extends Error {}

describe('building party tallies (triggers on households)', () => {
  it('match the household rows after the seed and after every kind of change', async () => {
    const steps: string[] = [];
    await db
      .transaction(async (tx) => {
        expect(await mismatches(tx)).toEqual([]);
        const [{ total }] = await tx.query<{ total: number }>('SELECT sum(party_members)::int AS total FROM buildings');
        expect(total).toBeGreaterThan(0);
        const [a, b] = await tx.query<{ id: number }>(
          'SELECT building_id AS id FROM households GROUP BY building_id HAVING count(*) >= 2 ORDER BY building_id LIMIT 2',
        );
        const before = await tallies(tx, a.id);

        // A bulk insert: three households, one with no party member, one a 党员中心户.
        await tx.query(
          `INSERT INTO households (building_id, unit, room, size, party_members, is_party_center) VALUES
             ($1, 1, 'T-1', 3, 2, true), ($1, 1, 'T-2', 2, 0, false), ($1, 1, 'T-3', 1, 1, false)`,
          [a.id],
        );
        expect(await tallies(tx, a.id)).toEqual({ pm: before.pm + 3, ph: before.ph + 2, pc: before.pc + 1 });
        steps.push('insert');
        expect(await mismatches(tx)).toEqual([]);

        await tx.query(`UPDATE households SET party_members = party_members + 1 WHERE building_id = $1`, [a.id]);
        steps.push('update');
        expect(await mismatches(tx)).toEqual([]);

        // Moving a household to another building takes its members and centre with it.
        const beforeB = await tallies(tx, b.id);
        await tx.query(`UPDATE households SET building_id = $2 WHERE building_id = $1 AND room = 'T-1'`, [a.id, b.id]);
        expect((await tallies(tx, b.id)).pc).toBe(beforeB.pc + 1);
        steps.push('move');
        expect(await mismatches(tx)).toEqual([]);

        await tx.query('DELETE FROM households WHERE building_id = $1', [b.id]);
        expect(await tallies(tx, b.id)).toEqual({ pm: 0, ph: 0, pc: 0 });
        steps.push('delete');
        expect(await mismatches(tx)).toEqual([]);

        await tx.query('TRUNCATE households');
        const [{ left }] = await tx.query<{ left: number }>(
          'SELECT count(*)::int AS left FROM buildings WHERE party_members + party_households + party_centers > 0',
        );
        expect(left).toBe(0);
        steps.push('truncate');
        throw new Rollback();
      })
      .catch((e: unknown) => {
        if (!(e instanceof Rollback)) throw e;
      });
    expect(steps).toEqual(['insert', 'update', 'move', 'delete', 'truncate']);
    // Rolled back: the shared database is as the seed left it.
    expect(await mismatches(db)).toEqual([]);
    const [{ n }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM households');
    expect(n).toBeGreaterThan(0);
  });
});
