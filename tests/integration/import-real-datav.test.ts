/**
 * Real Chinese files through the real API and database (data/samples/datav, data/samples/osm-real):
 * - DataV `_full.json` (GCJ-02): 东莞 (a city without districts, `level: "city"`) is a district;
 *   the national file (UTF-8 BOM, provinces, the South China Sea line) is refused row by row with
 *   the reason, nothing written;
 * - a zip holding two GBK shapefiles (made from two DataV files by GDAL, as a desktop GIS would)
 *   is read whole, each shapefile with its own .dbf — not the archive's first .dbf — so every
 *   stored outline carries its own name and code; shapefiles in different systems are refused;
 * - an ECharts 3 map file (compressed rings, codes only as feature ids) goes in as the districts
 *   DataV draws, to within its ~100 m grid;
 * - JOSM edits of that export: relations drawn by hand (negative ids) get valid codes, objects
 *   deleted in JOSM (`action="delete"`) are not imported;
 * - an OpenStreetMap export of a Chinese campus: unnamed facilities of a known category (waste
 *   points, fitness stations) go in named after their category, with a warning.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { area } from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeZip } from '../../data/formats/zip-write.js';
import { ensureStandards } from '../../data/seed.js';
import { osmFacilityCategory } from '../../data/import/osm-tags.js';
import { osmRecords, parseOsmXml } from '../../data/import/osm-xml.js';
import type { Database } from '../../server/db/client.js';
import { type Session, signIn } from '../helpers/auth.js';
import { isolatedApp } from '../helpers/isolated-db.js';
import { okJson, uploadAs } from '../helpers/import-upload.js';

const SAMPLES = new URL('../../data/samples/', import.meta.url);
const sample = (path: string) => new Uint8Array(readFileSync(new URL(path, SAMPLES)));
const datav = (code: string): FeatureCollection<Polygon | MultiPolygon> =>
  JSON.parse(new TextDecoder().decode(sample(`datav/${code}_full.json`)).replace(/^\uFEFF/, ''));

interface Row { row: number; field?: string; zh: string; en: string }
interface Result {
  written: boolean;
  encoding?: string;
  counts: { records: number; valid: number; errors: number; warnings: number; inserts: number; skipped?: number };
  errors: Row[];
  skipped?: Array<{ osmId: string; zh: string; en: string; count?: number }>;
  warnings: Row[];
  boundaries?: { boundaries: Array<{ code: string; name: string; level: string }> };
}

let ctx: Awaited<ReturnType<typeof isolatedApp>>;
let db: Database;
let admin: Session;
let dir: string;

const upload = (name: string, bytes: Uint8Array, query: string) => uploadAs(ctx.app, admin, name, bytes, query);
const ok = (res: Response) => okJson<Result>(res);

/** `ogr2ogr` of a DataV file to a GBK shapefile (optionally reprojected): the parts, by file name. */
function shapefileParts(code: string, name: string, extra: string[] = []): Array<{ name: string; data: Uint8Array }> {
  const out = join(dir, name);
  mkdirSync(out, { recursive: true });
  execFileSync('ogr2ogr', ['-f', 'ESRI Shapefile', '-lco', 'ENCODING=GBK', '-select', 'adcode,name,level', ...extra, `${out}/${name}.shp`,
    new URL(`datav/${code}_full.json`, SAMPLES).pathname], { stdio: 'ignore' });
  return readdirSync(out).map((f) => ({ name: f, data: new Uint8Array(readFileSync(join(out, f))) }));
}

beforeAll(async () => {
  ctx = await isolatedApp('realdatav', { empty: true });
  db = ctx.db;
  await ensureStandards(db); // what the server does at start (server/main.ts): the facility categories
  admin = await signIn(ctx.app, 'admin');
  dir = mkdtempSync(join(tmpdir(), 'gridatlas-datav-'));
});
afterAll(async () => {
  await ctx?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('DataV files', () => {
  it('东莞 (a city without districts, level "city") goes in as a district, its outline whole', async () => {
    const file = datav('441900');
    const r = await ok(await upload('441900_full.json', sample('datav/441900_full.json'), 'layer=boundaries&crs=gcj02'));
    expect(r.counts).toMatchObject({ records: 1, valid: 1, errors: 0 });
    expect(r.boundaries?.boundaries).toEqual([expect.objectContaining({ code: '441900', name: file.features[0].properties!.name, level: 'district' })]);
    const [d] = await db.query<{ km2: number }>(`SELECT ST_Area(geom::geography) / 1e6 AS km2 FROM districts WHERE code = '441900'`);
    // GCJ-02 → WGS84 moves the outline by a few hundred metres, it does not change its area.
    expect(d.km2 / (area(file.features[0]) / 1e6)).toBeCloseTo(1, 2);
  });

  it('the national file (BOM, provinces, the South China Sea line): every row refused with the reason, nothing written', async () => {
    const file = datav('100000');
    const r = await ok(await upload('100000_full.json', sample('datav/100000_full.json'), 'layer=boundaries&crs=gcj02&dryRun=1'));
    expect(r.counts).toMatchObject({ records: file.features.length, valid: 0, errors: file.features.length });
    const provinces = file.features.filter((f) => f.properties!.level === 'province');
    expect(provinces.length).toBeGreaterThan(30);
    const levelErrors = r.errors.filter((e) => e.field === 'level');
    expect(levelErrors).toHaveLength(provinces.length);
    for (const e of levelErrors) {
      expect(e.zh).toMatch(/是省级区划.*只导入区县、街道、社区三级/);
      expect(e.en).toMatch(/is a province .*districts, streets and communities only/);
    }
    expect(r.errors.filter((e) => e.field === 'adcode').map((e) => e.en)).toEqual([expect.stringMatching(/"100000_JD" must be 6/)]);
  });

  it('the national file without its level column (mapped by hand): the codes alone tell provinces from districts', async () => {
    const file = datav('100000');
    const form = new FormData();
    form.append('file', new File([sample('datav/100000_full.json') as Uint8Array<ArrayBuffer>], '100000_full.json'));
    form.append('mapping', JSON.stringify({ code: 'adcode', name: 'name' }));
    const res = await ctx.app.request(`/api/import?layer=boundaries&crs=gcj02&dryRun=1`, { method: 'POST', body: form, headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf } });
    const r = await ok(res);
    expect(r.counts).toMatchObject({ records: file.features.length, valid: 0, errors: file.features.length });
    const provinces = file.features.filter((f) => /^\d{2}0000$/.test(String(f.properties!.adcode)));
    expect(r.errors.filter((e) => /省级区划的代码，不是区县/.test(e.zh) && /a province's code, not a district's/.test(e.en))).toHaveLength(provinces.length);
  });

  it('a write whose required columns cannot be matched names the file\'s columns', async () => {
    const zip = writeZip(shapefileParts('410100', 'plain'));
    const form = new FormData();
    form.append('file', new File([zip as Uint8Array<ArrayBuffer>], 'plain.zip'));
    form.append('mapping', JSON.stringify({ code: 'level' }));
    const res = await ctx.app.request('/api/import?layer=boundaries', { method: 'POST', body: form, headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf } });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe('mapping_incomplete');
    expect(body.error.message).toMatch(/文件中的列：adcode, name, level.* \/ .*the file's columns: adcode, name, level/);
  });
});

describe('an ECharts map file (compressed GeoJSON, "UTF8Encoding": true)', () => {
  it('ECharts 3 beijing.json: rings decoded, codes from the feature ids; the same districts as DataV to within its ~100 m grid', async () => {
    // DataV's outlines first, positions as they are (EPSG:4326: no conversion), to compare with.
    await ok(await upload('110000_full.json', sample('datav/110000_full.json'), 'layer=boundaries&crs=EPSG:4326'));
    const before = await db.query<{ id: number; code: string; wkb: string }>(`SELECT id, code, encode(ST_AsEWKB(geom), 'hex') AS wkb FROM districts WHERE code LIKE '11%' ORDER BY code`);
    const file = JSON.parse(new TextDecoder().decode(sample('echarts/beijing.json'))) as { features: Array<{ id: string; properties: { name: string } }>; UTF8Encoding: boolean };
    expect(file.UTF8Encoding).toBe(true);
    const r = await ok(await upload('beijing.json', sample('echarts/beijing.json'), 'layer=boundaries&crs=EPSG:4326'));
    expect(r.counts).toMatchObject({ records: file.features.length, valid: file.features.length, errors: 0 });
    expect(r.boundaries?.boundaries.map((b) => [b.code, b.name]).sort()).toEqual(file.features.map((f) => [f.id, f.properties.name]).sort());
    for (const b of before) {
      const [cmp] = await db.query<{ id: number; off: number }>(
        `WITH d AS (SELECT ST_GeomFromEWKB(decode($1, 'hex')) AS g)
         SELECT id, ST_Area(ST_SymDifference(geom, d.g)::geography) / ST_Area(d.g::geography) AS off FROM districts, d WHERE code = $2`, [b.wkb, b.code]);
      expect(cmp.id).toBe(b.id); // updated in place
      // 1/1024° quantisation and ECharts' simplification: a few per cent of a district's area at most.
      expect(cmp.off).toBeLessThan(0.08);
    }
  });
});

describe('a zip of several GBK shapefiles (made by GDAL from DataV files)', () => {
  it('reads every shapefile with its own .dbf: each stored outline has the name and area of its own code', async () => {
    const bj = shapefileParts('110000', 'beijing');
    const zz = shapefileParts('410100', 'zhengzhou');
    // Interleaved as an archiver may list them: the archive's first .dbf is not the first .shp's.
    const entries = [zz.find((e) => e.name.endsWith('.dbf'))!, ...bj, ...zz.filter((e) => !e.name.endsWith('.dbf'))];
    const zip = writeZip(entries);
    const r = await ok(await upload('two-cities.zip', zip, 'layer=boundaries'));
    const features = [...datav('110000').features, ...datav('410100').features];
    expect(r.counts).toMatchObject({ records: features.length, valid: features.length, errors: 0 });
    expect(r.encoding).toMatch(/gbk/i);
    const stored = await db.query<{ code: string; name: string; km2: number }>(
      `SELECT code, name, ST_Area(geom::geography) / 1e6 AS km2 FROM districts WHERE code LIKE '11%' OR code LIKE '41%' ORDER BY code`);
    expect(stored).toHaveLength(features.length);
    for (const s of stored) {
      const f = features.find((x) => String(x.properties!.adcode) === s.code)!;
      expect(s.name).toBe(f.properties!.name);
      // The shapefile's .prj says WGS84 (DataV's GCJ-02 positions as they are): the same outline.
      expect(s.km2 / (area(f as Feature<Polygon | MultiPolygon>) / 1e6)).toBeCloseTo(1, 2);
    }
  });

  it('shapefiles in different coordinate systems: 400 invalid_file naming them, nothing read', async () => {
    const zip = writeZip([...shapefileParts('110000', 'bj-wgs84'), ...shapefileParts('410100', 'zz-gk', ['-s_srs', 'EPSG:4490', '-t_srs', 'EPSG:4547'])]);
    const res = await upload('mixed.zip', zip, 'layer=boundaries&dryRun=1');
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe('invalid_file');
    expect(body.error.message).toMatch(/坐标系不同.*bj-wgs84\.shp.*zz-gk\.shp.* \/ .*different coordinate systems/);
  });
});

describe('an OpenStreetMap export of a Chinese campus (BUPT, Beijing)', () => {
  it('unnamed facilities of a known category go in named after it, with a warning; named ones keep their name', async () => {
    const bytes = sample('osm-real/bupt-campus-beijing.osm');
    const { records } = osmRecords(parseOsmXml(new TextDecoder().decode(bytes)), 'facility');
    const known = records.filter((x) => osmFacilityCategory(x.props) !== null);
    const unnamed = known.filter((x) => typeof x.props.name !== 'string' && typeof x.props['name:zh'] !== 'string');
    expect(unnamed.length).toBeGreaterThan(0);
    const r = await ok(await upload('bupt.osm', bytes, 'layer=facilities'));
    expect(r.counts.valid).toBe(known.length);
    // Restaurants, cafés, parking …: left out in one line per tag value, not a row error each.
    const data = parseOsmXml(new TextDecoder().decode(bytes));
    const tagged = [...data.nodes.values(), ...data.ways].filter((o) => o.tags.amenity || o.tags.shop || o.tags.leisure);
    const other = tagged.filter((o) => osmFacilityCategory(o.tags) === null);
    expect(other.length).toBeGreaterThan(100);
    expect(r.counts.errors).toBe(0);
    expect(r.counts.skipped).toBe(other.length);
    const restaurants = other.filter((o) => o.tags.amenity === 'restaurant').length;
    expect(restaurants).toBeGreaterThan(0);
    expect(r.skipped).toContainEqual(expect.objectContaining({ osmId: 'amenity=restaurant', count: restaurants }));
    const named = r.warnings.filter((w) => w.field === 'name');
    expect(named.map((w) => w.row).sort((a, b) => a - b)).toEqual(unnamed.map((x) => x.row));
    for (const w of named) expect(w.en).toMatch(/no name: named after its category/);
    const rows = await db.query<{ code: string; name: string; category: string }>(`SELECT f.code, f.name, f.category FROM facilities f`);
    expect(rows).toHaveLength(known.length);
    const cats = await db.query<{ code: string; name: string }>(`SELECT code, name FROM facility_categories`);
    for (const x of unnamed) {
      const stored = rows.find((s) => s.code === x.props.osm_id)!;
      expect(stored.name).toBe(cats.find((c) => c.code === stored.category)!.name);
    }
    for (const x of known.filter((k) => typeof k.props.name === 'string')) {
      expect(rows.find((s) => s.code === x.props.osm_id)!.name).toBe(x.props.name);
    }
  });
});

/**
 * What a community office does with that export in JOSM: draws its district, street and community
 * around the campus (new objects: negative ids) and deletes a building (kept in the saved file,
 * marked action="delete"). Returns the edited file and the deleted way's id.
 */
const JOSM_BOUNDARIES: Array<[grow: number, level: number, name: string]> = [
  [0.002, 6, '海淀区（示例）'], [0.001, 8, '北太平庄街道（示例）'], [0, 10, '北邮社区（示例）'],
];

function editedInJosm(xml: string, boundaries = JOSM_BOUNDARIES): { text: string; deleted: string } {
  const b = /<bounds minlat="([\d.]+)" minlon="([\d.]+)" maxlat="([\d.]+)" maxlon="([\d.]+)"/.exec(xml)!.slice(1).map(Number);
  let id = -1;
  const parts: string[] = [];
  const boundary = (grow: number, level: number, name: string) => {
    const [s, w, n, e] = [b[0] - grow, b[1] - grow, b[2] + grow, b[3] + grow];
    const ids = [[w, s], [e, s], [e, n], [w, n]].map(([lon, lat]) => {
      parts.push(`<node id="${id}" action="modify" visible="true" lat="${lat}" lon="${lon}" />`);
      return id--;
    });
    const way = id--;
    parts.push(`<way id="${way}" action="modify" visible="true">${[...ids, ids[0]].map((r) => `<nd ref="${r}" />`).join('')}</way>`);
    parts.push(`<relation id="${id--}" action="modify" visible="true"><member type="way" ref="${way}" role="outer" />`
      + `<tag k="type" v="boundary" /><tag k="boundary" v="administrative" /><tag k="admin_level" v="${level}" /><tag k="name" v="${name}" /></relation>`);
  };
  for (const [grow, level, name] of boundaries) boundary(grow, level, name);
  const building = /<way id="(\d+)" visible="true"([^>]*)>(?:(?!<\/way>)[\s\S])*?<tag k="building"/.exec(xml)!;
  const text = xml.replace(building[0], building[0].replace(`<way id="${building[1]}" visible="true"`, `<way id="${building[1]}" action="delete" visible="true"`))
    .replace('</osm>', `${parts.join('\n')}\n</osm>`);
  return { text, deleted: building[1] };
}

describe('that export edited in JOSM: community boundaries drawn by hand, a building deleted', () => {
  it('new relations (negative ids) get valid division codes; the deleted building is not imported', async () => {
    const { text, deleted } = editedInJosm(new TextDecoder().decode(sample('osm-real/bupt-campus-beijing.osm')));
    const bytes = new TextEncoder().encode(text);
    const r = await ok(await upload('bupt-josm.osm', bytes, 'layer=boundaries'));
    expect(r.counts).toMatchObject({ records: 3, valid: 3, errors: 0 });
    const codes = Object.fromEntries(r.boundaries!.boundaries.map((x) => [x.level, x.code]));
    expect(codes.district).toMatch(/^99\d{4}$/);
    expect(codes.street).toMatch(new RegExp(`^${codes.district}\\d{3}$`));
    expect(codes.community).toMatch(new RegExp(`^${codes.street}\\d{3}$`));
    const buildings = osmRecords(parseOsmXml(text), 'building').records;
    expect(buildings.some((x) => x.props.osm_id === `osm-way-${deleted}`)).toBe(false);
    expect(osmRecords(parseOsmXml(new TextDecoder().decode(sample('osm-real/bupt-campus-beijing.osm'))), 'building').records).toHaveLength(buildings.length + 1);
    const w = await ok(await upload('bupt-josm.osm', bytes, 'layer=buildings'));
    expect(w.counts.records).toBe(buildings.length);
    const [{ n }] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM buildings WHERE code = $1`, [`osm-way-${deleted}`]);
    expect(n).toBe(0);
    const [{ inside }] = await db.query<{ inside: number }>(
      `SELECT count(*)::int AS inside FROM buildings b JOIN communities c ON c.id = b.community_id WHERE c.code = $1`, [codes.community]);
    expect(inside).toBe(w.counts.valid);
    expect(inside).toBeGreaterThan(buildings.length / 2);
  });
});

describe('a Chinese extract goes by China\'s admin levels (6 区县, 8 街道, 10 社区), whatever else it holds', () => {
  const bupt = () => new TextDecoder().decode(sample('osm-real/bupt-campus-beijing.osm'));
  const levelsOf = (r: Result) => Object.fromEntries(r.boundaries!.boundaries.map((x) => [x.level, x.name]));

  it('with the city (4) and no communities (10): 海淀区 is the district, the 街道 the street, and a line says the communities must come from another file', async () => {
    const { text } = editedInJosm(bupt(), [[0.003, 4, '北京市'], [0.002, 6, '海淀区'], [0.001, 8, '北太平庄街道']]);
    const r = await ok(await upload('beijing-4-6-8.osm', new TextEncoder().encode(text), 'layer=boundaries&dryRun=true'));
    expect(r.counts).toMatchObject({ records: 2, valid: 2, errors: 0 });
    expect(levelsOf(r)).toEqual({ district: '海淀区', street: '北太平庄街道' });
    const note = r.skipped!.find((x) => x.osmId === 'admin_level')!;
    expect(note.zh).toMatch(/社区/);
    expect(note.en).toMatch(/community-level/);
  });

  it('with 4, 5, 6, 8 and 10: the three of China\'s ladder, not the three deepest', async () => {
    const { text } = editedInJosm(bupt(), [[0.004, 4, '北京市'], [0.003, 5, '北京城区'], [0.002, 6, '海淀区'], [0.001, 8, '北太平庄街道'], [0, 10, '北邮社区']]);
    const r = await ok(await upload('beijing-4-10.osm', new TextEncoder().encode(text), 'layer=boundaries&dryRun=true'));
    expect(levelsOf(r)).toEqual({ district: '海淀区', street: '北太平庄街道', community: '北邮社区' });
    expect(r.skipped?.some((x) => x.osmId === 'admin_level') ?? false).toBe(false);
  });

  it('osmLevels=6,8 takes two levels; one level (the deployment has streets) is communities alone; decreasing ones are a 400', async () => {
    const { text } = editedInJosm(bupt());
    const bytes = new TextEncoder().encode(text);
    const two = await ok(await upload('two.osm', bytes, 'layer=boundaries&dryRun=true&osmLevels=6,8'));
    expect(levelsOf(two)).toEqual({ district: '海淀区（示例）', street: '北太平庄街道（示例）' });
    // One level, once the deployment has streets: its boundaries as communities, each under the
    // existing street that contains it (here the street of the same outline just written).
    await ok(await upload('two.osm', bytes, 'layer=boundaries&osmLevels=6,8'));
    const one = (await ok(await upload('one.osm', bytes, 'layer=boundaries&dryRun=true&osmLevels=8'))) as unknown as { boundaries: { boundaries: Array<{ level: string; parentBy: string; code: string }> } };
    expect(one.boundaries.boundaries.length).toBeGreaterThan(0);
    for (const e of one.boundaries.boundaries) expect(e).toMatchObject({ level: 'community', parentBy: 'containment' });
    // Unasked, a Chinese file's one whole level goes in as communities only when it is level 10:
    // 街道 (8) alone are refused as before, not taken for communities of the streets already there.
    const streetsOnly = editedInJosm(bupt(), [[0.001, 8, '北太平庄街道（示例）']]).text;
    const refused = await upload('streets.osm', new TextEncoder().encode(streetsOnly), 'layer=boundaries&dryRun=true');
    expect(refused.status).toBe(400);
    for (const bad of ['8,6', '6,8,8']) {
      const res = await upload('bad.osm', bytes, `layer=boundaries&dryRun=true&osmLevels=${bad}`);
      expect(res.status, bad).toBe(400);
    }
  });
});
