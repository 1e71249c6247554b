import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, fetchConfig, getJson } from './api-client';

function stubFetch(status: number, body: string) {
  vi.stubGlobal('fetch', vi.fn(async () => new Response(body, { status })));
}

afterEach(() => vi.unstubAllGlobals());

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
});
