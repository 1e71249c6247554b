/**
 * Issue #15.3: `GET /api/setup/status` and `POST /api/setup/rosters` on the demo street (every step
 * done) and on an empty database (every step missing), checked against SQL; the generated rosters
 * are deterministic per building, fill only buildings without households unless `replace=1`,
 * keep the buildings' totals equal to their household rows, and are street-wide work.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildingRoster, dwellingLayout } from '../../data/generate/rosters.js';
import { type Session, as, signIn } from '../helpers/auth.js';
import { isolatedApp } from '../helpers/isolated-db.js';

type Ctx = Awaited<ReturnType<typeof isolatedApp>>;
interface Step { key: string; state: string; counts: Record<string, number>; problems: Array<{ code: string; severity: string; count: number; zh: string; en: string }> }
interface Status { street: { code: string; name: string } | null; steps: Step[]; next: string | null }

const stepOf = (s: Status, key: string) => s.steps.find((x) => x.key === key)!;

describe('roster generator (pure)', () => {
  it('houses one household, blocks of flats by footprint and floors, nothing in sheds or shops', () => {
    expect(dwellingLayout({ code: 'a', use: 'residential', floors: 2, areaM2: 110 })).toEqual({ units: 1, floors: 1, perFloor: 1 });
    expect(dwellingLayout({ code: 'a', use: 'residential', floors: 6, areaM2: 680 })).toEqual({ units: 3, floors: 6, perFloor: 2 });
    expect(dwellingLayout({ code: 'a', use: 'residential', floors: 1, areaM2: 12 })).toBeNull();
    expect(dwellingLayout({ code: 'a', use: 'commercial', floors: 4, areaM2: 900 })).toBeNull();
    const a = buildingRoster({ code: 'osm-way-1', use: 'residential', floors: 6, areaM2: 680 });
    expect(a.households).toBe(36);
    expect(buildingRoster({ code: 'osm-way-1', use: 'residential', floors: 6, areaM2: 680 })).toEqual(a);
    expect(buildingRoster({ code: 'osm-way-2', use: 'residential', floors: 6, areaM2: 680 }).records.map((h) => h.headName)).not.toEqual(a.records.map((h) => h.headName));
    expect(a.residents).toBe(a.records.reduce((s, h) => s + h.size, 0));
  });
});

describe('set-up status and rosters on the demo street', () => {
  let ctx: Ctx;
  let admin: Session;
  let planner: Session;
  beforeAll(async () => {
    ctx = await isolatedApp('setup_demo');
    admin = await signIn(ctx.app, 'admin');
    planner = await signIn(ctx.app, 'planner');
  });
  afterAll(async () => ctx?.close());

  const status = async (s: Session | null, query = '') => ctx.app.request(`/api/setup/status${query}`, { headers: as(s) });

  it('every step done, figures equal to SQL; anonymous 401, unknown street 404, bad code 400', async () => {
    const res = await status(admin);
    expect(res.status).toBe(200);
    const s = (await res.json()) as Status;
    expect(s.street?.code).toBe(ctx.dataset.street.code);
    expect(s.steps.map((x) => x.key)).toEqual(['boundaries', 'buildings', 'households', 'facilities', 'walk', 'partition', 'publish']);
    const [sql] = await ctx.db.query<{ b: number; h: number; c: number; f: number }>(`SELECT (SELECT count(*)::int FROM buildings) AS b,
      (SELECT sum(households)::int FROM buildings) AS h, (SELECT count(*)::int FROM communities) AS c,
      (SELECT count(*)::int FROM facilities WHERE community_id IS NOT NULL) AS f`);
    expect(stepOf(s, 'boundaries').counts.communities).toBe(sql.c);
    expect(stepOf(s, 'buildings').counts.buildings).toBe(sql.b);
    expect(stepOf(s, 'households').counts.households).toBe(sql.h);
    expect(stepOf(s, 'facilities').counts.facilities).toBe(sql.f);
    for (const key of ['boundaries', 'buildings', 'facilities', 'walk', 'publish']) expect(stepOf(s, key).state, key).toBe('done');
    expect(stepOf(s, 'publish').counts.unassigned).toBe(0);
    expect((await status(null)).status).toBe(401);
    expect((await status(admin, '?street=999999999')).status).toBe(404);
    expect((await status(admin, '?street=12')).status).toBe(400);
    expect((await status(await signIn(ctx.app, 'viewer'))).status).toBe(403);
  });

  it('rosters fill buildings without households only, deterministic; replace=1 regenerates; community planner refused', async () => {
    const street = ctx.dataset.street.code;
    const post = (s: Session, q: string) => ctx.app.request(`/api/setup/rosters?street=${street}${q}`, { method: 'POST', headers: as(s) });
    expect((await post(planner, '')).status).toBe(403);
    const noCsrf = await ctx.app.request(`/api/setup/rosters?street=${street}`, { method: 'POST', headers: { cookie: admin.cookie } });
    expect(noCsrf.status).toBe(403);
    // Take the households of three residential buildings away: those (and only those) get rosters.
    const emptied = await ctx.db.query<{ id: number; code: string }>(`SELECT id, code FROM buildings WHERE use = 'residential' AND households > 0 ORDER BY code LIMIT 3`);
    const ids = emptied.map((b) => b.id);
    await ctx.db.query('DELETE FROM households WHERE building_id = ANY ($1::int[])', [ids]);
    await ctx.db.query('UPDATE buildings SET households = 0, residents = 0 WHERE id = ANY ($1::int[])', [ids]);
    const before = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM households WHERE NOT (building_id = ANY ($1::int[]))', [ids]);
    const [without] = await ctx.db.query<{ n: number; r: number }>(`SELECT count(*)::int AS n, (count(*) FILTER (WHERE use = 'residential'))::int AS r
      FROM buildings b WHERE households = 0 AND NOT EXISTS (SELECT 1 FROM households h WHERE h.building_id = b.id)`);
    expect(without.r).toBe(3);
    const res = await post(admin, '');
    expect(res.status).toBe(200);
    const sum = (await res.json()) as { buildings: number; withHouseholds: number; households: number; residents: number; kept: number };
    // Schools, offices … have no households and get none; the three emptied blocks get theirs back.
    expect(sum.buildings).toBe(without.n);
    expect(sum.withHouseholds).toBe(3);
    const after = await ctx.db.query<{ id: number; households: number; residents: number; rows: number; size: number; pm: number; bpm: number }>(`
      SELECT b.id, b.households, b.residents, count(h.id)::int AS rows, coalesce(sum(h.size), 0)::int AS size,
        coalesce(sum(h.party_members), 0)::int AS pm, b.party_members AS bpm
      FROM buildings b LEFT JOIN households h ON h.building_id = b.id WHERE b.id = ANY ($1::int[]) GROUP BY b.id ORDER BY b.id`, [ids]);
    expect(after.reduce((s, b) => s + b.rows, 0)).toBe(sum.households);
    for (const b of after) {
      expect(b.rows).toBe(b.households);
      expect(b.size).toBe(b.residents);
      expect(b.pm).toBe(b.bpm);
    }
    expect((await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM households WHERE NOT (building_id = ANY ($1::int[]))', [ids]))[0].n).toBe(before[0].n);
    const names = await ctx.db.query<{ head_name: string }>('SELECT head_name FROM households WHERE building_id = $1 ORDER BY unit, room', [ids[0]]);
    // Again with replace: the same buildings get the same households (deterministic per code).
    const again = await post(admin, '&replace=1');
    expect(again.status).toBe(200);
    expect(((await again.json()) as { kept: number }).kept).toBe(0);
    expect(await ctx.db.query('SELECT head_name FROM households WHERE building_id = $1 ORDER BY unit, room', [ids[0]])).toEqual(names);
    const [audit] = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'setup_rosters' AND target_id = $1`, [street]);
    expect(audit.n).toBe(2);
  });
});

describe('set-up status on an empty database', () => {
  let ctx: Ctx;
  beforeAll(async () => {
    ctx = await isolatedApp('setup_empty', { empty: true });
  });
  afterAll(async () => ctx?.close());

  it('answers every step missing, boundaries next; rosters 404 street_not_found', async () => {
    const admin = await signIn(ctx.app, 'admin');
    const res = await ctx.app.request('/api/setup/status', { headers: as(admin) });
    expect(res.status).toBe(200);
    const s = (await res.json()) as Status;
    expect(s.street).toBeNull();
    expect(s.steps.every((x) => x.state === 'missing')).toBe(true);
    expect(s.next).toBe('boundaries');
    const r = await ctx.app.request('/api/setup/rosters', { method: 'POST', headers: as(admin) });
    expect(r.status).toBe(404);
    expect(((await r.json()) as { error: { code: string } }).error.code).toBe('street_not_found');
  });
});
