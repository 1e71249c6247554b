/** The availability gate's rules, on a database double whose outage the test controls. */
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { Database, Sql } from './client.js';
import { DatabaseAvailability, DatabaseDownError, availabilityGate, gateDatabase } from './availability.js';

/** A database that is up, refusing (ECONNREFUSED) or hanging (queries never answer). */
function fakeDb() {
  const state = { mode: 'up' as 'up' | 'refusing' | 'hanging', probes: 0, statements: [] as string[] };
  const refused = () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
  const run = async (text: string) => {
    if (state.mode === 'refusing') throw refused();
    if (state.mode === 'hanging') await new Promise(() => {});
    state.statements.push(text);
    return [{ ok: 1 }];
  };
  const db: Database = {
    backend: 'postgis',
    capabilities: { asMvt: false, pgRouting: false, postgisVersion: '' },
    query: async <T>(text: string) => (await run(text)) as T[],
    transaction: async <T>(fn: (tx: Sql) => Promise<T>) => {
      while (state.mode === 'hanging') await new Promise((r) => setTimeout(r, 10)); // waits for a connection
      return fn({ query: async <U>(text: string) => (await run(text)) as U[] });
    },
    stream: async function* <T>(text: string) {
      yield (await run(`${text} #1`)) as T[];
      yield (await run(`${text} #2`)) as T[];
    },
    probe: async () => {
      state.probes++;
      if (state.mode !== 'up') throw refused();
    },
    close: async () => {},
  };
  return { db, state };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean, ms = 1000) {
  const t0 = performance.now();
  while (!cond() && performance.now() - t0 < ms) await sleep(2);
  return cond();
}

describe('database availability gate', () => {
  it('a connection-level error confirmed by the probe marks the database down; queries are then refused at once', async () => {
    const { db, state } = fakeDb();
    const gate = new DatabaseAvailability(() => db.probe!(), { intervalMs: 50 });
    const gated = gateDatabase(db, gate);
    expect(await gated.query('SELECT 1')).toEqual([{ ok: 1 }]);
    state.mode = 'refusing';
    await expect(gated.query('SELECT 2')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(await until(() => gate.isDown, 50)).toBe(true);
    expect(state.probes).toBe(1);
    const t0 = performance.now();
    await expect(gated.query('SELECT 3')).rejects.toBeInstanceOf(DatabaseDownError);
    expect(performance.now() - t0).toBeLessThan(20);
    gate.close();
  });

  it('other errors (a constraint, a syntax error) leave it up', async () => {
    const { db } = fakeDb();
    const gate = new DatabaseAvailability(() => db.probe!());
    const failing: Database = { ...db, query: () => Promise.reject(Object.assign(new Error('duplicate'), { code: '23505' })) };
    await expect(gateDatabase(failing, gate).query('INSERT …')).rejects.toMatchObject({ code: '23505' });
    expect(gate.isDown).toBe(false);
  });

  it('one lost connection while the probe still gets through does not close the gate', async () => {
    const { db, state } = fakeDb();
    const gate = new DatabaseAvailability(() => db.probe!(), { intervalMs: 50 });
    gate.report(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }));
    await until(() => state.probes > 0);
    await sleep(20);
    expect(state.probes).toBe(1);
    expect(gate.isDown).toBe(false);
    expect(await gateDatabase(db, gate).query('SELECT 1')).toEqual([{ ok: 1 }]);
  });

  it('the first successful probe brings it back', async () => {
    const { db, state } = fakeDb();
    const gate = new DatabaseAvailability(() => db.probe!(), { intervalMs: 50 });
    state.mode = 'refusing';
    gate.report(Object.assign(new Error('reset'), { code: 'ECONNRESET' }));
    expect(await until(() => gate.isDown)).toBe(true);
    await sleep(120);
    expect(gate.isDown).toBe(true);
    expect(state.probes).toBeGreaterThanOrEqual(2);
    state.mode = 'up';
    const t0 = performance.now();
    while (gate.isDown && performance.now() - t0 < 1000) await sleep(5);
    expect(gate.isDown).toBe(false);
    expect(performance.now() - t0).toBeLessThan(100);
    expect(await gateDatabase(db, gate).query('SELECT 1')).toEqual([{ ok: 1 }]);
  });

  it('a query waiting when the outage is confirmed is given up at once, and a given-up transaction never runs later', async () => {
    const { db, state } = fakeDb();
    const gate = new DatabaseAvailability(() => db.probe!(), { intervalMs: 50 });
    const gated = gateDatabase(db, gate);
    state.mode = 'hanging'; // queries wait for a connection; the probe is refused
    const waiting = gated.query('SELECT waiting').catch((e: unknown) => e);
    const write = gated.transaction((tx) => tx.query('INSERT write')).catch((e: unknown) => e);
    await sleep(20);
    gate.report(Object.assign(new Error('admin shutdown'), { code: '57P01' }));
    expect(await waiting).toBeInstanceOf(DatabaseDownError);
    expect(await write).toBeInstanceOf(DatabaseDownError);
    // The connection comes back: the abandoned transaction gets it but must not run its statement.
    state.mode = 'up';
    await sleep(100);
    expect(gate.isDown).toBe(false);
    expect(state.statements).not.toContain('INSERT write');
    gate.close();
  });

  it('a streamed read passes the gate too: refused while down, and given up when the outage is confirmed mid-stream', async () => {
    const { db, state } = fakeDb();
    const gate = new DatabaseAvailability(() => db.probe!(), { intervalMs: 50 });
    const gated = gateDatabase(db, gate);
    const read = async () => {
      const batches: unknown[] = [];
      for await (const rows of gated.stream!('SELECT rows', [], 100)) {
        batches.push(rows);
        state.mode = 'hanging'; // the connection stops answering after the first batch
      }
      return batches;
    };
    const pending = read().catch((e: unknown) => e);
    await sleep(20);
    gate.report(Object.assign(new Error('connection reset'), { code: 'ECONNRESET' }));
    const t0 = performance.now();
    expect(await pending).toBeInstanceOf(DatabaseDownError);
    expect(performance.now() - t0).toBeLessThan(50);
    expect(state.statements).toEqual(['SELECT rows #1']);
    // While down, a new stream is refused before it reads anything.
    await expect(read()).rejects.toBeInstanceOf(DatabaseDownError);
    gate.close();
  });

  it('the middleware answers 503 with Retry-After: 1 for database paths only, and leaves /api/health to its route', async () => {
    const { db, state } = fakeDb();
    const gate = new DatabaseAvailability(() => db.probe!(), { intervalMs: 1000 });
    const app = new Hono().use('*', availabilityGate(gate)).get('*', (c) => c.text('reached'));
    expect((await app.request('/api/stats')).status).toBe(200);
    state.mode = 'refusing';
    gate.markDown('test');
    const res = await app.request('/tiles/buildings/15/1/1.mvt');
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(await res.json()).toMatchObject({ error: { code: 'database_unavailable' } });
    for (const path of ['/api/stats', '/ogc/collections', '/kiosk/abc']) expect((await app.request(path)).status).toBe(503);
    expect(await (await app.request('/api/health')).text()).toBe('reached');
    expect(await (await app.request('/index.html')).text()).toBe('reached');
    gate.close();
  });
});
