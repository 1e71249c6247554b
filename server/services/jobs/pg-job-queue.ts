/**
 * Partition jobs on a PostgreSQL job queue (issue #19): pg-boss carries the job to whichever
 * process works the queue (an app server, or `npm run worker`), `background_jobs` (migration 0024)
 * holds what the API shows — status, progress, result — so every app server answers
 * `GET /api/jobs/:id` and its SSE stream, whichever one started the job or runs it.
 *
 * A process that dies mid-job: the process running a job renews the row's `heartbeat_at` every
 * {@link JOB_TIMING.heartbeatMs}; every process with a queue open looks for rows whose heartbeat is
 * older than {@link JOB_TIMING.staleAfterMs} and hands them back to pg-boss with `fail`, which
 * retries them (another process takes them) — or, after {@link JOB_TIMING.maxAttempts}, marks the
 * job failed (`worker_lost`). With the defaults a dead server's job is running again within
 * 30–40 s. pg-boss's own expiry (3 h) is only the backstop for a queue no process watches.
 *
 * Fencing: each run claims the row by incrementing `attempt`; every later write of that run
 * (progress, heartbeat, the draft and `done`) is conditional on the attempt it claimed, so a run
 * that was presumed dead but was only slow can never write after its successor started.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import PgBoss from 'pg-boss';
import type { Database } from '../../db/client.js';
import { type JobStatus, type JobView, JobFailure, type WorkerJobs, isTerminal } from '../worker-jobs.js';
import type { JobQueue } from './job-queue.js';
import { type PartitionRequest, assertPartitionable, partitionInputs, runPartition, writePartitionResult } from './partition-task.js';

/** The pg-boss queue of partition jobs. */
export const PARTITION_QUEUE = 'gridatlas-partition';

export const JOB_TIMING = {
  /** How often the process running a job renews its heartbeat (and notices a cancel). */
  heartbeatMs: 5_000,
  /** A running job whose heartbeat is older than this is taken to have lost its process. */
  staleAfterMs: 30_000,
  /** Runs of one job at most (the first and the retries after lost processes). */
  maxAttempts: 3,
  /** How often an idle worker asks pg-boss for a job, and a watcher reads a job's row. */
  pollMs: 500,
  /** Progress is written to the row at most this often. */
  progressMs: 250,
};
export type JobTiming = typeof JOB_TIMING;

export interface PgJobQueueOptions {
  /** The primary's URL: pg-boss opens a small pool of its own (the `pg` driver). */
  url: string;
  /** The primary, for `background_jobs` and the partition itself. */
  db: Database;
  /** This process's worker threads (the partition's thread; import jobs also live there). */
  local: WorkerJobs;
  /** Take jobs in this process (default true); false for an app server beside `npm run worker`. */
  work?: boolean;
  /** Called after a draft was written here (the response cache's fast path). */
  onDataChanged?: () => void;
  timing?: Partial<JobTiming>;
  log?: (message: string) => void;
}

const COLUMNS = `id, kind, owner_id, status, progress, stage, result, error, created_at`;

interface JobRow {
  id: string; kind: string; owner_id: number | null; status: JobStatus; progress: number; stage: string;
  result: unknown; error: { code: string; message: string } | null; created_at: Date | string;
}

const toView = (r: JobRow): JobView => ({
  id: r.id, kind: r.kind, status: r.status, progress: r.progress, stage: r.stage, result: r.result, error: r.error,
  createdAt: new Date(r.created_at).toISOString(),
});

export class PgJobQueue implements JobQueue {
  readonly shared = true;
  /** Who runs a job, as recorded in `background_jobs.worker`. */
  readonly me = `${hostname()}:${process.pid}`;
  private reaper: ReturnType<typeof setInterval> | null = null;
  private closing = false;
  private readonly running = new Set<string>();
  private readonly timing: JobTiming;
  private readonly log: (message: string) => void;

  private constructor(private readonly boss: PgBoss, private readonly opts: PgJobQueueOptions) {
    this.timing = { ...JOB_TIMING, ...opts.timing };
    this.log = opts.log ?? ((m) => console.warn(`[gridatlas] ${m}`));
  }

  /** Starts pg-boss (creating or migrating its schema `pgboss`), the queue, the reaper and, unless told not to, a worker. */
  static async open(opts: PgJobQueueOptions): Promise<PgJobQueue> {
    const boss = new PgBoss({ connectionString: opts.url, schema: 'pgboss', max: 3, application_name: 'gridatlas-jobs' });
    const q = new PgJobQueue(boss, opts);
    boss.on('error', (err: Error) => q.log(`job queue: ${err.message}`));
    await boss.start();
    await boss.createQueue(PARTITION_QUEUE, { name: PARTITION_QUEUE, retryLimit: q.timing.maxAttempts - 1, retryDelay: 0, expireInSeconds: 3 * 3600 });
    if (opts.work ?? true) await q.startWorking();
    q.reaper = setInterval(() => void q.reap().catch((err: unknown) => q.log(`job reaper: ${String(err)}`)), Math.max(100, q.timing.staleAfterMs / 3));
    return q;
  }

  /** Takes jobs from the queue in this process, one at a time. */
  async startWorking(): Promise<void> {
    await this.boss.work<PartitionRequest>(PARTITION_QUEUE, { batchSize: 1, pollingIntervalSeconds: Math.max(0.5, this.timing.pollMs / 1000) }, async ([job]) => {
      await this.run(job.id, job.data);
    });
  }

  async startPartition(req: PartitionRequest): Promise<JobView> {
    await assertPartitionable(this.opts.db, req);
    const id = randomUUID();
    const [row] = await this.opts.db.query<JobRow>(
      `INSERT INTO background_jobs (id, kind, owner_id, params) VALUES ($1, 'partition', $2, $3) RETURNING ${COLUMNS}`,
      [id, req.userId, JSON.stringify(req)],
    );
    try {
      await this.boss.send(PARTITION_QUEUE, req, { id });
    } catch (err) {
      await this.settleRow(id, null, 'failed', { code: 'queue_unavailable', message: `任务队列不可用 / job queue unavailable: ${(err as Error).message}` });
      throw err;
    }
    return toView(row);
  }

  async get(id: string) {
    const local = this.opts.local.get(id);
    if (local) return { job: local, owner: this.opts.local.ownerOf(id) ?? null };
    const [row] = await this.opts.db.query<JobRow>(`SELECT ${COLUMNS} FROM background_jobs WHERE id = $1`, [id]);
    return row ? { job: toView(row), owner: row.owner_id } : null;
  }

  async cancel(id: string) {
    if (this.opts.local.get(id)) return this.opts.local.cancel(id);
    const [row] = await this.opts.db.query<JobRow>(
      `UPDATE background_jobs SET status = 'cancelled', stage = 'cancelled', updated_at = now()
       WHERE id = $1 AND status = 'running' RETURNING ${COLUMNS}`, [id]);
    if (!row) return (await this.get(id))?.job ?? null;
    // Not started yet: pg-boss drops it. Running: its process sees the row at its next heartbeat.
    await this.boss.cancel(PARTITION_QUEUE, id).catch(() => undefined);
    return toView(row);
  }

  /** Reads the job's row every `pollMs` and reports each change: works whichever process runs it. */
  watch(id: string, fn: (job: JobView) => void) {
    if (this.opts.local.get(id)) return this.opts.local.subscribe(id, fn);
    let last = '';
    let stopped = false;
    const tick = async () => {
      if (stopped) return;
      const found = await this.get(id).catch(() => null);
      if (stopped) return;
      const seen = found ? JSON.stringify(found.job) : last;
      if (found && seen !== last) {
        last = seen;
        fn(found.job);
        if (isTerminal(found.job.status)) return;
      }
      timer = setTimeout(() => void tick(), this.timing.pollMs);
    };
    let timer = setTimeout(() => void tick(), 0);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }

  /**
   * Hands the jobs running here back to the queue (their rows marked stale, so any process's reaper
   * passes them to pg-boss for a retry at once) and stops pg-boss.
   */
  async close(): Promise<void> {
    this.closing = true;
    if (this.reaper) clearInterval(this.reaper);
    if (this.running.size) {
      await this.opts.db.query(`UPDATE background_jobs SET heartbeat_at = '-infinity' WHERE id = ANY($1::uuid[]) AND status = 'running'`, [[...this.running]])
        .catch(() => undefined);
    }
    await this.opts.local.close();
    await this.boss.stop({ graceful: false, wait: true, timeout: 2000 });
  }

  /**
   * Fails back to pg-boss every job whose process stopped renewing its heartbeat: pg-boss retries it
   * (another process claims it), or after the last attempt the row says `failed`. Safe to run in
   * every process at once: each stale row is claimed by one UPDATE.
   */
  async reap(): Promise<string[]> {
    const lost = await this.opts.db.query<{ id: string; status: JobStatus }>(
      `UPDATE background_jobs SET heartbeat_at = NULL, worker = NULL, updated_at = now(),
         status = CASE WHEN attempt >= $2 THEN 'failed' ELSE 'running' END,
         stage = CASE WHEN attempt >= $2 THEN 'failed' ELSE 'retrying' END,
         progress = CASE WHEN attempt >= $2 THEN progress ELSE 0 END,
         error = CASE WHEN attempt >= $2 THEN jsonb_build_object('code', 'worker_lost', 'message',
           '运行任务的进程已停止，重试次数已用完 / the process running the job stopped; no retries left') END
       WHERE status = 'running' AND heartbeat_at < now() - make_interval(secs => $1::float8 / 1000)
       RETURNING id, status`,
      [this.timing.staleAfterMs, this.timing.maxAttempts],
    );
    for (const { id, status } of lost) {
      this.log(`job ${id}: its process stopped answering; ${status === 'failed' ? 'marked failed' : 'queued again'}`);
      await this.boss.fail(PARTITION_QUEUE, id, { reason: 'worker_lost' });
    }
    return lost.map((l) => l.id);
  }

  /** One run of a job, in this process: claim the row, partition in a worker thread, write the draft. */
  private async run(id: string, req: PartitionRequest): Promise<void> {
    if (this.closing) throw new Error('shutting down');
    const { db, local } = this.opts;
    const [claim] = await db.query<{ attempt: number }>(
      `UPDATE background_jobs SET attempt = attempt + 1, worker = $2, heartbeat_at = now(), stage = 'starting', progress = 0, updated_at = now()
       WHERE id = $1 AND status = 'running' RETURNING attempt`, [id, this.me]);
    if (!claim) return; // cancelled or finished meanwhile
    const attempt = claim.attempt;
    this.running.add(id);
    let stopHeartbeat = () => {};
    let unsubscribe = () => {};
    try {
      const inputs = await partitionInputs(db, req);
      const thread = runPartition(local, inputs, req.userId, (result) => this.writeResult(id, attempt, req, result));
      unsubscribe = local.subscribe(thread.id, this.progressWriter(id, attempt));
      stopHeartbeat = this.heartbeat(id, attempt, () => local.cancel(thread.id));
      await local.settled(thread.id);
    } catch (err) {
      if (this.closing || (err as JobFailure).code === 'cancelled') return;
      const code = (err as JobFailure).code ?? 'partition_failed';
      await this.settleRow(id, attempt, 'failed', { code, message: (err as Error).message });
    } finally {
      stopHeartbeat();
      unsubscribe();
      this.running.delete(id);
    }
  }

  /** The draft and the row's `done` in one transaction, only while this run still holds the row. */
  private writeResult(id: string, attempt: number, req: PartitionRequest, result: Parameters<typeof writePartitionResult>[2]) {
    return this.opts.db.transaction(async (tx) => {
      const [own] = await tx.query(
        `SELECT 1 FROM background_jobs WHERE id = $1 AND attempt = $2 AND status = 'running' FOR UPDATE`, [id, attempt]);
      if (!own) throw new JobFailure('superseded', '任务已取消或已由其他进程接手 / the job was cancelled or taken over by another process');
      const summary = await writePartitionResult(tx, req, result);
      await tx.query(
        `UPDATE background_jobs SET status = 'done', stage = 'done', progress = 1, result = $3, heartbeat_at = NULL, updated_at = now()
         WHERE id = $1 AND attempt = $2`, [id, attempt, JSON.stringify(summary)]);
      return summary;
    }).then((summary) => {
      this.opts.onDataChanged?.();
      return summary;
    });
  }

  /** Writes the thread's progress to the row, at most every `progressMs` (a new stage at once). */
  private progressWriter(id: string, attempt: number) {
    let lastAt = 0;
    let lastStage = '';
    let chain: Promise<unknown> = Promise.resolve();
    return (v: JobView) => {
      if (v.status !== 'running') return;
      const now = Date.now();
      if (now - lastAt < this.timing.progressMs && v.stage === lastStage) return;
      lastAt = now;
      lastStage = v.stage;
      chain = chain.then(() => this.opts.db.query(
        `UPDATE background_jobs SET progress = $3, stage = $4, updated_at = now() WHERE id = $1 AND attempt = $2 AND status = 'running'`,
        [id, attempt, v.progress, v.stage],
      )).catch(() => undefined);
    };
  }

  /** Renews the heartbeat; calls `lost` when the row was cancelled or claimed by another run. */
  private heartbeat(id: string, attempt: number, lost: () => void) {
    const timer = setInterval(() => {
      void this.opts.db.query<{ status: JobStatus }>(
        `UPDATE background_jobs SET heartbeat_at = now() WHERE id = $1 AND attempt = $2 RETURNING status`, [id, attempt],
      ).then(([row]) => {
        if (!row || row.status === 'cancelled') lost();
      }, () => undefined);
    }, this.timing.heartbeatMs);
    return () => clearInterval(timer);
  }

  /** Ends the row as `failed` (fenced by `attempt` when given) unless it already ended. */
  private async settleRow(id: string, attempt: number | null, status: 'failed', error: { code: string; message: string }) {
    await this.opts.db.query(
      `UPDATE background_jobs SET status = $3, stage = $3, error = $4, heartbeat_at = NULL, updated_at = now()
       WHERE id = $1 AND ($2::int IS NULL OR attempt = $2) AND status IN ('running', 'writing')`,
      [id, attempt, status, JSON.stringify(error)],
    );
  }
}
