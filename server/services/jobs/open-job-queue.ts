/**
 * The partition job queue a process uses, from its configuration (services/jobs/job-queue.ts):
 * the shared PostgreSQL queue on native PostgreSQL (unless GRIDATLAS_JOBS=memory), the in-process
 * one otherwise. Used by server/main.ts and server/worker.ts.
 */
import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import type { WorkerJobs } from '../worker-jobs.js';
import { type JobQueue, MemoryJobQueue } from './job-queue.js';
import { JOB_TIMING, PgJobQueue } from './pg-job-queue.js';

export async function openJobQueue(opts: {
  config: Pick<Config, 'databaseUrl' | 'jobs'>;
  db: Database;
  local: WorkerJobs;
  onDataChanged?: () => void;
  /** Overrides `config.jobs.work` (the worker process always works). */
  work?: boolean;
}): Promise<JobQueue> {
  const { config, db, local, onDataChanged } = opts;
  if (!config.databaseUrl || !config.jobs.queue) return new MemoryJobQueue(db, local, onDataChanged);
  const staleAfterMs = config.jobs.staleAfterMs;
  return PgJobQueue.open({
    url: config.databaseUrl, db, local, onDataChanged, work: opts.work ?? config.jobs.work,
    // Heartbeats six times per stale period: a few missed beats (a busy event loop) are not a death.
    timing: { staleAfterMs, heartbeatMs: Math.min(JOB_TIMING.heartbeatMs, Math.round(staleAfterMs / 6)) },
  });
}
