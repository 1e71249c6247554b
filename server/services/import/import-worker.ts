/**
 * Runs the CPU-heavy half of one import (prepare.ts: parse, map, stage geometries) off the main
 * thread: receives the PrepareRequest as workerData (its bytes transferred, not copied), posts
 * `progress` messages and finally `result`, or `error` carrying the importer's own error so the
 * route answers exactly as before (400 invalid_file, 413 too_large, crs_required …).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ImportFileError } from '../../../data/import/errors.js';
import { ImportRequestError } from './import-errors.js';
import { type PrepareRequest, prepareImport } from './prepare.js';

const port = parentPort!;
let last = 0;
try {
  const result = await prepareImport(workerData as PrepareRequest, (fraction, stage) => {
    const now = Date.now();
    if (now - last < 100 && fraction < 0.85) return; // a message per 100 ms is plenty for a progress bar
    last = now;
    port.postMessage({ type: 'progress', fraction, stage });
  });
  // The staged JSON as bytes, transferred: receiving a 32 MB string would stall the main thread.
  const staged = typeof result.staged === 'string' ? new TextEncoder().encode(result.staged) : result.staged;
  port.postMessage({ type: 'result', result: { ...result, staged } }, staged ? [staged.buffer as ArrayBuffer] : []);
} catch (err) {
  if (err instanceof ImportFileError) port.postMessage({ type: 'error', kind: 'file', code: err.code, zh: err.zh, en: err.en, message: err.message });
  else if (err instanceof ImportRequestError) {
    port.postMessage({ type: 'error', kind: 'request', code: err.code, zh: err.zh, en: err.en, detail: err.detail, message: err.message });
  } else {
    const reason = err instanceof Error ? err.message.slice(0, 200) : String(err);
    const e = new ImportFileError(`文件无法处理：${reason}`, `the file could not be processed: ${reason}`);
    port.postMessage({ type: 'error', kind: 'file', code: e.code, zh: e.zh, en: e.en, message: e.message });
  }
}
