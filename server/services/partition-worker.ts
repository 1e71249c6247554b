/**
 * Runs one partition (geo/partition) off the main thread: receives the input (or one per piece of
 * a community with exclaves) as workerData, posts
 * `progress` messages and finally `result` (or `error`). Cancelling terminates the thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type PartitionInput, partition } from '../../geo/partition/index.js';
import { partitionEach } from '../../geo/partition/pieces.js';

const port = parentPort!;
try {
  const onProgress = (fraction: number, stage: string) => port.postMessage({ type: 'progress', fraction, stage });
  // An array: a community in several pieces, partitioned piece by piece (geo/partition/pieces.ts).
  const result = Array.isArray(workerData)
    ? partitionEach(workerData as PartitionInput[], { onProgress })
    : partition(workerData as PartitionInput, { onProgress });
  port.postMessage({ type: 'result', result });
} catch (err) {
  const message = err instanceof Error ? err.message : String(err);
  port.postMessage({ type: 'error', message: `划分失败：${message} / partition failed: ${message}` });
}
