/**
 * The city bench's server: `server/main.ts` in a child process of its own (so its memory is the
 * server's alone, not the bench's generator and browser driver), on a database of the bench's.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { Database } from '../../server/db/client.js';

/** The 1, 5 and 15-minute load averages, as printed by the bench. */
export const loadAvg = () => os.loadavg().map((l) => l.toFixed(1)).join(' / ');

export interface ChildServer {
  base: string;
  pid: number;
  /** Resident memory now and the process's peak so far (VmRSS, VmHWM), in MB. */
  memory(): { rssMb: number; peakMb: number };
  /** Milliseconds from spawn until /api/health answered. */
  startMs: number;
  close(): Promise<void>;
}

/** Reads VmRSS and VmHWM of a Linux process (MB). */
export function processMemory(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) };
}

/** CPU time (user + system, in clock ticks of 10 ms) a Linux process has used so far. */
export function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]);
}

/**
 * Starts `server/main.ts` (no demo seeding; of GRIDATLAS_BENCH_SERVER_DIR's checkout when set) on `port` against `databaseUrl`, with the response
 * cache at `cacheMb` (0: every answer computed), and waits until `/api/health` answers.
 */
export async function spawnServer(opts: { databaseUrl: string; port: number; cacheMb: number; log?: (line: string) => void }): Promise<ChildServer> {
  const t0 = performance.now();
  // GRIDATLAS_BENCH_SERVER_DIR: run another checkout's server (with its web build) on the same city,
  // e.g. a branch not merged here yet.
  const cwd = process.env.GRIDATLAS_BENCH_SERVER_DIR ?? process.cwd();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd,
    env: {
      ...process.env, DATABASE_URL: opts.databaseUrl, PORT: String(opts.port), HOST: '127.0.0.1',
      GRIDATLAS_SEED_DEMO: '0', GRIDATLAS_CACHE_MB: String(opts.cacheMb), GRIDATLAS_DRAIN_MS: '0',
      GRIDATLAS_REQUEST_TIMEOUT_MS: '600000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = (chunk: Buffer) => chunk.toString().split('\n').filter(Boolean).forEach((l) => opts.log?.(l));
  child.stdout?.on('data', lines);
  child.stderr?.on('data', lines);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const base = `http://127.0.0.1:${opts.port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode} before answering`);
    const ok = await fetch(`${base}/api/health`).then((r) => r.ok, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const pid = child.pid!;
  return {
    base,
    pid,
    startMs: Math.round(performance.now() - t0),
    memory: () => processMemory(pid),
    close: async () => {
      child.kill('SIGINT');
      await exited;
    },
  };
}

/** Waits until the server process and the database are idle (the server's background warm-up done). */
export async function waitIdle(db: Database, server: ChildServer, limitMs = 900_000): Promise<number> {
  const t0 = performance.now();
  let quiet = 0;
  let last = cpuTicks(server.pid);
  while (performance.now() - t0 < limitMs && quiet < 2) {
    await new Promise((r) => setTimeout(r, 1000));
    const now = cpuTicks(server.pid);
    const [{ n }] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()`,
    );
    // ≤ 5 % of a core and no statement running, twice in a row.
    quiet = now - last <= 5 && n === 0 ? quiet + 1 : 0;
    last = now;
  }
  return Math.round(performance.now() - t0);
}
