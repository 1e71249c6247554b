/**
 * Issue #14.6 — SIGTERM must not reset requests the server already accepted. Probe: 32 reads and
 * 4 writes, each on a fresh TCP connection, SIGTERM 250 ms later; before the fix 16 reads and all
 * 4 writes were reset (ECONNRESET): `http.Server#close` destroyed connections accepted but not yet
 * parsed, and closing the listener reset those still in the kernel's backlog.
 *
 * Here against the real `server/main.ts` process (response cache off, so requests take database
 * time): every request gets a complete answer, every write is committed, `/api/health` says
 * `draining` (503) during the drain window while the server still answers, and the process exits 0.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/open.js';
import { ADMIN_PASSWORD, type RawAnswer, type ServerProcess, freshRequest, startServerProcess } from '../helpers/server-process.js';

const DRAIN_MS = 2000;
const READS = 32;
const WRITES = 4;

let server: ServerProcess;
beforeAll(async () => {
  server = await startServerProcess('drain', { GRIDATLAS_DRAIN_MS: String(DRAIN_MS) });
});
afterAll(async () => {
  await server?.cleanup();
});

async function signIn(port: number) {
  const res = await freshRequest(port, '/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  const cookie = /ga_session=[^;]+/.exec(String(res.headers['set-cookie'] ?? ''))?.[0];
  if (res.status !== 200 || !cookie) throw new Error(`login → ${res.status} ${res.body}`);
  return { cookie, csrf: (JSON.parse(res.body) as { csrfToken: string }).csrfToken };
}

async function labelsStored(labels: string[]): Promise<number> {
  const url = server.databaseEnv.DATABASE_URL;
  if (url) {
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    const [{ n }] = await sql.unsafe('SELECT count(*)::int AS n FROM kiosk_tokens WHERE label = ANY($1::text[])', [labels]);
    await sql.end();
    return Number(n);
  }
  const db = await openDatabase({ dataDir: server.databaseEnv.GRIDATLAS_DATA_DIR });
  const [{ n }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM kiosk_tokens WHERE label = ANY($1::text[])', [labels]);
  await db.close();
  return n;
}

describe('SIGTERM drain (real server process)', () => {
  it('answers every request accepted before and during the drain, commits every write, says "draining", exits 0', async () => {
    const { port } = server;
    const session = await signIn(port);
    const paths = ['/api/stats', '/api/layers/buildings', '/api/layers/grids', '/api/layers/facilities'];
    const labels = Array.from({ length: WRITES }, (_, i) => `drain-${Date.now().toString(36)}-${i}`);
    const reads = Array.from({ length: READS }, (_, i) => freshRequest(port, paths[i % paths.length]));
    const writes = labels.map((label) =>
      freshRequest(port, '/api/kiosk-tokens', {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: session.cookie, 'x-csrf-token': session.csrf },
        body: JSON.stringify({ label }),
      }),
    );
    await new Promise((r) => setTimeout(r, 250));
    const tKill = performance.now();
    server.child.kill('SIGTERM');

    // During the drain window the node still answers, says it is draining, and asks to close.
    await new Promise((r) => setTimeout(r, 300));
    const [health, late] = await Promise.all([freshRequest(port, '/api/health'), freshRequest(port, '/api/stats')]);

    const answers: RawAnswer[] = await Promise.all([...reads, ...writes]);
    const exit = await server.exited;
    const failed = answers.map((a, i) => ({ i, a })).filter(({ a, i }) => a.status !== (i < READS ? 200 : 201));
    expect(failed.map(({ i, a }) => `${i < READS ? 'read' : 'write'} ${i}: ${a.status || a.error}`)).toEqual([]);
    expect(health.status, health.error ?? health.body).toBe(503);
    expect(JSON.parse(health.body)).toMatchObject({ status: 'draining', database: 'up' });
    expect(late.status, late.error).toBe(200);
    expect(late.headers.connection).toBe('close');
    expect(exit.code, server.output().slice(-2000)).toBe(0);
    // Drain window, then the listener closes and the last answers go out well before the 10 s bound.
    expect(exit.at - tKill).toBeGreaterThanOrEqual(DRAIN_MS);
    expect(exit.at - tKill).toBeLessThan(DRAIN_MS + 8000);
    expect(server.output()).toMatch(/closed \(\d+ ms after SIGTERM\)/);
    expect(await labelsStored(labels)).toBe(WRITES);
    const slowest = Math.max(...answers.map((x) => x.ms));
    console.log(`[drain] ${READS} reads + ${WRITES} writes answered (slowest ${slowest.toFixed(0)} ms); SIGTERM → exit ${(exit.at - tKill).toFixed(0)} ms`);
    // After the stop nothing listens any more: a new connection is refused, not reset.
    expect((await freshRequest(port, '/api/health')).error).toBe('ECONNREFUSED');
  });
});
