/**
 * Issue #19 — partition jobs on the PostgreSQL job queue (pg-boss), shared by several app servers:
 * a job started through server A runs wherever the queue is worked and its progress, SSE stream and
 * result answer through every server; a job whose process is killed is retried by another process;
 * one that has used up its attempts ends `failed`, never stuck `running`.
 *
 * Two apps (A, B) on the same database stand for two app servers; the process that dies is a real
 * `npm run worker` (server/worker.ts) killed with SIGKILL. Native PostgreSQL only: pg-boss needs
 * connections of its own, which embedded PGlite cannot give (there, jobs stay in-process).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { StreetDataset } from '../../data/generate/types.js';
import { createApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import type { Database } from '../../server/db/client.js';
import { PgJobQueue } from '../../server/services/jobs/pg-job-queue.js';
import { WorkerJobs } from '../../server/services/worker-jobs.js';
import { type Session, as, ensureTestUsers, signIn } from '../helpers/auth.js';
import { announceNativeOnly, isNative, testDb } from '../helpers/test-db.js';

type App = ReturnType<typeof createApp>;
interface Job { id: string; status: string; progress: number; stage: string; result: { plan: number } | null; error: { code: string } | null }

const STALE_MS = 1500;
const url = inject('testDatabaseUrl');
let db: Database;
let ds: StreetDataset;
let plan: number;
const queues: PgJobQueue[] = [];
const children: ChildProcess[] = [];

/** An app server over the shared database with a job queue of its own. */
async function server(work: boolean): Promise<{ app: App; queue: PgJobQueue }> {
  const local = new WorkerJobs();
  const queue = await PgJobQueue.open({ url: url!, db, local, work, timing: { staleAfterMs: STALE_MS, heartbeatMs: 250, pollMs: 200 }, log: () => {} });
  queues.push(queue);
  return { app: createApp({ db, config: loadConfig({}), jobs: local, queue }), queue };
}

beforeAll(async () => {
  if (!isNative()) return;
  ({ db, dataset: ds } = await testDb());
  await ensureTestUsers(db, ds);
  plan = (await db.query<{ id: number }>(`SELECT min(id)::int AS id FROM grid_plans`))[0].id;
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await Promise.all(queues.map((q) => q.close()));
  if (db) await db.query(`DELETE FROM grid_plans WHERE status = 'draft' AND name LIKE '%自动划分%'`);
});

const getJob = async (app: App, s: Session, id: string) => (await (await app.request(`/api/jobs/${id}`, { headers: as(s) })).json()) as Job;
async function start(app: App, s: Session, seed: number): Promise<Job> {
  const res = await app.request(`/api/plans/${plan}/partition`, { method: 'POST', headers: as(s), body: JSON.stringify({ community: ds.communities[0].code, mode: 'fresh', seed }) });
  expect(res.status, await res.clone().text()).toBe(202);
  return ((await res.json()) as { job: Job }).job;
}
async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 90_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`${what}: still ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
const row = async (id: string) =>
  (await db.query<{ status: string; attempt: number; worker: string | null }>('SELECT status, attempt, worker FROM background_jobs WHERE id = $1', [id]))[0];

describe('partition jobs on the PostgreSQL job queue', () => {
  it('runs a job started through server A on server B, and A streams its progress and result', async () => {
    if (!isNative()) return announceNativeOnly('pg-boss job queue across app servers');
    const a = await server(false);
    const b = await server(true);
    const admin = await signIn(a.app, 'admin');
    const job = await start(a.app, admin, 11);
    expect(job.status).toBe('running');
    // A does not work the queue, so the only way to `done` is through B; A reads the shared row.
    const events = await a.app.request(`/api/jobs/${job.id}/events`, { headers: as(admin) });
    expect(events.headers.get('content-type')).toContain('text/event-stream');
    const names = [...(await events.text()).matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
    expect(names.filter((n) => n === 'progress').length).toBeGreaterThan(0);
    expect(names.at(-1)).toBe('done');
    const viaA = await getJob(a.app, admin, job.id);
    const viaB = await getJob(b.app, admin, job.id);
    expect(viaA).toEqual(viaB);
    expect(viaA.status).toBe('done');
    expect(viaA.progress).toBe(1);
    expect((await row(job.id)).worker).toBe(b.queue.me);
    const [draft] = await db.query<{ status: string }>('SELECT status FROM grid_plans WHERE id = $1', [viaA.result!.plan]);
    expect(draft.status).toBe('draft');
    await a.queue.close();
    await b.queue.close();
  });

  it('retries a job whose worker process was killed on another process, within a minute', async () => {
    if (!isNative()) return announceNativeOnly('job retried after its process died');
    const a = await server(false);
    const admin = await signIn(a.app, 'admin');
    const worker = spawn(process.execPath, ['--import', 'tsx', 'server/worker.ts'], {
      env: { ...process.env, DATABASE_URL: url!, GRIDATLAS_JOB_STALE_MS: String(STALE_MS) }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(worker);
    let out = '';
    worker.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    worker.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    await until('worker ready', async () => out, (o) => o.includes('job worker ready') || worker.exitCode !== null, 60_000);
    expect(out).toContain('job worker ready');

    const job = await start(a.app, admin, 12);
    const claimed = await until('claimed by the worker process', () => row(job.id), (r) => r.worker?.endsWith(`:${worker.pid}`) ?? false);
    expect(claimed.attempt).toBe(1);
    worker.kill('SIGKILL');
    const killedAt = Date.now();
    // Server B starts working the queue only now, so the retry cannot have been taken by anyone else.
    const b = await server(false);
    await b.queue.startWorking();
    const done = await until('done after the retry', () => getJob(a.app, admin, job.id), (j) => j.status === 'done' || j.status === 'failed');
    expect(done.status, JSON.stringify(done)).toBe('done');
    expect(Date.now() - killedAt).toBeLessThan(60_000);
    const after = await row(job.id);
    expect(after.attempt).toBe(2);
    expect(after.worker).toBe(b.queue.me);
    // Exactly one draft came of it.
    const drafts = await db.query('SELECT 1 FROM grid_plans WHERE id = $1', [done.result!.plan]);
    expect(drafts.length).toBe(1);
    await a.queue.close();
    await b.queue.close();
  });

  it('marks a lost job failed once it has used up its attempts, and cancels through any server', async () => {
    if (!isNative()) return announceNativeOnly('lost job marked failed');
    const a = await server(false);
    const admin = await signIn(a.app, 'admin');
    const lost = await start(a.app, admin, 13);
    await db.query(`UPDATE background_jobs SET attempt = 3, heartbeat_at = now() - interval '1 hour', worker = 'gone:1' WHERE id = $1`, [lost.id]);
    expect(await a.queue.reap()).toContain(lost.id);
    const failed = await getJob(a.app, admin, lost.id);
    expect(failed.status).toBe('failed');
    expect(failed.error?.code).toBe('worker_lost');

    const queued = await start(a.app, admin, 14);
    const c = await server(false);
    const cancelled = await c.app.request(`/api/jobs/${queued.id}`, { method: 'DELETE', headers: as(admin) });
    expect(cancelled.status).toBe(200);
    expect(((await cancelled.json()) as Job).status).toBe('cancelled');
    expect((await getJob(a.app, admin, queued.id)).status).toBe('cancelled');
    await a.queue.close();
    await c.queue.close();
  });
});
