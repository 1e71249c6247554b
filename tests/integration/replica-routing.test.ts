/**
 * Issue #19.3 — the replica router (server/db/replicas.ts) on real PostgreSQL. The full set-up
 * with a real streaming replica is `npm run cluster-test`; here the router's rules are checked
 * against stand-ins that are real connections: a read-only session (as a hot standby refuses
 * writes), a server that is down, and the primary itself offered as a "replica" (it has no replay
 * position, so it is never picked).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Hono } from 'hono';
import { type Database, openNative } from '../../server/db/client.js';
import { ReplicaRouter, WRITE_LSN_COOKIE, lsnValue, routedDatabase } from '../../server/db/replicas.js';
import { announceNativeOnly, isNative, testDb } from '../helpers/test-db.js';

const url = inject('testDatabaseUrl');
const opened: Database[] = [];
const open = async (u: string) => {
  const db = await openNative(u, { max: 2 });
  opened.push(db);
  return db;
};
let primary: Database;

beforeAll(async () => {
  if (!isNative()) return;
  await testDb(); // migrated
  primary = await open(url!);
});
afterAll(async () => {
  await Promise.all(opened.map((d) => d.close().catch(() => undefined)));
});

describe('replica routing', () => {
  it('orders WAL positions as numbers', () => {
    expect(lsnValue('0/16B3748')).toBe(0x16b3748);
    expect(lsnValue('1/0')).toBe(2 ** 32);
    expect(lsnValue('1/0') > lsnValue('0/FFFFFFFF')).toBe(true);
  });

  it('runs again on the primary what a replica refuses: a write on a read-only server, a server that is down', async () => {
    if (!isNative()) return announceNativeOnly('replica routing fall-backs');
    const readOnly = new URL(url!);
    readOnly.searchParams.set('options', '-c default_transaction_read_only=on');
    const down = new URL(url!);
    down.port = '1';
    const replicas = [await open(readOnly.toString()), await open(down.toString())];
    const db = routedDatabase(primary, replicas);
    // Pick each "replica" for one request through the router's own middleware.
    const router = new ReplicaRouter(primary, replicas);
    router.close();
    router.states[0].replayLsn = 0;
    router.states[0].lagMs = 0;
    const app = new Hono();
    app.use('*', router.middleware());
    app.get('/api/stats', async (c) => {
      const [{ ro }] = await db.query<{ ro: string }>(`SELECT current_setting('transaction_read_only') AS ro`);
      // A read that also stores something (as a tile kept in tile_store): refused there, run on the primary.
      const stored = await db.query(`UPDATE data_version SET version = version WHERE false RETURNING 1`);
      const n = stored.length + 1;
      return c.json({ ro, n });
    });
    const res = await app.request('/api/stats');
    expect(res.headers.get('x-gridatlas-read')).toBe('replica-1');
    expect(await res.json()).toEqual({ ro: 'on', n: 1 });

    // The second replica is down: the statement runs on the primary, the caller sees no error.
    router.states[0].replayLsn = null;
    router.states[1].replayLsn = 0;
    router.states[1].lagMs = 0;
    const viaDown = await app.request('/api/stats');
    expect(viaDown.headers.get('x-gridatlas-read')).toBe('replica-2');
    expect(await viaDown.json()).toEqual({ ro: 'off', n: 1 });
  });

  it('skips a replica that has no replay position, lags, or has not reached the caller\'s last write', async () => {
    if (!isNative()) return announceNativeOnly('replica choice');
    const router = new ReplicaRouter(primary, [await open(url!)], { maxLagMs: 1000 });
    await router.check();
    router.close();
    // The primary offered as a replica: pg_last_wal_replay_lsn() is NULL there — never picked.
    expect(router.states[0].replayLsn).toBeNull();
    expect(router.pick(null)).toBeNull();
    router.states[0].replayLsn = 1000;
    router.states[0].lagMs = 5000;
    expect(router.pick(null)).toBeNull();
    router.states[0].lagMs = 10;
    expect(router.pick(null)).toBe(0);
    expect(router.pick(999)).toBe(0);
    expect(router.pick(1001)).toBeNull();
  });

  it('gives a writer the primary\'s WAL position after its write, and routes its reads by it', async () => {
    if (!isNative()) return announceNativeOnly('read-your-writes cookie');
    const router = new ReplicaRouter(primary, [await open(url!)]);
    router.close();
    router.states[0].replayLsn = 0;
    router.states[0].lagMs = 0;
    const app = new Hono();
    app.use('*', router.middleware());
    app.post('/api/plans', (c) => c.json({}, 201));
    app.get('/api/layers/grids', (c) => c.json({}));
    app.post('/api/refused', (c) => c.json({}, 400));
    const write = await app.request('/api/plans', { method: 'POST' });
    const raw = /ga_lsn=([^;]+)/.exec(write.headers.get('set-cookie') ?? '')?.[1];
    const cookie = raw && decodeURIComponent(raw);
    expect(cookie).toBeDefined();
    const [{ lsn }] = await primary.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
    expect(lsnValue(cookie!)).toBeLessThanOrEqual(lsnValue(lsn));
    const read = (c?: string) => app.request('/api/layers/grids', { headers: c ? { cookie: `${WRITE_LSN_COOKIE}=${encodeURIComponent(c)}` } : {} });
    expect((await read(cookie)).headers.get('x-gridatlas-read')).toBe('primary');
    expect((await read()).headers.get('x-gridatlas-read')).toBe('replica-1');
    router.states[0].replayLsn = lsnValue(cookie!);
    expect((await read(cookie)).headers.get('x-gridatlas-read')).toBe('replica-1');
    // A refused write leaves no cookie.
    expect((await app.request('/api/refused', { method: 'POST' })).headers.get('set-cookie')).toBeNull();
  });
});
