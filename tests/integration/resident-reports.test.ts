/**
 * Residents report without an account, grid workers on the phone (issue #18.3, #18.4) on real
 * PostGIS: signed QR tokens (forged, altered and expired ones refused), rate limits per address and
 * device, text and photo limits, a script tag kept as plain text, spam marks in the audit log, the
 * tracking link's history in plain words, rating only through the tracking link, idempotent
 * retries applied once, and the reporter's phone masked per role.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/client.js';
import type { StreetDataset } from '../../data/generate/types.js';
import { reportSecret, signReportToken } from '../../server/resident/report-tokens.js';
import { REPORT_LIMITS, RateLimited, reportRules, takeReportSlot } from '../../server/resident/report-rate.js';
import { testApp } from '../helpers/app.js';
import { type Session, as, ensureTestUsers, signIn } from '../helpers/auth.js';

type App = Awaited<ReturnType<typeof testApp>>['app'];
let app: App;
let db: Database;
let ds: StreetDataset;
let secret: Buffer;
let myGrid: string;
let building: string;
let otherBuilding: string;
let token: string;
const sessions: Record<string, Session> = {};

interface Tracking {
  id: number;
  status: string;
  canRate: boolean;
  description: string;
  rating: number | null;
  ratingComment: string | null;
  history: { step: string; text: { zh: string; en: string }; note: string | null }[];
}
interface Staff {
  id: number;
  status: string;
  gridCode: string;
  reporterName: string | null;
  reporterPhone: string | null;
  spam: boolean;
}

const ZH_EN = /[\u4e00-\u9fff].* \/ .*[a-z]/;
/** A 1×1 white JPEG, as the report page sends after resizing. */
const JPEG = 'data:image/jpeg;base64,/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=';

beforeAll(async () => {
  const t = await testApp();
  ({ app, db, dataset: ds } = t);
  await ensureTestUsers(db, ds);
  for (const role of ['admin', 'planner', 'grid_worker', 'viewer'] as const) sessions[role] = await signIn(app, role);
  myGrid = ds.plan.grids.find((g) => g.communityCode === ds.communities[0].code)!.code;
  const g = ds.plan.grids.find((x) => x.code === myGrid)!;
  building = g.buildingCodes[0];
  otherBuilding = g.buildingCodes[1];
  secret = await reportSecret(db);
  token = signReportToken(secret, { kind: 'building', code: building });
});

// Every in-process request comes from the same address: each test starts with fresh counters.
beforeEach(async () => {
  await db.query('DELETE FROM report_rate');
});

const report = (tok: string, body: unknown, headers: Record<string, string> = {}) =>
  app.request(`/api/public/report/${tok}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const staffPost = (path: string, who: string, body: unknown, headers: Record<string, string> = {}) =>
  app.request(path, { method: 'POST', headers: as(sessions[who], headers), body: JSON.stringify(body) });
const staffGet = (path: string, who: string) => app.request(path, { headers: as(sessions[who]) });
const track = async (key: string) => (await (await app.request(`/api/public/track/${key}`)).json()) as Tracking;

async function newReport(body: Record<string, unknown> = {}, tok = token) {
  const res = await report(tok, { category: 'repair', description: '三单元楼道灯不亮', ...body });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: number; trackingKey: string; trackingPath: string };
}

/** Waits past the end of the current fixed rate window when less than a minute of it is left. */
async function awayFromWindowEdge(windowS: number) {
  const left = windowS - ((Date.now() / 1000) % windowS);
  if (left < 60) await new Promise((r) => setTimeout(r, (left + 1) * 1000));
}

const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;

describe('signed QR tokens', () => {
  it('opens the place of a genuine token and refuses forged, altered and expired ones', async () => {
    const ok = await app.request(`/api/public/report/${token}`);
    expect(ok.status).toBe(200);
    const place = (await ok.json()) as { place: { kind: string; code: string; buildings: { code: string }[] } };
    expect(place.place).toMatchObject({ kind: 'building', code: building });

    const [payload, sig] = token.split('.');
    const otherSig = signReportToken(randomBytes(32), { kind: 'building', code: building }).split('.')[1];
    const swapped = `${Buffer.from(Buffer.from(payload, 'base64url').toString().replace(building, otherBuilding)).toString('base64url')}.${sig}`;
    const expired = signReportToken(secret, { kind: 'building', code: building }, Date.now() - 10 * 86_400_000, 1);
    for (const [bad, code] of [[`${payload}.${otherSig}`, 'invalid_token'], [swapped, 'invalid_token'], ['not-a-token', 'invalid_token'], [expired, 'token_expired']] as const) {
      for (const res of [await app.request(`/api/public/report/${bad}`), await report(bad, { category: 'repair', description: '三单元楼道灯不亮' })]) {
        expect(res.status).toBe(403);
        const e = await errorOf(res);
        expect(e.code).toBe(code);
        expect(e.message).toMatch(ZH_EN);
      }
    }
    const [{ n }] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM requests WHERE report_subject = $1 AND reported_at > now() - interval '1 minute'`, [`building:${otherBuilding}`]);
    expect(n).toBe(0);
  });

  it('lets a compound token report for one of its buildings, and only those', async () => {
    const [k] = await db.query<{ code: string; inside: string; outside: string }>(
      `SELECT k.code, (SELECT code FROM buildings WHERE compound_id = k.id ORDER BY code LIMIT 1) AS inside,
              (SELECT code FROM buildings WHERE compound_id <> k.id ORDER BY code LIMIT 1) AS outside
       FROM compounds k WHERE EXISTS (SELECT 1 FROM buildings WHERE compound_id = k.id) ORDER BY k.code LIMIT 1`,
    );
    const tok = signReportToken(secret, { kind: 'compound', code: k.code });
    expect((await report(tok, { category: 'repair', description: '小区门禁坏了', building: k.outside })).status).toBe(400);
    const r = await newReport({ building: k.inside }, tok);
    const [row] = await db.query<{ code: string; channel: string }>(`SELECT b.code, r.channel FROM requests r JOIN buildings b ON b.id = r.building_id WHERE r.id = $1`, [r.id]);
    expect(row).toEqual({ code: k.inside, channel: 'resident' });
  });
});

describe('a resident report', () => {
  it('lands in the building’s grid with an unguessable tracking key (only its hash stored)', async () => {
    const r = await newReport({ photo: JPEG, reporterName: '李四', reporterPhone: '13912345678' });
    expect(r.trackingKey).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(r.trackingPath).toBe(`/track?k=${r.trackingKey}`);
    const [row] = await db.query<{ grid: string; channel: string; hash: string; photo: boolean }>(
      `SELECT grid_code AS grid, channel, tracking_hash AS hash, photo IS NOT NULL AS photo FROM requests WHERE id = $1`,
      [r.id],
    );
    expect(row).toMatchObject({ grid: myGrid, channel: 'resident', photo: true });
    expect(row.hash).not.toContain(r.trackingKey);
  });

  it('limits text and photo: short, long, a 10 MB photo, a fake or oversized photo, an unknown category', async () => {
    const cases: [unknown, number][] = [
      [{ category: 'repair', description: 'abc' }, 400],
      [{ category: 'repair', description: '灯'.repeat(501) }, 400],
      [{ category: 'nope', description: '三单元楼道灯不亮' }, 400],
      [{ category: 'repair', description: '三单元楼道灯不亮', photo: 'data:image/gif;base64,R0lGODlhAQABAAAAACw=' }, 400],
      [{ category: 'repair', description: '三单元楼道灯不亮', photo: 'data:image/jpeg;base64,iVBORw0KGgo=' }, 400],
      [{ category: 'repair', description: '三单元楼道灯不亮', photo: `data:image/jpeg;base64,/9j/${'A'.repeat(300 * 1024)}` }, 400],
      [{ category: 'repair', description: '三单元楼道灯不亮', reporterPhone: 'call me' }, 400],
      [{ category: 'repair', description: '三单元楼道灯不亮', extra: 1 }, 400],
    ];
    for (const [body, status] of cases) {
      const res = await report(token, body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(status);
      expect((await errorOf(res)).message).toMatch(ZH_EN);
    }
    const huge = await report(token, { category: 'repair', description: '三单元楼道灯不亮', photo: `data:image/jpeg;base64,/9j/${'A'.repeat(10 * 1024 * 1024)}` });
    expect(huge.status).toBe(413);
    expect((await errorOf(huge)).message).toMatch(ZH_EN);
  });

  it('keeps a script tag as plain text, served as JSON only', async () => {
    const text = '<script>alert("x")</script> 楼道灯不亮';
    const r = await newReport({ description: text });
    const res = await app.request(`/api/public/track/${r.trackingKey}`);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(((await res.json()) as Tracking).description).toBe(text);
  });

  it('rate-limits 50 reports from one address in a minute, and one device below the address limit', async () => {
    await awayFromWindowEdge(REPORT_LIMITS.address.windowS);
    const body = { category: 'repair', description: '限流测试：楼道灯不亮' };
    // 50 reports in a few seconds, ten at a time (all at once would only measure the connection pool).
    const answers: Response[] = [];
    for (let i = 0; i < 50; i += 10) {
      answers.push(...(await Promise.all(Array.from({ length: 10 }, (_, j) => report(token, body, { 'x-device-id': `device-${i + j}-abcdef` })))));
    }
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(REPORT_LIMITS.address.limit);
    expect(statuses.filter((s) => s === 429)).toHaveLength(50 - REPORT_LIMITS.address.limit);
    const refused = answers.find((a) => a.status === 429)!;
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await errorOf(refused)).message).toMatch(ZH_EN);

    await db.query('DELETE FROM report_rate');
    await awayFromWindowEdge(REPORT_LIMITS.device.windowS);
    const device = { 'x-device-id': `phone-${randomUUID()}` };
    const one = [];
    for (let i = 0; i < REPORT_LIMITS.device.limit + 1; i++) one.push((await report(token, body, device)).status);
    expect(one).toEqual([...Array<number>(REPORT_LIMITS.device.limit).fill(201), 429]);

    // A building's own budget, whatever the address and device (counted in PostgreSQL).
    await db.query('DELETE FROM report_rate');
    await awayFromWindowEdge(REPORT_LIMITS.subject.windowS);
    const subject = `building:${otherBuilding}`;
    for (let i = 0; i < REPORT_LIMITS.subject.limit; i++) await takeReportSlot(db, reportRules({ address: `10.0.0.${i}`, device: null, subject }));
    await expect(takeReportSlot(db, reportRules({ address: '10.0.1.1', device: null, subject }))).rejects.toBeInstanceOf(RateLimited);

    // A few addresses cannot use up a building's budget and shut its residents out: each address
    // has its own share of it, which outlasts the address's own 10-minute window.
    await db.query('DELETE FROM report_rate');
    const flooders = Array.from({ length: 6 }, (_, i) => `198.51.100.${i + 1}`);
    for (const address of flooders) {
      for (let i = 0; i < REPORT_LIMITS.subjectPerAddress.limit; i++) await takeReportSlot(db, reportRules({ address, device: null, subject }));
    }
    // Ten minutes on: the addresses' own windows are over, their share of the building's is not.
    await db.query(`DELETE FROM report_rate WHERE key LIKE 'address:%'`);
    for (const address of flooders) {
      await expect(takeReportSlot(db, reportRules({ address, device: null, subject }))).rejects.toBeInstanceOf(RateLimited);
    }
    const [{ hits }] = await db.query<{ hits: number }>(`SELECT sum(hits)::int AS hits FROM report_rate WHERE key = $1`, [`subject:${subject}`]);
    expect(hits).toBe(flooders.length * REPORT_LIMITS.subjectPerAddress.limit);
    expect(hits).toBeLessThan(REPORT_LIMITS.subject.limit);
    await expect(takeReportSlot(db, reportRules({ address: '203.0.113.9', device: null, subject }))).resolves.toBeUndefined();
  });
});

describe('through the cycle', () => {
  it('tracks the history in plain words, rates only through the link, marks spam in the audit log', async () => {
    const r = await newReport({ reporterName: '王五', reporterPhone: '13800005678' });
    expect((await track(r.trackingKey)).history.map((h) => h.step)).toEqual(['report']);

    // Staff dispatch, the grid worker accepts and resolves.
    expect((await staffPost(`/api/requests/${r.id}/transition`, 'planner', { to: 'dispatched', assignee: { kind: 'grid_worker', code: myGrid } })).status).toBe(200);
    expect((await staffPost(`/api/requests/${r.id}/transition`, 'grid_worker', { to: 'accepted' })).status).toBe(200);
    const early = await app.request(`/api/public/track/${r.trackingKey}/rate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rating: 5 }) });
    expect(early.status).toBe(409);
    expect((await staffPost(`/api/requests/${r.id}/transition`, 'grid_worker', { to: 'resolved', note: '已更换灯泡，联系电话 13800005678', photo: JPEG })).status).toBe(200);
    expect((await staffGet(`/api/requests/${r.id}/resolve-photo`, 'planner')).headers.get('content-type')).toBe('image/jpeg');

    const t = await track(r.trackingKey);
    expect(t).toMatchObject({ id: r.id, status: 'resolved', canRate: true });
    expect(t.history.map((h) => h.step)).toEqual(['report', 'dispatch', 'accept', 'resolve']);
    expect(t.history.map((h) => h.text.zh)).toEqual(['已收到您的反映', '已交给本网格网格员处理', '处理人已接单，正在处理', '已办结']);
    expect(t.history[3].note).toBe('已更换灯泡，联系电话 138****5678');
    const raw = JSON.stringify(t);
    for (const secretish of ['t_planner', 't_grid_worker', '王五', '13800005678']) expect(raw).not.toContain(secretish);

    // Staff may not rate a resident's request; the resident rates through the link, once.
    for (const who of ['planner', 'admin']) {
      const res = await staffPost(`/api/requests/${r.id}/transition`, who, { to: 'rated', rating: 5 });
      expect(res.status).toBe(403);
      expect((await errorOf(res)).code).toBe('resident_rates');
    }
    const rate = (body: unknown) => app.request(`/api/public/track/${r.trackingKey}/rate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await rate({ rating: 6 })).status).toBe(400);
    expect((await rate({ rating: 4, comment: 'x'.repeat(301) })).status).toBe(400);
    const rated = await rate({ rating: 4, comment: '修得很快，谢谢' });
    expect(rated.status).toBe(200);
    expect(await rated.json()).toMatchObject({ status: 'rated', rating: 4, ratingComment: '修得很快，谢谢', canRate: false });
    expect((await rate({ rating: 1 })).status).toBe(409);
    const [ev] = await db.query<{ actor: string }>(`SELECT actor FROM request_events WHERE request_id = $1 AND step = 'rate'`, [r.id]);
    expect(ev.actor).toBe('resident');

    // Another request's key, a made-up key and a malformed one.
    const other = await newReport({ description: '另一条反映：垃圾未清运' });
    expect((await track(other.trackingKey)).id).toBe(other.id);
    expect((await app.request(`/api/public/track/${randomBytes(24).toString('base64url')}`)).status).toBe(404);
    expect((await app.request('/api/public/track/short')).status).toBe(400);

    // Spam: dispatchers only, audited, closes an untouched report and stops rating.
    expect((await staffPost(`/api/requests/${other.id}/spam`, 'grid_worker', { spam: true })).status).toBe(403);
    expect((await staffPost(`/api/requests/${other.id}/spam`, 'viewer', { spam: true })).status).toBe(403);
    const spam = await staffPost(`/api/requests/${other.id}/spam`, 'planner', { spam: true, note: '重复广告' });
    expect(spam.status).toBe(200);
    expect(await spam.json()).toMatchObject({ spam: true, status: 'closed' });
    const [a] = await db.query<{ actor: string; detail: { spam: boolean; note: string } }>(
      `SELECT actor, detail FROM audit_log WHERE action = 'request_spam' AND target_id = $1`,
      [String(other.id)],
    );
    expect(a).toMatchObject({ actor: 't_planner', detail: { spam: true, note: '重复广告' } });
    expect(await track(other.trackingKey)).toMatchObject({ status: 'closed', canRate: false });
    const staffMade = (await (await staffPost('/api/requests', 'planner', { category: 'repair', description: '巡查发现', channel: 'grid_worker', building })).json()) as Staff;
    expect((await staffPost(`/api/requests/${staffMade.id}/spam`, 'planner', { spam: true })).status).toBe(400);
  });

  it('masks the reporter’s phone per role', async () => {
    const r = await newReport({ reporterName: '赵六', reporterPhone: '13700001111' });
    const seen = async (who: string) => (await (await staffGet(`/api/requests/${r.id}/history`, who)).json()) as Staff;
    expect(await seen('admin')).toMatchObject({ reporterName: '赵六', reporterPhone: '13700001111' });
    expect(await seen('planner')).toMatchObject({ reporterName: '赵六', reporterPhone: '13700001111' });
    expect(await seen('grid_worker')).toMatchObject({ reporterName: '赵六', reporterPhone: '13700001111' });
    expect(await seen('viewer')).toMatchObject({ reporterName: '赵*', reporterPhone: '137****1111' });
    const list = (await (await staffGet(`/api/requests?grid=${myGrid}&limit=500`, 'viewer')).json()) as { items: Staff[] };
    expect(list.items.find((x) => x.id === r.id)?.reporterPhone).toBe('137****1111');
  });
});

describe('idempotent writes', () => {
  it('applies a retried transition and a retried report once, replaying the stored answer', async () => {
    const r = await newReport();
    expect((await staffPost(`/api/requests/${r.id}/transition`, 'planner', { to: 'dispatched', assignee: { kind: 'grid_worker', code: myGrid } })).status).toBe(200);
    const key = { 'idempotency-key': randomUUID() };
    const first = await staffPost(`/api/requests/${r.id}/transition`, 'grid_worker', { to: 'accepted' }, key);
    const again = await Promise.all([1, 2, 3].map(() => staffPost(`/api/requests/${r.id}/transition`, 'grid_worker', { to: 'accepted' }, key)));
    expect(first.status).toBe(200);
    for (const a of again) {
      expect(a.status).toBe(200);
      expect(a.headers.get('idempotent-replayed')).toBe('true');
    }
    const [{ n }] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM request_events WHERE request_id = $1 AND step = 'accept'`, [r.id]);
    expect(n).toBe(1);
    // The same key for another body, and a malformed key.
    expect((await staffPost(`/api/requests/${r.id}/transition`, 'grid_worker', { to: 'resolved', note: '好了' }, key)).status).toBe(422);
    expect((await staffPost(`/api/requests/${r.id}/transition`, 'grid_worker', { to: 'resolved', note: '好了' }, { 'idempotency-key': 'short' })).status).toBe(400);

    const rk = { 'idempotency-key': randomUUID() };
    const body = { category: 'repair', description: '幂等测试：电梯异响' };
    const sent = await Promise.all([report(token, body, rk), report(token, body, rk)].map(async (p) => (await p).status));
    const replay = await report(token, body, rk);
    expect(sent.filter((s) => s === 201).length + sent.filter((s) => s === 409).length).toBe(2);
    expect(replay.status).toBe(201);
    const [{ m }] = await db.query<{ m: number }>(`SELECT count(*)::int AS m FROM requests WHERE description = $1`, [body.description]);
    expect(m).toBe(1);
  });
});

describe('printing and the grid worker’s lists', () => {
  it('gives dispatchers a token per building and compound of their community, and refuses others', async () => {
    const res = await staffGet(`/api/report-links?community=${ds.communities[0].code}`, 'planner');
    expect(res.status).toBe(200);
    const links = (await res.json()) as { buildings: { code: string; path: string }[]; compounds: { path: string }[] };
    const mine = links.buildings.find((b) => b.code === building)!;
    expect((await app.request(`/api/public/${mine.path.replace('/report?t=', 'report/')}`)).status).toBe(200);
    expect(links.compounds.length).toBeGreaterThan(0);
    expect((await staffGet(`/api/report-links?community=${ds.communities[1].code}`, 'planner')).status).toBe(403);
    expect((await staffGet(`/api/report-links?community=${ds.communities[0].code}`, 'grid_worker')).status).toBe(403);
    expect((await app.request(`/api/report-links?community=${ds.communities[0].code}`)).status).toBe(401);
  });

  it('lists the grid worker’s buildings and walks them to one', async () => {
    const res = await staffGet('/api/worker/buildings', 'grid_worker');
    const { buildings } = (await res.json()) as { buildings: { code: string; gridCode: string; lon: number; lat: number }[] };
    const g = ds.plan.grids.find((x) => x.code === myGrid)!;
    expect(buildings.map((b) => b.code).sort()).toEqual([...g.buildingCodes].sort());
    const from = buildings[buildings.length - 1];
    const route = await staffGet(`/api/worker/route?lng=${from.lon}&lat=${from.lat}&building=${building}`, 'grid_worker');
    expect(route.status).toBe(200);
    const r = (await route.json()) as { distanceM: number; minutes: number; route: { coordinates: number[][] } };
    expect(r.route.coordinates.length).toBeGreaterThan(1);
    expect(r.minutes).toBeGreaterThanOrEqual(0);
    expect((await staffGet(`/api/worker/route?lng=x&lat=1&building=${building}`, 'grid_worker')).status).toBe(400);
  });
});
