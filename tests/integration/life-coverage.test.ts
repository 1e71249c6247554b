/**
 * Coverage audit, wall-screen summary, "where to add" and the editable standard (issue #6) on real
 * PostGIS. Adding a facility at the first proposed site must raise coverage by exactly its gain —
 * which also shows the cached network is rebuilt when the data changes.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreetDataset } from '../../data/generate/types.js';
import type { Database } from '../../server/db/client.js';
import { testApp } from '../helpers/app.js';
import { type Session, as, ensureScopedUsers, signIn, signInAs } from '../helpers/auth.js';

type App = Awaited<ReturnType<typeof testApp>>['app'];
let app: App;
let db: Database;
let ds: StreetDataset;
let planner: Session;
let streetPlanner: Session;
let viewer: Session;

interface Agg { key: string; households: number; coveredHouseholds: number; share: number; uncoveredBuildings: number }
interface CoverageReply {
  level: number; distanceM: number; categories: string[];
  buildings: { code: string; households: number; covered: boolean; distances: Record<string, number | null>; community: string; grid: string | null }[];
  totals: Omit<Agg, 'key'>; byCategory: Agg[]; byCommunity: Agg[]; byGrid: Agg[];
}

beforeAll(async () => {
  ({ app, db, dataset: ds } = await testApp());
  await ensureScopedUsers(db, ds);
  planner = await signIn(app, 'planner');
  streetPlanner = await signInAs(app, 't_street_planner');
  viewer = await signIn(app, 'viewer');
});

afterAll(async () => {
  await db.query(`DELETE FROM facilities WHERE code LIKE 'TEST-LIFE-%'`);
});

const get = async <T>(path: string) => {
  const res = await app.request(path);
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
};

describe('GET /api/coverage', () => {
  it('flags every residential building per category and aggregates households by community, grid and category', async () => {
    const r = await get<CoverageReply>('/api/coverage?level=10');
    expect(r.distanceM).toBe(500);
    expect(r.categories).toEqual(['primary_school', 'food_market']);
    const residential = ds.buildings.filter((b) => b.households > 0);
    expect(r.buildings).toHaveLength(residential.length);
    expect(r.totals.households).toBe(residential.reduce((s, b) => s + b.households, 0));
    for (const b of r.buildings) {
      for (const d of Object.values(b.distances)) if (d !== null) expect(d).toBeLessThanOrEqual(500);
      expect(b.covered).toBe(Object.values(b.distances).every((d) => d !== null));
    }
    const covered = r.buildings.filter((b) => b.covered).reduce((s, b) => s + b.households, 0);
    expect(r.totals.coveredHouseholds).toBe(covered);
    expect(r.byCommunity).toHaveLength(ds.communities.length);
    expect(r.byCommunity.reduce((s, a) => s + a.households, 0)).toBe(r.totals.households);
    expect(r.byGrid.reduce((s, a) => s + a.households, 0)).toBe(r.totals.households);
    expect(r.byCategory.map((a) => a.key)).toEqual(r.categories);
    for (const a of r.byCategory) expect(a.coveredHouseholds).toBeGreaterThanOrEqual(r.totals.coveredHouseholds);
    expect(r.totals.share).toBeGreaterThan(0);
    expect(r.totals.share).toBeLessThan(1);
  });

  it('a larger circle covers at least as much; category and community filters narrow it', async () => {
    const five = await get<CoverageReply>('/api/coverage?level=5&category=pharmacy');
    const fifteen = await get<CoverageReply>('/api/coverage?level=15&category=pharmacy');
    expect(fifteen.totals.coveredHouseholds).toBeGreaterThanOrEqual(five.totals.coveredHouseholds);
    const community = ds.communities[2].code;
    const one = await get<CoverageReply>(`/api/coverage?level=5&category=pharmacy&community=${community}`);
    expect(one.buildings.every((b) => b.community === community)).toBe(true);
    expect(one.byCommunity.map((a) => a.key)).toEqual([community]);
  });

  it('exports CSV, Excel and GeoJSON', async () => {
    const csv = await app.request('/api/coverage?level=10&format=csv');
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // BOM, so Excel reads UTF-8
    const text = new TextDecoder().decode(bytes);
    expect(text.startsWith('楼栋编码')).toBe(true);
    expect(text.trim().split('\r\n')).toHaveLength(ds.buildings.filter((b) => b.households > 0).length + 1);
    const xlsx = await app.request('/api/coverage?level=10&format=xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await xlsx.arrayBuffer());
    expect(wb.worksheets.map((w) => w.name)).toEqual(['楼栋 buildings', '社区 communities', '网格 grids', '类别 categories']);
    const gj = (await (await app.request('/api/coverage?level=10&format=geojson')).json()) as { features: { geometry: { type: string }; properties: { covered: boolean } }[] };
    expect(gj.features[0].geometry.type).toBe('MultiPolygon');
    expect(JSON.stringify(gj)).not.toMatch(/head_name|phone|room/);
  });

  it('refuses bad levels, unknown categories and communities', async () => {
    expect((await app.request('/api/coverage')).status).toBe(400);
    expect((await app.request('/api/coverage?level=7')).status).toBe(400);
    expect((await app.request('/api/coverage?level=10&format=pdf')).status).toBe(400);
    expect((await app.request('/api/coverage?level=10&category=nope')).status).toBe(404);
    expect((await app.request('/api/coverage?level=10&community=999999999999')).status).toBe(404);
  });
});

describe('GET /api/coverage/summary', () => {
  it('gives the wall screen the 10-minute share of households', async () => {
    const s = await get<{ level: number; share: number; households: number; coveredHouseholds: number; byCategory: { category: string; share: number }[] }>('/api/coverage/summary');
    const full = await get<CoverageReply>('/api/coverage?level=10');
    expect(s.level).toBe(10);
    expect(s.share).toBe(full.totals.share);
    expect(s.byCategory.map((c) => c.category)).toEqual(full.categories);
  });

  it('answers for one community or grid, consistent with the audit, and 404 for an unknown one', async () => {
    type Summary = { households: number; coveredHouseholds: number; share: number | null; scope: { community: string | null; grid: string | null }; byCategory: { category: string; share: number | null }[] };
    const full = await get<CoverageReply>('/api/coverage?level=10');
    const c = full.byCommunity[0];
    const s = await get<Summary>(`/api/coverage/summary?community=${c.key}`);
    expect(s.scope).toEqual({ community: c.key, grid: null });
    expect([s.households, s.coveredHouseholds]).toEqual([c.households, c.coveredHouseholds]);
    expect(s.share).toBeCloseTo(c.households ? c.coveredHouseholds / c.households : 0, 3);
    const g = full.byGrid.find((x) => x.households > 0)!;
    const gs = await get<Summary>(`/api/coverage/summary?level=10&grid=${encodeURIComponent(g.key)}`);
    expect(gs.scope).toEqual({ community: null, grid: g.key });
    expect([gs.households, gs.coveredHouseholds]).toEqual([g.households, g.coveredHouseholds]);
    // Per category: the share of the grid's households with that category within reach.
    const inGrid = full.buildings.filter((b) => b.grid === g.key);
    for (const cat of full.categories) {
      const reached = inGrid.filter((b) => b.distances[cat] !== null).reduce((a, b) => a + b.households, 0);
      expect(gs.byCategory.find((x) => x.category === cat)!.share).toBeCloseTo(reached / g.households, 3);
    }
    // The communities add up to the street.
    const street = await get<Summary>('/api/coverage/summary');
    let households = 0;
    for (const x of full.byCommunity) households += (await get<Summary>(`/api/coverage/summary?community=${x.key}`)).households;
    expect(households).toBe(street.households);
    expect((await app.request('/api/coverage/summary?community=999999999999')).status).toBe(404);
    expect((await app.request('/api/coverage/summary?grid=NOPE-1')).status).toBe(404);
    expect((await app.request('/api/coverage/summary?grid=' + encodeURIComponent('<x>'))).status).toBe(400);
  });

  it('is stored with its data signature: read back while the data is unchanged, computed again when it changes', async () => {
    type Summary = { households: number; coveredHouseholds: number };
    const first = await get<Summary>('/api/coverage/summary');
    const sig = async () => (await db.query<{ signature: string }>(`SELECT signature FROM derived_figures WHERE key LIKE 'coverage-summary/10/v3/%'`))[0]?.signature;
    const before = await sig();
    expect(before).toBeTruthy();
    // While the signature matches, the stored row is what readers get (here marked by hand) …
    // (The street's tally: one stored figure per standard holds every street's, issue #15.)
    await db.query(`UPDATE derived_figures SET value = jsonb_set(value, ARRAY['streets', $1, '1'], '-1') WHERE key LIKE 'coverage-summary/10/v3/%'`, [ds.street.code]);
    expect((await get<Summary>('/api/coverage/summary')).coveredHouseholds).toBe(-1);
    // … and a change to the data (a new school by a street) makes it stale: computed and stored again.
    const e = ds.walkEdges.find((x) => x.kind === 'local')!;
    await db.query(
      `INSERT INTO facilities (code, name, category, geom) VALUES ('TEST-LIFE-2', '测试小学', 'primary_school', ST_SetSRID(ST_MakePoint($1, $2), 4326))`,
      e.line[0],
    );
    const withSchool = await get<Summary>('/api/coverage/summary');
    expect(withSchool.coveredHouseholds).toBe((await get<CoverageReply>('/api/coverage?level=10')).totals.coveredHouseholds);
    expect(withSchool.coveredHouseholds).toBeGreaterThanOrEqual(first.coveredHouseholds);
    expect(await sig()).not.toBe(before);
    await db.query(`DELETE FROM facilities WHERE code = 'TEST-LIFE-2'`);
    expect((await get<Summary>('/api/coverage/summary')).coveredHouseholds).toBe(first.coveredHouseholds);
  });
});

describe('POST /api/coverage/sites', () => {
  it('proposes sites by greedy maximum coverage; building a canteen at the first raises coverage by its gain', async () => {
    const body = { category: 'elderly_canteen', level: 5, k: 3 };
    expect((await app.request('/api/coverage/sites', { method: 'POST', headers: as(null), body: JSON.stringify(body) })).status).toBe(401);
    expect((await app.request('/api/coverage/sites', { method: 'POST', headers: as(viewer), body: JSON.stringify(body) })).status).toBe(403);
    const res = await app.request('/api/coverage/sites', { method: 'POST', headers: as(planner), body: JSON.stringify(body) });
    expect(res.status).toBe(200);
    const r = (await res.json()) as { before: { coveredHouseholds: number }; sites: { position: [number, number]; gainHouseholds: number; shareAfter: number }[] };
    expect(r.sites).toHaveLength(3);
    const gains = r.sites.map((s) => s.gainHouseholds);
    expect([...gains].sort((a, b) => b - a)).toEqual(gains);
    expect(gains[0]).toBeGreaterThan(0);

    const before = await get<CoverageReply>('/api/coverage?level=5&category=elderly_canteen');
    await db.query(
      `INSERT INTO facilities (code, name, category, geom) VALUES ('TEST-LIFE-1', '测试长者食堂', 'elderly_canteen', ST_SetSRID(ST_MakePoint($1, $2), 4326))`,
      r.sites[0].position,
    );
    const after = await get<CoverageReply>('/api/coverage?level=5&category=elderly_canteen');
    expect(after.totals.coveredHouseholds - before.totals.coveredHouseholds).toBe(gains[0]);
    await db.query(`DELETE FROM facilities WHERE code = 'TEST-LIFE-1'`);
    expect((await get<CoverageReply>('/api/coverage?level=5&category=elderly_canteen')).totals.coveredHouseholds).toBe(before.totals.coveredHouseholds);
  });

  it('takes candidate points, and refuses candidates off the network', async () => {
    const e = ds.walkEdges.find((x) => x.kind === 'local')!;
    const post = (b: unknown) => app.request('/api/coverage/sites', { method: 'POST', headers: as(planner), body: JSON.stringify(b) });
    const ok = await post({ category: 'pharmacy', level: 5, k: 1, candidates: [e.line[0], [121.0, 37.0]] });
    expect(ok.status).toBe(400);
    expect(((await ok.json()) as { error: { code: string } }).error.code).toBe('off_network');
    const res = await post({ category: 'pharmacy', level: 5, k: 2, candidates: [e.line[0], e.line[1]] });
    expect(res.status).toBe(200);
    const r = (await res.json()) as { sites: { candidate: number }[] };
    for (const s of r.sites) expect([0, 1]).toContain(s.candidate);
    expect((await post({ category: 'pharmacy', level: 6, k: 1 })).status).toBe(400);
    expect((await post({ category: 'pharmacy', level: 5, k: 50 })).status).toBe(400);
  });
});

describe('GET /api/life-circle/network', () => {
  it('reports the topology check: the demo network is one piece, everything routed', async () => {
    const r = await get<{ nodes: number; edges: number; components: number; pieces: { nodes: number }[]; unroutedBuildings: string[] }>('/api/life-circle/network');
    expect([r.nodes, r.edges, r.components]).toEqual([ds.walkNodes.length, ds.walkEdges.length, 1]);
    expect(r.pieces[0].nodes).toBe(ds.walkNodes.length);
    expect(r.unroutedBuildings).toEqual([]);
  });

  it('reports a disconnected piece after one is added, and forgets it when removed', async () => {
    const [{ max }] = await db.query<{ max: number }>('SELECT max(id) AS max FROM walk_nodes');
    await db.transaction(async (tx) => {
      await tx.query(`INSERT INTO walk_nodes (id, geom) VALUES ($1, ST_SetSRID(ST_MakePoint(121.30, 37.50), 4326)), ($2, ST_SetSRID(ST_MakePoint(121.3005, 37.50), 4326))`, [max + 1, max + 2]);
      await tx.query(`INSERT INTO walk_edges (source, target, kind, length_m, geom) VALUES ($1, $2, 'footway', 44.2, ST_SetSRID(ST_MakeLine(ST_MakePoint(121.30, 37.50), ST_MakePoint(121.3005, 37.50)), 4326))`, [max + 1, max + 2]);
    });
    try {
      const r = await get<{ components: number; pieces: { nodes: number; sampleNodeIds: number[] }[] }>('/api/life-circle/network');
      expect(r.components).toBe(2);
      expect(r.pieces[1]).toMatchObject({ nodes: 2, sampleNodeIds: [max + 1, max + 2] });
    } finally {
      await db.query('DELETE FROM walk_edges WHERE source > $1', [max]);
      await db.query('DELETE FROM walk_nodes WHERE id > $1', [max]);
    }
    expect((await get<{ components: number }>('/api/life-circle/network')).components).toBe(1);
  });
});

describe('life-circle standard', () => {
  it('is readable by anyone and editable by street-wide planners (validated, audited), not by viewers', async () => {
    const s = await get<{ speedMPerMin: number; levels: { level: number; distanceM: number; categories: string[] }[] }>('/api/life-circle/standard');
    expect(s.levels.map((l) => [l.level, l.distanceM])).toEqual([[5, 300], [10, 500], [15, 1000]]);
    const put = (who: Session | null, b: unknown) => app.request('/api/life-circle/standard', { method: 'PUT', headers: as(who), body: JSON.stringify(b) });
    expect((await put(viewer, s)).status).toBe(403);
    const bad = await put(streetPlanner, { ...s, levels: s.levels.map((l) => ({ ...l, categories: [...l.categories, 'spaceship'] })) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('unknown_category');
    expect((await put(streetPlanner, { ...s, levels: s.levels.map((l) => ({ ...l, distanceM: 400 })) })).status).toBe(400);
    expect((await put(streetPlanner, { ...s, speedMPerMin: -1 })).status).toBe(400);

    const edited = { ...s, levels: s.levels.map((l) => (l.level === 10 ? { ...l, distanceM: 550, categories: ['primary_school'] } : l)) };
    const res = await put(streetPlanner, edited);
    expect(res.status).toBe(200);
    const cov = await get<CoverageReply>('/api/coverage?level=10');
    expect(cov.distanceM).toBe(550);
    expect(cov.categories).toEqual(['primary_school']);
    const [row] = await db.query<{ actor: string }>(`SELECT actor FROM audit_log WHERE action = 'life_circle_standard_edit' ORDER BY id DESC LIMIT 1`);
    expect(row.actor).toBe('t_street_planner');
    expect((await put(streetPlanner, s)).status).toBe(200);
  });

  it('is a street-wide setting: a community planner or community admin may not change it (issue #14.8)', async () => {
    const before = await get<unknown>('/api/life-circle/standard');
    const put = (who: Session, b: unknown) => app.request('/api/life-circle/standard', { method: 'PUT', headers: as(who), body: JSON.stringify(b) });
    const edited = { ...(before as object), speedMPerMin: 75 };
    for (const who of [planner, await signInAs(app, 't_community_admin')]) {
      const res = await put(who, edited);
      expect(res.status).toBe(403);
      const err = ((await res.json()) as { error: { code: string; message: string } }).error;
      expect(err.code).toBe('out_of_scope');
      expect(err.message).toMatch(/[\u4e00-\u9fff].* \/ .*street-wide/);
    }
    expect(await get<unknown>('/api/life-circle/standard')).toEqual(before);
  });
});
