/**
 * Background jobs run in worker threads (issue #5's partitioner, issue #14's imports): each job
 * runs one worker script so heavy CPU work never blocks the server's event loop, reports progress
 * to subscribers (the SSE stream `GET /api/jobs/:id/events`), and when the worker posts its result
 * runs `finish` on the main thread (writing to the database). In memory only: a job is a
 * short-lived handle; finished jobs are forgotten after an hour.
 *
 * Worker protocol: `{type: 'progress', fraction, stage}`, then `{type: 'result', result}` or
 * `{type: 'error', message, …}` (the whole error message is passed to `revive`, which rebuilds the
 * caller's own error class for `settled`).
 */
import { randomUUID } from 'node:crypto';
import { Worker, type ResourceLimits, type TransferListItem } from 'node:worker_threads';

export type JobStatus = 'running' | 'writing' | 'done' | 'failed' | 'cancelled';

export interface JobView {
  id: string;
  /** What the job does: 'partition' | 'import'. */
  kind: string;
  status: JobStatus;
  /** 0…1 */
  progress: number;
  stage: string;
  result: unknown;
  error: { code: string; message: string } | null;
  createdAt: string;
}

export interface WorkerErrorMessage {
  type: 'error';
  message: string;
  code?: string;
  [k: string]: unknown;
}

export interface JobOptions<R> {
  kind: string;
  owner: number | null;
  /** Worker script (plain .mjs that loads the TypeScript through tsx). */
  url: URL;
  workerData: unknown;
  transferList?: TransferListItem[];
  resourceLimits?: ResourceLimits;
  /** Error code for a failure without one of its own (a crash, a worker error). */
  failCode: string;
  /** Main-thread continuation with the worker's result; may report progress of its own. */
  finish: (result: R, progress: (fraction: number, stage: string) => void) => Promise<unknown>;
  /** Rebuilds a worker's error message as the caller's error (for `settled`). */
  revive?: (m: WorkerErrorMessage) => Error;
  /** Error code when `finish` fails: by default `failCode`; a caller may read its own errors' codes. */
  finishCode?: (err: Error) => string;
}

interface Job extends JobView {
  owner: number | null;
  worker: Worker | null;
  listeners: Set<(job: JobView) => void>;
  finishedAt: number | null;
  settled: Promise<unknown>;
  settle: { resolve: (v: unknown) => void; reject: (e: Error) => void };
}

const KEEP_MS = 60 * 60 * 1000;

export const isTerminal = (s: JobStatus) => s === 'done' || s === 'failed' || s === 'cancelled';

/** The error a job failed with, for callers awaiting `settled`: its code and a bilingual message. */
export class JobFailure extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

export class WorkerJobs {
  private readonly jobs = new Map<string, Job>();

  start<R>(opts: JobOptions<R>): JobView {
    this.prune();
    let settle!: Job['settle'];
    const settled = new Promise<unknown>((resolve, reject) => (settle = { resolve, reject }));
    settled.catch(() => {}); // nobody may be awaiting it (an async job polled over HTTP)
    const job: Job = {
      id: randomUUID(), kind: opts.kind, status: 'running', progress: 0, stage: 'queued', result: null, error: null,
      createdAt: new Date().toISOString(), owner: opts.owner, worker: null, listeners: new Set(), finishedAt: null, settled, settle,
    };
    this.jobs.set(job.id, job);
    const worker = new Worker(opts.url, { workerData: opts.workerData, transferList: opts.transferList, resourceLimits: opts.resourceLimits });
    job.worker = worker;
    const progress = (fraction: number, stage: string) => {
      if (!isTerminal(job.status)) this.update(job, { progress: Math.min(0.99, Math.max(job.progress, fraction)), stage });
    };
    worker.on('message', (m: { type: string; fraction?: number; stage?: string; result?: R } | WorkerErrorMessage) => {
      if (isTerminal(job.status)) return;
      if (m.type === 'progress') progress(Math.min(0.95, (m as { fraction?: number }).fraction ?? 0), (m as { stage?: string }).stage ?? '');
      else if (m.type === 'error') {
        const e = m as WorkerErrorMessage;
        const revived = opts.revive?.(e) ?? new JobFailure(e.code ?? opts.failCode, e.message);
        this.fail(job, e.code ?? opts.failCode, e.message, revived);
      } else if (m.type === 'result') {
        job.worker = null;
        void worker.terminate();
        this.update(job, { status: 'writing', stage: 'writing' });
        opts.finish((m as { result: R }).result, progress).then(
          (result) => {
            if (job.status !== 'writing') return;
            this.update(job, { status: 'done', progress: 1, stage: 'done', result });
            job.settle.resolve(result);
          },
          (err: Error) => this.fail(job, opts.finishCode?.(err) ?? opts.failCode, err.message, err),
        );
      }
    });
    worker.on('error', (err) => {
      const oom = (err as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
      const code = oom ? 'too_large' : opts.failCode;
      const message = oom ? '任务所需内存超过上限 / the job needs more memory than allowed' : `任务失败 / job failed: ${err.message}`;
      this.fail(job, code, message, new JobFailure(code, message));
    });
    worker.on('exit', (code) => {
      if (job.status !== 'running') return;
      const message = `后台任务意外退出（${code}） / worker exited (${code})`;
      this.fail(job, opts.failCode, message, new JobFailure(opts.failCode, message));
    });
    return view(job);
  }

  /** Who started the job (users.id), or undefined for an unknown job. */
  ownerOf(id: string): number | null | undefined {
    return this.jobs.get(id)?.owner;
  }

  /** How many jobs of `kind` are still at work (in their worker, or writing its result). */
  active(kind: string): number {
    let n = 0;
    for (const j of this.jobs.values()) if (j.kind === kind && (j.status === 'running' || j.status === 'writing')) n++;
    return n;
  }

  get(id: string): JobView | null {
    const job = this.jobs.get(id);
    return job ? view(job) : null;
  }

  /** Resolves with the job's result when done; rejects with its error (revived) when it failed. */
  settled(id: string): Promise<unknown> {
    const job = this.jobs.get(id);
    return job ? job.settled : Promise.reject(new JobFailure('not_found', `任务 ${id} 不存在 / job ${id} not found`));
  }

  /** Stops a running job; returns null when unknown, the job otherwise (unchanged if already over). */
  cancel(id: string): JobView | null {
    const job = this.jobs.get(id);
    if (!job) return null;
    if (job.status === 'running') {
      void job.worker?.terminate();
      job.worker = null;
      this.update(job, { status: 'cancelled', stage: 'cancelled' });
      job.settle.reject(new JobFailure('cancelled', '任务已取消 / job cancelled'));
    }
    return view(job);
  }

  /** Calls `fn` on every change until the job ends; returns the unsubscribe function. */
  subscribe(id: string, fn: (job: JobView) => void): () => void {
    const job = this.jobs.get(id);
    if (!job) return () => {};
    job.listeners.add(fn);
    return () => job.listeners.delete(fn);
  }

  /** Terminates every running worker (server shutdown, tests). */
  async close(): Promise<void> {
    await Promise.all([...this.jobs.values()].map((j) => j.worker?.terminate()));
  }

  private fail(job: Job, code: string, message: string, original: Error) {
    if (isTerminal(job.status)) return;
    void job.worker?.terminate();
    job.worker = null;
    this.update(job, { status: 'failed', stage: 'failed', error: { code, message } });
    job.settle.reject(original);
  }

  private update(job: Job, patch: Partial<JobView>) {
    Object.assign(job, patch);
    if (isTerminal(job.status)) job.finishedAt = Date.now();
    const v = view(job);
    for (const fn of [...job.listeners]) fn(v);
  }

  private prune() {
    const now = Date.now();
    for (const [id, j] of this.jobs) if (j.finishedAt !== null && now - j.finishedAt > KEEP_MS) this.jobs.delete(id);
  }
}

function view(j: Job): JobView {
  return { id: j.id, kind: j.kind, status: j.status, progress: j.progress, stage: j.stage, result: j.result, error: j.error, createdAt: j.createdAt };
}
