/**
 * Issue #15.2: the `boundaries` import layer — districts, streets and communities from GeoJSON,
 * DataV (GCJ-02, adcode / parent.adcode), Shapefile and CSV with a WKT column; parents from the
 * code prefix or containment; update by code keeping ids, buildings re-derived when a community's
 * outline changes (dry run reports it, nothing written); per-row errors; street-wide access only.
 */
import type { Feature, Polygon, Position } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gcj02ToWgs84, wgs84ToGcj02 } from '../../geo/crs/index.js';
import { writeShapefileZip } from '../../data/formats/shapefile-write.js';
import type { Database } from '../../server/db/client.js';
import { type Session, signIn } from '../helpers/auth.js';
import { isolatedApp } from '../helpers/isolated-db.js';

type Ctx = Awaited<ReturnType<typeof isolatedApp>>;
interface Entry { row: number; code: string; level: string; id: number; status: string; parent: string | null; parentBy: string | null }
interface Result {
  written: boolean;
  counts: { valid: number; errors: number; inserts: number; updates: number; repaired: number };
  errors: Array<{ row: number; field?: string; zh: string; en: string }>;
  repaired: Array<{ row: number; reason: string }>;
  boundaries: {
    boundaries: Entry[]; counts: { new: number; updated: number; unchanged: number };
    membership: { moved: { count: number; codes: string[] }; orphaned: { count: number; codes: string[] }; planOutdated: boolean };
  };
}

async function upload(ctx: Ctx, s: Session, name: string, bytes: Uint8Array | string, query: string) {
  const form = new FormData();
  const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  form.append('file', new File([data as Uint8Array<ArrayBuffer>], name));
  return ctx.app.request(`/api/import?layer=boundaries&${query}`, { method: 'POST', body: form, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } });
}
async function ok(res: Response): Promise<Result> {
  const body = await res.json();
  expect(res.status, JSON.stringify(body).slice(0, 800)).toBe(200);
  return body as Result;
}

/** A square ring, `w` degrees wide, with its south-west corner at (x, y). */
const square = (x: number, y: number, w: number): Position[][] => [[[x, y], [x + w, y], [x + w, y + w], [x, y + w], [x, y]]];
const feature = (props: Record<string, unknown>, coordinates: Position[][]): Feature => ({ type: 'Feature', properties: props, geometry: { type: 'Polygon', coordinates } });
const collection = (features: Feature[]) => JSON.stringify({ type: 'FeatureCollection', features });

describe('boundaries into an empty database (a city the project has never seen)', () => {
  let ctx: Ctx;
  let db: Database;
  let admin: Session;
  beforeAll(async () => {
    ctx = await isolatedApp('bnd_empty', { empty: true });
    db = ctx.db;
    admin = await signIn(ctx.app, 'admin');
  });
  afterAll(async () => ctx?.close());

  it('imports districts, streets and communities from one GeoJSON, parents from codes or containment', async () => {
    expect((await db.query('SELECT 1 FROM streets')).length).toBe(0);
    // 东城区 (Beijing): two streets side by side, three communities; one community code whose
    // prefix names no street (110101099) lies inside 110101002 and is placed there by containment.
    const file = collection([
      feature({ name: '安定门街道', code: '110101001' }, square(116.40, 39.94, 0.02)),
      feature({ name: '交道口社区', code: '110101001001' }, square(116.40, 39.94, 0.01)),
      feature({ name: '东城区', code: '110101' }, square(116.39, 39.93, 0.05)),
      feature({ name: '北锣鼓巷社区居民委员会', code: '110101001002' }, square(116.41, 39.94, 0.01)),
      feature({ name: '和平里街道', code: '110101002' }, square(116.42, 39.94, 0.02)),
      feature({ name: '和平里一区社区', code: '110101099001' }, square(116.425, 39.945, 0.01)),
    ]);
    const dry = await ok(await upload(ctx, admin, 'dongcheng.geojson', file, 'crs=wgs84&dryRun=1'));
    expect(dry.errors).toEqual([]);
    expect(dry.boundaries.counts).toEqual({ new: 6, updated: 0, unchanged: 0 });
    expect((await db.query('SELECT 1 FROM districts')).length).toBe(0);
    const res = await ok(await upload(ctx, admin, 'dongcheng.geojson', file, 'crs=wgs84'));
    expect(res.written).toBe(true);
    const byCode = new Map(res.boundaries.boundaries.map((e) => [e.code, e]));
    expect(byCode.get('110101001001')).toMatchObject({ parent: '110101001', parentBy: 'code', status: 'new' });
    expect(byCode.get('110101002')).toMatchObject({ parent: '110101', parentBy: 'code' });
    expect(byCode.get('110101099001')).toMatchObject({ parent: '110101002', parentBy: 'containment' });
    const tree = await db.query<{ c: string; short: string; s: string; d: string }>(`
      SELECT c.code AS c, c.short_name AS short, s.code AS s, d.code AS d FROM communities c JOIN streets s ON s.id = c.street_id
      JOIN districts d ON d.id = s.district_id ORDER BY c.code`);
    expect(tree).toEqual([
      { c: '110101001001', short: '交道口社区', s: '110101001', d: '110101' },
      { c: '110101001002', short: '北锣鼓巷社区', s: '110101001', d: '110101' },
      { c: '110101099001', short: '和平里一区社区', s: '110101002', d: '110101' },
    ]);
    // Buildings of that city now find their community instead of "lies in no community".
    const building = collection([feature({ code: 'BJ-1', floors: 6 }, square(116.402, 39.942, 0.0003))]);
    const form = new FormData();
    form.append('file', new File([new TextEncoder().encode(building)], 'b.geojson'));
    const b = await ok(await ctx.app.request('/api/import?layer=buildings&crs=wgs84', { method: 'POST', body: form, headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf } }));
    expect(b.counts).toMatchObject({ valid: 1, errors: 0 });
    expect((await db.query<{ code: string }>('SELECT c.code FROM buildings b JOIN communities c ON c.id = b.community_id'))[0].code).toBe('110101001001');
  });

  it('reads a shapefile (made by the repo\'s writer) and a CSV with a WKT column', async () => {
    const shp = writeShapefileZip([
      feature({ CODE: '110101003', NAME: '东华门街道' }, square(116.40, 39.90, 0.02)),
      feature({ CODE: '110101003001', NAME: '多福巷社区' }, square(116.40, 39.90, 0.01)),
    ], { name: 'streets', kind: 'polygon' });
    const s = await ok(await upload(ctx, admin, 'streets.zip', shp, 'crs=wgs84'));
    expect(s.errors).toEqual([]);
    expect(s.boundaries.counts.new).toBe(2);
    const wkt = 'POLYGON((116.41 39.90, 116.42 39.90, 116.42 39.91, 116.41 39.91, 116.41 39.90))';
    const csv = `区划代码,名称,级别,WKT\n110101003002,银闸社区,社区,"${wkt}"\n`;
    const c = await ok(await upload(ctx, admin, 'communities.csv', csv, 'crs=wgs84'));
    expect(c.errors).toEqual([]);
    expect(c.boundaries.boundaries[0]).toMatchObject({ code: '110101003002', parent: '110101003', status: 'new' });
    const [row] = await db.query<{ street: string; area: number }>(`SELECT s.code AS street, ST_Area(c.geom) AS area
      FROM communities c JOIN streets s ON s.id = c.street_id WHERE c.code = '110101003002'`);
    expect(row.street).toBe('110101003');
    expect(row.area).toBeCloseTo(0.0001, 8);
  });
});

describe('boundaries on the demo street', () => {
  let ctx: Ctx;
  let db: Database;
  let admin: Session;
  const n = async (sql: string, params: unknown[] = []) => (await db.query<{ n: number }>(sql, params))[0].n;
  beforeAll(async () => {
    ctx = await isolatedApp('bnd_demo');
    db = ctx.db;
    admin = await signIn(ctx.app, 'admin');
  });
  afterAll(async () => ctx?.close());

  it('the seed records the street\'s district, 370602 芝罘区', async () => {
    expect(await db.query('SELECT d.code, d.name FROM streets s JOIN districts d ON d.id = s.district_id')).toEqual([{ code: '370602', name: '芝罘区' }]);
  });

  it('takes a DataV file (GCJ-02, adcode, parent.adcode) and updates the district by code', async () => {
    const [box] = await db.query<{ x0: number; y0: number; x1: number; y1: number }>(
      'SELECT ST_XMin(geom) - 0.01 AS x0, ST_YMin(geom) - 0.01 AS y0, ST_XMax(geom) + 0.01 AS x1, ST_YMax(geom) + 0.01 AS y1 FROM streets');
    const ring = [[box.x0, box.y0], [box.x1, box.y0], [box.x1, box.y1], [box.x0, box.y1], [box.x0, box.y0]].map((p) => wgs84ToGcj02(p as [number, number]));
    // The structure of DataV's areas_v3 files (e.g. 370600_full.json): MultiPolygon, adcode as a number.
    const datav = JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: {
      adcode: 370602, name: '芝罘区', center: [121.38, 37.54], centroid: [121.37, 37.5], childrenNum: 0, level: 'district',
      parent: { adcode: 370600 }, subFeatureIndex: 0, acroutes: [100000, 370000, 370600] }, geometry: { type: 'MultiPolygon', coordinates: [[ring]] } }] });
    const [before] = await db.query<{ id: number }>("SELECT id FROM districts WHERE code = '370602'");
    // Without crs the DataV structure suggests GCJ-02; the write still asks for confirmation.
    const guessed = (await (await upload(ctx, admin, '370600_full.json', datav, 'dryRun=1')).json()) as { crs: { guess: { crs: string; confirm: boolean } } };
    expect(guessed.crs.guess).toMatchObject({ crs: 'GCJ02', confirm: true });
    expect((await upload(ctx, admin, '370600_full.json', datav, '')).status).toBe(400);
    const res = await ok(await upload(ctx, admin, '370600_full.json', datav, 'crs=gcj02'));
    expect(res.errors).toEqual([]);
    expect(res.boundaries.boundaries).toMatchObject([{ code: '370602', level: 'district', status: 'updated', id: before.id }]);
    const [x] = await db.query<{ x: number; y: number }>("SELECT ST_XMin(geom) AS x, ST_YMin(geom) AS y FROM districts WHERE code = '370602'");
    const back = gcj02ToWgs84(ring[0]);
    expect(x.x).toBeCloseTo(back[0], 5);
    expect(x.y).toBeCloseTo(back[1], 5);
    expect(Math.abs(x.x - ring[0][0])).toBeGreaterThan(0.001); // converted, not stored as GCJ-02
    const again = await ok(await upload(ctx, admin, '370600_full.json', datav, 'crs=gcj02&dryRun=1'));
    expect(again.boundaries.counts).toEqual({ new: 0, updated: 0, unchanged: 1 });
  });

  it('a moved community boundary: the dry run reports the buildings that move, the import moves them keeping ids', async () => {
    const [c0, c1] = ctx.dataset.communities;
    const ids = await db.query<{ code: string; id: number }>('SELECT code, id FROM communities ORDER BY id');
    // A 80 m box around a building of the second community goes to the first.
    const [b] = await db.query<{ code: string; x: number; y: number }>(`SELECT b.code, ST_X(ST_PointOnSurface(b.geom)) AS x, ST_Y(ST_PointOnSurface(b.geom)) AS y
      FROM buildings b JOIN communities c ON c.id = b.community_id WHERE c.code = $1 ORDER BY b.id LIMIT 1`, [c1.code]);
    const box = `ST_MakeEnvelope(${b.x - 0.0005}, ${b.y - 0.0004}, ${b.x + 0.0005}, ${b.y + 0.0004}, 4326)`;
    const geo = await db.query<{ code: string; name: string; g: string }>(`
      SELECT code, name, ST_AsGeoJSON(CASE WHEN code = $1 THEN ST_Union(geom, ${box}) ELSE ST_Difference(geom, ${box}) END, 9) AS g
      FROM communities WHERE code IN ($1, $2) ORDER BY code`, [c0.code, c1.code]);
    const expected = (await db.query<{ code: string }>(`SELECT b.code FROM buildings b JOIN communities c ON c.id = b.community_id
      WHERE c.code = $1 AND ST_Intersects(ST_PointOnSurface(b.geom), ${box}) ORDER BY b.code`, [c1.code])).map((r) => r.code);
    expect(expected).toContain(b.code);
    const file = JSON.stringify({ type: 'FeatureCollection', features: geo.map((r) => ({ type: 'Feature', properties: { code: r.code, name: r.name }, geometry: JSON.parse(r.g) })) });
    const stats = async (code: string) => ((await (await ctx.app.request(`/api/stats?community=${code}`)).json()) as { buildings: number }).buildings;
    const [s0, s1] = [await stats(c0.code), await stats(c1.code)];

    const version = () => n('SELECT max(id)::int AS n FROM data_changes');
    const v0 = await version();
    const dry = await ok(await upload(ctx, admin, 'moved.geojson', file, 'crs=wgs84&dryRun=1'));
    expect(dry.written).toBe(false);
    expect(await version()).toBe(v0); // the dry run's transaction was rolled back
    expect(dry.boundaries.counts).toEqual({ new: 0, updated: 2, unchanged: 0 });
    expect(dry.boundaries.membership.moved.count).toBe(expected.length);
    expect(dry.boundaries.membership.moved.codes).toEqual(expected.slice(0, 10));
    expect(dry.boundaries.membership.orphaned.count).toBe(0);
    expect(dry.boundaries.membership.planOutdated).toBe(true);
    expect(await n('SELECT count(*)::int AS n FROM buildings b JOIN communities c ON c.id = b.community_id WHERE c.code = $1 AND b.code = ANY ($2)', [c1.code, expected])).toBe(expected.length);

    const res = await ok(await upload(ctx, admin, 'moved.geojson', file, 'crs=wgs84'));
    expect(res.boundaries.membership.moved.count).toBe(expected.length);
    expect(await db.query('SELECT code, id FROM communities ORDER BY id')).toEqual(ids);
    expect(await n('SELECT count(*)::int AS n FROM buildings b JOIN communities c ON c.id = b.community_id WHERE c.code = $1 AND b.code = ANY ($2)', [c0.code, expected])).toBe(expected.length);
    expect(await stats(c0.code)).toBe(s0 + expected.length);
    expect(await stats(c1.code)).toBe(s1 - expected.length);
    const [audit] = await db.query<{ detail: { file: string } }>("SELECT detail FROM audit_log WHERE action = 'import' AND target_id = 'boundaries' ORDER BY id DESC LIMIT 1");
    expect(audit.detail.file).toBe('moved.geojson');
    expect(await version()).toBeGreaterThan(v0); // caches keyed on the data version refresh
  });

  it('buildings a shrunk community leaves outside every community are reported and stay where they were', async () => {
    const c2 = ctx.dataset.communities[2];
    const [b] = await db.query<{ x: number; y: number }>(`SELECT ST_X(ST_PointOnSurface(b.geom)) AS x, ST_Y(ST_PointOnSurface(b.geom)) AS y
      FROM buildings b JOIN communities c ON c.id = b.community_id WHERE c.code = $1 ORDER BY b.id LIMIT 1`, [c2.code]);
    const box = `ST_MakeEnvelope(${b.x - 0.0003}, ${b.y - 0.0003}, ${b.x + 0.0003}, ${b.y + 0.0003}, 4326)`;
    const [g] = await db.query<{ name: string; g: string }>(`SELECT name, ST_AsGeoJSON(ST_Difference(geom, ${box}), 9) AS g FROM communities WHERE code = $1`, [c2.code]);
    const expected = (await db.query<{ code: string }>(`SELECT b.code FROM buildings b JOIN communities c ON c.id = b.community_id
      WHERE c.code = $1 AND ST_Intersects(ST_PointOnSurface(b.geom), ${box}) ORDER BY b.code`, [c2.code])).map((r) => r.code);
    const file = JSON.stringify({ type: 'Feature', properties: { code: c2.code, name: g.name }, geometry: JSON.parse(g.g) });
    const res = await ok(await upload(ctx, admin, 'hole.geojson', file, 'crs=wgs84'));
    expect(res.boundaries.membership.orphaned).toEqual({ count: expected.length, codes: expected.slice(0, 10) });
    expect(res.boundaries.membership.moved.count).toBe(0);
    expect(await n('SELECT count(*)::int AS n FROM buildings b JOIN communities c ON c.id = b.community_id WHERE c.code = $1 AND b.code = ANY ($2)', [c2.code, expected])).toBe(expected.length);
  });

  it('reports per-row errors in Chinese and English and writes none of the bad rows', async () => {
    const [street] = await db.query<{ x: number; y: number }>('SELECT ST_X(ST_PointOnSurface(geom)) AS x, ST_Y(ST_PointOnSurface(geom)) AS y FROM streets');
    const inside = square(street.x, street.y, 0.001);
    const bowtie: Position[][] = [[[street.x, street.y], [street.x + 0.001, street.y + 0.001], [street.x + 0.001, street.y], [street.x, street.y + 0.001], [street.x, street.y]]];
    const flat: Position[][] = [[[street.x, street.y], [street.x + 0.001, street.y], [street.x + 0.002, street.y], [street.x, street.y]]];
    const file = collection([
      feature({ code: '37060200', name: '八位' }, inside), // row 1: not 6/9/12 digits
      feature({ code: '370602', name: '芝罘区', level: 'street' }, inside), // row 2: level contradicts the code
      feature({ code: '370602001090', name: '上级不存在', parent: '370602099' }, inside), // row 3: parent not found
      feature({ code: '370602001091', name: '零面积' }, flat), // row 4: nothing left after repair
      feature({ code: '370602001092', name: '远处社区' }, square(street.x + 0.1, street.y, 0.001)), // row 5: ~9 km off its street
      feature({ code: '370602001093', name: '自相交社区' }, bowtie), // row 6: repaired and imported
      feature({ code: '370602001093', name: '重复' }, inside), // row 7: duplicate code
    ]);
    const before = await n('SELECT count(*)::int AS n FROM communities');
    const res = await ok(await upload(ctx, admin, 'bad.geojson', file, 'crs=wgs84'));
    const rows = res.errors.map((e) => e.row);
    expect(rows).toEqual([1, 2, 3, 4, 5, 7]);
    for (const e of res.errors) expect(e.zh && e.en).toBeTruthy();
    expect(res.errors[0].en).toMatch(/6 \(district\), 9 \(street\) or 12/);
    expect(res.errors[1].en).toMatch(/contradicts/);
    expect(res.errors[2].en).toMatch(/parent "370602099" not found/);
    expect(res.errors[3].en).toMatch(/invalid geometry|geometry/);
    expect(res.errors[4].en).toMatch(/more than 500 m beyond its street 370602001/);
    expect(res.errors[5].en).toMatch(/repeats row 6/);
    expect(res.repaired.map((r) => r.row)).toEqual([6]);
    expect(await n('SELECT count(*)::int AS n FROM communities')).toBe(before + 1);
    expect(await n("SELECT count(*)::int AS n FROM communities WHERE code = '370602001093' AND ST_IsValid(geom)")).toBe(1);
  });

  it('a community planner is refused (403): boundaries are street-wide work', async () => {
    const planner = await signIn(ctx.app, 'planner');
    const file = collection([feature({ code: ctx.dataset.communities[0].code, name: '越权' }, ctx.dataset.communities[0].polygon as Polygon['coordinates'])]);
    for (const q of ['crs=wgs84&dryRun=1', 'crs=wgs84']) {
      const res = await upload(ctx, planner, 'scope.geojson', file, q);
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('out_of_scope');
    }
  });
});
