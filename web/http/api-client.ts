/**
 * Typed fetch helpers for the GridAtlas API. They turn the server's JSON error envelope
 * `{error:{code,message}}` into an `ApiError`, so the UI can show the server's own message
 * instead of "Unexpected token <".
 *
 * Sessions: the `ga_session` cookie is HttpOnly (the page never sees it); every state-changing
 * request must echo the session's CSRF token in `X-CSRF-Token`. The token arrives with the login
 * answer and with `GET /api/auth/me`, is kept in memory only (never in storage), and is sent on
 * every non-GET request.
 */
import type { AppConfig, FacilityCategory, LayerCollection, LayerName, Stats } from './api-types';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Seconds from a `Retry-After` header (429 too_many_attempts, 503), if the server sent one. */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let csrfToken: string | null = null;
let apiStreet: string | null = null;

/**
 * The street every street-wide call is about (web/http/territory.ts decides it once per page
 * load); null: leave `street=` out, so the server takes its only street.
 */
export function setApiStreet(code: string | null) {
  apiStreet = code;
}

export function getApiStreet(): string | null {
  return apiStreet;
}

/** API paths that are not about one street: accounts, administration, the territory, jobs, the district screen. */
const NOT_STREET_WIDE = /^\/api\/(auth|territory|health|audit|kiosk-tokens|users|jobs|screen\/district)(\/|\?|$)/;

/**
 * `path` with `street=<code>` added when a street is chosen and the path is a street-wide API or
 * tile URL without one already. The one place the pages' URLs get their street: requests made
 * through this module get it by themselves; URLs handed to others (tiles in the map style,
 * EventSource, download links, XHR uploads) go through here too.
 */
export function withStreet(path: string): string {
  if (!apiStreet || !/^\/(api|tiles)\//.test(path) || NOT_STREET_WIDE.test(path)) return path;
  const [base, hash = ''] = path.split('#', 2);
  const q = base.indexOf('?');
  if (q >= 0 && new URLSearchParams(base.slice(q + 1)).has('street')) return path;
  return `${base}${q >= 0 ? (q === base.length - 1 ? '' : '&') : '?'}street=${encodeURIComponent(apiStreet)}${hash ? `#${hash}` : ''}`;
}

/** Remembers the session's CSRF token (from login or `/api/auth/me`); null after logout. */
export function setCsrfToken(token: string | null) {
  csrfToken = token;
}

export function getCsrfToken(): string | null {
  return csrfToken;
}

function isErrorEnvelope(body: unknown): body is { error: { code: string; message: string } } {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false;
  const err = (body as { error: unknown }).error;
  return typeof err === 'object' && err !== null && 'code' in err && 'message' in err;
}

function retryAfterOf(res: Response): number | undefined {
  const h = res.headers.get('retry-after');
  if (!h) return undefined;
  const secs = Number(h);
  if (Number.isFinite(secs) && secs >= 0) return Math.ceil(secs);
  const at = Date.parse(h);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface RequestOptions {
  body?: unknown;
  signal?: AbortSignal;
  /** Extra request headers (e.g. `Idempotency-Key`, issue #18). */
  headers?: Record<string, string>;
}

async function request<T>(method: Method, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(withStreet(path), {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      credentials: 'same-origin',
      signal: opts.signal,
    });
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
    if (isErrorEnvelope(body)) throw new ApiError(res.status, body.error.code, body.error.message, retryAfterOf(res));
    throw new ApiError(res.status, 'http_error', `${path}: HTTP ${res.status}`, retryAfterOf(res));
  }
  return body as T;
}

/** GET a JSON resource; throws ApiError for non-2xx answers and for bodies that are not JSON. */
export function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  return request<T>('GET', path, { signal });
}

/**
 * A state-changing request with a JSON body and the CSRF token. If the server refuses the token
 * (another tab signed in again, so the session changed), the token is fetched anew from
 * `/api/auth/me` and the request is tried once more.
 */
export async function sendJson<T>(method: Exclude<Method, 'GET'>, path: string, body?: unknown, signal?: AbortSignal, headers?: Record<string, string>): Promise<T> {
  try {
    return await request<T>(method, path, { body, signal, headers });
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 403 && e.code === 'csrf')) throw e;
    const me = await getJson<{ csrfToken?: string }>('/api/auth/me', signal);
    if (!me.csrfToken || me.csrfToken === csrfToken) throw e;
    csrfToken = me.csrfToken;
    return request<T>(method, path, { body, signal, headers });
  }
}

export function query(params: Record<string, string | undefined>): string {
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
    const bbox = Array.isArray(cfg.bbox) && cfg.bbox.length === 4 && cfg.bbox.every(Number.isFinite) ? cfg.bbox : null;
    return { basemap, street: cfg.street ?? null, buildings: typeof cfg.buildings === 'number' ? cfg.buildings : undefined, bbox };
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    return { basemap: null, street: null };
  }
}
