/**
 * Holes an outside attacker probed for after the first hardening round, through the real HTTP app
 * on a database of its own:
 * - cross-site writes: a foreign page posting to the login (login CSRF), to a resident report or to
 *   any staff route (Sec-Fetch-Site / Origin), and the `text/plain; x=application/json` content
 *   type a foreign page may send without a CORS preflight;
 * - ids spelled several ways (`0x1`, ` 1`, `1e0`, `true`) naming one row;
 * - API answers with personal data left cacheable by browsers and proxies (Cache-Control);
 * - absolute links (OGC, TileJSON, kiosk links) built from a client's Host header, and `http://`
 *   links behind a TLS proxy;
 * - IPv6 clients rotating addresses inside their /64 to escape login and report rate limits.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { serveApp } from '../../server/http/tile-fast-path.js';
import { loadConfig } from '../../server/config.js';
import type { Database } from '../../server/db/client.js';
import type { StreetDataset } from '../../data/generate/types.js';
import { THROTTLE } from '../../server/auth/login-throttle.js';
import { REPORT_LIMITS } from '../../server/resident/report-rate.js';
import { reportSecret, signReportToken } from '../../server/resident/report-tokens.js';
import { isolatedApp } from '../helpers/isolated-db.js';
import { rawExchange } from '../helpers/raw-http.js';
import { TEST_PASSWORD, type Session, as, signInAs } from '../helpers/auth.js';

type App = ReturnType<typeof createApp>;
let app: App;
let db: Database;
let ds: StreetDataset;
let close: () => Promise<void>;
let admin: Session;

const ZH_EN = /[\u4e00-\u9fff].* \/ .*[a-z]/;

beforeAll(async () => {
  const t = await isolatedApp('attack_probes');
  ({ app, db, dataset: ds, close } = t);
  admin = await signInAs(app, 't_admin');
});

afterAll(async () => {
  await close?.();
});

const count = async (sql: string, params: unknown[] = []) => (await db.query<{ n: number }>(sql, params))[0].n;

function login(headers: Record<string, string>, via: App = app, init: { peer?: string } = {}) {
  return via.request(
    '/api/auth/login',
    { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ username: 't_viewer', password: TEST_PASSWORD }) },
    init.peer ? { incoming: { socket: { remoteAddress: init.peer } } } : undefined,
  );
}

async function expectRefused(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe(code);
  expect(body.error.message).toMatch(ZH_EN);
}

describe('cross-site writes are refused (login CSRF, residents\' reports, staff routes)', () => {
  it('a login posted by a page of another site gets no session, and is not even counted', async () => {
    const before = await count(`SELECT count(*)::int AS n FROM audit_log WHERE actor = 't_viewer'`);
    const foreign: Record<string, string>[] = [
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { origin: 'http://localhost.evil.example' },
    ];
    for (const headers of foreign) {
      const res = await login(headers);
      expect(res.headers.get('set-cookie')).toBeNull();
      await expectRefused(res, 403, 'cross_site');
    }
    expect(await count(`SELECT count(*)::int AS n FROM audit_log WHERE actor = 't_viewer'`)).toBe(before);
    expect(await count(`SELECT count(*)::int AS n FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = 't_viewer'`)).toBe(0);
  });

  it('the app\'s own pages, typed addresses and non-browser clients still sign in', async () => {
    const own: Record<string, string>[] = [{ 'sec-fetch-site': 'same-origin' }, { 'sec-fetch-site': 'none' }, { origin: 'http://localhost' }, { origin: 'http://LOCALHOST:8787' }, {}];
    for (const headers of own) {
      expect((await login(headers)).status).toBe(200);
    }
  });

  it('a foreign page cannot make a visitor\'s browser file a resident report', async () => {
    const building = ds.plan.grids[0].buildingCodes[0];
    const token = signReportToken(await reportSecret(db), { kind: 'building', code: building });
    const before = await count('SELECT count(*)::int AS n FROM requests');
    const report = (headers: Record<string, string>) =>
      app.request(`/api/public/report/${token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ category: 'repair', description: '楼道里堆满了杂物' }),
      });
    await expectRefused(await report({ 'sec-fetch-site': 'cross-site' }), 403, 'cross_site');
    await expectRefused(await report({ origin: 'https://evil.example' }), 403, 'cross_site');
    // The content type a foreign page may send without a preflight is not JSON, whatever its parameters say.
    await expectRefused(await report({ 'content-type': 'text/plain; x=application/json' }), 400, 'invalid_input');
    expect(await count('SELECT count(*)::int AS n FROM requests')).toBe(before);
    await db.query('DELETE FROM report_rate');
  });

  it('a signed-in admin\'s browser, steered by another site, changes nothing even with the CSRF token', async () => {
    const before = await count('SELECT count(*)::int AS n FROM kiosk_tokens');
    const res = await app.request('/api/kiosk-tokens', {
      method: 'POST',
      headers: as(admin, { 'sec-fetch-site': 'same-site' }),
      body: JSON.stringify({ label: 'planted' }),
    });
    await expectRefused(res, 403, 'cross_site');
    expect(await count('SELECT count(*)::int AS n FROM kiosk_tokens')).toBe(before);
    // Reads from another site are not writes: a public aggregate still answers.
    expect((await app.request('/api/stats', { headers: { 'sec-fetch-site': 'cross-site' } })).status).toBe(200);
  });

  it('JSON bodies need the JSON media type itself, not the words anywhere in the header', async () => {
    for (const type of ['text/plain; x=application/json', 'application/x-www-form-urlencoded;application/json', 'application/jsonp', 'multipart/form-data; boundary=application/json']) {
      await expectRefused(await login({ 'content-type': type }), 400, 'invalid_input');
    }
    for (const type of ['application/json; charset=utf-8', 'APPLICATION/JSON', ' application/json ']) {
      expect((await login({ 'content-type': type })).status).toBe(200);
    }
  });
});

describe('text that displays as something else is refused in every JSON body', () => {
  it('a resident\'s name or description with a right-to-left override, a terminal escape or C1 control is a 400; emoji and line breaks pass', async () => {
    const building = ds.plan.grids[1].buildingCodes[0];
    const token = signReportToken(await reportSecret(db), { kind: 'building', code: building });
    const report = (body: Record<string, string>) =>
      app.request(`/api/public/report/${token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ category: 'repair', ...body }) });
    const before = await count('SELECT count(*)::int AS n FROM requests');
    const tricks: Record<string, string>[] = [
      { description: '楼道灯不亮了', reporterName: '王\u202e7658 8231 931' },
      { description: '楼道灯不亮\u2066了\u2069' },
      { description: '楼道灯\u001b[2J不亮了' },
      { description: '楼道灯\u0085不亮了' },
    ];
    for (const body of tricks) {
      await expectRefused(await report(body), 400, 'invalid_input');
    }
    expect(await count('SELECT count(*)::int AS n FROM requests')).toBe(before);
    const ok = await report({ description: '三单元\n楼道灯不亮 👨\u200d👩\u200d👧\t谢谢', reporterName: '王女士' });
    expect(ok.status).toBe(201);
    expect(await count('SELECT count(*)::int AS n FROM requests')).toBe(before + 1);
    await db.query('DELETE FROM report_rate');
  });

  it('a kiosk link planted on another site does not sign a staff member out into the kiosk; opened on purpose it does', async () => {
    const made = await app.request('/api/kiosk-tokens', { method: 'POST', headers: as(admin), body: JSON.stringify({ label: '外站链接' }) });
    expect(made.status).toBe(201);
    const path = new URL(((await made.json()) as { url: string }).url).pathname;
    const me = async (cookie: string) => ((await (await app.request('/api/auth/me', { headers: { cookie } })).json()) as { kind?: string; username?: string; roles: { role: string }[] });
    const own = await me(admin.cookie);
    for (const site of ['cross-site', 'same-site']) {
      const res = await app.request(path, { headers: { cookie: admin.cookie, 'sec-fetch-site': site } });
      expect(res.status, site).toBe(302);
      expect(res.headers.get('location'), site).toMatch(/^\/screen/);
      expect(res.headers.get('set-cookie'), site).toBeNull();
      expect(await me(admin.cookie), site).toEqual(own);
    }
    // Typed or pasted (none), from our own pages (same-origin), or with no staff session: a kiosk session.
    for (const headers of [{ cookie: admin.cookie, 'sec-fetch-site': 'none' } as Record<string, string>, { cookie: admin.cookie, 'sec-fetch-site': 'same-origin' }, { 'sec-fetch-site': 'cross-site' }]) {
      const res = await app.request(path, { headers });
      expect(res.status).toBe(302);
      const cookie = /ga_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')?.[0];
      expect(cookie, JSON.stringify(headers)).toBeDefined();
      expect((await me(cookie!)).roles.map((r) => r.role)).toEqual(['screen']);
    }
  });

  it('an admin\'s kiosk label cannot hide a reversed text either', async () => {
    const before = await count('SELECT count(*)::int AS n FROM kiosk_tokens');
    const res = await app.request('/api/kiosk-tokens', { method: 'POST', headers: as(admin), body: JSON.stringify({ label: '大厅\u202egpj.exe' }) });
    await expectRefused(res, 400, 'invalid_input');
    expect(await count('SELECT count(*)::int AS n FROM kiosk_tokens')).toBe(before);
  });
});

describe('requests node-server refuses before the app', () => {
  it('a Host that is not a host, or a backslash in the path, gets the usual bilingual JSON 400 over a real socket', async () => {
    const server = serveApp(app, { port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    const { port } = server.address() as AddressInfo;
    const raw = (path: string, host: string) =>
      new Promise<{ status: number; type: string; text: string }>((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port, path, method: 'GET', agent: false, headers: { host } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), text: Buffer.concat(chunks).toString('utf8') }));
        });
        req.on('error', reject);
        req.end();
      });
    try {
      for (const [path, host, code] of [
        ['/api/health', 'a@b', 'invalid_host'],
        ['/ogc', 'evil.example/<script>', 'invalid_host'],
        ['/api/health', 'é.example', 'invalid_host'],
        ['/..\\..\\etc\\passwd', `127.0.0.1:${port}`, 'invalid_path'],
      ]) {
        const res = await raw(path, host);
        expect(res.status, `${path} ${host}`).toBe(400);
        expect(res.type).toMatch(/application\/json/);
        const body = JSON.parse(res.text) as { error: { code: string; message: string } };
        expect(body.error.code).toBe(code);
        expect(body.error.message).toMatch(ZH_EN);
      }
      for (const host of [`127.0.0.1:${port}`, 'grid.example.gov.cn', '[::1]:8787', 'LOCALHOST']) {
        expect((await raw('/api/health', host)).status, host).toBe(200);
      }
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

describe('requests Node\'s HTTP parser refuses', () => {
  it('a 20 KB request line, an oversized header and a broken request line get a bilingual JSON 431/400, not an empty reply', async () => {
    const server = serveApp(app, { port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    const { port } = server.address() as AddressInfo;
    try {
      const cases: [string, number, string][] = [
        [`GET /api/grids?q=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: localhost\r\n\r\n`, 431, 'header_too_large'],
        [`GET /api/health HTTP/1.1\r\nHost: localhost\r\nX-Pad: ${'b'.repeat(20_000)}\r\n\r\n`, 431, 'header_too_large'],
        ['GET /api/health HTTP/9.9 extra\r\nHost: localhost\r\n\r\n', 400, 'malformed_request'],
        ['\u0001\u0002\u0003 nonsense\r\n\r\n', 400, 'malformed_request'],
      ];
      for (const [bytes, status, code] of cases) {
        const reply = await rawExchange(port, bytes);
        const [head, body] = reply.split('\r\n\r\n');
        expect(head.split('\r\n')[0], bytes.slice(0, 40)).toBe(`HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}`);
        expect(head).toMatch(/content-type: application\/json; charset=utf-8/i);
        expect(head).toMatch(/connection: close/i);
        const parsed = JSON.parse(body) as { error: { code: string; message: string } };
        expect(parsed.error.code).toBe(code);
        expect(parsed.error.message).toMatch(ZH_EN);
      }
      // The server is still serving after them.
      expect((await rawExchange(port, 'GET /api/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n')).startsWith('HTTP/1.1 200')).toBe(true);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

describe('login: an address that sprayed made-up names cannot then tell real names from made-up ones', () => {
  const attempt = async (username: string, password: string, peer: string) => {
    const started = performance.now();
    const res = await app.request(
      '/api/auth/login',
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) },
      { incoming: { socket: { remoteAddress: peer } } },
    );
    return { status: res.status, retryAfter: res.headers.get('retry-after'), ms: performance.now() - started };
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

  it('after the free unknown names, real names with a wrong password answer the same 429 — and as slowly; the right password still signs in', async () => {
    const peer = '198.51.100.77';
    for (let i = 0; i < THROTTLE.addressFree; i++) expect((await attempt(`ghost_${i}`, 'Some-guess-2024', peer)).status).toBe(401);
    // A sprayer keeps at it: after a few doubled delays the address waits minutes between made-up names.
    await db.query(`UPDATE login_throttle SET attempts = attempts + 8, next_at = now() + interval '256 seconds' WHERE scope = 'address' AND address = $1`, [peer]);
    const made: number[] = [];
    const real: number[] = [];
    // Three rounds: real names' free attempts (password checked, then 429) and, after those, their
    // own throttle (no check) must both look like a made-up name's 429.
    for (let i = 0; i < THROTTLE.accountFree + 2; i++) {
      for (const name of [`ghost_x${i}`, `nobody_${i}`]) {
        const r = await attempt(name, 'Some-guess-2024', peer);
        expect(r.status, name).toBe(429);
        expect(Number(r.retryAfter)).toBeGreaterThan(200);
        made.push(r.ms);
      }
      for (const name of ['t_planner', 't_viewer']) {
        const r = await attempt(name, 'Some-guess-2024', peer);
        expect(r.status, name).toBe(429);
        expect(Number(r.retryAfter)).toBeGreaterThan(200);
        real.push(r.ms);
      }
    }
    // A refusal without a password check waits about as long as one with it (scrypt): no timing tell.
    expect(median(made)).toBeGreaterThan(median(real) * 0.3);
    // Nobody is locked out: the real user, from the spraying address, with the right password.
    expect((await attempt('t_admin', TEST_PASSWORD, peer)).status).toBe(200);
    // From another address the same wrong password is the ordinary 401.
    expect((await attempt('t_planner', 'Some-guess-2024', '198.51.100.78')).status).toBe(401);
    await db.query('DELETE FROM login_throttle');
  });
});

describe('one row, one id spelling', () => {
  it('hex, padded, exponent and boolean ids are a 400, plain digits work', async () => {
    for (const id of ['0x1', '%201', '1e0', '1.0', '+1', '01a']) {
      await expectRefused(await app.request(`/api/plans/${id}`, { headers: as(admin) }), 400, 'invalid_input');
    }
    expect((await app.request('/api/plans/1', { headers: as(admin) })).status).toBe(200);
    const plans = await count('SELECT count(*)::int AS n FROM grid_plans');
    for (const from of [true, [1], '0x1', ' 1']) {
      const res = await app.request('/api/plans', { method: 'POST', headers: as(admin), body: JSON.stringify({ name: 'id probe', from }) });
      await expectRefused(res, 400, 'invalid_input');
    }
    expect(await count('SELECT count(*)::int AS n FROM grid_plans')).toBe(plans);
  });
});

describe('API answers are not kept by browsers or proxies unless meant to be', () => {
  it('household rosters, the audit log, /me and errors are no-store; tagged public aggregates keep revalidation', async () => {
    const building = ds.plan.grids[0].buildingCodes[0];
    for (const path of [`/api/buildings/${building}/households`, '/api/audit', '/api/auth/me', '/api/requests?limit=1']) {
      const res = await app.request(path, { headers: as(admin) });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('cache-control'), path).toBe('no-store');
    }
    const refused = await app.request(`/api/buildings/${building}/households`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('cache-control')).toBe('no-store');
    const anonymous = await app.request('/api/layers/communities');
    expect(anonymous.headers.get('etag')).toBeTruthy();
    expect(anonymous.headers.get('cache-control')).toBeNull();
    const signedIn = await app.request('/api/layers/communities', { headers: as(admin) });
    expect(signedIn.headers.get('etag')).toBeTruthy();
    expect(signedIn.headers.get('cache-control')).toBe('private, no-cache');
    const revalidated = await app.request('/api/layers/communities', { headers: as(admin, { 'if-none-match': signedIn.headers.get('etag')! }) });
    expect(revalidated.status).toBe(304);
  });
});

describe('absolute links do not come from a client\'s Host header', () => {
  const hrefs = async (res: Response) => ((await res.json()) as { links: { href: string }[] }).links.map((l) => l.href);

  it('GRIDATLAS_PUBLIC_URL pins OGC links, TileJSON tile URLs and new kiosk links', async () => {
    const pinned = createApp({ db, config: loadConfig({ GRIDATLAS_PUBLIC_URL: 'https://grid.example.gov.cn/' }) });
    for (const href of await hrefs(await pinned.request('http://evil.example/ogc'))) expect(href).toMatch(/^https:\/\/grid\.example\.gov\.cn\/ogc/);
    const tilejson = (await (await pinned.request('http://evil.example/tiles/buildings.json')).json()) as { tiles: string[] };
    expect(tilejson.tiles).toEqual(['https://grid.example.gov.cn/tiles/buildings/{z}/{x}/{y}.mvt']);
    const session = await signInAs(pinned, 't_admin');
    const kiosk = await pinned.request('http://evil.example/api/kiosk-tokens', { method: 'POST', headers: as(session), body: JSON.stringify({ label: 'lobby' }) });
    expect(kiosk.status).toBe(201);
    expect(((await kiosk.json()) as { url: string }).url).toMatch(/^https:\/\/grid\.example\.gov\.cn\/kiosk\/[\w-]+$/);
  });

  it('behind a trusted TLS proxy the links are https; a client\'s X-Forwarded-Proto alone changes nothing', async () => {
    const proxied = createApp({ db, config: loadConfig({ GRIDATLAS_TRUSTED_PROXIES: '10.0.0.0/8' }) });
    const via = (peer: string) => ({ incoming: { socket: { remoteAddress: peer } } });
    const tls = { headers: { 'x-forwarded-proto': 'https' } };
    for (const href of await hrefs(await proxied.request('http://grid.example.gov.cn/ogc', tls, via('10.0.0.2')))) expect(href).toMatch(/^https:\/\/grid\.example\.gov\.cn\/ogc/);
    for (const href of await hrefs(await proxied.request('http://grid.example.gov.cn/ogc', tls, via('203.0.113.7')))) expect(href).toMatch(/^http:\/\/grid\.example\.gov\.cn\/ogc/);
  });

  it('a malformed GRIDATLAS_PUBLIC_URL refuses to start', () => {
    for (const bad of ['grid.example.gov.cn', 'javascript:alert(1)', 'ftp://grid.example.gov.cn']) {
      expect(() => loadConfig({ GRIDATLAS_PUBLIC_URL: bad })).toThrow(/GRIDATLAS_PUBLIC_URL/);
    }
  });
});

describe('an IPv6 client counts as its /64 for rate limits', () => {
  const proxied = () => createApp({ db, config: loadConfig({ GRIDATLAS_TRUSTED_PROXIES: '10.0.0.0/8' }) });
  const from = (client: string) => ({ 'x-forwarded-for': client });

  it('rotating addresses inside one /64 does not reset the login throttle; another /64 is not slowed', async () => {
    const behind = proxied();
    const wrong = (client: string) =>
      behind.request(
        '/api/auth/login',
        { method: 'POST', headers: { 'content-type': 'application/json', ...from(client) }, body: JSON.stringify({ username: 't_planner', password: `wrong-${client}` }) },
        { incoming: { socket: { remoteAddress: '10.0.0.1' } } },
      );
    for (let i = 1; i <= THROTTLE.accountFree; i++) expect((await wrong(`2001:db8:1:2::${i.toString(16)}`)).status).toBe(401);
    const res = await wrong('2001:db8:1:2:ffff:ffff:ffff:fffe');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBeTruthy();
    expect((await wrong('2001:db8:1:3::1')).status).toBe(401);
    // The audit log keeps each full address.
    const ips = await db.query<{ ip: string }>(`SELECT DISTINCT ip FROM audit_log WHERE actor = 't_planner' AND action = 'login_failed' AND ip LIKE '2001:db8:1:2:%'`);
    expect(ips.length).toBe(THROTTLE.accountFree);
    await db.query('DELETE FROM login_throttle');
  });

  it('a resident cannot file more reports than the address limit by hopping inside a /64', async () => {
    const behind = proxied();
    const secret = await reportSecret(db);
    const buildings = ds.plan.grids.flatMap((g) => g.buildingCodes).slice(0, REPORT_LIMITS.address.limit + 1);
    const before = await count('SELECT count(*)::int AS n FROM requests');
    const statuses: number[] = [];
    for (const [i, b] of buildings.entries()) {
      const res = await behind.request(
        `/api/public/report/${signReportToken(secret, { kind: 'building', code: b })}`,
        { method: 'POST', headers: { 'content-type': 'application/json', ...from(`2001:db8:9:9::${(i + 1).toString(16)}`) }, body: JSON.stringify({ category: 'repair', description: `楼道杂物 ${i}` }) },
        { incoming: { socket: { remoteAddress: '10.0.0.1' } } },
      );
      statuses.push(res.status);
    }
    expect(statuses).toEqual([...Array<number>(REPORT_LIMITS.address.limit).fill(201), 429]);
    expect(await count('SELECT count(*)::int AS n FROM requests')).toBe(before + REPORT_LIMITS.address.limit);
    await db.query('DELETE FROM report_rate');
  });
});
