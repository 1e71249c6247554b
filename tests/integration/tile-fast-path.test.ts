/**
 * Issue #17: plain tile GETs on a served port are answered by a raw node:http listener in front of
 * the Hono app (server/http/tile-fast-path.ts). Its answers must be the app's: the same bytes
 * (ST_AsMVT's where that is the oracle), status and headers, and every case it does not handle —
 * a session cookie, odd paths, other methods — left to the app.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lngLatToTile } from '../../geo/tiles/tile-math.js';
import { createUser } from '../../server/auth/users.repo.js';
import { layerTile } from '../../server/repos/tiles.repo.js';
import { startTestServer } from '../helpers/server.js';
import { createApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { serveApp } from '../../server/http/tile-fast-path.js';
import type { AddressInfo } from 'node:net';

let server: Awaited<ReturnType<typeof startTestServer>>;
let tilePath: (z: number) => { path: string; z: number; x: number; y: number };

beforeAll(async () => {
  server = await startTestServer({ isolated: 'tilefast' });
  const ring = server.dataset.communities[0].polygon[0];
  const lng = ring.reduce((s, p) => s + p[0], 0) / ring.length;
  const lat = ring.reduce((s, p) => s + p[1], 0) / ring.length;
  tilePath = (z) => {
    const [x, y] = lngLatToTile(lng, lat, z);
    return { path: `/tiles/buildings/${z}/${x}/${y}.mvt`, z, x, y };
  };
}, 120_000);

afterAll(async () => {
  await server?.close();
});

/** The headers of a response, without those that differ per response (date). */
function headersOf(res: Response): Record<string, string> {
  const out: Record<string, string> = {};
  res.headers.forEach((v, k) => {
    if (k !== 'date') out[k] = v;
  });
  return out;
}

const get = (path: string, init: RequestInit = {}) => fetch(`${server.baseUrl}${path}`, init);
/** A cookie the fast path leaves to the app; no such session exists, so the app treats the caller as anonymous. */
const APP_PATH = { headers: { cookie: 'ga_session=no-such-session' } };

describe('tile fast path', () => {
  it('answers a tile with the bytes of ST_AsMVT (or the TS encoder) and the app\'s exact status and headers, miss and hit', async () => {
    for (const z of [13, 15, 17]) {
      const { path, x, y } = tilePath(z);
      const oracle = await layerTile(server.db, 'buildings', z, x, y);
      const viaApp = await get(path, APP_PATH);
      const miss = await get(path);
      const hit = await get(path);
      expect(oracle.length, `z${z}`).toBeGreaterThan(0);
      for (const res of [viaApp, miss, hit]) {
        expect(res.status).toBe(200);
        expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(oracle)), `z${z} bytes`).toBe(true);
      }
      expect(headersOf(miss)).toEqual(headersOf(viaApp));
      expect(headersOf(hit)).toEqual(headersOf(viaApp));
      expect(hit.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(hit.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile');
    }
  });

  it('tags its answers with the data-version ETag and leaves If-None-Match to the app (304)', async () => {
    const { path } = tilePath(15);
    const fast = await get(path);
    const etag = fast.headers.get('etag');
    expect(etag).toMatch(/^W\/".+\.public"$/);
    expect(etag).toBe((await get(path, APP_PATH)).headers.get('etag'));
    const again = await get(path, { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    expect(await again.arrayBuffer()).toHaveProperty('byteLength', 0);
  });

  it('with the response cache off, tags a built tile with the version read in the tile\'s own statement', async () => {
    const app = createApp({ db: server.db, config: { ...loadConfig({}), cacheMb: 0 } });
    const off = serveApp(app, { port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => off.once('listening', r));
    const base = `http://127.0.0.1:${(off.address() as AddressInfo).port}`;
    try {
      for (const z of [13, 16]) {
        const { path, x, y } = tilePath(z);
        const tagOf = async () => {
          const [fast, viaApp] = [await fetch(`${base}${path}`), await fetch(`${base}${path}`, APP_PATH)];
          expect(Buffer.from(await fast.arrayBuffer()).equals(Buffer.from(await layerTile(server.db, 'buildings', z, x, y))), `z${z} bytes`).toBe(true);
          expect(fast.headers.get('etag'), `z${z}`).toBe(viaApp.headers.get('etag'));
          return fast.headers.get('etag');
        };
        const before = await tagOf();
        expect(before).toMatch(/^W\/".+\.public"$/);
        // Any committed change bumps the data version: the next tile carries the new one.
        await server.db.query('UPDATE facilities SET name = name WHERE id = (SELECT min(id) FROM facilities)');
        const after = await tagOf();
        expect(after).not.toBe(before);
      }
    } finally {
      await new Promise<void>((r) => off.close(() => r()));
    }
  });

  it('answers an empty tile 204 with the app\'s headers', async () => {
    const [viaApp, fast] = [await get('/tiles/buildings/15/0/0.mvt', APP_PATH), await get('/tiles/buildings/15/0/0.mvt')];
    expect(fast.status).toBe(204);
    expect(viaApp.status).toBe(204);
    expect(await fast.arrayBuffer()).toHaveProperty('byteLength', 0);
    expect(headersOf(fast)).toEqual(headersOf(viaApp));
  });

  it('leaves bad paths, other methods and query strings to the app, which answers as before', async () => {
    for (const path of ['/tiles/buildings/99/0/0.mvt', '/tiles/buildings/a/b/c.mvt', '/tiles/secrets/3/0/0.mvt', '/tiles/buildings/3/0/0.png']) {
      const res = await get(path);
      expect(res.status, path).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/[\u4e00-\u9fff]/);
    }
    const { path } = tilePath(16);
    const head = await get(path, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile');
    expect((await get(`${path}?v=1`)).status).toBe(200);
    expect((await get(path, { method: 'POST' })).status).toBe(404);
  });

  it('keeps the session rules: a signed-in user who must change the password is still refused tiles', async () => {
    await createUser(server.db, {
      username: 'tf_mc_viewer',
      password: 'Printed-Temp-Kettle-57',
      mustChangePassword: true,
      grants: [{ role: 'viewer', scopeType: 'street', scopeCode: '*' }],
    });
    const login = await get('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'tf_mc_viewer', password: 'Printed-Temp-Kettle-57' }),
    });
    const cookie = /ga_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')![0];
    const { path } = tilePath(16);
    expect((await get(path)).status).toBe(200); // cached now
    const refused = await get(path, { headers: { cookie } });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('password_change_required');
  });
});
