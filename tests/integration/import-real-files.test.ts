/**
 * Issue #16 "real files go in whole", through the real API and database:
 * - optional values that do not parse become warnings (`warnings`, `counts.warnings`), the rows go in;
 * - a `community` column naming a community the geometry lies over 500 m outside is a row error
 *   naming both; within 500 m it is valid; a building in no community is listed (`outside`) and
 *   shown where it is in the preview (`outside: true`);
 * - a Shapefile with a real .prj in a projection far from China (EPSG:3067, ETRS89 / TM35FIN) is
 *   named by its EPSG code and lands, with or without `crs=`, where GDAL's `ogr2ogr -t_srs
 *   EPSG:4326` puts it (within 0.5 m); a .prj that is no EPSG system is converted by itself; an
 *   unknown code is 400 invalid_crs.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Feature } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeShapefileZip } from '../../data/formats/shapefile-write.js';
import { distanceM, epsgEntry } from '../../geo/crs/index.js';
import type { Database } from '../../server/db/client.js';
import { type Session, signIn } from '../helpers/auth.js';
import { isolatedApp } from '../helpers/isolated-db.js';
import { okJson, uploadAs } from '../helpers/import-upload.js';

/** An ESRI .prj of a local transverse Mercator (central meridian 24.95°, false easting 200 km): no EPSG system is it. */
const ESRI_LOCAL_TM = 'PROJCS["Helsinki_Local_TM",GEOGCS["GCS_ETRS_1989",DATUM["D_ETRS_1989",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",200000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",24.95],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';

let ctx: Awaited<ReturnType<typeof isolatedApp>>;
let db: Database;
let admin: Session;

interface Row { row: number; field?: string; zh: string; en: string }
interface Result {
  written: boolean;
  crs: { used: string | null; label: string | null; prj?: { name: string; epsg: number | null } };
  counts: { records: number; valid: number; errors: number; warnings: number; inserts: number };
  errors: Row[];
  warnings: Row[];
  outside?: { count: number; rows: number[] };
  preview: { features: Array<{ geometry: { type: string; coordinates: unknown }; properties: Record<string, unknown> }> };
}

const upload = (name: string, bytes: Uint8Array, query: string) => uploadAs(ctx.app, admin, name, bytes, query);
const ok = (res: Response) => okJson<Result>(res);

/** A ~8 × 6 m square around a point. */
const square = ([x, y]: [number, number]) => ({ type: 'Polygon' as const, coordinates: [[[x - 4e-5, y - 3e-5], [x + 4e-5, y - 3e-5], [x + 4e-5, y + 3e-5], [x - 4e-5, y + 3e-5], [x - 4e-5, y - 3e-5]]] });
const geojson = (features: Feature[]) => new TextEncoder().encode(JSON.stringify({ type: 'FeatureCollection', features }));
const building = (code: string, p: [number, number], props: Record<string, unknown> = {}): Feature => ({
  type: 'Feature', geometry: square(p), properties: { 编码: code, 楼栋号: code, 用途: '住宅', ...props },
});

beforeAll(async () => {
  ctx = await isolatedApp('import16');
  db = ctx.db;
  admin = await signIn(ctx.app, 'admin');
});
afterAll(async () => {
  await ctx?.close();
});

/**
 * Community A with a point inside it; F, a community over 700 m from that point; B, a neighbour of
 * A, with a point in A within 100 m of B; and a point 10 km beyond every community.
 */
async function places() {
  const [r] = await db.query<{ a: string; f: string; b: string; ax: number; ay: number; nx: number; ny: number; ox: number; oy: number }>(`
    WITH a AS (SELECT id, name, geom, ST_PointOnSurface(geom) AS p FROM communities ORDER BY id LIMIT 1),
    f AS (SELECT c.name FROM communities c, a WHERE NOT ST_DWithin(c.geom::geography, a.p::geography, 700) ORDER BY c.id LIMIT 1),
    b AS (SELECT c.name, c.geom FROM communities c, a WHERE c.id <> a.id AND ST_DWithin(c.geom::geography, a.geom::geography, 50) ORDER BY c.id LIMIT 1),
    near AS (SELECT ST_PointOnSurface(ST_Intersection(ST_Buffer(a.geom::geography, -20)::geometry, ST_Buffer(b.geom::geography, 100)::geometry)) AS q FROM a, b),
    out AS (SELECT ST_Project(ST_Centroid(ST_Collect(geom))::geography, ST_MaxDistance(ST_Centroid(ST_Collect(geom)), ST_Collect(geom)) * 111000 + 10000, 0)::geometry AS o FROM communities)
    SELECT a.name AS a, f.name AS f, b.name AS b, ST_X(a.p) AS ax, ST_Y(a.p) AS ay, ST_X(q) AS nx, ST_Y(q) AS ny, ST_X(o) AS ox, ST_Y(o) AS oy
    FROM a, f, b, near, out`);
  return { a: r.a, f: r.f, b: r.b, inA: [r.ax, r.ay] as [number, number], nearB: [r.nx, r.ny] as [number, number], nowhere: [r.ox, r.oy] as [number, number] };
}

describe('optional attributes that do not parse', () => {
  it('become warnings (left empty or rounded), the rows are imported; a required one still fails', async () => {
    const { inA } = await places();
    const at = (i: number): [number, number] => [inA[0] + i * 1e-4, inA[1]];
    const file = geojson([
      building('W-1', at(0), { 层数: '3.5', 户数: '12.0', 建成年份: '1890s' }),
      building('W-2', at(1), { 层数: 'abc', 建成年份: 'ca. 1900', 户数: 'twelve' }),
      building('W-3', at(2), { 层数: 6, 建成年份: '1998-05-01' }),
      { ...building('W-4', at(3)), properties: { 楼栋号: 'no code', 层数: '2.5' } },
    ]);
    const dry = await ok(await upload('warn.geojson', file, 'layer=buildings&crs=EPSG:4326&dryRun=1'));
    expect(dry.counts).toMatchObject({ records: 4, valid: 3, errors: 1, warnings: 5 });
    expect(dry.errors.map((e) => [e.row, e.en])).toEqual([[4, 'missing code']]);
    expect(dry.warnings.map((w) => [w.row, w.field, w.en])).toEqual([
      [1, '层数', 'floors "3.5" is not a whole number: rounded half up to 4'],
      [1, '建成年份', 'builtYear "1890s" is not a single year: left empty'],
      [2, '层数', 'floors "abc" is not a valid number (a whole number ≥ 1): left empty'],
      [2, '户数', 'households "twelve" is not a valid number (a whole number ≥ 0): left empty'],
      [2, '建成年份', 'builtYear "ca. 1900" is approximate: taken as 1900'],
    ]);
    expect(dry.warnings[0].zh).toBe('层数“3.5”不是整数，已四舍五入为 4');
    const w = await ok(await upload('warn.geojson', file, 'layer=buildings&crs=EPSG:4326'));
    expect(w).toMatchObject({ written: true, counts: { inserts: 3, warnings: 5 } });
    const stored = await db.query<{ code: string; floors: number; households: number; built_year: number | null }>(
      `SELECT code, floors, households, built_year FROM buildings WHERE code LIKE 'W-%' ORDER BY code`);
    expect(stored.map((s) => [s.code, s.floors, s.households, s.built_year])).toEqual([['W-1', 4, 12, null], ['W-2', 1, 0, 1900], ['W-3', 6, 0, 1998]]);
  });
});

describe('the community a row names vs where its geometry lies', () => {
  it('far (> 500 m) from the named community: an error naming both; within 500 m: valid; in no community: listed and shown', async () => {
    const { a, f, b, inA, nearB, nowhere } = await places();
    const file = geojson([
      building('C-1', inA, { 社区: f }), // lies in A, names F (over 700 m away)
      building('C-2', nearB, { 社区: b }), // lies in A but within 100 m of B: fine
      building('C-3', inA, { 社区: a }), // names where it lies
      building('C-4', nowhere), // no community at all
      building('C-5', nowhere, { 社区: a }), // names A, lies in none
    ]);
    const r = await ok(await upload('far.geojson', file, 'layer=buildings&crs=EPSG:4326&dryRun=1'));
    expect(r.counts).toMatchObject({ valid: 2, errors: 3 });
    expect(r.errors.map((e) => [e.row, e.field])).toEqual([[1, 'community'], [4, 'geometry'], [5, 'community']]);
    expect(r.errors[0].en).toBe(`the community column names "${f}", but the geometry lies over 500 m outside it, in community "${a}"`);
    expect(r.errors[0].zh).toBe(`社区列写的是“${f}”，但几何在其 500 米之外，位于社区“${a}”`);
    expect(r.errors[2].en).toBe(`the community column names "${a}", but the geometry lies over 500 m outside it, in no community`);
    expect(r.outside).toEqual({ count: 1, rows: [4] });
    const flagged = r.preview.features.filter((f) => f.properties.outside === true);
    expect(flagged.map((f) => f.properties.row)).toEqual([4]);
    const ring = (flagged[0].geometry.coordinates as number[][][])[0];
    expect(distanceM([ring[0][0], ring[0][1]], nowhere)).toBeLessThan(10);
    expect(r.preview.features.filter((f) => !f.properties.outside).map((f) => f.properties.row)).toEqual([2, 3]);
  });
});

describe('a Shapefile in ETRS89 / TM35FIN (EPSG:3067) with a real .prj', () => {
  // Three points in Helsinki, in TM35FIN metres.
  const points: Array<[number, number]> = [[386143, 6672136], [385200.5, 6671000.25], [388010, 6675555]];
  const features: Feature[] = points.map((p, i) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: p }, properties: { 编码: `FI-${i + 1}`, 名称: `Apteekki ${i + 1}`, 类别: 'pharmacy' } }));
  /** The .prj of EPSG:3067 as epsg-index (EPSG's own WKT, with its AUTHORITY) and as GDAL writes it for ESRI tools (no code). */
  const ogcPrj = epsgEntry(3067)!.wkt;
  const esriPrj = execFileSync('gdalsrsinfo', ['-o', 'wkt_esri', '--single-line', 'EPSG:3067'], { encoding: 'utf8' }).trim();
  const dir = mkdtempSync(join(tmpdir(), 'import16-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Where GDAL puts the file's points: `ogr2ogr -f GeoJSON /vsistdout/ -t_srs EPSG:4326 /vsizip/<zip>`. */
  function gdal(zip: Uint8Array, name: string): Array<[number, number]> {
    const path = join(dir, `${name}.zip`);
    writeFileSync(path, zip);
    const out = execFileSync('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', '-t_srs', 'EPSG:4326', `/vsizip/${path}`], { encoding: 'utf8' });
    return (JSON.parse(out) as { features: Array<{ geometry: { coordinates: [number, number] } }> }).features.map((f) => f.geometry.coordinates);
  }
  const coords = (r: Result) => r.preview.features.map((f) => f.geometry.coordinates as [number, number]);

  it('the .prj is named by its EPSG code and, with or without crs=, the points land where GDAL puts them (< 0.5 m)', async () => {
    for (const [label, prj] of [['ogc', ogcPrj], ['esri', esriPrj]] as const) {
      const zip = writeShapefileZip(features, { name: `helsinki-${label}`, kind: 'point', prj });
      const expected = gdal(zip, label);
      expect(expected).toHaveLength(3);
      for (const query of ['layer=facilities&dryRun=1', 'layer=facilities&dryRun=1&crs=EPSG:3067']) {
        const r = await ok(await upload(`helsinki-${label}.zip`, zip, query));
        expect(r.crs, `${label} ${query}`).toMatchObject({ used: 'EPSG:3067', label: 'ETRS89 / TM35FIN(E,N)（EPSG:3067）', prj: { epsg: 3067 } });
        expect(r.counts.valid).toBe(3);
        coords(r).forEach((p, i) => expect(distanceM(p, expected[i]), `${label} ${query} point ${i}`).toBeLessThan(0.5));
      }
    }
    const zip = writeShapefileZip(features, { name: 'helsinki', kind: 'point', prj: ogcPrj });
    const w = await ok(await upload('helsinki.zip', zip, 'layer=facilities'));
    expect(w).toMatchObject({ written: true, counts: { inserts: 3 } });
    const stored = await db.query<{ x: number; y: number }>(`SELECT ST_X(geom) AS x, ST_Y(geom) AS y FROM facilities WHERE code LIKE 'FI-%' ORDER BY code`);
    const expected = gdal(zip, 'written');
    stored.forEach((s, i) => expect(distanceM([s.x, s.y], expected[i])).toBeLessThan(0.5));
  });

  it('a .prj matching no EPSG code (a local TM on GRS 1980) is converted by itself and shown by its own name', async () => {
    const local = ESRI_LOCAL_TM;
    const zip = writeShapefileZip(features.map((f) => ({ ...f, geometry: { type: 'Point', coordinates: [(f.geometry as { coordinates: number[] }).coordinates[0] - 300000, (f.geometry as { coordinates: number[] }).coordinates[1]] } } as Feature)), { name: 'local', kind: 'point', prj: local });
    const expected = gdal(zip, 'local');
    const r = await ok(await upload('local.zip', zip, 'layer=facilities&dryRun=1'));
    expect(r.crs).toMatchObject({ used: null, label: 'Helsinki_Local_TM', prj: { name: 'Helsinki_Local_TM', epsg: null } });
    coords(r).forEach((p, i) => expect(distanceM(p, expected[i]), `point ${i}`).toBeLessThan(0.5));
  });

  it('an EPSG code epsg-index does not know (or a vertical one) is 400 invalid_crs, in Chinese and English', async () => {
    const zip = writeShapefileZip(features, { name: 'helsinki', kind: 'point', prj: ogcPrj });
    for (const crs of ['EPSG:999999', 'EPSG:5703']) {
      const res = await upload('helsinki.zip', zip, `layer=facilities&dryRun=1&crs=${crs}`);
      expect(res.status).toBe(400);
      const body = await res.json();
      expect(body.error.code).toBe('invalid_crs');
      expect(body.error.message).toMatch(new RegExp(`未知坐标系“${crs}”.* / unknown CRS "${crs}"`));
    }
  });
});
