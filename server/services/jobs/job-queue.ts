/**
 * Where partition jobs run and how their state is read (issue #19): one small interface, two
 * implementations.
 *
 * - {@link MemoryJobQueue} — the one-machine default (PGlite, or `npm start` on PostgreSQL without
 *   a queue): the job runs in a worker thread of this process and lives in its memory
 *   (services/worker-jobs.ts). Nothing to set up; lost with the process.
 * - `PgJobQueue` (pg-job-queue.ts) — several app servers on native PostgreSQL: the job is sent to
 *   pg-boss, any process working the queue (an app server, or `npm run worker`) takes it, and its
 *   status and progress live in `background_jobs`, so every server answers `GET /api/jobs/:id` and
 *   streams its events. PGlite cannot host pg-boss (it needs connections of its own), so it keeps
 *   the memory queue.
 *
 * Import jobs stay in the memory of the server that received the upload (their input is the
 * uploaded file, held in memory); both implementations fall back to it for ids they do not know.
 */
import type { Database } from '../../db/client.js';
import { type JobView, WorkerJobs } from '../worker-jobs.js';
import { type PartitionRequest, partitionInputs, runPartition, writePartitionResult } from './partition-task.js';

export type { PartitionRequest } from './partition-task.js';

export interface JobQueue {
  /** True when jobs and their state are shared by every process on the database. */
  readonly shared: boolean;
  /** Queues a partition; answers at once with the job as it starts ('running', stage 'queued'). */
  startPartition(req: PartitionRequest): Promise<JobView>;
  /** The job and who started it (users.id), or null when unknown. */
  get(id: string): Promise<{ job: JobView; owner: number | null } | null>;
  /** Stops a running job; null when unknown, the job otherwise (unchanged if already over). */
  cancel(id: string): Promise<JobView | null>;
  /** Calls `fn` on every change of the job until it ends; returns the stop function. */
  watch(id: string, fn: (job: JobView) => void): () => void;
  close(): Promise<void>;
}

/** The in-process queue: worker threads of this server, state in its memory. */
export class MemoryJobQueue implements JobQueue {
  readonly shared = false;

  /**
   * @param local the server's worker-thread jobs (imports run there too)
   * @param onDataChanged called after a partition wrote its draft (the response cache's fast path)
   */
  constructor(
    private readonly db: Database,
    readonly local: WorkerJobs,
    private readonly onDataChanged: () => void = () => {},
  ) {}

  async startPartition(req: PartitionRequest): Promise<JobView> {
    const inputs = await partitionInputs(this.db, req);
    return runPartition(this.local, inputs, req.userId, async (result) => {
      const summary = await this.db.transaction((tx) => writePartitionResult(tx, req, result));
      this.onDataChanged();
      return summary;
    });
  }

  async get(id: string) {
    const job = this.local.get(id);
    return job ? { job, owner: this.local.ownerOf(id) ?? null } : null;
  }

  async cancel(id: string) {
    return this.local.cancel(id);
  }

  watch(id: string, fn: (job: JobView) => void) {
    return this.local.subscribe(id, fn);
  }

  close() {
    return this.local.close();
  }
}
