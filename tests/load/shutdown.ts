/**
 * `npx tsx tests/load/shutdown.ts` — graceful shutdown under load.
 *
 * Runs the real `server/main.ts` as a child process on a free port of 127.0.0.1 (response cache
 * off, so requests take database time), keeps 32 keep-alive connections busy — like browsers,
 * they go on sending until the server refuses or cuts them — sends SIGTERM and checks:
 *   - no answer is ever a 5xx (the database is closed only after the last request);
 *   - every request sent before the signal is answered 200, except a reset before any answer
 *     (the keep-alive race every HTTP client retries: counted and shown, not a failure);
 *   - the process exits with status 0 within 11 s (server/main.ts cuts remaining sockets at 10 s).
 * It also shows how many requests were served after the signal and how many were cut.
 *
 * Native PostgreSQL (DATABASE_URL): a throwaway database on that server, dropped afterwards.
 * Embedded: a temporary PGlite folder (slower: it is seeded first).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { ensureSeeded } from '../../data/seed.js';
import { openDatabase } from '../../server/db/open.js';
import { HttpClient, type HttpResult, printTable, sleep } from './http.js';

const CONNECTIONS = 32;
const EXIT_LIMIT_MS = 11_000;
const log = (m: string) => console.log(`[shutdown] ${m}`);

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function prepare(): Promise<{ env: Record<string, string>; cleanup: () => Promise<void> }> {
  const base = process.env.DATABASE_URL;
  if (base) {
    const name = `gridatlas_shutdown_${Date.now().toString(36)}_${process.pid}`;
    const admin = postgres(base, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE "${name}"`);
    await admin.end();
    const u = new URL(base);
    u.pathname = `/${name}`;
    const db = await openDatabase({ url: u.toString() });
    await ensureSeeded(db, { log });
    await db.close();
    return {
      env: { DATABASE_URL: u.toString() },
      cleanup: async () => {
        const a = postgres(base, { max: 1, onnotice: () => {} });
        await a.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await a.end();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'gridatlas-shutdown-'));
  const dataDir = join(dir, 'pgdata');
  const db = await openDatabase({ dataDir });
  await ensureSeeded(db, { log });
  await db.close();
  return { env: { GRIDATLAS_DATA_DIR: dataDir }, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
}

async function main(): Promise<number> {
  const { env, cleanup } = await prepare();
  const port = await freePort();
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', GRIDATLAS_CACHE_MB: '0', GRIDATLAS_ADMIN_PASSWORD: 'Shutdown-test-2024' };
  if (!env.DATABASE_URL) delete childEnv.DATABASE_URL;
  let child: ChildProcess | undefined;
  try {
    // --entry <file>: try a candidate server entry point (default server/main.ts) with the same checks.
    const i = process.argv.indexOf('--entry');
    const entry = i > 0 ? process.argv[i + 1] : 'server/main.ts';
    child = spawn(process.execPath, ['--import', 'tsx', entry], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<{ code: number | null; at: number }>((r) => child!.once('exit', (code) => r({ code, at: performance.now() })));
    for (let i = 0; i < 600 && !output.includes('GridAtlas on'); i++) await sleep(100);
    if (!output.includes('GridAtlas on')) throw new Error(`server did not start:\n${output}`);
    log(`${entry} listening on 127.0.0.1:${port} (pid ${child.pid})`);

    const client = new HttpClient(`http://127.0.0.1:${port}`, CONNECTIONS);
    const paths = ['/api/stats', '/api/layers/buildings', '/api/layers/grids', '/api/layers/facilities'];
    const results: HttpResult[] = [];
    let tKill = Infinity;
    let running = true;
    const loops = Array.from({ length: CONNECTIONS }, async (_, i) => {
      for (let n = i; running; n++) {
        const r = await client.request(paths[n % paths.length], { timeoutMs: 15_000 });
        results.push(r);
        if (r.status === 0 && r.start > tKill) return;
      }
    });
    await sleep(2000);
    tKill = performance.now();
    child.kill('SIGTERM');
    log('SIGTERM sent');
    const exit = await exited;
    running = false;
    await Promise.all(loops);
    client.close();

    const reset = (r: HttpResult) => r.status === 0 && /ECONNRESET|socket hang up/.test(r.error ?? '');
    const before = results.filter((r) => r.start < tKill);
    const inFlight = before.filter((r) => r.end >= tKill);
    const bad = before.filter((r) => r.status !== 200 && !reset(r));
    const after = results.filter((r) => r.start >= tKill);
    const server5xx = results.filter((r) => r.status >= 500);
    const exitMs = exit.at - tKill;
    const tally = (rs: HttpResult[]) => {
      const m = new Map<string, number>();
      for (const r of rs) m.set(String(r.status || r.error), (m.get(String(r.status || r.error)) ?? 0) + 1);
      return [...m].map(([k, n]) => `${k} ×${n}`).join(', ') || '—';
    };
    printTable([
      ['what', 'value'],
      ['requests sent before SIGTERM', `${before.length} (${tally(before)})`],
      ['… in flight at SIGTERM', `${inFlight.length} (${tally(inFlight)})`],
      ['requests sent after SIGTERM', `${after.length} (${tally(after)})`],
      ['last answer after SIGTERM', `${(Math.max(...results.filter((r) => r.status).map((r) => r.end)) - tKill).toFixed(0)} ms`],
      ['exit status', String(exit.code)],
      ['SIGTERM → exit', `${exitMs.toFixed(0)} ms`],
    ]);
    const problems: string[] = [];
    if (bad.length) problems.push(`${bad.length} requests sent before SIGTERM failed: ${tally(bad)}`);
    if (server5xx.length) problems.push(`${server5xx.length} answers were 5xx: ${tally(server5xx)}`);
    if (inFlight.length === 0) problems.push('no request was in flight at SIGTERM: nothing was tested');
    if (exit.code !== 0) problems.push(`exit status ${exit.code}`);
    if (exitMs > EXIT_LIMIT_MS) problems.push(`exit took ${exitMs.toFixed(0)} ms`);
    if (!output.includes('closed')) problems.push('the server did not log "closed"');
    if (problems.length) {
      console.error(`✗ 失败 / FAILED:\n  - ${problems.join('\n  - ')}\n--- server output ---\n${output.slice(-2000)}`);
      return 1;
    }
    console.log('✓ 通过 / PASSED: in-flight requests finished, clean exit');
    return 0;
  } finally {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await cleanup();
  }
}

let code = 1;
try {
  code = await main();
} catch (err) {
  console.error(`✗ ${(err as Error).stack ?? err}`);
}
process.exit(code);
