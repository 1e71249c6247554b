/**
 * Resident requests (issue #9) on real PostGIS: assignment to grids by location, the lifecycle
 * through the API with role and scope checks, the wall-screen figures against a hand-checked set,
 * public responses free of personal data, and the demo-year seeding.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/client.js';
import { PUBLISHED_PLAN_SQL } from '../../server/repos/sql-params.js';
import { locate } from '../../server/repos/requests.repo.js';
import { monthStartCst } from '../../server/repos/requests-stats.repo.js';
import { seedDemoRequests } from '../../data/seed-requests.js';
import type { StreetDataset } from '../../data/generate/types.js';
import { PERSONAL_KEYS, PHONE_PATTERN, testApp } from '../helpers/app.js';
import { type Session, as, ensureTestUsers, signIn } from '../helpers/auth.js';

type App = Awaited<ReturnType<typeof testApp>>['app'];
let app: App;
let db: Database;
let ds: StreetDataset;
let myGrid: string;
let otherGrid: string;
const sessions: Record<string, Session> = {};

interface Req {
  id: number;
  gridCode: string | null;
  communityCode: string | null;
  status: string;
  level: string;
  rating: number | null;
  reporterName: string | null;
  reporterPhone: string | null;
  events?: { step: string; actor: string; at: string }[];
}

/** A point inside a grid of the published plan. */
async function inside(grid: string): Promise<{ lon: number; lat: number }> {
  const [p] = await db.query<{ lon: number; lat: number }>(
    `SELECT ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM grids WHERE code = $1 AND plan_id = ${PUBLISHED_PLAN_SQL}`,
    [grid],
  );
  return p;
}

beforeAll(async () => {
  const t = await testApp();
  ({ app, db, dataset: ds } = t);
  await ensureTestUsers(db, ds);
  for (const role of ['admin', 'planner', 'grid_worker', 'viewer'] as const) sessions[role] = await signIn(app, role);
  myGrid = ds.plan.grids.find((g) => g.communityCode === ds.communities[0].code)!.code;
  otherGrid = ds.plan.grids.find((g) => g.communityCode === ds.communities[1].code)!.code;
});

const post = (path: string, who: keyof typeof sessions, body: unknown) =>
  app.request(path, { method: 'POST', headers: as(sessions[who]), body: JSON.stringify(body) });
const get = (path: string, who?: keyof typeof sessions) => app.request(path, { headers: who ? as(sessions[who]) : {} });
const step = async (id: number, who: keyof typeof sessions, body: unknown) => post(`/api/requests/${id}/transition`, who, body);

describe('assignment to grids by location (published plan)', () => {
  it('puts a point inside a grid in that grid and its community', async () => {
    const p = await inside(myGrid);
    const loc = await locate(db, p);
    expect(loc).toMatchObject({ gridCode: myGrid, communityCode: ds.communities[0].code });
  });

  it('puts a point on a boundary shared by grids in the grid whose code sorts first', async () => {
    const [v] = await db.query<{ lon: number; lat: number; codes: string[] }>(
      `WITH pts AS (SELECT (ST_DumpPoints(geom)).geom AS pt FROM grids WHERE plan_id = ${PUBLISHED_PLAN_SQL} AND code = $1)
       SELECT ST_X(p.pt) AS lon, ST_Y(p.pt) AS lat, array_agg(g.code ORDER BY g.code) AS codes
       FROM pts p JOIN grids g ON g.plan_id = ${PUBLISHED_PLAN_SQL} AND ST_Intersects(g.geom, p.pt)
       GROUP BY p.pt HAVING count(*) >= 2 LIMIT 1`,
      [myGrid],
    );
    expect(v, 'a vertex shared with a neighbouring grid').toBeDefined();
    expect(v.codes.length).toBeGreaterThanOrEqual(2);
    const loc = await locate(db, { lon: v.lon, lat: v.lat });
    expect(loc?.gridCode).toBe(v.codes[0]);
    const owner = ds.plan.grids.find((g) => g.code === v.codes[0])!;
    expect(loc?.communityCode).toBe(owner.communityCode);
    // Same answer every time (deterministic).
    expect((await locate(db, { lon: v.lon, lat: v.lat }))?.gridCode).toBe(v.codes[0]);
  });

  it('leaves a point outside every grid and community unassigned, visible only street-wide', async () => {
    expect(await locate(db, { lon: 100, lat: 30 })).toMatchObject({ gridCode: null, communityCode: null, communityId: null });
    const res = await post('/api/requests', 'admin', { category: 'other', description: '街道外的测试点', channel: 'hotline_12345', lon: 100, lat: 30 });
    expect(res.status).toBe(201);
    const r = (await res.json()) as Req;
    expect(r).toMatchObject({ gridCode: null, communityCode: null, status: 'reported' });
    expect((await get(`/api/requests/${r.id}/history`, 'planner')).status).toBe(404);
    expect((await get(`/api/requests/${r.id}/history`, 'admin')).status).toBe(200);
  });

  it('takes the grid of a named building', async () => {
    const g = ds.plan.grids.find((x) => x.code === myGrid)!;
    const res = await post('/api/requests', 'planner', { category: 'repair', description: '楼道灯不亮', channel: 'resident', building: g.buildingCodes[0] });
    expect(res.status).toBe(201);
    expect(((await res.json()) as Req).gridCode).toBe(myGrid);
    const bad = await post('/api/requests', 'planner', { category: 'repair', description: '楼道灯不亮', channel: 'resident', building: 'NO-SUCH' });
    expect(bad.status).toBe(404);
  });
});

describe('lifecycle through the API', () => {
  it('runs claim → accept → resolve → rate → close → reopen with timestamps and actors, refusing illegal steps', async () => {
    const p = await inside(myGrid);
    const created = await post('/api/requests', 'grid_worker', {
      category: 'sanitation', description: '垃圾桶满溢', channel: 'grid_worker', ...p, reporterName: '王小明', reporterPhone: '13800001234',
    });
    expect(created.status).toBe(201);
    const r = (await created.json()) as Req;
    expect(r).toMatchObject({ gridCode: myGrid, status: 'reported', reporterName: '王小明' });

    const illegal = await step(r.id, 'grid_worker', { to: 'resolved', note: '已处理' });
    expect(illegal.status).toBe(409);
    const msg = ((await illegal.json()) as { error: { code: string; message: string } }).error;
    expect(msg.code).toBe('illegal_transition');
    expect(msg.message).toMatch(/[\u4e00-\u9fff].* \/ .*[a-z]/);

    expect((await step(r.id, 'grid_worker', { to: 'dispatched', assignee: { kind: 'grid_worker', code: myGrid } })).status).toBe(200);
    expect((await step(r.id, 'grid_worker', { to: 'accepted' })).status).toBe(200);
    const noNote = await step(r.id, 'grid_worker', { to: 'resolved' });
    expect(noNote.status).toBe(400);
    expect((await step(r.id, 'grid_worker', { to: 'resolved', note: '已清运' })).status).toBe(200);
    expect((await step(r.id, 'grid_worker', { to: 'rated', rating: 5 })).status).toBe(403);
    expect((await step(r.id, 'planner', { to: 'rated', rating: 7 })).status).toBe(400);
    expect((await step(r.id, 'planner', { to: 'rated', rating: 5 })).status).toBe(200);
    const closed = await step(r.id, 'planner', { to: 'closed' });
    expect(closed.status).toBe(200);
    expect(((await closed.json()) as Req).status).toBe('closed');
    expect((await step(r.id, 'planner', { to: 'accepted' })).status).toBe(409);
    const reopened = await step(r.id, 'planner', { to: 'dispatched', note: '居民反映又满了' });
    expect(reopened.status).toBe(200);
    const after = (await reopened.json()) as Req;
    expect(after).toMatchObject({ status: 'dispatched', rating: null, level: 'grid' });
    expect(after.events!.map((e) => e.step)).toEqual(['report', 'claim', 'accept', 'resolve', 'rate', 'close', 'reopen']);
    expect(after.events!.map((e) => e.actor)).toEqual(['t_grid_worker', 't_grid_worker', 't_grid_worker', 't_grid_worker', 't_planner', 't_planner', 't_planner']);
    for (const e of after.events!) expect(Number.isNaN(Date.parse(e.at))).toBe(false);

    // Escalation to a street department leaves the grid level for good.
    expect((await step(r.id, 'grid_worker', { to: 'accepted' })).status).toBe(200);
    const up = await step(r.id, 'grid_worker', { to: 'dispatched', note: '需街道城管协调', assignee: { kind: 'department', code: 'street_urban' } });
    expect(up.status).toBe(200);
    expect(((await up.json()) as Req).level).toBe('street');
    expect((await step(r.id, 'planner', { to: 'dispatched', assignee: { kind: 'department', code: 'no_such' } })).status).toBe(400);
  });

  it('keeps grid workers to their own grids and communities to their own', async () => {
    const p = await inside(otherGrid);
    const res = await post('/api/requests', 'admin', { category: 'noise', description: '夜间施工噪音', channel: 'hotline_12345', ...p });
    const r = (await res.json()) as Req;
    expect(r.gridCode).toBe(otherGrid);
    const w = await step(r.id, 'grid_worker', { to: 'dispatched', assignee: { kind: 'grid_worker', code: otherGrid } });
    expect(w.status).toBe(403);
    expect(((await w.json()) as { error: { code: string } }).error.code).toBe('out_of_scope');
    expect((await step(r.id, 'planner', { to: 'dispatched', assignee: { kind: 'grid_worker', code: otherGrid } })).status).toBe(403);
    expect((await step(r.id, 'viewer', { to: 'dispatched', assignee: { kind: 'grid_worker', code: otherGrid } })).status).toBe(403);
    // A dispatch to a grid worker must name the request's own grid.
    expect((await step(r.id, 'admin', { to: 'dispatched', assignee: { kind: 'grid_worker', code: myGrid } })).status).toBe(400);
    expect((await step(r.id, 'admin', { to: 'dispatched', assignee: { kind: 'grid_worker', code: otherGrid } })).status).toBe(200);

    const mine = (await (await get('/api/requests?limit=500', 'grid_worker')).json()) as { items: Req[] };
    expect(mine.items.length).toBeGreaterThan(0);
    expect(mine.items.every((x) => x.gridCode === myGrid)).toBe(true);
    expect((await get(`/api/requests/${r.id}/history`, 'grid_worker')).status).toBe(404);
    const all = (await (await get(`/api/requests?grid=${otherGrid}`, 'admin')).json()) as { total: number };
    expect(all.total).toBeGreaterThan(0);
  });

  it('validates input with zh/en messages and shows reporter contacts masked to viewers', async () => {
    for (const body of [
      { category: 'nope', description: 'x1', channel: 'resident', lon: 121, lat: 37 },
      { category: 'repair', description: '无位置', channel: 'resident' },
      { category: 'repair', description: '坏渠道', channel: 'fax', lon: 121, lat: 37 },
      { category: 'repair', description: '坏照片', channel: 'resident', lon: 121, lat: 37, photo: 'data:image/gif;base64,AAAA' },
    ]) {
      const res = await post('/api/requests', 'planner', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toContain(' / ');
    }
    expect((await get('/api/requests?status=bogus', 'admin')).status).toBe(400);
    const list = (await (await get(`/api/requests?grid=${myGrid}&limit=500`, 'viewer')).json()) as { items: Req[] };
    const withReporter = list.items.find((x) => x.reporterName !== null)!;
    expect(withReporter.reporterName).toBe('王*明');
    expect(withReporter.reporterPhone).toBe('138****1234');
  });

  it('stores a small photo for staff only', async () => {
    // A whole 1×1 white PNG (signature, IHDR, IDAT, IEND): photos are read to their end (resident/photo.ts).
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f8ffffff7f0009fb03fd2a86e38a0000000049454e44ae426082', 'hex');
    const res = await post('/api/requests', 'planner', {
      category: 'repair', description: '带照片', channel: 'property', ...(await inside(myGrid)), photo: `data:image/png;base64,${png.toString('base64')}`,
    });
    const r = (await res.json()) as Req & { hasPhoto: boolean };
    expect(r.hasPhoto).toBe(true);
    const photo = await get(`/api/requests/${r.id}/photo`, 'planner');
    expect(photo.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await photo.arrayBuffer()).equals(png)).toBe(true);
    expect((await get(`/api/requests/${r.id}/photo`)).status).toBe(401);
  });
});

describe('wall-screen figures', () => {
  it('match a hand-checked set of seven requests', async () => {
    const grid = ds.plan.grids.filter((g) => g.communityCode === ds.communities[2].code)[1];
    const { lon, lat } = await inside(grid.code);
    const now = Date.now();
    const M = monthStartCst(now).getTime();
    const inMonth = M + Math.floor((now - M) / 2);
    const lastMonth = M - 2 * 86_400_000;
    const H = 3_600_000;
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    // [name, status, level, reported, due, resolved, rating]
    const set: [string, string, string, number, number, number | null, number | null][] = [
      ['A closed on time, 5', 'closed', 'grid', lastMonth - 5 * 24 * H, lastMonth, lastMonth - H, 5],
      ['B rated late at community level, 3', 'rated', 'community', lastMonth, lastMonth + H, inMonth, 3],
      ['C resolved this month on time', 'resolved', 'grid', inMonth, inMonth + 72 * H, inMonth + 1000, null],
      ['D accepted and overdue', 'accepted', 'grid', inMonth + 1000, inMonth + 2000, null, null],
      ['E just reported', 'reported', 'grid', inMonth + 2000, now + 24 * H, null, null],
      ['F cancelled', 'closed', 'grid', lastMonth, lastMonth + 24 * H, null, null],
      ['G rated 4 on time', 'rated', 'grid', lastMonth - 3 * 24 * H, lastMonth, lastMonth - 2 * H, 4],
    ];
    const ids: number[] = [];
    for (const [name, status, level, reported, due, resolved, rating] of set) {
      const [row] = await db.query<{ id: number }>(
        `INSERT INTO requests (category, description, channel, geom, community_id, grid_code, status, level, rating,
           reporter_name, reporter_phone, reported_by, reported_at, due_at, resolved_at)
         SELECT 'repair', $1, 'resident', ST_SetSRID(ST_MakePoint($2, $3), 4326), g.community_id, g.code, $4, $5, $6,
           '李四', '13912345678', 'test', $7, $8, $9
         FROM grids g WHERE g.code = $10 AND g.plan_id = ${PUBLISHED_PLAN_SQL} RETURNING id`,
        [name, lon, lat, status, level, rating, iso(reported), iso(due), iso(resolved), grid.code],
      );
      ids.push(row.id);
    }
    const res = await get(`/api/requests/stats?grid=${grid.code}`);
    expect(res.status).toBe(200);
    const s = (await res.json()) as Record<string, unknown> & { latest: { id: number }[]; satisfaction: unknown };
    expect(s).toMatchObject({
      total: 7,
      open: 2, // D, E
      overdue: 1, // D
      reportedThisMonth: 3, // C, D, E
      resolvedThisMonth: 2, // B, C
      resolved: 4, // A, B, C, G
      cancelled: 1, // F
      resolutionRate: 0.667, // 4 / (7 − 1)
      withinGridShare: 0.75, // A, C, G of 4
      onTimeRate: 0.75, // A, C, G of 4 (B late)
      satisfaction: { rated: 3, average: 4, satisfiedShare: 0.667 }, // 5, 3, 4
    });
    expect(s.latest.slice(0, 3).map((l) => l.id)).toEqual([ids[4], ids[3], ids[2]]);
    const text = JSON.stringify(s);
    for (const k of PERSONAL_KEYS) expect(text).not.toContain(`"${k}"`);
    expect(text).not.toMatch(PHONE_PATTERN);
    expect(text).not.toContain('李四');
    expect(text).not.toContain('hand-checked');
    expect(text).not.toContain('closed on time'); // descriptions stay out of public responses
  });

  it('serves public layer and heat without personal data, filtered by status and period', async () => {
    for (const path of ['/api/requests/layer?status=reported,dispatched,accepted', '/api/requests/heat?from=2020-01-01', '/api/requests/stats', '/api/requests/categories']) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      const text = await res.text();
      for (const k of [...PERSONAL_KEYS, 'reporterName', 'reporterPhone', 'description', 'assignee']) expect(text, path).not.toContain(`"${k}"`);
      expect(text, path).not.toMatch(PHONE_PATTERN);
    }
    const layer = (await (await get('/api/requests/layer?status=accepted')).json()) as { features: { properties: { status: string } }[] };
    expect(layer.features.length).toBeGreaterThan(0);
    expect(layer.features.every((f) => f.properties.status === 'accepted')).toBe(true);
    const heat = (await (await get('/api/requests/heat')).json()) as { features: { properties: { count: number } }[] };
    const [{ n }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM requests');
    expect(heat.features.reduce((a, f) => a + f.properties.count, 0)).toBe(n);
    expect((await get('/api/requests/layer?from=yesterday')).status).toBe(400);
  });
});

describe('demo year', () => {
  it('seeds a few thousand requests in the published grids (rolled back afterwards)', async () => {
    const rollback = new Error('rollback');
    let figures: { n: number; grids: number; inGrid: number; events: number } | undefined;
    await db
      .transaction(async (tx) => {
        const count = await seedDemoRequests(tx, { seed: 1, endMs: Date.now() });
        [figures] = await tx.query<{ n: number; grids: number; inGrid: number; events: number }>(
          `SELECT count(*)::int AS n, count(DISTINCT grid_code)::int AS grids,
             count(*) FILTER (WHERE level = 'grid')::int AS "inGrid",
             (SELECT count(*)::int FROM request_events) AS events
           FROM requests WHERE reported_by LIKE 'demo-%'`,
        );
        expect(figures!.n).toBe(count);
        throw rollback;
      })
      .catch((e: unknown) => {
        if (e !== rollback) throw e;
      });
    expect(figures!.n).toBeGreaterThan(2500);
    expect(figures!.grids).toBeGreaterThan(70);
    expect(figures!.inGrid / figures!.n).toBeGreaterThan(0.8);
    expect(figures!.events).toBeGreaterThan(figures!.n * 4);
    const [{ left }] = await db.query<{ left: number }>(`SELECT count(*)::int AS left FROM requests WHERE reported_by LIKE 'demo-%'`);
    expect(left).toBe(0);
  });
});
