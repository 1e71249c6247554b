/**
 * Issue #14.11 — fail fast while PostgreSQL is down. Before: during a restart requests waited for
 * the whole request timeout, one for the driver's 10 s connect timeout, because every query
 * queued for a connection that could not be made. Now the first connection-level error, confirmed
 * by a probe, marks the database down: requests answer 503 `database_unavailable` at once, those
 * already waiting when the probe fails, and the first successful probe (every 500 ms) brings it back.
 *
 * The outage is a TCP proxy between this app and the test PostgreSQL (tests/helpers/tcp-proxy.ts),
 * so nothing else on that server is disturbed. The restart of a real cluster is `npm run fault`.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { type Database, openNative } from '../../server/db/client.js';
import { type DatabaseAvailability, availabilityFor } from '../../server/db/availability.js';
import { announceNativeOnly, isNative, testDb } from '../helpers/test-db.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';

const DOWN_MS = 2500;
/**
 * No request may wait longer than this for its 503. The blackhole is the slow case: a lost
 * connection is confirmed by a probe whose connect attempt hangs until its 1 s timeout; requests
 * waiting meanwhile are then given up. (A refused connection — a stopped PostgreSQL — is confirmed
 * within milliseconds: `npm run fault` holds every 503 to 1 s.)
 */
const FAIL_FAST_MS = 2000;
/**
 * From the database being reachable again to the end of the first 200: at most one probe interval
 * (500 ms), the probe, the pool reconnecting and the request itself (typically 0.5–0.8 s here).
 */
const RECOVERY_MS = 1500;

let proxy: TcpProxy;
let db: Database;
let availability: DatabaseAvailability;

beforeAll(async () => {
  if (!isNative()) return;
  const shared = await testDb();
  const base = new URL(inject('testDatabaseUrl')!);
  proxy = await TcpProxy.start({ host: base.hostname, port: Number(base.port || 5432) });
  base.hostname = '127.0.0.1';
  base.port = String(proxy.port);
  db = await openNative(base.toString(), { max: 4 });
  db.capabilities = shared.db.capabilities;
  availability = availabilityFor(db);
});

afterAll(async () => {
  availability?.close();
  await proxy?.close();
  await db?.close().catch(() => undefined);
});

interface Outcome {
  status: number;
  code?: string;
  retryAfter: string | null;
  start: number;
  ms: number;
}

describe('database availability gate (PostgreSQL behind a proxy)', () => {
  it('answers 503 at once while the database is away, and 200 again within 1.5 s of it coming back', async () => {
    if (!isNative()) return announceNativeOnly('fail-fast gate against a lost PostgreSQL connection');
    const app = createApp({ db, config: { ...loadConfig({}), cacheMb: 0 }, availability });
    const outcomes: Outcome[] = [];
    const paths = ['/api/stats', '/api/layers/facilities', '/api/categories', '/api/health'];
    let stop = false;
    const loop = async (i: number) => {
      for (let n = i; !stop; n++) {
        const start = performance.now();
        const res = await app.request(paths[n % paths.length]);
        const body = (await res.json()) as { error?: { code: string } };
        outcomes.push({ status: res.status, code: body.error?.code, retryAfter: res.headers.get('retry-after'), start, ms: performance.now() - start });
        if (res.status !== 200) await new Promise((r) => setTimeout(r, 20));
      }
    };
    const loops = Array.from({ length: 6 }, (_, i) => loop(i));
    await new Promise((r) => setTimeout(r, 500));
    const tDown = performance.now();
    proxy.blackhole();
    await new Promise((r) => setTimeout(r, DOWN_MS));

    // Down: the health check says so at once.
    const h0 = performance.now();
    const health = await app.request('/api/health');
    const healthMs = performance.now() - h0;
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: 'unavailable', database: 'down' });
    expect(healthMs).toBeLessThan(100);

    const tUp = performance.now();
    proxy.forward();
    let firstOk = Infinity;
    while (performance.now() - tUp < 5000 && firstOk === Infinity) {
      await new Promise((r) => setTimeout(r, 20));
      firstOk = outcomes.filter((o) => o.status === 200 && o.start >= tUp).reduce((m, o) => Math.min(m, o.start + o.ms), Infinity);
    }
    await new Promise((r) => setTimeout(r, 300));
    stop = true;
    await Promise.all(loops);

    const before = outcomes.filter((o) => o.start + o.ms < tDown);
    const failures = outcomes.filter((o) => o.status !== 200);
    const slowest = Math.max(...failures.map((o) => o.ms));
    const report = `${failures.length} failures, slowest ${slowest.toFixed(0)} ms; recovery ${(firstOk - tUp).toFixed(0)} ms`;
    expect(before.length, 'requests answered before the outage').toBeGreaterThan(0);
    expect(before.every((o) => o.status === 200)).toBe(true);
    expect(failures.length, report).toBeGreaterThan(0);
    expect(failures.filter((o) => o.status !== 503), report).toEqual([]);
    expect(failures.every((o) => o.code === 'database_unavailable' || o.code === undefined)).toBe(true);
    expect(failures.every((o) => o.retryAfter !== null), report).toBe(true);
    expect(slowest, report).toBeLessThan(FAIL_FAST_MS);
    // While known down, answers are immediate (the gate), not one connection attempt each.
    const whileDown = failures.filter((o) => o.start > tDown + FAIL_FAST_MS && o.start < tUp);
    expect(whileDown.length, report).toBeGreaterThan(10);
    expect(Math.max(...whileDown.map((o) => o.ms)), report).toBeLessThan(100);
    expect(firstOk - tUp, report).toBeLessThan(RECOVERY_MS);
    // Back up: requests started a moment after the first success all succeed.
    expect(outcomes.filter((o) => o.start > firstOk + 100 && o.status !== 200), report).toEqual([]);
    console.log(`[db-availability] ${report}`);
  });
});
