/**
 * Issue #15.4: the district wall screen's API — two streets in two districts in one database
 * (the demo street in 芝罘区 370602 and a relocated copy in 莱山区 370613), figures per street that
 * agree with the datasets, one district at a time or all, and bad input as 4xx.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreetDataset } from '../../data/generate/types.js';
import { bandStatus } from '../../geo/band.js';
import { createKioskToken, createUser } from '../../server/auth/users.repo.js';
import type { DistrictScreen, DistrictStreet } from '../../server/repos/district-screen.repo.js';
import { PERSONAL_KEYS, PHONE_PATTERN } from '../helpers/app.js';
import { TEST_PASSWORD, signInAs } from '../helpers/auth.js';
import { isolatedApp } from '../helpers/isolated-db.js';
import { SECOND_STREET, seedSecondStreet } from '../helpers/second-street.js';

type Ctx = Awaited<ReturnType<typeof isolatedApp>>;
let ctx: Ctx;
let second: StreetDataset;
const SECOND = SECOND_STREET;
const KIOSK_TOKEN = 'district-screen-kiosk-0123456789';

beforeAll(async () => {
  ctx = await isolatedApp('district_screen');
  second = (await seedSecondStreet(ctx.db)).dataset;
  await createKioskToken(ctx.db, KIOSK_TOKEN, '向阳街道大屏', null, { scopeType: 'street', scopeCode: ctx.dataset.street.code });
  await createUser(ctx.db, { username: 't_second_viewer', password: TEST_PASSWORD, grants: [{ role: 'viewer', scopeType: 'street', scopeCode: SECOND.code }] });
  // Resident requests: two open in the first street (one overdue), one open and one resolved in the second.
  const community = async (code: string) => (await ctx.db.query<{ id: number }>('SELECT id FROM communities WHERE code = $1', [code]))[0].id;
  const first = await community(ctx.dataset.communities[0].code);
  const other = await community(second.communities[0].code);
  const rows: [number, string, string][] = [
    [first, 'reported', '-1 day'], [first, 'dispatched', '+2 days'], [other, 'accepted', '+1 day'], [other, 'resolved', '-3 days'],
  ];
  for (const [id, status, due] of rows) {
    await ctx.db.query(
      `INSERT INTO requests (category, description, channel, geom, community_id, status, reported_by, due_at)
       VALUES ('environment', '测试', 'resident', (SELECT ST_PointOnSurface(geom) FROM communities WHERE id = $1), $1, $2, 'test', now() + $3::interval)`,
      [id, status, due],
    );
  }
});
afterAll(async () => ctx?.close());

async function get(path: string, cookie?: string): Promise<{ status: number; body: unknown; text: string }> {
  const res = await ctx.app.request(path, cookie ? { headers: { Cookie: cookie } } : undefined);
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as unknown, text };
}

/** The figures the district screen should show for a dataset's street. */
function expected(ds: StreetDataset) {
  const hh = new Map(ds.buildings.map((b) => [b.code, b.households]));
  const status = ds.plan.grids.map((g) => bandStatus(g.buildingCodes.reduce((a, c) => a + (hh.get(c) ?? 0), 0), g.kind));
  return {
    households: ds.buildings.reduce((a, b) => a + b.households, 0),
    buildings: ds.buildings.length,
    communities: ds.communities.length,
    grids: ds.plan.grids.length,
    underGrids: status.filter((s) => s === 'under').length,
    overGrids: status.filter((s) => s === 'over').length,
    inBandGrids: status.filter((s) => s === 'in').length,
  };
}

describe('GET /api/screen/district', () => {
  it('without a district: both districts, each with its street and the dataset figures', async () => {
    const { status, body } = await get('/api/screen/district');
    expect(status).toBe(200);
    const s = body as DistrictScreen;
    expect(s.band).toEqual({ lo: 300, hi: 400 });
    expect(s.districts.map((d) => [d.code, d.name])).toEqual([['370602', '芝罘区'], ['370613', '莱山区']]);
    const [a, b] = s.districts.map((d) => d.streets);
    expect(a.map((x) => x.code)).toEqual([ctx.dataset.street.code]);
    expect(b.map((x) => x.code)).toEqual([SECOND.code]);
    expect(a[0]).toMatchObject({ name: ctx.dataset.street.name, ...expected(ctx.dataset), openRequests: 2, overdueRequests: 1 });
    expect(b[0]).toMatchObject({ name: SECOND.name, ...expected(second), openRequests: 1, overdueRequests: 0 });
    for (const st of [a[0], b[0]]) {
      const basic = st.underGrids + st.overGrids + st.inBandGrids;
      expect(st.inBandShare).toBeCloseTo(st.inBandGrids / basic, 3);
      expect(st.outline?.type).toMatch(/Polygon$/);
      expect(st.bbox!.every(Number.isFinite)).toBe(true);
    }
    // The second street lies 0.05° east of the first; each district's box is its street's.
    expect(b[0].bbox![0] - a[0].bbox![0]).toBeCloseTo(0.05, 3);
    expect(s.districts[1].bbox).toEqual(b[0].bbox);
  });

  it('one district: only its streets', async () => {
    const { status, body } = await get('/api/screen/district?district=370613');
    expect(status).toBe(200);
    const s = body as DistrictScreen;
    expect(s.districts).toHaveLength(1);
    expect(s.districts[0].streets.map((x: DistrictStreet) => x.code)).toEqual([SECOND.code]);
  });

  it('carries no personal field or phone number', async () => {
    const { text } = await get('/api/screen/district');
    for (const k of PERSONAL_KEYS) expect(text).not.toContain(`"${k}"`);
    expect(text).not.toMatch(PHONE_PATTERN);
  });

  it('a request resolved since is no longer open (cached by data version)', async () => {
    await ctx.db.query(`UPDATE requests SET status = 'resolved', resolved_at = now() WHERE status = 'reported'`);
    const s = (await get('/api/screen/district?district=370602')).body as DistrictScreen;
    expect(s.districts[0].streets[0]).toMatchObject({ openRequests: 1, overdueRequests: 0 });
  });

  it('a kiosk linked to one street sees its street only and gets 403 for another district', async () => {
    const res = await ctx.app.request(`/kiosk/${KIOSK_TOKEN}`);
    expect(res.status).toBe(302);
    const cookie = /ga_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')![0];
    const all = (await get('/api/screen/district', cookie)).body as DistrictScreen;
    expect(all.districts.flatMap((d) => d.streets.map((x) => x.code))).toEqual([ctx.dataset.street.code]);
    const own = await get('/api/screen/district?district=370602', cookie);
    expect(own.status).toBe(200);
    const other = await get('/api/screen/district?district=370613', cookie);
    expect(other.status).toBe(403);
    expect((other.body as { error: { code: string } }).error.code).toBe('out_of_scope');
  });

  it('an account scoped to one street sees its own street without ?district=, any district with it (public figures)', async () => {
    const s = await signInAs(ctx.app, 't_second_viewer');
    const mine = (await get('/api/screen/district', s.cookie)).body as DistrictScreen;
    expect(mine.districts.flatMap((d) => d.streets.map((x) => x.code))).toEqual([SECOND.code]);
    const other = await get('/api/screen/district?district=370602', s.cookie);
    expect(other.status).toBe(200);
    expect((other.body as DistrictScreen).districts[0].streets.map((x) => x.code)).toEqual([ctx.dataset.street.code]);
  });

  it('bad or unknown districts are 400 / 404 with the error envelope', async () => {
    for (const q of ['37060', '3706021', 'abcdef', '370602%27']) {
      const r = await get(`/api/screen/district?district=${q}`);
      expect(r.status, q).toBe(400);
      expect((r.body as { error: { code: string } }).error.code).toBe('invalid_input');
    }
    const r = await get('/api/screen/district?district=110101');
    expect(r.status).toBe(404);
    expect((r.body as { error: { code: string } }).error.code).toBe('not_found');
  });
});
