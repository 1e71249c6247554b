/**
 * Runs one partition (geo/partition) off the main thread: receives the input as workerData, posts
 * `progress` messages and finally `result` (or `error`). Cancelling terminates the thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type PartitionInput, partition } from '../../geo/partition/index.js';

const port = parentPort!;
try {
  const result = partition(workerData as PartitionInput, {
    onProgress: (fraction, stage) => port.postMessage({ type: 'progress', fraction, stage }),
  });
  port.postMessage({ type: 'result', result });
} catch (err) {
  const message = err instanceof Error ? err.message : String(err);
  port.postMessage({ type: 'error', message: `划分失败：${message} / partition failed: ${message}` });
}
