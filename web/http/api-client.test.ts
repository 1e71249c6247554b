import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, fetchConfig, getCsrfToken, getJson, sendJson, setCsrfToken } from './api-client';
import { fetchMe, login, logout } from './auth-api';

function stubFetch(status: number, body: string) {
  vi.stubGlobal('fetch', vi.fn(async () => new Response(body, { status })));
}

afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(null);
});

type Call = { url: string; init: RequestInit };

/** Answers requests in turn from `answers`, recording each call. */
function scriptFetch(...answers: Response[]) {
  const calls: Call[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      const next = answers.shift();
      if (!next) throw new Error(`unexpected request ${url}`);
      return next;
    }),
  );
  return calls;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const header = (c: Call, name: string) => (c.init.headers as Record<string, string>)[name];

describe('api client', () => {
  it('returns the parsed body of a 2xx answer', async () => {
    stubFetch(200, '{"a":1}');
    await expect(getJson('/api/x')).resolves.toEqual({ a: 1 });
  });

  it('turns the error envelope into an ApiError with the server message', async () => {
    stubFetch(400, '{"error":{"code":"bad_bbox","message":"bbox 无效 / invalid bbox"}}');
    const err = await getJson('/api/layers/grids?bbox=1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 400, code: 'bad_bbox', message: 'bbox 无效 / invalid bbox' });
  });

  it('reports a non-JSON answer instead of a JSON parse error', async () => {
    stubFetch(502, '<html>Bad gateway</html>');
    await expect(getJson('/api/stats')).rejects.toMatchObject({ code: 'bad_json', status: 502 });
  });

  it('treats a missing /api/config as "no basemap"', async () => {
    stubFetch(404, '{"error":{"code":"not_found","message":"no"}}');
    await expect(fetchConfig()).resolves.toEqual({ basemap: null, street: null });
  });

  it('keeps a well-formed street extent from /api/config and drops a malformed one', async () => {
    stubFetch(200, JSON.stringify({ basemap: null, street: null, buildings: 3, bbox: [121.3, 37.4, 121.5, 37.6] }));
    await expect(fetchConfig()).resolves.toMatchObject({ buildings: 3, bbox: [121.3, 37.4, 121.5, 37.6] });
    stubFetch(200, JSON.stringify({ basemap: null, street: null, buildings: 3, bbox: [121.3, 'x', 121.5] }));
    await expect(fetchConfig()).resolves.toMatchObject({ buildings: 3, bbox: null });
  });

  it('keeps the CSRF token from login and sends it on every non-GET, never on GET', async () => {
    const calls = scriptFetch(
      json(200, { ok: true, csrfToken: 'tok-1' }),
      json(200, { a: 1 }),
      json(201, { id: 1 }),
      json(200, { ok: true }),
    );
    await login('admin', 'secret');
    expect(getCsrfToken()).toBe('tok-1');
    await getJson('/api/audit');
    await sendJson('POST', '/api/kiosk-tokens', { label: 'x' });
    await sendJson('DELETE', '/api/kiosk-tokens/1');
    expect(calls.map((c) => c.init.credentials)).toEqual(['same-origin', 'same-origin', 'same-origin', 'same-origin']);
    expect(header(calls[1], 'X-CSRF-Token')).toBeUndefined();
    expect(header(calls[2], 'X-CSRF-Token')).toBe('tok-1');
    expect(header(calls[2], 'Content-Type')).toBe('application/json');
    expect(calls[2].init.body).toBe('{"label":"x"}');
    expect(calls[3].init.method).toBe('DELETE');
    expect(header(calls[3], 'X-CSRF-Token')).toBe('tok-1');
  });

  it('takes the token from /me and forgets it on logout', async () => {
    scriptFetch(
      json(200, { kind: 'user', username: 'a', displayName: 'A', roles: [], csrfToken: 'tok-me' }),
      json(200, { ok: true }),
    );
    await fetchMe();
    expect(getCsrfToken()).toBe('tok-me');
    await logout();
    expect(getCsrfToken()).toBeNull();
  });

  it('reports 401, 403 and 429 with the server message and the Retry-After seconds', async () => {
    scriptFetch(
      json(401, { error: { code: 'bad_credentials', message: '用户名或密码错误 / wrong username or password' } }),
      json(429, { error: { code: 'too_many_attempts', message: '登录失败次数过多 / too many' } }, { 'retry-after': '897' }),
      json(403, { error: { code: 'forbidden', message: '当前角色无权访问 / your role may not do this' } }),
    );
    await expect(login('a', 'b')).rejects.toMatchObject({ status: 401, code: 'bad_credentials', message: '用户名或密码错误 / wrong username or password' });
    await expect(login('a', 'b')).rejects.toMatchObject({ status: 429, code: 'too_many_attempts', retryAfter: 897 });
    await expect(getJson('/api/audit')).rejects.toMatchObject({ status: 403, code: 'forbidden' });
  });

  it('refreshes a refused CSRF token from /me once and retries', async () => {
    setCsrfToken('old');
    const calls = scriptFetch(
      json(403, { error: { code: 'csrf', message: 'CSRF / csrf' } }),
      json(200, { kind: 'user', username: 'a', displayName: 'A', roles: [], csrfToken: 'new' }),
      json(200, { ok: true }),
    );
    await expect(sendJson('POST', '/api/auth/password', { current: 'a', next: 'b' })).resolves.toEqual({ ok: true });
    expect(calls.map((c) => c.url)).toEqual(['/api/auth/password', '/api/auth/me', '/api/auth/password']);
    expect(header(calls[2], 'X-CSRF-Token')).toBe('new');
  });

  it('does not retry other 403s', async () => {
    setCsrfToken('tok');
    const calls = scriptFetch(json(403, { error: { code: 'bad_credentials', message: '当前密码错误 / current password is wrong' } }));
    await expect(sendJson('POST', '/api/auth/password', {})).rejects.toBeInstanceOf(ApiError);
    expect(calls).toHaveLength(1);
  });
});
