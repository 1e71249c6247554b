/**
 * Partition jobs (issue #5): geo/partition runs in a worker thread (partition-worker.ts) through
 * the shared background-job mechanism (worker-jobs.ts); `finish` writes the new draft plan on
 * the main thread.
 */
import type { PartitionInput, PartitionResult } from '../../geo/partition/index.js';
import { type JobView, WorkerJobs } from './worker-jobs.js';

export { type JobStatus, type JobView, isTerminal } from './worker-jobs.js';

const WORKER_URL = new URL('./partition-worker.mjs', import.meta.url);

/** Starts a partition of `input` (or of each piece of a community, merged) for `owner`; `finish` writes its result. */
export function startPartition(jobs: WorkerJobs, input: PartitionInput | PartitionInput[], owner: number | null, finish: (r: PartitionResult) => Promise<unknown>): JobView {
  return jobs.start<PartitionResult>({
    kind: 'partition', owner, url: WORKER_URL, workerData: input, failCode: 'partition_failed', finishCode: () => 'write_failed',
    finish: (r) => finish(r).catch((err: Error) => {
      throw new Error(`写入草案失败 / could not write the draft: ${err.message}`, { cause: err });
    }),
  });
}
