/**
 * A connection PostgreSQL accepts but never answers (the restart fault test saw one, opened just
 * as PostgreSQL started listening): the driver gives up after its connect timeout, and the
 * statement that waited for that connection — never sent — runs once more on another connection,
 * a write or a whole transaction included, exactly once. The connection is held by a TCP proxy
 * (tests/helpers/tcp-proxy.ts) in front of the test PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CONNECT_TIMEOUT_S, type Database, openNative } from '../../server/db/client.js';
import { announceNativeOnly, isNative, testDb } from '../helpers/test-db.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';

let proxy: TcpProxy;
let proxied: string;
let direct: Database;
const TABLE = 'connect_retry_probe';

beforeAll(async () => {
  if (!isNative()) return;
  direct = (await testDb()).db;
  const base = new URL(inject('testDatabaseUrl')!);
  proxy = await TcpProxy.start({ host: base.hostname, port: Number(base.port || 5432) });
  base.hostname = '127.0.0.1';
  base.port = String(proxy.port);
  proxied = base.toString();
  await direct.query(`CREATE TABLE IF NOT EXISTS ${TABLE} (id serial PRIMARY KEY, note text NOT NULL)`);
});

afterAll(async () => {
  await direct?.query(`DROP TABLE IF EXISTS ${TABLE}`);
  await proxy?.close();
});

const count = async (note: string) => (await direct.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${TABLE} WHERE note = $1`, [note]))[0].n;

describe('a connection that is never answered', () => {
  it('costs a statement one connect timeout: it runs once more on another connection, a write exactly once', async () => {
    if (!isNative()) return announceNativeOnly('connect-timeout retry against a held TCP connection');
    const db = await openNative(proxied, { max: 2 }); // no connection yet: the first statement opens one
    try {
      proxy.holdNext(1);
      const t0 = performance.now();
      const [row] = await db.query<{ id: number }>(`INSERT INTO ${TABLE} (note) VALUES ('write') RETURNING id`);
      const ms = performance.now() - t0;
      expect(row.id).toBeGreaterThan(0);
      expect(ms).toBeGreaterThanOrEqual(CONNECT_TIMEOUT_S * 1000 - 100);
      expect(ms).toBeLessThan(CONNECT_TIMEOUT_S * 1000 + 2000);
      expect(await count('write')).toBe(1);
    } finally {
      await db.close();
    }
  });

  it('a transaction whose BEGIN never got a connection runs whole once more, and commits once', async () => {
    if (!isNative()) return announceNativeOnly('connect-timeout retry of a transaction');
    const db = await openNative(proxied, { max: 2 });
    let runs = 0;
    try {
      proxy.holdNext(1);
      await db.transaction(async (tx) => {
        runs++;
        await tx.query(`INSERT INTO ${TABLE} (note) VALUES ('tx')`);
        await tx.query(`INSERT INTO ${TABLE} (note) VALUES ('tx')`);
      });
      expect(runs).toBe(1);
      expect(await count('tx')).toBe(2);
    } finally {
      await db.close();
    }
  });
});
