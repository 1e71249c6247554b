/**
 * Imports as background jobs (issue #14.3): the upload is parsed, mapped and staged in a worker
 * thread (import-worker.ts) through the shared job mechanism (worker-jobs.ts, as the partitioner
 * does), so the server keeps answering tiles and health checks while a 25 MB file is read; the
 * database half (resolve, write) then runs on the main thread as async queries. Progress goes to
 * `GET /api/jobs/:id` and its SSE stream; the synchronous `POST /api/import` simply awaits it.
 */
import { ImportFileError } from '../../../data/import/errors.js';
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
