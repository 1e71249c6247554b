/**
 * Upload with progress: fetch() cannot report upload progress, XMLHttpRequest can. Sends the CSRF
 * token like every other state-changing request; the server's error envelope becomes ApiError.
 */
import { ApiError, getCsrfToken } from '../../http/api-client';
import type { ImportResult } from './types';

export function uploadImport(
  file: File,
  query: Record<string, string>,
  mapping: Record<string, string> | null,
  onProgress: (fraction: number) => void,
): Promise<ImportResult> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    form.append('file', file);
    if (mapping) form.append('mapping', JSON.stringify(mapping));
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/import?${new URLSearchParams(query)}`);
    xhr.setRequestHeader('Accept', 'application/json');
    const csrf = getCsrfToken();
    if (csrf) xhr.setRequestHeader('X-CSRF-Token', csrf);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        /* not JSON */
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as ImportResult);
      else {
        const err = (body as { error?: { code: string; message: string } } | null)?.error;
        reject(new ApiError(xhr.status, err?.code ?? 'http_error', err?.message ?? `HTTP ${xhr.status}`));
      }
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', '网络错误 / Network error'));
    xhr.send(form);
  });
}
