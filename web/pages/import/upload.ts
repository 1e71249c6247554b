/**
 * Upload with progress, then the server's progress: fetch() cannot report upload progress,
 * XMLHttpRequest can. The upload asks for `async=1`, so the server answers `202 {job}` as soon as
 * the file is in and parses it in a worker thread; the job's progress (bytes read, rows mapped,
 * rows checked) then comes over its SSE stream `/api/jobs/:id/events` (issue #14.3). Sends the
 * CSRF token like every other state-changing request; the server's error envelope becomes ApiError.
 */
import { ApiError, getCsrfToken, getJson, withStreet } from '../../http/api-client';
import type { ImportResult } from './types';

interface ImportJob {
  id: string;
  status: 'running' | 'writing' | 'done' | 'failed' | 'cancelled';
  progress: number;
  /** `key:detail`, e.g. `mapping:1000/20000` (server/services/import/prepare.ts). */
  stage: string;
  result: ImportResult | null;
  error: { code: string; message: string } | null;
}

export type ImportProgress = { phase: 'uploading'; fraction: number } | { phase: 'server'; fraction: number; stage: string; detail: string };

function postFile(file: File, query: Record<string, string>, mapping: Record<string, string> | null, onProgress: (p: ImportProgress) => void): Promise<ImportJob> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    form.append('file', file);
    if (mapping) form.append('mapping', JSON.stringify(mapping));
    const xhr = new XMLHttpRequest();
    xhr.open('POST', withStreet(`/api/import?${new URLSearchParams({ ...query, async: '1' })}`));
    xhr.setRequestHeader('Accept', 'application/json');
    const csrf = getCsrfToken();
    if (csrf) xhr.setRequestHeader('X-CSRF-Token', csrf);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress({ phase: 'uploading', fraction: e.loaded / e.total });
    };
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        /* not JSON */
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve((body as { job: ImportJob }).job);
      else {
        const err = (body as { error?: { code: string; message: string } } | null)?.error;
        reject(new ApiError(xhr.status, err?.code ?? 'http_error', err?.message ?? `HTTP ${xhr.status}`));
      }
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', '网络错误 / Network error'));
    xhr.send(form);
  });
}

/** Follows a job to its end over SSE (one plain read if the stream drops). */
function followJob(id: string, onProgress: (p: ImportProgress) => void): Promise<ImportResult> {
  return new Promise((resolve, reject) => {
    const es = new EventSource(`/api/jobs/${id}/events`);
    const settle = (job: ImportJob) => {
      const [stage, detail = ''] = job.stage.split(':');
      if (job.status === 'running' || job.status === 'writing') {
        onProgress({ phase: 'server', fraction: job.progress, stage, detail });
        return;
      }
      es.close();
      if (job.status === 'done' && job.result) resolve(job.result);
      else reject(new ApiError(job.status === 'cancelled' ? 409 : 400, job.error?.code ?? job.status, job.error?.message ?? job.status));
    };
    const onEvent = (ev: MessageEvent<string>) => settle(JSON.parse(ev.data) as ImportJob);
    for (const name of ['progress', 'done', 'failed', 'cancelled']) es.addEventListener(name, onEvent as EventListener);
    es.onerror = () => {
      es.close();
      getJson<ImportJob>(`/api/jobs/${id}`).then((job) => {
        if (job.status !== 'running' && job.status !== 'writing') return settle(job);
        setTimeout(() => followJob(id, onProgress).then(resolve, reject), 1000);
      }, reject);
    };
  });
}

export async function uploadImport(
  file: File,
  query: Record<string, string>,
  mapping: Record<string, string> | null,
  onProgress: (p: ImportProgress) => void,
): Promise<ImportResult> {
  const job = await postFile(file, query, mapping, onProgress);
  return followJob(job.id, onProgress);
}
