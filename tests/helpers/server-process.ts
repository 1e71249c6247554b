/**
 * The real `server/main.ts` as a child process (signals, listening socket and shutdown as in
 * production) over a database of its own holding the demo street: native — a sibling of the test
 * database, dropped afterwards; PGlite — a temporary data folder.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { inject } from 'vitest';
import { generateStreet } from '../../data/generate/index.js';
import { seedStreet } from '../../data/seed.js';
import { openDatabase } from '../../server/db/open.js';
import { TEST_SEED } from './test-db.js';

export const ADMIN_PASSWORD = 'Process-test-2024';

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  /** Everything the process printed so far. */
  output(): string;
  exited: Promise<{ code: number | null; at: number }>;
  /** Opens the process's database (for checks after it exited). */
  databaseEnv: Record<string, string>;
  cleanup(): Promise<void>;
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** A database of its own: the demo street, or with `empty` migrations only (a new deployment). */
async function seededDatabase(tag: string, empty = false): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  const base = inject('testDatabaseUrl');
  const ds = generateStreet({ seed: TEST_SEED });
  if (!base) {
    const dir = mkdtempSync(join(tmpdir(), `gridatlas-${tag}-`));
    const db = await openDatabase({ dataDir: join(dir, 'pgdata') });
    if (!empty) await seedStreet(db, ds);
    await db.close();
    return { env: { GRIDATLAS_DATA_DIR: join(dir, 'pgdata') }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `${new URL(base).pathname.slice(1)}_${tag}`.slice(0, 63);
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.unsafe(`CREATE DATABASE "${name}"`);
  await admin.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  const db = await openDatabase({ url: u.toString() });
  if (!empty) await seedStreet(db, ds);
  await db.query('ANALYZE');
  await db.close();
  return {
    env: { DATABASE_URL: u.toString() },
    drop: async () => {
      const a = postgres(base, { max: 1, onnotice: () => {} });
      await a.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await a.end();
    },
  };
}

/**
 * Starts `server/main.ts` (response cache off unless `extraEnv` sets GRIDATLAS_CACHE_MB; admin
 * `admin` / {@link ADMIN_PASSWORD}); `empty`: over an empty database (GRIDATLAS_SEED_DEMO=0 as always).
 */
export async function startServerProcess(tag: string, extraEnv: Record<string, string> = {}, opts: { empty?: boolean } = {}): Promise<ServerProcess> {
  const { env, drop } = await seededDatabase(tag, opts.empty);
  const port = await freePort();
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env, ...env, GRIDATLAS_CACHE_MB: '0', ...extraEnv, PORT: String(port), HOST: '127.0.0.1',
    GRIDATLAS_SEED_DEMO: '0', GRIDATLAS_ADMIN_PASSWORD: ADMIN_PASSWORD,
  };
  if (!env.DATABASE_URL) delete childEnv.DATABASE_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; at: number }>((r) => child.once('exit', (code) => r({ code, at: performance.now() })));
  const cleanup = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    await drop();
  };
  for (let i = 0; i < 1200 && !out.includes('GridAtlas on') && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 100));
  if (!out.includes('GridAtlas on')) {
    await cleanup();
    throw new Error(`server did not start:\n${out}`);
  }
  return { child, port, output: () => out, exited, databaseEnv: env, cleanup };
}

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Set when no complete answer came: ECONNRESET, socket hang up, … */
  error?: string;
  ms: number;
}

/** One request on a connection of its own (no keep-alive agent): like a fresh browser or client. */
export function freshRequest(port: number, path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawAnswer> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const headers: Record<string, string | number> = { ...opts.headers };
    if (opts.body !== undefined) headers['content-length'] = Buffer.byteLength(opts.body);
    const req = http.request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - t0 }));
      res.on('error', (e: NodeJS.ErrnoException) => resolve({ status: 0, headers: {}, body: '', error: e.code ?? e.message, ms: performance.now() - t0 }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ status: 0, headers: {}, body: '', error: e.code ?? e.message, ms: performance.now() - t0 }));
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}
