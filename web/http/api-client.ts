/**
 * Typed fetch helpers for the GridAtlas API. They turn the server's JSON error envelope
 * `{error:{code,message}}` into an `ApiError`, so the UI can show the server's own message
 * instead of "Unexpected token <".
 */
import type { AppConfig, FacilityCategory, LayerCollection, LayerName, Stats } from './api-types';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function isErrorEnvelope(body: unknown): body is { error: { code: string; message: string } } {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false;
  const err = (body as { error: unknown }).error;
  return typeof err === 'object' && err !== null && 'code' in err && 'message' in err;
}

/** GET a JSON resource; throws ApiError for non-2xx answers and for bodies that are not JSON. */
export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { signal, headers: { Accept: 'application/json' } });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network_error', `网络错误 / Network error: ${String(e)}`);
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    throw new ApiError(res.status, 'bad_json', `${path}: 响应不是 JSON / response is not JSON (HTTP ${res.status})`);
  }
  if (!res.ok) {
    if (isErrorEnvelope(body)) throw new ApiError(res.status, body.error.code, body.error.message);
    throw new ApiError(res.status, 'http_error', `${path}: HTTP ${res.status}`);
  }
  return body as T;
}

function query(params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

export interface LayerQuery {
  bbox?: [number, number, number, number];
  community?: string;
  plan?: number;
}

export function fetchLayer<L extends LayerName>(layer: L, opts: LayerQuery = {}, signal?: AbortSignal) {
  const q = query({
    bbox: opts.bbox?.join(','),
    community: opts.community,
    plan: opts.plan === undefined ? undefined : String(opts.plan),
  });
  return getJson<LayerCollection<L>>(`/api/layers/${layer}${q}`, signal);
}

export function fetchStats(opts: { community?: string; grid?: string } = {}, signal?: AbortSignal) {
  return getJson<Stats>(`/api/stats${query(opts)}`, signal);
}

export function fetchCategories(signal?: AbortSignal) {
  return getJson<FacilityCategory[]>('/api/categories', signal);
}

/** The config endpoint is optional: a 404 or any failure means "no basemap, no street name". */
export async function fetchConfig(signal?: AbortSignal): Promise<AppConfig> {
  try {
    const cfg = await getJson<Partial<AppConfig>>('/api/config', signal);
    const basemap = cfg.basemap && typeof cfg.basemap.url === 'string' ? cfg.basemap : null;
    return { basemap, street: cfg.street ?? null };
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    return { basemap: null, street: null };
  }
}
