/**
 * Bad input never hurts: every case of the corpus (tests/load/bad-inputs.ts) sent to the endpoints
 * that exist gets a clear 4xx JSON error `{error: {code, message}}` with Chinese and English in
 * the message and no stack trace, and changes nothing (row counts of the main tables are compared
 * before and after). Static files are also requested over a real socket, where paths are not
 * normalised by a URL parser, and must never leak files outside the web root.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/client.js';
import { testApp } from '../helpers/app.js';
import { as, ensureTestUsers, type Session, signIn } from '../helpers/auth.js';
import {
  BAD_BBOXES, BAD_TILES, GEOJSON_CASES, INVALID_UTF8, LEAK_MARKERS, MALFORMED_JSON, ODD_STRINGS, OVERLONG,
  PATH_TRAVERSALS, SQL_INJECTIONS, WRONG_CONTENT_TYPES, hugeRing, jsonWithBytes,
} from '../load/bad-inputs.js';

type App = Awaited<ReturnType<typeof testApp>>['app'];
let app: App;
let db: Database;
let admin: Session;
let before: Record<string, number>;

/** The tables whose row counts must not move. */
const TABLES = [
  'streets', 'communities', 'compounds', 'buildings', 'households', 'grid_plans', 'grids', 'grid_workers', 'building_grid',
  'facility_categories', 'facilities', 'walk_nodes', 'walk_edges', 'users', 'user_roles', 'kiosk_tokens', 'sessions',
];

/**
 * Row counts of TABLES, and of the audit log without `login_failed` entries: a refused login with
 * a well-formed but unknown username is recorded by design (and rate-limited), nothing else is.
 */
async function counts(): Promise<Record<string, number>> {
  const [row] = await db.query<Record<string, number>>(
    `SELECT ${TABLES.map((t) => `(SELECT count(*) FROM ${t})::int AS ${t}`).join(', ')},
            (SELECT count(*) FROM audit_log WHERE action <> 'login_failed')::int AS audit_log_except_failed_logins`,
  );
  return row;
}

beforeAll(async () => {
  const t = await testApp();
  app = t.app;
  db = t.db;
  await ensureTestUsers(t.db, t.dataset);
  admin = await signIn(app, 'admin');
  before = await counts();
});

afterAll(async () => {
  // The whole corpus changed nothing: no row added or removed anywhere, no table dropped.
  expect(await counts()).toEqual(before);
});

const STACK = [/\bat [\w$.<>]+ \(/, /\.ts:\d+:\d+/, /\.js:\d+:\d+/, /node_modules/, /\/work\//, /Error:/];

/** A clear client error: 4xx, JSON `{error:{code,message}}`, Chinese and English, no stack. */
async function expectClearError(res: Response, label: string, status?: number | number[]) {
  const text = await res.text();
  const where = `${label} → ${res.status} ${text.slice(0, 300)}`;
  if (status !== undefined) expect([status].flat(), where).toContain(res.status);
  expect(res.status, where).toBeGreaterThanOrEqual(400);
  expect(res.status, where).toBeLessThan(500);
  expect(res.headers.get('content-type') ?? '', where).toMatch(/application\/json/);
  const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
  expect(typeof body.error?.code, where).toBe('string');
  const message = String(body.error?.message ?? '');
  expect(message, where).toMatch(/[\u4e00-\u9fff]/);
  expect(message, where).toMatch(/[A-Za-z]{3,}/);
  for (const re of STACK) expect(text, where).not.toMatch(re);
  return body.error as { code: string; message: string };
}

const post = (path: string, body: string | Buffer | Uint8Array, headers: Record<string, string>) =>
  app.request(path, { method: 'POST', headers, body: body as BodyInit });

/**
 * Creates a kiosk link with a raw JSON body. Should the server wrongly accept it (201), the link
 * and its audit entry are removed again at once, so that the row-count check still judges every
 * other case; the returned response is then asserted on.
 */
async function kioskAttempt(body: string | Buffer): Promise<Response> {
  const res = await post('/api/kiosk-tokens', body, as(admin));
  if (res.status !== 201) return res;
  const text = await res.text();
  const { id } = JSON.parse(text) as { id: number };
  await db.query('DELETE FROM kiosk_tokens WHERE id = $1', [id]);
  await db.query(`DELETE FROM audit_log WHERE action = 'kiosk_create' AND target_id = $1`, [String(id)]);
  return new Response(text, { status: res.status, headers: res.headers });
}


describe('malformed JSON bodies', () => {
  for (const { name, body } of MALFORMED_JSON) {
    it(`${name}: login, kiosk link and password change refuse it`, async () => {
      await expectClearError(await post('/api/auth/login', body, { 'content-type': 'application/json' }), `login ${name}`, 400);
      await expectClearError(await post('/api/kiosk-tokens', body, as(admin)), `kiosk ${name}`, 400);
      await expectClearError(await post('/api/auth/password', body, as(admin)), `password ${name}`, 400);
    });
  }
});

describe('wrong content types', () => {
  for (const type of WRONG_CONTENT_TYPES) {
    it(`${type ?? 'no content type'} is refused`, async () => {
      const headers = (s: Session | null): Record<string, string> => {
        const h: Record<string, string> = as(s);
        if (type === null) delete h['content-type'];
        else h['content-type'] = type;
        return h;
      };
      const login = JSON.stringify({ username: 't_admin', password: 'Test-password-2024' });
      await expectClearError(await post('/api/auth/login', login, headers(null)), `login as ${type}`, 400);
      await expectClearError(await post('/api/kiosk-tokens', '{"label":"x"}', headers(admin)), `kiosk as ${type}`, 400);
    });
  }
});

describe('oversized bodies', () => {
  const big = Buffer.alloc(50 * 1024 * 1024, 0x61);
  it('a 50 MB body with Content-Length is refused with 413', async () => {
    const res = await post('/api/auth/login', big, { 'content-type': 'application/json', 'content-length': String(big.length) });
    expect((await expectClearError(res, '50 MB login', 413)).code).toBe('payload_too_large');
    const res2 = await post('/api/kiosk-tokens', big, as(admin, { 'content-length': String(big.length) }));
    await expectClearError(res2, '50 MB kiosk', 413);
  });

  it('a 50 MB body streamed without Content-Length is refused with 413', async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 50; i++) controller.enqueue(big.subarray(i * 1024 * 1024, (i + 1) * 1024 * 1024));
        controller.close();
      },
    });
    const res = await app.request('/api/auth/login', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half',
    } as RequestInit);
    await expectClearError(res, '50 MB streamed login', 413);
  });
});

describe('invalid UTF-8 and GBK bytes in JSON', () => {
  for (const { name, bytes } of INVALID_UTF8) {
    it(`${name}: refused at login (nothing stored; an unknown name may be a 401)`, async () => {
      const login = jsonWithBytes('username', bytes, { password: 'Test-password-2024' });
      await expectClearError(await post('/api/auth/login', login, { 'content-type': 'application/json' }), `login ${name}`, [400, 401, 429]);
    });

    it(`${name}: refused as a kiosk link label`, async () => {
      await expectClearError(await kioskAttempt(jsonWithBytes('label', bytes)), `kiosk ${name}`, 400);
    });
  }
});

/** Every GET route with each of its query (and path) parameters, filled with `v`. */
interface GetCase {
  path: string;
  who: 'anonymous' | 'admin';
  /** A free-text search: any string is valid, the answer is an empty result. */
  freeText?: boolean;
}

function getRequests(v: string): GetCase[] {
  const e = encodeURIComponent(v);
  const out: GetCase[] = [];
  for (const layer of ['grids', 'buildings', 'facilities']) {
    out.push({ path: `/api/layers/${layer}?bbox=${e}`, who: 'anonymous' });
    out.push({ path: `/api/layers/${layer}?community=${e}`, who: 'anonymous' });
    out.push({ path: `/api/layers/${layer}?plan=${e}`, who: 'anonymous' });
  }
  out.push({ path: `/api/layers/${e}`, who: 'anonymous' });
  for (const p of ['community', 'plan']) out.push({ path: `/api/stats?${p}=${e}`, who: 'anonymous' });
  // An unknown grid code, like an unknown community, is a 404; a malformed one a 400.
  out.push({ path: `/api/stats?grid=${e}`, who: 'anonymous' });
  for (const p of ['action', 'from', 'to', 'limit', 'offset']) out.push({ path: `/api/audit?${p}=${e}`, who: 'admin' });
  // Free-text filters: any string is a valid search; the answer is an empty result, not an error.
  for (const p of ['actor', 'target']) out.push({ path: `/api/audit?${p}=${e}`, who: 'admin', freeText: true });
  out.push({ path: `/tiles/${e}/15/0/0.mvt`, who: 'anonymous' });
  out.push({ path: `/tiles/grids/${e}/0/0.mvt`, who: 'anonymous' });
  out.push({ path: `/tiles/grids/15/${e}/0.mvt`, who: 'anonymous' });
  out.push({ path: `/tiles/grids/15/0/${e}.mvt`, who: 'anonymous' });
  out.push({ path: `/tiles/grids/15/0/${e}`, who: 'anonymous' });
  out.push({ path: `/tiles/${e}.json`, who: 'anonymous' });
  out.push({ path: `/tiles/${e}`, who: 'anonymous' });
  out.push({ path: `/kiosk/${e}`, who: 'anonymous' });
  out.push({ path: `/api/buildings/${e}/households`, who: 'admin' });
  out.push({ path: `/api/kiosk-tokens/${e}`, who: 'admin' });
  for (const tail of ['', '/validate', '/diff', '/export']) out.push({ path: `/api/plans/${e}${tail}`, who: 'admin' });
  out.push({ path: `/api/plans/1/diff?base=${e}`, who: 'admin' });
  // Resident requests (issue #9): every filter is validated (codes, enums, ISO dates, numbers).
  for (const p of ['grid', 'community', 'status', 'from', 'to', 'overdue', 'limit', 'offset']) out.push({ path: `/api/requests?${p}=${e}`, who: 'admin' });
  for (const p of ['grid', 'community']) out.push({ path: `/api/requests/stats?${p}=${e}`, who: 'anonymous' });
  for (const route of ['layer', 'heat']) {
    for (const p of ['grid', 'community', 'status', 'category', 'from', 'to']) out.push({ path: `/api/requests/${route}?${p}=${e}`, who: 'anonymous' });
  }
  out.push({ path: `/api/requests/heat?cell=${e}`, who: 'anonymous' });
  for (const tail of ['history', 'photo']) out.push({ path: `/api/requests/${e}/${tail}`, who: 'admin' });
  // Life circle (issue #6): a point on the demo street's arterial road where lng/lat are not the parameter under test.
  const at = 'lng=121.3915&lat=37.5491';
  for (const q of [`lng=${e}&lat=37.5491`, `lng=121.3915&lat=${e}`, `${at}&minutes=${e}`, `${at}&speed=${e}`]) out.push({ path: `/api/isochrone?${q}`, who: 'anonymous' });
  for (const q of [`lng=${e}&lat=37.5491&category=pharmacy`, `${at}&category=${e}`, `${at}&category=pharmacy&k=${e}`]) out.push({ path: `/api/nearest?${q}`, who: 'anonymous' });
  for (const q of [`level=${e}`, `level=10&category=${e}`, `level=10&community=${e}`, `level=10&format=${e}`]) out.push({ path: `/api/coverage?${q}`, who: 'anonymous' });
  out.push({ path: `/api/coverage/summary?level=${e}`, who: 'anonymous' });
  // Wall screen (issue #7).
  out.push({ path: `/api/screen/buildings/${e}`, who: 'anonymous' });
  // The street and district of every street-wide route (issue #15): validated codes, one resolver.
  for (const route of ['/api/config', '/api/stats', '/api/screen/summary', '/api/layers/buildings', '/api/requests/stats']) {
    for (const p of ['street', 'district']) out.push({ path: `${route}?${p}=${e}`, who: 'anonymous' });
  }
  for (const p of ['street', 'district']) out.push({ path: `/api/plans?${p}=${e}`, who: 'admin' });
  // The district wall screen and the set-up status (issue #15).
  out.push({ path: `/api/screen/district?district=${e}`, who: 'anonymous' });
  out.push({ path: `/api/setup/status?street=${e}`, who: 'admin' });
  for (const tail of ['', '/events']) out.push({ path: `/api/jobs/${e}${tail}`, who: 'admin' });
  out.push({ path: `/api/plans/1/export?format=${e}`, who: 'admin' });
  // Exports and OGC API Features (issue #8).
  out.push({ path: `/api/export/${e}?format=csv`, who: 'admin' });
  for (const p of ['format', 'community', 'plan']) out.push({ path: `/api/export/buildings?${p}=${e}`, who: 'admin' });
  out.push({ path: `/ogc?f=${e}`, who: 'anonymous' });
  out.push({ path: `/ogc/conformance?f=${e}`, who: 'anonymous' });
  // OGC resources refuse parameters their OpenAPI operation does not list (/req/core/query-param-unknown).
  out.push({ path: `/ogc/api?f=${e}`, who: 'anonymous' });
  out.push({ path: `/ogc/api?q=${e}`, who: 'anonymous' });
  out.push({ path: `/ogc/api.html?f=${e}`, who: 'anonymous' });
  out.push({ path: `/ogc/collections?f=${e}`, who: 'anonymous' });
  out.push({ path: `/ogc/collections/${e}`, who: 'anonymous' });
  out.push({ path: `/ogc/collections/${e}/items`, who: 'anonymous' });
  for (const p of ['bbox', 'limit', 'offset', 'f']) out.push({ path: `/ogc/collections/buildings/items?${p}=${e}`, who: 'anonymous' });
  out.push({ path: `/ogc/collections/buildings/items/${e}`, who: 'anonymous' });
  out.push({ path: `/ogc/collections/buildings/items?floors=${e}`, who: 'anonymous' }); // an integer property filter
  out.push({ path: `/ogc/collections/${e}/schema`, who: 'anonymous' });
  out.push({ path: `/ogc/collections/buildings/schema?f=${e}`, who: 'anonymous' });
  // Residents' reports and the grid worker's phone (issue #18).
  for (const route of ['report', 'track']) out.push({ path: `/api/public/${route}/${e}`, who: 'anonymous' });
  out.push({ path: `/api/report-links?community=${e}`, who: 'admin' });
  out.push({ path: `/api/requests/${e}/resolve-photo`, who: 'admin' });
  out.push({ path: `/api/worker/buildings?grid=${e}`, who: 'admin' });
  for (const q of [`lng=${e}&lat=37.5491&building=B1`, `lng=121.3915&lat=37.5491&building=${e}`]) out.push({ path: `/api/worker/route?${q}`, who: 'admin' });
  // Party reach and load (issue #20).
  for (const p of ['community', 'grid', 'suggest', 'lists', 'street']) out.push({ path: `/api/party-reach?${p}=${e}`, who: 'anonymous' });
  out.push({ path: `/api/party-reach/settings?street=${e}`, who: 'anonymous' });
  for (const p of ['community', 'street']) out.push({ path: `/api/load?${p}=${e}`, who: 'anonymous' });
  return out;
}

/** GET routes without parameters: unknown query parameters are ignored (200), never evaluated. */
const NO_PARAMS = [
  '/api/health', '/api/config', '/api/categories', '/api/auth/me', '/api/kiosk-tokens', '/api/plans', '/tiles/grids.json',
  '/api/requests/categories', '/api/life-circle/standard', '/api/screen/summary',
  '/api/life-circle/network', '/api/territory',
];

describe('SQL injection in every parameter of every GET route', () => {
  it('covers every GET route the app serves', () => {
    const covered = new Set([
      '/api/layers/:layer', '/api/stats', '/api/audit', '/tiles/:layer/:z/:x/:file', '/tiles/:file', '/kiosk/:token',
      '/api/health', '/api/config', '/api/categories', '/api/auth/me', '/api/kiosk-tokens', '/api/buildings/:code/households', '/*',
      '/api/plans', '/api/plans/:id', '/api/plans/:id/validate', '/api/plans/:id/diff',
      ...NO_PARAMS, '/api/requests', '/api/requests/stats', '/api/requests/layer', '/api/requests/heat',
      '/api/requests/:id/history', '/api/requests/:id/photo', '/api/isochrone', '/api/nearest', '/api/coverage',
      '/api/coverage/summary', '/api/screen/buildings/:code', '/api/screen/district', '/api/setup/status',
      '/api/jobs/:id', '/api/jobs/:id/events', '/api/party-reach', '/api/party-reach/settings', '/api/load',
      '/api/plans', '/api/plans/:id', '/api/plans/:id/validate', '/api/plans/:id/diff', '/api/plans/:id/export',
      '/api/export/:layer', '/ogc', '/ogc/conformance', '/ogc/api', '/ogc/api.html', '/ogc/collections', '/ogc/collections/:collectionId',
      '/ogc/collections/:collectionId/items', '/ogc/collections/:collectionId/items/:featureId', '/ogc/collections/:collectionId/schema',
      '/api/requests/:id/resolve-photo', '/api/public/report/:token', '/api/public/track/:key', '/api/report-links',
      '/api/worker/buildings', '/api/worker/route',
    ]);
    const gets = app.routes.filter((r) => r.method === 'GET').map((r) => r.path);
    expect(gets.filter((p) => !covered.has(p))).toEqual([]);
  });

  for (const v of SQL_INJECTIONS) {
    it(`${JSON.stringify(v)}`, async () => {
      for (const { path, who, freeText } of getRequests(v)) {
        const headers: Record<string, string> = who === 'admin' ? { cookie: admin.cookie } : {};
        const method = path.startsWith('/api/kiosk-tokens/') ? 'DELETE' : 'GET';
        const res = await app.request(path, { method, headers: method === 'DELETE' ? as(admin) : headers });
        if (freeText) {
          expect(res.status, `${path} → ${res.status}`).toBe(200);
          expect(((await res.json()) as { total: number }).total, path).toBe(0);
        } else {
          await expectClearError(res, `${method} ${path}`);
        }
      }
      for (const path of NO_PARAMS) {
        const res = await app.request(`${path}?q=${encodeURIComponent(v)}&community=${encodeURIComponent(v)}`, { headers: { cookie: admin.cookie } });
        expect(res.status, path).toBe(200);
      }
    });
  }
});

describe('OGC text property filters', () => {
  it.each(SQL_INJECTIONS)('communityCode=%j is a value to compare, matching nothing', async (v) => {
    const res = await app.request(`/ogc/collections/buildings/items?communityCode=${encodeURIComponent(v)}&name=${encodeURIComponent(v)}`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { numberMatched: number }).numberMatched).toBe(0);
  });
});

describe('tile coordinates', () => {
  it.each(BAD_TILES)('/tiles/buildings/%s.mvt is a 4xx', async (zxy) => {
    const err = await expectClearError(await app.request(`/tiles/buildings/${zxy}.mvt`), zxy, [400, 404]);
    expect(['invalid_tile', 'not_found']).toContain(err.code);
  });

  it('a good tile still works (the checks are not simply refusing everything)', async () => {
    const res = await app.request('/tiles/buildings/0/0/0.mvt');
    expect([200, 204]).toContain(res.status);
  });
});

describe('bounding boxes', () => {
  it.each(BAD_BBOXES)('bbox=%s is refused', async (bbox) => {
    for (const layer of ['buildings', 'grids']) {
      const err = await expectClearError(await app.request(`/api/layers/${layer}?bbox=${encodeURIComponent(bbox)}`), `bbox ${bbox}`, 400);
      expect(err.code).toBe('invalid_input');
    }
  });
});

describe('over-long fields', () => {
  const login = (username: string, password = 'Test-password-2024') =>
    post('/api/auth/login', JSON.stringify({ username, password }), { 'content-type': 'application/json' });

  it('over-long usernames and passwords at login are a 400', async () => {
    await expectClearError(await login(OVERLONG.username65), 'username 65', 400);
    await expectClearError(await login(OVERLONG.username10k), 'username 10k', 400);
    await expectClearError(await login('t_admin', OVERLONG.password201), 'password 201', 400);
  });

  it('over-long kiosk link labels are a 400', async () => {
    for (const [name, label] of [['61', OVERLONG.label61], ['10k', OVERLONG.label10k]]) {
      await expectClearError(await post('/api/kiosk-tokens', JSON.stringify({ label }), as(admin)), `label ${name}`, 400);
    }
  });
});

describe('strings PostgreSQL cannot store or names should not contain', () => {
  const login = (username: string) =>
    post('/api/auth/login', JSON.stringify({ username, password: 'Test-password-2024' }), { 'content-type': 'application/json' });
  const label = (value: string) => kioskAttempt(JSON.stringify({ label: value }));
  const [nul, nulMiddle, control, surrogate] = ODD_STRINGS;

  for (const c of [nul, nulMiddle]) {
    it(`${c.name}: as a login username, a 4xx`, async () => {
      await expectClearError(await login(c.value), `login ${c.name}`, [400, 401, 429]);
    });
    it(`${c.name}: as a kiosk link label, a 400`, async () => {
      await expectClearError(await label(c.value), `kiosk ${c.name}`, 400);
    });
  }

  for (const c of [control, surrogate]) {
    it(`${c.name}: as a login username, a 4xx`, async () => {
      await expectClearError(await login(c.value), `login ${c.name}`, [400, 401, 429]);
    });
  }
  it(`${surrogate.name}: as a kiosk link label, a 400`, async () => {
    await expectClearError(await label(surrogate.value), `kiosk ${surrogate.name}`, 400);
  });
  it(`${control.name}: as a kiosk link label, a 400 (terminal escapes are refused like NUL)`, async () => {
    await expectClearError(await label(control.value), `kiosk ${control.name}`, 400);
  });
});

describe('path traversal on static files', () => {
  const leaks = (text: string) => LEAK_MARKERS.some((re) => re.test(text));
  let index = '';

  beforeAll(async () => {
    index = await (await app.request('/')).text();
  });

  /** Neither a 5xx nor a file's contents; a 200 may only be the single-page app's index.html. */
  function judge(path: string, status: number, text: string) {
    const where = `${path} → ${status} ${text.slice(0, 120)}`;
    expect(leaks(text), where).toBe(false);
    expect(status, where).toBeLessThan(500);
    if (status === 200) expect(text, where).toBe(index);
  }

  it.each(PATH_TRAVERSALS)('in-process %s', async (path) => {
    const res = await app.request(path);
    judge(path, res.status, await res.text());
  });

  it('over a real socket, with the raw (un-normalised) request line', async () => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    const { port } = server.address() as AddressInfo;
    try {
      for (const path of PATH_TRAVERSALS) {
        const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
          const req = http.request({ host: '127.0.0.1', port, path, method: 'GET', agent: false }, (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          });
          req.on('error', reject);
          req.end();
        });
        judge(`socket ${path}`, status, text);
      }
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

/** RFC 7946 structure of a geometry: known type, nesting, numeric positions, closed rings of ≥ 4. */
function wellFormed(g: unknown): boolean {
  const depth: Record<string, number> = { Point: 0, MultiPoint: 1, LineString: 1, MultiLineString: 2, Polygon: 2, MultiPolygon: 3 };
  if (typeof g !== 'object' || g === null) return false;
  const { type, coordinates } = g as { type?: unknown; coordinates?: unknown };
  if (typeof type !== 'string' || !(type in depth)) return false;
  const position = (p: unknown) =>
    Array.isArray(p) && p.length >= 2 && p.length <= 3 && p.every((v) => typeof v === 'number' && Number.isFinite(v));
  const ring = (r: unknown) =>
    Array.isArray(r) && r.length >= 4 && r.every(position) && JSON.stringify(r[0]) === JSON.stringify(r[r.length - 1]);
  const check = (c: unknown, d: number, inPolygon: boolean): boolean => {
    if (d === 0) return position(c);
    if (!Array.isArray(c) || c.length === 0) return false;
    if (inPolygon && d === 1) return ring(c);
    return c.every((x) => check(x, d - 1, inPolygon));
  };
  return check(coordinates, depth[type], type === 'Polygon' || type === 'MultiPolygon');
}

describe('GeoJSON corpus (no endpoint accepts geometry yet)', () => {
  it('every "reject" case fails the RFC 7946 shape or PostGIS validity/range; every "suspicious" one passes both', async () => {
    for (const c of GEOJSON_CASES) {
      let valid = wellFormed(c.geometry);
      if (valid) {
        try {
          const [r] = await db.query<{ ok: boolean }>(
            `SELECT ST_IsValid(g) AND ST_XMin(g) >= -180 AND ST_XMax(g) <= 180 AND ST_YMin(g) >= -90 AND ST_YMax(g) <= 90 AS ok
             FROM (SELECT ST_GeomFromGeoJSON($1::text) AS g) q`,
            [JSON.stringify(c.geometry)],
          );
          valid = r.ok;
        } catch {
          valid = false;
        }
      }
      expect(valid ? 'suspicious' : 'reject', c.name).toBe(c.verdict);
    }
  });

  it('hugeRing builds a closed ring of n + 1 positions', () => {
    const ring = hugeRing(1000);
    expect(ring).toHaveLength(1001);
    expect(ring[0]).toEqual(ring[1000]);
    expect(wellFormed({ type: 'Polygon', coordinates: [ring] })).toBe(true);
  });
});
