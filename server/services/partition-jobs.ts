/**
 * Background partition jobs (issue #5): each job runs geo/partition in a worker thread so a big
 * community never blocks the server, reports progress to subscribers (the SSE stream), and when the
 * worker is done runs `finish` (writing the new draft plan) on the main thread. In memory only:
 * a job is a short-lived handle; its lasting result is the draft plan it writes. Finished jobs are
 * forgotten after an hour.
 */
import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { PartitionInput, PartitionResult } from '../../geo/partition/index.js';

export type JobStatus = 'running' | 'writing' | 'done' | 'failed' | 'cancelled';

export interface JobView {
  id: string;
  status: JobStatus;
  /** 0…1 */
  progress: number;
  stage: string;
  result: unknown;
  error: { code: string; message: string } | null;
  createdAt: string;
}

interface Job extends JobView {
  owner: number | null;
  worker: Worker | null;
  listeners: Set<(job: JobView) => void>;
  finishedAt: number | null;
}

const KEEP_MS = 60 * 60 * 1000;
const WORKER_URL = new URL('./partition-worker.mjs', import.meta.url);

export const isTerminal = (s: JobStatus) => s === 'done' || s === 'failed' || s === 'cancelled';

export class PartitionJobs {
  private readonly jobs = new Map<string, Job>();

  start(input: PartitionInput, owner: number | null, finish: (r: PartitionResult) => Promise<unknown>): JobView {
    this.prune();
    const job: Job = {
      id: randomUUID(), status: 'running', progress: 0, stage: 'queued', result: null, error: null,
      createdAt: new Date().toISOString(), owner, worker: null, listeners: new Set(), finishedAt: null,
    };
    this.jobs.set(job.id, job);
    const worker = new Worker(WORKER_URL, { workerData: input });
    job.worker = worker;
    worker.on('message', (m: { type: string; fraction?: number; stage?: string; result?: PartitionResult; message?: string }) => {
      if (isTerminal(job.status)) return;
      if (m.type === 'progress') this.update(job, { progress: Math.min(0.95, m.fraction ?? 0), stage: m.stage ?? '' });
      else if (m.type === 'error') this.fail(job, 'partition_failed', `划分失败：${m.message} / partition failed: ${m.message}`);
      else if (m.type === 'result') {
        job.worker = null;
        void worker.terminate();
        this.update(job, { status: 'writing', progress: 0.96, stage: 'writing' });
        finish(m.result!).then(
          (result) => {
            if (job.status === 'writing') this.update(job, { status: 'done', progress: 1, stage: 'done', result });
          },
          (err: Error) => this.fail(job, 'write_failed', `写入草案失败 / could not write the draft: ${err.message}`),
        );
      }
    });
    worker.on('error', (err) => this.fail(job, 'partition_failed', `划分失败 / partition failed: ${err.message}`));
    worker.on('exit', (code) => {
      if (job.status === 'running') this.fail(job, 'partition_failed', `划分进程意外退出（${code}） / partition worker exited (${code})`);
    });
    return view(job);
  }

  get(id: string): JobView | null {
    const job = this.jobs.get(id);
    return job ? view(job) : null;
  }

  /** Who started the job (users.id), or undefined for an unknown job. */
  ownerOf(id: string): number | null | undefined {
    return this.jobs.get(id)?.owner;
  }

  /** Stops a running job; returns null when unknown, the job otherwise (unchanged if already over). */
  cancel(id: string): JobView | null {
    const job = this.jobs.get(id);
    if (!job) return null;
    if (job.status === 'running') {
      void job.worker?.terminate();
      job.worker = null;
      this.update(job, { status: 'cancelled', stage: 'cancelled' });
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

  private fail(job: Job, code: string, message: string) {
    if (isTerminal(job.status)) return;
    void job.worker?.terminate();
    job.worker = null;
    this.update(job, { status: 'failed', stage: 'failed', error: { code, message } });
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
  return { id: j.id, status: j.status, progress: j.progress, stage: j.stage, result: j.result, error: j.error, createdAt: j.createdAt };
}
