/**
 * The public API against real PostGIS with the seeded demo street. Expected figures are computed
 * from the generated dataset independently of the SQL that serves them.
 */
import type * as GeoJSON from 'geojson';
import { beforeAll, describe, expect, it } from 'vitest';
import { bandStatus } from '../../geo/band.js';
import type { StreetDataset } from '../../data/generate/types.js';
import { PERSONAL_KEYS, PHONE_PATTERN, testApp } from '../helpers/app.js';

type App = Awaited<ReturnType<typeof testApp>>['app'];
let app: App;
let ds: StreetDataset;

beforeAll(async () => {
  const t = await testApp();
  app = t.app;
  ds = t.dataset;
});

async function getJson<T = unknown>(path: string, status = 200): Promise<T> {
  const res = await app.request(path);
  expect(res.status, `${path} → ${res.status}`).toBe(status);
  return (await res.json()) as T;
}

async function layer(name: string, query = ''): Promise<GeoJSON.FeatureCollection> {
  const res = await app.request(`/api/layers/${name}${query}`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('application/geo+json');
  return (await res.json()) as GeoJSON.FeatureCollection;
}

/** Households per grid code, from the dataset. */
function expectedGridHouseholds(): Map<string, number> {
  const hh = new Map(ds.buildings.map((b) => [b.code, b.households]));
  return new Map(ds.plan.grids.map((g) => [g.code, g.buildingCodes.reduce((s, c) => s + (hh.get(c) ?? 0), 0)]));
}

describe('GET /api/health', () => {
  it('names the backend and the PostGIS version', async () => {
    const body = await getJson<{ status: string; backend: string; postgis: string; tiles: string }>('/api/health');
    expect(body.status).toBe('ok');
    expect(['postgis', 'pglite']).toContain(body.backend);
    expect(body.postgis).toMatch(/^3\.\d+/);
    expect(['st_asmvt', 'typescript']).toContain(body.tiles);
  });
});

describe('GET /api/layers/:layer', () => {
  it('serves every building and all 80 grids of the published plan', async () => {
    const buildings = await layer('buildings');
    expect(buildings.type).toBe('FeatureCollection');
    expect(buildings.features.length).toBe(ds.buildings.length);
    expect(buildings.features.length).toBeGreaterThanOrEqual(900);
    const grids = await layer('grids');
    expect(grids.features.length).toBe(ds.plan.grids.length);
    expect(grids.features.length).toBeGreaterThanOrEqual(80);
  });

  it('tallies grid households and band status as the dataset implies', async () => {
    const expected = expectedGridHouseholds();
    const kinds = new Map(ds.plan.grids.map((g) => [g.code, g.kind]));
    const grids = await layer('grids');
    for (const f of grids.features) {
      const p = f.properties as { code: string; households: number; status: string; kind: 'basic' | 'dedicated' };
      expect(p.households, p.code).toBe(expected.get(p.code));
      expect(p.kind).toBe(kinds.get(p.code));
      expect(p.status).toBe(bandStatus(p.households, p.kind));
      expect(['MultiPolygon', 'Polygon']).toContain(f.geometry.type);
    }
  });

  it('aggregates households per building without personal fields', async () => {
    const fc = await layer('households');
    const text = JSON.stringify(fc);
    for (const key of PERSONAL_KEYS) expect(text).not.toContain(`"${key}"`);
    expect(text).not.toMatch(PHONE_PATTERN);
    const total = fc.features.reduce((s, f) => s + (f.properties as { households: number }).households, 0);
    expect(total).toBe(ds.households.length);
    const party = fc.features.reduce((s, f) => s + (f.properties as { partyMembers: number }).partyMembers, 0);
    expect(party).toBe(ds.households.reduce((s, h) => s + h.partyMembers, 0));
    expect(fc.features.every((f) => f.geometry.type === 'Point')).toBe(true);
  });

  it('filters by community code and by bbox', async () => {
    const community = ds.communities[0];
    const inCommunity = ds.buildings.filter((b) => b.communityCode === community.code).length;
    const fc = await layer('buildings', `?community=${community.code}`);
    expect(fc.features.length).toBe(inCommunity);
    expect(fc.features.every((f) => (f.properties as { communityCode: string }).communityCode === community.code)).toBe(true);

    const all = await layer('facilities');
    const xs = all.features.map((f) => (f.geometry as GeoJSON.Point).coordinates[0]).sort((a, b) => a - b);
    // Halfway between two facilities: a boundary on a (rounded) coordinate would test the rounding, not the filter.
    const at = xs.findIndex((x, i) => i >= xs.length / 2 && xs[i + 1] > x);
    const mid = (xs[at] + xs[at + 1]) / 2;
    const west = await layer('facilities', `?bbox=100,0,${mid},60`);
    const expectedWest = all.features.filter((f) => (f.geometry as GeoJSON.Point).coordinates[0] <= mid).length;
    expect(west.features.length).toBe(expectedWest);
    expect(west.features.length).toBeGreaterThan(0);
    expect(west.features.length).toBeLessThan(all.features.length);
  });

  it('serves every layer in the contract', async () => {
    for (const name of ['communities', 'compounds', 'facilities', 'roads']) {
      const fc = await layer(name);
      expect(fc.features.length, name).toBeGreaterThan(0);
      expect(fc.features[0].id, name).toBeDefined();
    }
    expect((await layer('communities')).features.length).toBe(ds.communities.length);
    expect((await layer('roads')).features.length).toBe(ds.walkEdges.length);
  });

  it('rejects bad input with a bilingual 4xx JSON error and no stack', async () => {
    const cases: [string, number][] = [
      ['/api/layers/nope', 400],
      ['/api/layers/buildings?bbox=1,2,3', 400],
      ['/api/layers/buildings?bbox=122,38,121,37', 400],
      ['/api/layers/buildings?bbox=a,b,c,d', 400],
      ['/api/layers/buildings?bbox=-200,0,10,10', 400],
      ["/api/layers/buildings?community=1';DROP TABLE buildings;--", 400],
      ['/api/layers/grids?plan=-1', 400],
      ['/api/layers/grids?plan=999999', 404],
      ['/api/layers/buildings?community=999999999999', 404],
      ['/api/nothing-here', 404],
    ];
    for (const [path, status] of cases) {
      const res = await app.request(path);
      expect(res.status, path).toBe(status);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code, path).toMatch(/^[a-z_]+$/);
      expect(body.error.message, path).toMatch(/[\u4e00-\u9fff]/);
      expect(body.error.message, path).toMatch(/[A-Za-z]{3,}/);
      expect(body.error.message, path).not.toMatch(/at .*\.ts:\d+/);
    }
    // The injection attempt changed nothing.
    expect((await layer('buildings')).features.length).toBe(ds.buildings.length);
  });
});

describe('GET /api/stats', () => {
  it('counts the street as the dataset does', async () => {
    const s = await getJson<{
      communities: number; buildings: number; households: number; residents: number; partyMembers: number;
      partyCenters: number; grids: { total: number; basic: number; dedicated: number; under: number; in: number; over: number };
      facilities: { total: number; byCategory: { code: string; count: number }[] };
    }>('/api/stats');
    expect(s.communities).toBe(ds.communities.length);
    expect(s.buildings).toBe(ds.buildings.length);
    expect(s.households).toBe(ds.buildings.reduce((a, b) => a + b.households, 0));
    expect(s.residents).toBe(ds.buildings.reduce((a, b) => a + b.residents, 0));
    expect(s.partyMembers).toBe(ds.households.reduce((a, h) => a + h.partyMembers, 0));
    expect(s.partyCenters).toBe(ds.households.filter((h) => h.isPartyCenter).length);
    expect(s.facilities.total).toBe(ds.facilities.length);
    const expected = expectedGridHouseholds();
    const basic = ds.plan.grids.filter((g) => g.kind === 'basic');
    expect(s.grids).toEqual({
      total: ds.plan.grids.length,
      basic: basic.length,
      dedicated: ds.plan.grids.length - basic.length,
      under: basic.filter((g) => bandStatus(expected.get(g.code)!, 'basic') === 'under').length,
      in: basic.filter((g) => bandStatus(expected.get(g.code)!, 'basic') === 'in').length,
      over: basic.filter((g) => bandStatus(expected.get(g.code)!, 'basic') === 'over').length,
    });
    const byCat = new Map(s.facilities.byCategory.map((c) => [c.code, c.count]));
    for (const cat of ds.categories) {
      expect(byCat.get(cat.code), cat.code).toBe(ds.facilities.filter((f) => f.category === cat.code).length);
    }
  });

  it('narrows to a community and to a grid', async () => {
    const grid = ds.plan.grids.find((g) => g.kind === 'basic')!;
    const hh = new Map(ds.buildings.map((b) => [b.code, b.households]));
    const s = await getJson<{ buildings: number; households: number; grids: { total: number } }>(
      `/api/stats?grid=${grid.code}`,
    );
    expect(s.buildings).toBe(grid.buildingCodes.length);
    expect(s.households).toBe(grid.buildingCodes.reduce((a, c) => a + hh.get(c)!, 0));
    expect(s.grids.total).toBe(1);

    const community = ds.communities[1];
    const c = await getJson<{ buildings: number; communities: number; grids: { total: number } }>(
      `/api/stats?community=${community.code}`,
    );
    expect(c.communities).toBe(1);
    expect(c.buildings).toBe(ds.buildings.filter((b) => b.communityCode === community.code).length);
    expect(c.grids.total).toBe(ds.plan.grids.filter((g) => g.communityCode === community.code).length);
  });

  it('lists facility categories with colours and levels', async () => {
    const cats = await getJson<{ code: string; level: string; color: string; count: number }[]>('/api/categories');
    expect(cats.length).toBe(ds.categories.length);
    for (const c of cats) {
      expect(['5min', '10min', '15min', 'block']).toContain(c.level);
      expect(c.color).toMatch(/^#[0-9a-fA-F]{6}$/);
    }
  });
});
