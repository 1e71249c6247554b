/**
 * Imports as background jobs (issue #14.3): the upload is parsed, mapped and staged in a worker
 * thread (import-worker.ts) through the shared job mechanism (worker-jobs.ts, as the partitioner
 * does), so the server keeps answering tiles and health checks while a 25 MB file is read; the
 * database half (resolve, write) then runs on the main thread as async queries. Progress goes to
 * `GET /api/jobs/:id` and its SSE stream; the synchronous `POST /api/import` simply awaits it.
 */
import { ImportFileError } from '../../../data/import/errors.js';
import { HttpError } from '../../http-error.js';
import { vetUpload } from '../../../data/import/read-file.js';
import type { Database } from '../../db/client.js';
import { type JobView, type WorkerErrorMessage, type WorkerJobs } from '../worker-jobs.js';
import { ImportRequestError } from './import-errors.js';
import type { Prepared } from './prepare.js';
import { type ImportInput, type ImportResult, completeImport, importRequest } from './run-import.js';

const WORKER_URL = new URL('./import-worker.mjs', import.meta.url);

/**
 * The worker's heap: a 25 MB GeoJSON of one 1M-vertex polygon needs ~0.5 GB while parsed and
 * converted; a file that needs more is refused (413 too_large) instead of growing the server.
 */
const WORKER_HEAP_MB = 1536;

/**
 * Imports at work at once in this process. Each worker may take WORKER_HEAP_MB: without a bound,
 * a planner sending ten large files at once (or a script retrying a slow one) could make the
 * server ask for 15 GB. One more is refused with 429 and Retry-After; the files are not queued
 * (each would hold its upload, up to 50 MB, while waiting).
 */
export const IMPORT_CONCURRENCY = 2;

/** The refusal of an import while IMPORT_CONCURRENCY imports are at work (429, Retry-After). */
export class ImportsBusyError extends HttpError {
  readonly retryAfterS = 10;
  constructor() {
    super(429, 'too_many_imports', `已有 ${IMPORT_CONCURRENCY} 个导入正在进行，请稍后再试`, `${IMPORT_CONCURRENCY} imports are already running; please retry shortly`);
  }
}

function revive(m: WorkerErrorMessage): Error {
  const { zh, en, code, detail } = m as WorkerErrorMessage & { zh: string; en: string; code: string; detail?: unknown };
  if (m.kind === 'request') return new ImportRequestError(code, zh, en, detail);
  return new ImportFileError(zh, en, code === 'too_large' ? 'too_large' : 'invalid_file');
}

/**
 * The upload's bytes as a view whose buffer can be handed to the worker. The file part is a view
 * into the request body (multipart.ts), which the worker may take whole — transferred, not copied:
 * copying 25 MB here (`slice()`) held the event loop for 70–150 ms on a loaded machine. Only a small
 * view into a much larger buffer (a pooled Buffer) is copied, so the worker never takes memory
 * that is not the upload's.
 */
export function transferable(bytes: Uint8Array): Uint8Array {
  return bytes.byteLength * 2 >= bytes.buffer.byteLength ? bytes : bytes.slice();
}

/**
 * Starts an import job. `after` runs on the main thread once the import is complete (cache,
 * audit). Checks needing the database or the caller run first, so they fail the request itself.
 */
export async function startImport(jobs: WorkerJobs, db: Database, input: ImportInput, owner: number | null,
  after: (r: ImportResult) => Promise<void>): Promise<JobView> {
  const t0 = Date.now();
  vetUpload(input.filename, input.bytes); // a zip bomb is refused here, before a worker starts
  const req = await importRequest(db, input);
  // Checked after the awaits above, right before the worker starts: no two requests pass it at once.
  if (jobs.active('import') >= IMPORT_CONCURRENCY) throw new ImportsBusyError();
  const bytes = transferable(req.bytes);
  return jobs.start<Prepared>({
    kind: 'import', owner, url: WORKER_URL, failCode: 'import_failed', revive,
    workerData: { ...req, bytes }, transferList: [bytes.buffer as ArrayBuffer],
    // The importer's own refusals keep their codes (crs_required, out_of_scope …); anything else is a failure.
    finishCode: (err) => (err instanceof ImportRequestError || err instanceof ImportFileError ? err.code : 'import_failed'),
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    finish: async (prepared, progress) => {
      const result = await completeImport(db, input, prepared, t0, progress);
      await after(result);
      return result;
    },
  });
}
