/**
 * Importers through the real API on the sample files in data/samples/: dry run (counts, per-row
 * errors, preview, nothing written), the write (one transaction, all or nothing — a failure is
 * injected with a trigger), re-import updating by code, CRS handling (GCJ-02, GK zone 40 .prj),
 * GBK text, remembered column mappings, roles and the upload size limit.
 */
import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distanceM, gcj02ToWgs84 } from '../../geo/crs/index.js';
import type { Database } from '../../server/db/client.js';
import { type Session, signIn } from '../helpers/auth.js';
import { isolatedApp } from '../helpers/isolated-db.js';

type Ctx = Awaited<ReturnType<typeof isolatedApp>>;
let ctx: Ctx;
let db: Database;
let admin: Session;

const sample = (name: string) => new Uint8Array(readFileSync(new URL(`../../data/samples/${name}`, import.meta.url)));

interface Result {
  written: boolean;
  format: string;
  encoding?: string;
  mapping: Record<string, string>;
  mappingSource: string;
  crs: { used: string | null; guess: { crs: string; confirm: boolean } | null; prj?: { name: string; epsg: number | null } };
  counts: { records: number; valid: number; errors: number; inserts: number; updates: number; repaired: number; nodes?: number; skipped?: number };
  errors: Array<{ row: number; field?: string; zh: string; en: string }>;
  skipped?: Array<{ osmId: string; zh: string; en: string }>;
  repaired: Array<{ row: number; reason: string }>;
  preview: { type: string; features: Array<{ geometry: { type: string }; properties: Record<string, unknown> }> };
}

async function upload(s: Session | null, file: string | { name: string; bytes: Uint8Array }, query: string, mapping?: Record<string, string>) {
  const form = new FormData();
  const f = typeof file === 'string' ? { name: file, bytes: sample(file) } : file;
  form.append('file', new File([f.bytes as Uint8Array<ArrayBuffer>], f.name));
  if (mapping) form.append('mapping', JSON.stringify(mapping));
  return ctx.app.request(`/api/import?${query}`, {
    method: 'POST',
    body: form,
    headers: s ? { cookie: s.cookie, 'x-csrf-token': s.csrf } : {},
  });
}

async function ok(res: Response): Promise<Result> {
  const body = await res.json();
  expect(res.status, JSON.stringify(body).slice(0, 500)).toBe(200);
  return body as Result;
}

const n = async (sql: string, params: unknown[] = []) => (await db.query<{ n: number }>(sql, params))[0].n;

beforeAll(async () => {
  ctx = await isolatedApp('import');
  db = ctx.db;
  admin = await signIn(ctx.app, 'admin');
});
afterAll(async () => {
  await ctx?.close();
});

describe('GBK CSV roster (households per unit)', () => {
  it('dry run: GB18030 detected, headers mapped, two rows rejected with reasons, nothing written', async () => {
    const r = await ok(await upload(admin, 'roster-gbk.csv', 'layer=households&dryRun=1'));
    expect(r).toMatchObject({ written: false, format: 'csv', encoding: 'gb18030', mappingSource: 'suggested' });
    expect(r.mapping).toMatchObject({ building: '楼栋号', unit: '单元', households: '户数', residents: '人口', partyMembers: '党员数', compound: '小区', community: '社区' });
    expect(r.counts).toMatchObject({ records: 70, valid: 68, errors: 2, inserts: 68, updates: 0 });
    expect(r.errors.map((e) => [e.row, e.field])).toEqual([[70, 'building'], [71, '户数']]);
    expect(r.errors[0].zh).toContain('99号楼');
    expect(await n('SELECT count(*)::int AS n FROM building_unit_rosters')).toBe(0);
  });

  it('write, then re-import: the second run updates the same 68 units instead of duplicating', async () => {
    const first = await ok(await upload(admin, 'roster-gbk.csv', 'layer=households'));
    expect(first).toMatchObject({ written: true, counts: { inserts: 68, updates: 0 } });
    expect(await n('SELECT count(*)::int AS n FROM building_unit_rosters')).toBe(68);
    // Building totals follow the roster (sum over its units).
    expect(await n(`SELECT count(*)::int AS n FROM buildings b JOIN (SELECT building_id, sum(households) AS h FROM building_unit_rosters GROUP BY 1) s
      ON s.building_id = b.id WHERE b.households <> s.h`)).toBe(0);
    const again = await ok(await upload(admin, 'roster-gbk.csv', 'layer=households'));
    expect(again.counts).toMatchObject({ inserts: 0, updates: 68 });
    expect(await n('SELECT count(*)::int AS n FROM building_unit_rosters')).toBe(68);
    expect(await n(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'import'`)).toBe(2);
  });
});

describe('XLSX roster with other headers', () => {
  it('suggests the mapping from 楼栋编码/单元号/总户数/常住人口/党员人数 and rejects impossible rows', async () => {
    const r = await ok(await upload(admin, 'roster.xlsx', 'layer=households&dryRun=1'));
    expect(r.mapping).toMatchObject({ building: '楼栋编码', unit: '单元号', households: '总户数', residents: '常住人口', partyMembers: '党员人数' });
    expect(r.counts.errors).toBe(2);
    expect(r.errors.map((e) => e.field)).toEqual(['单元号', '党员人数']);
  });

  it('a chosen mapping is remembered for the same headers', async () => {
    const mapping = { building: '楼栋编码', unit: '单元号', households: '总户数', residents: '常住人口' };
    const w = await ok(await upload(admin, 'roster.xlsx', 'layer=households', mapping));
    expect(w.written).toBe(true);
    const next = await ok(await upload(admin, 'roster.xlsx', 'layer=households&dryRun=1'));
    expect(next.mappingSource).toBe('remembered');
    expect(next.mapping).toEqual(mapping);
  });
});

describe('GCJ-02 GeoJSON facilities', () => {
  it('lng/lat is ambiguous: the dry run suggests GCJ-02 from the file name, the write insists on a confirmed CRS', async () => {
    const dry = await ok(await upload(admin, 'facilities-gcj02.geojson', 'layer=facilities&dryRun=1'));
    expect(dry.crs.guess).toMatchObject({ crs: 'GCJ02', confirm: true });
    expect(dry.counts).toMatchObject({ records: 14, valid: 12, errors: 2 });
    expect(dry.errors.map((e) => [e.row, e.field])).toEqual([[13, 'geometry'], [14, 'category']]);
    expect(dry.errors[0].en).toBe('empty geometry');
    expect(dry.preview.features).toHaveLength(12);
    const res = await upload(admin, 'facilities-gcj02.geojson', 'layer=facilities');
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('crs_required');
    expect(await n(`SELECT count(*)::int AS n FROM facilities WHERE code LIKE 'AMAP-%'`)).toBe(0);
  });

  it('with crs=gcj02 positions are stored in WGS84 (hundreds of metres from the raw numbers)', async () => {
    const r = await ok(await upload(admin, 'facilities-gcj02.geojson', 'layer=facilities&crs=gcj02'));
    expect(r.counts.inserts).toBe(12);
    const file = JSON.parse(new TextDecoder().decode(sample('facilities-gcj02.geojson')));
    const first = file.features[0];
    const [row] = await db.query<{ x: number; y: number; category: string }>(
      `SELECT ST_X(geom) AS x, ST_Y(geom) AS y, category FROM facilities WHERE code = $1`, [first.properties['编号']]);
    const raw = first.geometry.coordinates as [number, number];
    expect(distanceM([row.x, row.y], gcj02ToWgs84(raw))).toBeLessThan(0.05);
    expect(distanceM([row.x, row.y], raw)).toBeGreaterThan(100);
    expect(row.category).toBe('parcel_locker'); // 类别 快递柜 → category code by its Chinese name
  });

  it('all or nothing: a failure on the last row of the write leaves every row as it was', async () => {
    await db.query(`CREATE OR REPLACE FUNCTION import_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.code = 'TX-5' THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$`);
    await db.query(`CREATE TRIGGER import_test_fail BEFORE INSERT OR UPDATE ON facilities FOR EACH ROW EXECUTE FUNCTION import_test_fail()`);
    try {
      const file = JSON.parse(new TextDecoder().decode(sample('facilities-gcj02.geojson')));
      const renamed = file.features.slice(0, 3).map((f: { properties: Record<string, string> }) => ({ ...f, properties: { ...f.properties, 名称: '改名后' } }));
      const extra = [1, 2, 3, 4, 5].map((i) => ({ ...file.features[i], properties: { ...file.features[i].properties, 编号: `TX-${i}` } }));
      const bytes = new TextEncoder().encode(JSON.stringify({ type: 'FeatureCollection', features: [...renamed, ...extra] }));
      const res = await upload(admin, { name: 'gcj02-fail.geojson', bytes }, 'layer=facilities&crs=gcj02');
      expect(res.status).toBe(500);
      expect(await n(`SELECT count(*)::int AS n FROM facilities WHERE code LIKE 'TX-%'`)).toBe(0);
      expect(await n(`SELECT count(*)::int AS n FROM facilities WHERE name = '改名后'`)).toBe(0);
      expect(await n(`SELECT count(*)::int AS n FROM facilities WHERE code LIKE 'AMAP-%'`)).toBe(12);
    } finally {
      await db.query('DROP TRIGGER import_test_fail ON facilities');
    }
  });
});

describe('survey-bureau shapefile (CGCS2000 GK zone 40 .prj, GBK attributes without .cpg)', () => {
  it('reprojects by the .prj, decodes GBK, repairs the bow-tie, rejects the degenerate ring; re-import updates', async () => {
    const before = await db.query<{ floors: number }>(`SELECT floors FROM buildings WHERE code = '370602001003-B0001'`);
    const r = await ok(await upload(admin, 'buildings-cgcs2000-gk40.zip', 'layer=buildings'));
    // The ESRI .prj "CGCS2000_3_Degree_GK_Zone_40" is named by the EPSG code it is (issue #16).
    expect(r).toMatchObject({ format: 'shapefile', encoding: 'gb18030', crs: { used: 'EPSG:4528', prj: { name: 'CGCS2000_3_Degree_GK_Zone_40', epsg: 4528 } } });
    expect(r.mapping).toMatchObject({ code: '编码', number: '楼栋号', floors: '层数' });
    expect(r.counts).toMatchObject({ records: 23, valid: 22, updates: 20, inserts: 2, repaired: 1, errors: 1 });
    expect(r.repaired[0]).toMatchObject({ row: 22 });
    expect(r.repaired[0].reason).toMatch(/Self-intersection/i);
    expect(r.errors[0]).toMatchObject({ row: 23, field: 'geometry' });
    const [after] = await db.query<{ floors: number; number: string; valid: boolean; community: string }>(
      `SELECT b.floors, b.number, ST_IsValid(b.geom) AS valid, c.code AS community FROM buildings b JOIN communities c ON c.id = b.community_id
       WHERE b.code = '370602001003-B0001'`);
    expect(after.floors).toBe(before[0].floors + 1);
    expect(after.number).toBe('1号楼');
    expect(after.community).toBe('370602001003');
    expect(await n(`SELECT count(*)::int AS n FROM buildings WHERE code LIKE '%-B900%' AND ST_IsValid(geom)`)).toBe(2);
    const again = await ok(await upload(admin, 'buildings-cgcs2000-gk40.zip', 'layer=buildings'));
    expect(again.counts).toMatchObject({ inserts: 0, updates: 22 });
  });

  it('a community planner importing into another community is refused as a whole: 403, bilingual, nothing written', async () => {
    const planner = await signIn(ctx.app, 'planner');
    const before = await n('SELECT count(*)::int AS n FROM buildings');
    for (const query of ['layer=buildings&dryRun=1', 'layer=buildings']) {
      const res = await upload(planner, 'buildings-cgcs2000-gk40.zip', query);
      expect(res.status).toBe(403);
      const body = await res.json();
      expect(body.error.code).toBe('out_of_scope');
      const [{ name }] = await db.query<{ name: string }>(`SELECT name FROM communities WHERE code = '370602001003'`);
      expect(body.error.message).toContain(name);
      expect(body.error.message).toMatch(/22 行.*整个文件未导入.* \/ 22 row\(s\).*Nothing was imported/);
      expect(body.error.rows).toHaveLength(22);
    }
    expect(await n('SELECT count(*)::int AS n FROM buildings')).toBe(before);
  });
});

describe('OpenStreetMap XML and PBF', () => {
  it('buildings, facilities by tag and the walk network; re-importing the network finds the same nodes', async () => {
    const b = await ok(await upload(admin, 'yantai-sample.osm', 'layer=buildings'));
    // 4 ways + the courtyard multipolygon; the multipolygon whose ring does not close is skipped.
    expect(b.counts).toMatchObject({ valid: 5, inserts: 5, errors: 0, skipped: 1 });
    expect(b.skipped?.[0]).toMatchObject({ osmId: 'osm-relation-700000002' });
    expect(b.skipped?.[0].en).toMatch(/outer ring does not close/);
    const [court] = await db.query<{ parts: number; holes: number; name: string; floors: number; valid: boolean }>(
      `SELECT ST_NumGeometries(geom) AS parts, ST_NumInteriorRings(ST_GeometryN(geom, 1)) AS holes, name, floors, ST_IsValid(geom) AS valid
       FROM buildings WHERE code = 'osm-relation-700000001'`);
    expect(court).toEqual({ parts: 1, holes: 1, name: '滨海花园回字楼', floors: 4, valid: true });
    const [school] = await db.query<{ use: string; floors: number }>(`SELECT use, floors FROM buildings WHERE name = '海滨小学'`);
    expect(school).toEqual({ use: 'school', floors: 9 });
    const f = await ok(await upload(admin, 'yantai-sample.osm', 'layer=facilities'));
    expect(f.counts).toMatchObject({ valid: 3, errors: 0, skipped: 1 }); // amenity=bench: not a facility category, left out
    expect((await db.query<{ category: string }>(`SELECT category FROM facilities WHERE code LIKE 'osm-node-%' ORDER BY code`)).map((x) => x.category))
      .toEqual(['pharmacy', 'convenience', 'bus_stop']);
    const nodes = await n('SELECT count(*)::int AS n FROM walk_nodes');
    const edges = await n('SELECT count(*)::int AS n FROM walk_edges');
    const w = await ok(await upload(admin, 'yantai-sample.osm', 'layer=walk'));
    // The footway is split where the road and the path leave it (2 pieces) + road + path = 4 edges
    // between 5 nodes; the motorway is not walkable.
    expect(w.counts).toMatchObject({ inserts: 4, nodes: 5 });
    expect(await n('SELECT count(*)::int AS n FROM walk_nodes')).toBe(nodes + 5);
    const again = await ok(await upload(admin, 'yantai-sample.osm', 'layer=walk'));
    expect(again.counts).toMatchObject({ inserts: 0, updates: 4, nodes: 0 });
    expect(await n('SELECT count(*)::int AS n FROM walk_edges')).toBe(edges + 4);
  });

  it('the .osm.pbf of the same extract finds exactly the rows the .osm wrote (updates, no inserts)', async () => {
    const b = await ok(await upload(admin, 'yantai-sample.osm.pbf', 'layer=buildings&dryRun=1'));
    expect(b).toMatchObject({ format: 'osm-pbf', crs: { used: 'EPSG:4326' } });
    expect(b.counts).toMatchObject({ valid: 5, inserts: 0, updates: 5, skipped: 1 });
    const f = await ok(await upload(admin, 'yantai-sample.osm.pbf', 'layer=facilities&dryRun=1'));
    expect(f.counts).toMatchObject({ valid: 3, errors: 0, skipped: 1, inserts: 0, updates: 3 });
    const w = await ok(await upload(admin, 'yantai-sample.osm.pbf', 'layer=walk&dryRun=1'));
    expect(w.counts).toMatchObject({ inserts: 0, updates: 4, nodes: 0 });
  });

  it('a truncated .osm.pbf is a 400 invalid_file with a bilingual message', async () => {
    const bytes = sample('yantai-sample.osm.pbf');
    const res = await upload(admin, { name: 'cut.osm.pbf', bytes: bytes.slice(0, bytes.length - 100) }, 'layer=buildings&dryRun=1');
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe('invalid_file');
    expect(body.error.message).toMatch(/损坏.* \/ .*corrupt/);
  });
});

describe('access and limits', () => {
  it('viewers and anonymous callers may not import; planners may not import the street-wide walk network', async () => {
    expect((await upload(null, 'roster-gbk.csv', 'layer=households&dryRun=1')).status).toBe(401);
    expect((await upload(await signIn(ctx.app, 'viewer'), 'roster-gbk.csv', 'layer=households&dryRun=1')).status).toBe(403);
    expect((await upload(await signIn(ctx.app, 'planner'), 'yantai-sample.osm', 'layer=walk&dryRun=1')).status).toBe(403);
  });

  it('a planner may import a file of their own community; one row elsewhere refuses the whole file', async () => {
    const planner = await signIn(ctx.app, 'planner');
    const own = await ok(await upload(planner, 'roster-gbk.csv', 'layer=households&dryRun=1'));
    expect(own.counts).toMatchObject({ valid: 68, errors: 2 });
    const text = iconv.decode(Buffer.from(sample('roster-gbk.csv')), 'gb18030');
    const ownCommunity = text.split(/\r?\n/)[1].split(',')[0];
    const [other] = await db.query<{ community: string; compound: string; number: string }>(
      `SELECT c.short_name AS community, k.name AS compound, b.number FROM buildings b JOIN communities c ON c.id = b.community_id
       JOIN compounds k ON k.id = b.compound_id WHERE c.short_name <> $1 ORDER BY b.code LIMIT 1`, [ownCommunity]);
    const mixed = new TextEncoder().encode(`${text.trimEnd()}\r\n${other.community},${other.compound},${other.number},1单元,10,20,1\r\n`);
    const audits = await n(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'import'`);
    const rosters = await n('SELECT count(*)::int AS n FROM building_unit_rosters');
    const res = await upload(planner, { name: 'mixed.csv', bytes: mixed }, 'layer=households');
    expect(res.status).toBe(403);
    const body = await res.json();
    expect(body.error).toMatchObject({ code: 'out_of_scope', rows: [{ row: 72 }] });
    expect(body.error.message).toMatch(/第 72 行.*\/.*row 72/);
    expect(await n(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'import'`)).toBe(audits);
    expect(await n('SELECT count(*)::int AS n FROM building_unit_rosters')).toBe(rosters);
  });

  it('bad input is a 400 with a bilingual message', async () => {
    const bad = await upload(admin, { name: 'x.geojson', bytes: new TextEncoder().encode('{not json') }, 'layer=facilities&dryRun=1');
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/GeoJSON.*\/.*JSON/);
    expect((await upload(admin, 'roster-gbk.csv', 'layer=nope&dryRun=1')).status).toBe(400);
    expect((await upload(admin, { name: 'a.doc', bytes: new Uint8Array([1]) }, 'layer=buildings&dryRun=1')).status).toBe(400);
    expect((await upload(admin, 'roster-gbk.csv', 'layer=households&dryRun=1', { building: '没有这列' })).status).toBe(400);
  });

  it('uploads above the 1 MB API limit are accepted on this route only', async () => {
    const header = '社区,小区,楼栋号,单元,户数,人口,党员数\n';
    const big = new TextEncoder().encode(header + '友谊街社区,某小区,1号楼,1单元,10,20,1\n'.repeat(40_000));
    expect(big.length).toBeGreaterThan(1024 * 1024);
    const t0 = Date.now();
    const r = await upload(admin, { name: 'big.csv', bytes: big }, 'layer=households&dryRun=1');
    expect(r.status).toBe(200);
    console.log(`[import] 40,000-row CSV dry run: ${Date.now() - t0} ms over HTTP, ${(await r.json()).ms} ms in runImport`);
    const json = await ctx.app.request('/api/plans', {
      method: 'POST', body: JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10) }),
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf, 'content-type': 'application/json' },
    });
    expect(json.status).toBe(413);
  });
});
