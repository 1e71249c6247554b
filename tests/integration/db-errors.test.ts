/**
 * A geometry error inside PostGIS reaches the caller as an error on both backends. Native PostGIS
 * raises GEOS's TopologyException; PGlite's WebAssembly GEOS answers with no result at all, which
 * the client turns into SilentQueryFailure (server/db/client.ts) — before that, such a query read
 * as "no rows", and the plan validator reported a plan with 51 problems as having none.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/client.js';
import { announceNativeOnly, nativeConnection, testDb } from '../helpers/test-db.js';

let db: Database;
beforeAll(async () => {
  ({ db } = await testDb());
});

const BOWTIE = `'POLYGON((0 0,2 2,2 0,0 2,0 0))'::geometry`;
const SQUARE = `'POLYGON((1 1,3 1,3 3,1 3,1 1))'::geometry`;

describe('errors inside PostGIS', () => {
  it('a failing overlay is an error, not an empty answer', async () => {
    await expect(db.query(`SELECT ST_Difference(${BOWTIE}, ${SQUARE}) AS g`)).rejects.toThrow(/GEOS|without a result/);
    // The same statement on valid input answers, and a query with no rows still has its rows (none).
    const [{ area }] = await db.query<{ area: number }>(`SELECT ST_Area(ST_Difference('POLYGON((0 0,2 0,2 2,0 2,0 0))'::geometry, ${SQUARE})) AS area`);
    expect(area).toBe(3);
    expect(await db.query('SELECT 1 AS one WHERE false')).toEqual([]);
  });

  it('leaves the connection usable after the failure', async () => {
    await expect(db.query(`SELECT ST_Difference(${BOWTIE}, ${SQUARE})`)).rejects.toThrow();
    expect(await db.query<{ n: number }>('SELECT 41 + 1 AS n')).toEqual([{ n: 42 }]);
  });

  it('a write whose overlay fails changes nothing: native raises, PGlite answers no rows (so writers count them)', async () => {
    await db.query('CREATE TABLE IF NOT EXISTS test_overlay_writes (id int PRIMARY KEY, g geometry)');
    try {
      await db.query(`INSERT INTO test_overlay_writes VALUES (1, ${BOWTIE}) ON CONFLICT (id) DO NOTHING`);
      const answer = await db
        .query(`UPDATE test_overlay_writes SET g = ST_Difference(g, ${SQUARE}) WHERE id = 1 RETURNING id`)
        .catch((e: unknown) => e);
      if (db.backend === 'pglite') expect(answer).toEqual([]);
      else expect(String(answer)).toMatch(/GEOS/);
      const [{ wkt }] = await db.query<{ wkt: string }>('SELECT ST_AsText(g) AS wkt FROM test_overlay_writes WHERE id = 1');
      expect(wkt).toBe('POLYGON((0 0,2 2,2 0,0 2,0 0))');
    } finally {
      await db.query('DROP TABLE test_overlay_writes');
    }
  });
});

describe('a statement whose backend is terminated (native PostgreSQL)', () => {
  it('a read runs again on another connection; a write keeps its error', async () => {
    const a = await nativeConnection();
    const b = await nativeConnection();
    if (!a || !b) return announceNativeOnly('a read retried after pg_terminate_backend');
    try {
      await a.query('CREATE TABLE IF NOT EXISTS test_terminated_writes (id serial PRIMARY KEY, at timestamptz)');
      // The victim's backend is terminated while its statement sleeps (the sleep outlasts the kill).
      const killSoon = async (marker: string) => {
        for (let i = 0; i < 50; i++) {
          const [row] = await b.query<{ pid: number }>(
            `SELECT pid FROM pg_stat_activity WHERE query LIKE $1 AND pid <> pg_backend_pid() AND state = 'active'`, [`%${marker}%`]);
          if (row) return b.query('SELECT pg_terminate_backend($1)', [row.pid]);
          await new Promise((r) => setTimeout(r, 20));
        }
        throw new Error(`no backend ran ${marker}`);
      };
      // A read: terminated once; the retry on a fresh connection answers (within its time limit).
      const read = a.query<{ n: number }>(`SELECT 7 AS n, pg_sleep(0.15) /* read-marker */`);
      await killSoon('read-marker');
      expect((await read)[0].n).toBe(7);
      // A write: never run twice; the caller gets the lost connection's error.
      const write = a.query(`INSERT INTO test_terminated_writes (at) SELECT now() FROM pg_sleep(0.4) /* write-marker */`);
      const [killed] = await Promise.all([write.catch((e: { code?: string }) => e.code), killSoon('write-marker')]);
      expect(['57P01', 'CONNECTION_CLOSED', 'ECONNRESET']).toContain(killed);
      expect((await a.query<{ n: number }>('SELECT count(*)::int AS n FROM test_terminated_writes'))[0].n).toBe(0);
    } finally {
      await a.query('DROP TABLE IF EXISTS test_terminated_writes').catch(() => undefined);
      await a.close();
      await b.close();
    }
  });
});
