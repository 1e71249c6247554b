/**
 * Issue #15: two streets of two districts in one database (the demo street and a second one,
 * tests/helpers/second-street.ts). `GET /api/territory` lists both; every street-wide route answers
 * per street with the figures SQL counts; a street-wide request without `?street=` is refused with
 * 400 street_required; street- and district-scoped accounts and a street kiosk see only theirs.
 */
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lngLatToTile } from '../../geo/tiles/tile-math.js';
import type { StreetDataset } from '../../data/generate/types.js';
import { createKioskToken, createUser } from '../../server/auth/users.repo.js';
import type { RoleGrant } from '../../server/auth/principal.js';
import { isolatedApp } from '../helpers/isolated-db.js';
import { SECOND_STREET, seedSecondStreet } from '../helpers/second-street.js';
import { TEST_PASSWORD, as, signInAs, type Session } from '../helpers/auth.js';
import type { TerritoryDistrict } from '../../server/repos/territory.repo.js';

let t: Awaited<ReturnType<typeof isolatedApp>>;
let a: StreetDataset;
let b: StreetDataset;
let root: Session;

const KIOSK_A = 'territory-kiosk-a-0123456789';
const KIOSK_B_DISTRICT = 'territory-kiosk-bd-0123456789';

beforeAll(async () => {
  t = await isolatedApp('territory');
  a = t.dataset;
  b = (await seedSecondStreet(t.db)).dataset;
  const users: Record<string, RoleGrant> = {
    t_root: { role: 'admin', scopeType: 'street', scopeCode: '*' },
    t_a_admin: { role: 'admin', scopeType: 'street', scopeCode: a.street.code },
    t_a_viewer: { role: 'viewer', scopeType: 'street', scopeCode: a.street.code },
    t_b_district: { role: 'planner', scopeType: 'district', scopeCode: SECOND_STREET.district },
    t_a_district: { role: 'viewer', scopeType: 'district', scopeCode: a.street.code.slice(0, 6) },
  };
  for (const [username, grant] of Object.entries(users)) await createUser(t.db, { username, password: TEST_PASSWORD, grants: [grant] });
  await createKioskToken(t.db, KIOSK_A, 'street A wall', null, { scopeType: 'street', scopeCode: a.street.code });
  await createKioskToken(t.db, KIOSK_B_DISTRICT, 'district B wall', null, { scopeType: 'district', scopeCode: SECOND_STREET.district });
  root = await signInAs(t.app, 't_root');
});
afterAll(async () => t?.close());

async function get<T>(path: string, s: Session | null = null): Promise<T> {
  const res = await t.app.request(path, { headers: as(s) });
  expect(res.status, `${path} → ${res.status} ${res.status >= 300 ? await res.clone().text() : ''}`).toBe(200);
  return (await res.json()) as T;
}

async function status(path: string, s: Session | { cookie: string; csrf: string } | null = null, init: RequestInit = {}) {
  const res = await t.app.request(path, { ...init, headers: as(s) });
  return { status: res.status, code: res.status >= 400 ? ((await res.json()) as { error: { code: string } }).error.code : null };
}

/** Figures of a street counted in SQL. */
async function sqlCounts(code: string) {
  const [r] = await t.db.query<{ communities: number; buildings: number; households: number; grids: number; facilities: number; plans: number }>(
    `SELECT (SELECT count(*) FROM communities c JOIN streets s ON s.id = c.street_id WHERE s.code = $1)::int AS communities,
       (SELECT count(*) FROM buildings b JOIN communities c ON c.id = b.community_id JOIN streets s ON s.id = c.street_id WHERE s.code = $1)::int AS buildings,
       (SELECT sum(b.households) FROM buildings b JOIN communities c ON c.id = b.community_id JOIN streets s ON s.id = c.street_id WHERE s.code = $1)::int AS households,
       (SELECT count(*) FROM grids g JOIN grid_plans p ON p.id = g.plan_id JOIN streets s ON s.id = p.street_id WHERE s.code = $1 AND p.status = 'published')::int AS grids,
       (SELECT count(*) FROM facilities f JOIN communities c ON c.id = f.community_id JOIN streets s ON s.id = c.street_id WHERE s.code = $1)::int AS facilities,
       (SELECT count(*) FROM grid_plans p JOIN streets s ON s.id = p.street_id WHERE s.code = $1)::int AS plans`,
    [code],
  );
  return r;
}

describe('GET /api/territory', () => {
  it('lists both districts with their streets, extents and counts matching SQL', async () => {
    const { districts } = await get<{ districts: TerritoryDistrict[] }>('/api/territory');
    expect(districts.map((d) => d.code)).toEqual([a.street.code.slice(0, 6), SECOND_STREET.district]);
    expect(districts[1].name).toBe(SECOND_STREET.districtName);
    for (const [d, ds] of [[districts[0], a], [districts[1], b]] as const) {
      expect(d.streets).toHaveLength(1);
      const s = d.streets[0];
      const sql = await sqlCounts(ds.street.code);
      expect(s).toMatchObject({ code: ds.street.code, name: ds.street.name, communities: sql.communities, buildings: sql.buildings, households: sql.households });
      expect(s.bbox).toHaveLength(4);
    }
    // The second street lies east of the first, and its figures differ.
    expect(districts[1].streets[0].bbox![0]).toBeGreaterThan(districts[0].streets[0].bbox![2]);
    expect(districts[1].streets[0].buildings).not.toBe(districts[0].streets[0].buildings);
  });

  it('is filtered to what the caller may see', async () => {
    const codes = async (s: Session | null) =>
      (await get<{ districts: TerritoryDistrict[] }>('/api/territory', s)).districts.flatMap((d) => d.streets.map((x) => x.code));
    expect(await codes(root)).toEqual([a.street.code, b.street.code]);
    expect(await codes(await signInAs(t.app, 't_a_viewer'))).toEqual([a.street.code]);
    expect(await codes(await signInAs(t.app, 't_b_district'))).toEqual([b.street.code]);
    expect(await codes(await kiosk())).toEqual([a.street.code]);
  });
});

describe('street resolution', () => {
  it('refuses a street-wide request without ?street= (400 street_required), and bad codes', async () => {
    for (const path of ['/api/config', '/api/stats', '/api/screen/summary', '/api/layers/buildings', '/api/requests/stats']) {
      expect(await status(path), path).toEqual({ status: 400, code: 'street_required' });
    }
    const res = await t.app.request('/api/config');
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/GET \/api\/territory/);
    expect(await status('/api/plans', root)).toEqual({ status: 400, code: 'street_required' });
    expect(await status('/api/config?street=12345')).toEqual({ status: 400, code: 'invalid_street' });
    expect(await status('/api/config?street=370613999')).toEqual({ status: 404, code: 'street_not_found' });
    expect(await status('/api/config?district=37061')).toEqual({ status: 400, code: 'invalid_district' });
    expect(await status('/api/config?district=999999')).toEqual({ status: 404, code: 'district_not_found' });
    expect(await status(`/api/config?street=${a.street.code}&district=${SECOND_STREET.district}`)).toEqual({ status: 400, code: 'street_not_in_district' });
    // A district of one street picks it; a caller of one street gets it without asking.
    expect((await get<{ street: { code: string } }>(`/api/config?district=${SECOND_STREET.district}`)).street.code).toBe(b.street.code);
    expect((await get<{ street: { code: string } }>('/api/config', await signInAs(t.app, 't_a_viewer'))).street.code).toBe(a.street.code);
  });
});

describe('every street-wide route answers per street', () => {
  it('/api/config, /api/stats and the wall-screen summary', async () => {
    for (const ds of [a, b]) {
      const sql = await sqlCounts(ds.street.code);
      const q = `?street=${ds.street.code}`;
      const config = await get<{ street: { code: string; name: string }; district: { code: string }; buildings: number; bbox: number[] }>(`/api/config${q}`);
      expect(config).toMatchObject({ street: { code: ds.street.code, name: ds.street.name }, district: { code: ds.street.code.slice(0, 6) }, buildings: sql.buildings });
      const stats = await get<{ communities: number; buildings: number; households: number; grids: { total: number }; facilities: { total: number } }>(`/api/stats${q}`);
      expect(stats).toMatchObject({ communities: sql.communities, buildings: sql.buildings, households: sql.households, grids: { total: sql.grids } });
      expect(stats.facilities.total).toBeGreaterThanOrEqual(sql.facilities);
      const screen = await get<{ street: { code: string }; communities: { buildings: number }[]; grids: unknown[] }>(`/api/screen/summary${q}`);
      expect(screen.street.code).toBe(ds.street.code);
      expect(screen.communities.reduce((n, c) => n + c.buildings, 0)).toBe(sql.buildings);
      expect(screen.grids).toHaveLength(sql.grids);
    }
  });

  it('map layers: a street\'s communities, buildings, facilities and published grids; roads by its extent', async () => {
    for (const ds of [a, b]) {
      const sql = await sqlCounts(ds.street.code);
      const q = `?street=${ds.street.code}`;
      type FC = { features: { properties: Record<string, unknown> }[] };
      const communities = await get<FC>(`/api/layers/communities${q}`);
      expect(communities.features.map((f) => f.properties.code).sort()).toEqual(ds.communities.map((c) => c.code).sort());
      expect((await get<FC>(`/api/layers/buildings${q}`)).features).toHaveLength(sql.buildings);
      const grids = await get<FC>(`/api/layers/grids${q}`);
      expect(grids.features).toHaveLength(sql.grids);
      for (const g of grids.features) expect(String(g.properties.code).startsWith(ds.street.code)).toBe(true);
      const facilities = await get<FC>(`/api/layers/facilities${q}`);
      expect(facilities.features.length).toBeGreaterThanOrEqual(sql.facilities);
      expect((await get<FC>(`/api/layers/roads${q}`)).features.length).toBeGreaterThan(0);
    }
    // ?community= implies its street.
    const fc = await get<{ features: unknown[] }>(`/api/layers/buildings?community=${b.communities[0].code}`);
    expect(fc.features).toHaveLength(b.buildings.filter((x) => x.communityCode === b.communities[0].code).length);
  });

  it('vector tiles: ?street= holds only that street\'s features, without it every street\'s', async () => {
    // The largest tile holding a point of each street: both streets' features are in it.
    const centre = (ds: StreetDataset) => ds.communities[0].polygon[0][0];
    let z = 14;
    const tileOf = (ds: StreetDataset) => lngLatToTile(centre(ds)[0], centre(ds)[1], z).join('/');
    while (tileOf(a) !== tileOf(b)) z--;
    const codes = async (layer: string, q = '') => {
      const res = await t.app.request(`/tiles/${layer}/${z}/${tileOf(a)}.mvt${q}`);
      expect(res.status, `${layer} ${q}`).toBe(200);
      const l = new VectorTile(new PbfReader(new Uint8Array(await res.arrayBuffer()))).layers[layer];
      return new Set(Array.from({ length: l.length }, (_, i) => String(l.feature(i).properties.code)));
    };
    const all = await codes('communities');
    for (const ds of [a, b]) for (const c of ds.communities) expect(all.has(c.code)).toBe(true);
    for (const [ds, other] of [[a, b], [b, a]] as const) {
      const q = `?street=${ds.street.code}`;
      expect([...(await codes('communities', q))].sort()).toEqual(ds.communities.map((c) => c.code).sort());
      const grids = await codes('grids', q);
      expect(grids.size).toBe((await sqlCounts(ds.street.code)).grids);
      for (const g of grids) expect(g.startsWith(ds.street.code) && !g.startsWith(other.street.code)).toBe(true);
    }
    // The street-less tile is still every street's (it was not overwritten by a street's).
    expect(await codes('communities')).toEqual(all);
    expect((await status(`/tiles/communities/${z}/${tileOf(a)}.mvt?street=999999999`)).code).toBe('street_not_found');
    expect((await status(`/tiles/communities/${z}/${tileOf(a)}.mvt?street=12`)).code).toBe('invalid_street');
  });

  it('plans belong to a street: listed and created per street', async () => {
    for (const ds of [a, b]) {
      const list = await get<{ streetCode: string }[]>(`/api/plans?street=${ds.street.code}`, root);
      expect(list).toHaveLength((await sqlCounts(ds.street.code)).plans);
      for (const p of list) expect(p.streetCode).toBe(ds.street.code);
    }
    const res = await t.app.request(`/api/plans?street=${b.street.code}`, { method: 'POST', headers: as(root), body: JSON.stringify({ from: 'published' }) });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: number };
    const plan = await get<{ plan: { streetCode: string }; grids: { features: unknown[] } }>(`/api/plans/${id}`, root);
    expect(plan.plan.streetCode).toBe(b.street.code);
    expect(plan.grids.features).toHaveLength((await sqlCounts(b.street.code)).grids);
    // A community of the other street cannot go into this street's plan.
    const wrong = await t.app.request(`/api/plans?street=${b.street.code}`, { method: 'POST', headers: as(root), body: JSON.stringify({ from: 'empty', community: a.communities[0].code }) });
    expect(wrong.status).toBe(400);
    await t.app.request(`/api/plans/${id}`, { method: 'DELETE', headers: as(root) });
  });

  it('life circle: a street-own standard beside the deployment default; coverage per street', async () => {
    const std = await get<{ speedMPerMin: number; street: string | null }>(`/api/life-circle/standard?street=${b.street.code}`);
    expect(std.street).toBeNull();
    const put = await t.app.request(`/api/life-circle/standard?street=${b.street.code}`, { method: 'PUT', headers: as(root), body: JSON.stringify({ ...std, street: undefined, speedMPerMin: 66 }) });
    expect(put.status).toBe(200);
    expect((await get<{ speedMPerMin: number; street: string }>(`/api/life-circle/standard?street=${b.street.code}`)).speedMPerMin).toBe(66);
    expect((await get<{ speedMPerMin: number; street: string | null }>(`/api/life-circle/standard?street=${a.street.code}`)).speedMPerMin).toBe(std.speedMPerMin);
    for (const ds of [a, b]) {
      const summary = await get<{ households: number }>(`/api/coverage/summary?street=${ds.street.code}`);
      const sql = await t.db.query<{ n: number }>(
        `SELECT coalesce(sum(b.households), 0)::int AS n FROM buildings b JOIN communities c ON c.id = b.community_id
         JOIN streets s ON s.id = c.street_id WHERE s.code = $1 AND b.households > 0`,
        [ds.street.code],
      );
      expect(summary.households).toBe(sql[0].n);
    }
  });

  it('requests: stats, layer and list per street', async () => {
    for (const ds of [a, b]) {
      const building = ds.buildings.find((x) => x.households > 0)!.code;
      const res = await t.app.request(`/api/requests`, { method: 'POST', headers: as(root), body: JSON.stringify({ category: 'repair', description: `测试 ${ds.street.code}`, channel: 'resident', building }) });
      expect(res.status).toBe(201);
    }
    await t.app.request('/api/requests', { method: 'POST', headers: as(root), body: JSON.stringify({ category: 'repair', description: '第二条', channel: 'resident', building: b.buildings[0].code }) });
    for (const [ds, n] of [[a, 1], [b, 2]] as const) {
      expect((await get<{ total: number }>(`/api/requests/stats?street=${ds.street.code}`)).total).toBe(n);
      expect((await get<{ features: unknown[] }>(`/api/requests/layer?street=${ds.street.code}`)).features).toHaveLength(n);
      const list = await get<{ total: number; items: { streetCode: string }[] }>(`/api/requests?street=${ds.street.code}`, root);
      expect(list.total).toBe(n);
      for (const r of list.items) expect(r.streetCode).toBe(ds.street.code);
    }
  });

  it('export: one street\'s features', async () => {
    for (const ds of [a, b]) {
      const fc = await get<{ features: unknown[] }>(`/api/export/buildings?format=geojson&street=${ds.street.code}`, root);
      expect(fc.features).toHaveLength((await sqlCounts(ds.street.code)).buildings);
    }
  });
});

async function kiosk() {
  const res = await t.app.request(`/kiosk/${KIOSK_A}`);
  const cookie = /ga_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')![0];
  const me = (await (await t.app.request('/api/auth/me', { headers: { cookie } })).json()) as { csrfToken: string };
  return { cookie, csrf: me.csrfToken };
}

describe('scoped accounts and kiosks see only their street', () => {
  it('a street kiosk: its screen without ?street=, 403 for the other street', async () => {
    const k = await kiosk();
    expect((await get<{ street: { code: string } }>('/api/screen/summary', k)).street.code).toBe(a.street.code);
    expect(await status(`/api/screen/summary?street=${b.street.code}`, k)).toEqual({ status: 403, code: 'out_of_scope' });
    expect(await status(`/api/config?street=${b.street.code}`, k)).toEqual({ status: 403, code: 'out_of_scope' });
  });

  it('kiosk links land on their wall screen: a street\'s on /screen?street=, a district\'s on /screen/district', async () => {
    const street = await t.app.request(`/kiosk/${KIOSK_A}`);
    expect(street.status).toBe(302);
    expect(street.headers.get('location')).toBe(`/screen?street=${a.street.code}`);
    const district = await t.app.request(`/kiosk/${KIOSK_B_DISTRICT}`);
    expect(district.status).toBe(302);
    expect(district.headers.get('location')).toBe(`/screen/district?district=${SECOND_STREET.district}`);
    const cookie = /ga_session=([^;]+)/.exec(district.headers.get('set-cookie') ?? '')![0];
    const screen = await t.app.request(`/api/screen/district?district=${SECOND_STREET.district}`, { headers: { cookie } });
    expect(screen.status).toBe(200);
    expect((await t.app.request(`/api/screen/summary?street=${a.street.code}`, { headers: { cookie } })).status).toBe(403);
  });

  it('a street-scoped admin: its street\'s protected data, 403 for the other\'s', async () => {
    const s = await signInAs(t.app, 't_a_admin');
    expect((await get<unknown[]>('/api/plans', s)).length).toBeGreaterThan(0);
    expect(await status(`/api/plans?street=${b.street.code}`, s)).toEqual({ status: 403, code: 'out_of_scope' });
    const [planB] = await t.db.query<{ id: number }>(`SELECT p.id FROM grid_plans p JOIN streets s ON s.id = p.street_id WHERE s.code = $1 LIMIT 1`, [b.street.code]);
    for (const path of [`/api/plans/${planB.id}`, `/api/plans/${planB.id}/validate`, `/api/plans/${planB.id}/export`]) {
      expect(await status(path, s), path).toEqual({ status: 403, code: 'out_of_scope' });
    }
    expect(await status(`/api/buildings/${b.buildings[0].code}/households`, s)).toEqual({ status: 403, code: 'out_of_scope' });
    expect((await status(`/api/buildings/${a.buildings[0].code}/households`, s)).status).toBe(200);
    expect(await status(`/api/requests?street=${b.street.code}`, s)).toEqual({ status: 403, code: 'out_of_scope' });
    expect(await status(`/api/export/buildings?street=${b.street.code}`, s)).toEqual({ status: 403, code: 'out_of_scope' });
    // Deployment-wide records: an admin of one of two streets does not reach them.
    for (const path of ['/api/audit', '/api/kiosk-tokens']) expect(await status(path, s), path).toEqual({ status: 403, code: 'out_of_scope' });
    // Its requests list holds its street's only.
    const mine = await get<{ items: { streetCode: string }[] }>('/api/requests', s);
    for (const r of mine.items) expect(r.streetCode).toBe(a.street.code);
  });

  it('district grants cover the streets of their district only', async () => {
    const bDistrict = await signInAs(t.app, 't_b_district');
    expect((await status(`/api/plans?street=${b.street.code}`, bDistrict)).status).toBe(200);
    expect(await status(`/api/plans?street=${a.street.code}`, bDistrict)).toEqual({ status: 403, code: 'out_of_scope' });
    expect((await get<{ street: { code: string } }>('/api/config', bDistrict)).street.code).toBe(b.street.code);
    const aDistrict = await signInAs(t.app, 't_a_district');
    expect((await status(`/api/buildings/${a.buildings[0].code}/households`, aDistrict)).status).toBe(200);
    expect(await status(`/api/buildings/${b.buildings[0].code}/households`, aDistrict)).toEqual({ status: 403, code: 'out_of_scope' });
  });
});
