/**
 * Issue #16 "real files go in whole", the parts that need no database, on real files:
 * - optional values that do not parse (OSM tags and GIS/CSV columns) are left empty or rounded
 *   with a per-row warning, never a rejection; required ones still fail;
 * - a .prj is named by its EPSG code (epsg-index): an OGC WKT by its AUTHORITY, an ESRI one (no
 *   code, ESRI names) by what it does; any EPSG code is a usable `crs`;
 * - multipolygon relations with members missing from the extract keep what closes into rings
 *   (the real incomplete relations of the Liechtenstein extract, and cuts of a complete one).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeCrs, distanceM, epsgEntry, epsgOfPrj, parseCrs, toWgs84Fn } from '../../geo/crs/index.js';
import { suggestMapping } from './columns.js';
import './epsg-index.js';
import { parseCsv } from './csv.js';
import { mapRecords } from './map-records.js';
import { assembleMultipolygon } from './osm-multipolygon.js';
import { parseOsmPbf } from './osm-pbf.js';
import { type OsmData, osmRecords } from './osm-xml.js';
import type { ParsedFile } from './types.js';
import { lenientCount, lenientYear } from './values.js';
import { readZip } from './zip.js';

const liechtenstein = () => parseOsmPbf(new Uint8Array(readFileSync(new URL('../samples/osm-real/liechtenstein-2013-08-03.osm.pbf', import.meta.url))));
const same = (p: [number, number]) => p;

describe('optional values that do not parse', () => {
  it('counts: whole, rounded half up, or dropped; years: exact, approximate or dropped', () => {
    expect(['3', '12.0', '3.5', '2.4', 'abc', '', '6层', '-2'].map((v) => lenientCount(v))).toEqual([
      { value: 3, how: 'read' }, { value: 12, how: 'read' }, { value: 4, how: 'rounded' }, { value: 2, how: 'rounded' },
      { value: null, how: 'dropped' }, { value: null, how: 'read' }, { value: 6, how: 'read' }, { value: -2, how: 'read' },
    ]);
    expect(['1998', '1998-05-01', '1998年', 'ca. 1900', '~1900', '约1900年', '1890s', 'C19', '1900..1910', 'before 1900']
      .map((v) => lenientYear(v))).toEqual([
      { value: 1998, how: 'read' }, { value: 1998, how: 'read' }, { value: 1998, how: 'read' },
      { value: 1900, how: 'approximate' }, { value: 1900, how: 'approximate' }, { value: 1900, how: 'approximate' },
      { value: null, how: 'dropped' }, { value: null, how: 'dropped' }, { value: null, how: 'dropped' }, { value: null, how: 'dropped' },
    ]);
  });

  it('OSM: real Liechtenstein buildings with values as OSM mappers write them keep every row, one warning each', () => {
    // The 2013 extract carries no levels or dates; six of its real building ways are given the
    // values that break imports of newer extracts (taginfo: building:levels=3.5, start_date=1890s …).
    const data = liechtenstein();
    const buildings = data.ways.filter((w) => w.tags.building).slice(0, 6);
    const odd: Array<Record<string, string>> = [
      { 'building:levels': '3.5' }, { 'building:levels': 'abc' }, { start_date: '1890s' },
      { start_date: 'ca. 1900' }, { 'building:levels': '0' }, { 'building:levels': '4', start_date: '1905-05-01' },
    ];
    buildings.forEach((w, i) => Object.assign(w.tags, odd[i]));
    const cut: OsmData = { nodes: data.nodes, ways: buildings, relations: [] };
    const { records } = osmRecords(cut, 'building');
    const file: ParsedFile = { format: 'osm-pbf', columns: [...new Set(records.flatMap((r) => Object.keys(r.props)))], records };
    const mapping = suggestMapping('buildings', file.columns);
    expect(mapping).toMatchObject({ floors: 'building:levels', builtYear: 'start_date' });
    const out = mapRecords('buildings', file, mapping, same);
    expect(out.errors).toEqual([]);
    expect(out.rows).toHaveLength(6);
    const rows = out.rows as Array<{ floors: number; builtYear: number | null }>;
    expect(rows.map((r) => [r.floors, r.builtYear])).toEqual([[4, null], [1, null], [1, null], [1, 1900], [1, null], [4, 1905]]);
    expect(out.warnings.map((w) => [w.row, w.field, w.en])).toEqual([
      [1, 'building:levels', 'floors "3.5" is not a whole number: rounded half up to 4'],
      [2, 'building:levels', 'floors "abc" is not a valid number (a whole number ≥ 1): left empty'],
      [3, 'start_date', 'builtYear "1890s" is not a single year: left empty'],
      [4, 'start_date', 'builtYear "ca. 1900" is approximate: taken as 1900'],
      [5, 'building:levels', 'floors "0" is not a valid number (a whole number ≥ 1): left empty'],
    ]);
    expect(out.warnings.every((w) => w.zh.length > 0)).toBe(true);
  });

  it('CSV (GIS attribute table): optional columns warn, a required column that does not parse still rejects the row', () => {
    const table = parseCsv([
      '楼栋编码,单元号,总户数,常住人口,党员人数',
      'B1,1,12.0,30,2.5',
      'B1,2,10,20,abc',
      'B1,3.5,10,20,1',
      'B1,4,十户,20,1',
    ].join('\n'));
    const records = table.slice(1).map((cells, i) => ({ row: i + 2, props: Object.fromEntries(table[0].map((c, j) => [c, cells[j]])), geometry: null }));
    const out = mapRecords('households', { format: 'csv', columns: table[0], records }, suggestMapping('households', table[0]), same);
    expect((out.rows as Array<{ row: number; households: number; partyMembers: number }>).map((r) => [r.row, r.households, r.partyMembers])).toEqual([[2, 12, 3], [3, 10, 0]]);
    expect(out.warnings.map((w) => [w.row, w.field])).toEqual([[2, '党员人数'], [3, '党员人数']]);
    expect(out.errors.map((e) => [e.row, e.field, e.en])).toEqual([
      [4, '单元号', 'unit "3.5" is not a valid whole number'],
      [5, '总户数', 'households "十户" is not a valid whole number'],
    ]);
  });
});

/** What GDAL 3.6 writes as the ESRI .prj of EPSG:3067 (`gdalsrsinfo -o wkt_esri EPSG:3067`): no code, ESRI's name. */
const ESRI_3067 = 'PROJCS["EUREF_FIN_TM35FIN",GEOGCS["GCS_ETRS_1989",DATUM["D_ETRS_1989",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",27.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';
/** `gdalsrsinfo -o wkt_esri EPSG:32632`. */
const ESRI_32632 = 'PROJCS["WGS_1984_UTM_Zone_32N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",9.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';

describe('projections: any EPSG code, a .prj named by its code', () => {
  it('a .prj: OGC WKT by its AUTHORITY, ESRI WKT by what it does (name and code as EPSG states them)', () => {
    expect(epsgOfPrj(epsgEntry(3067)!.wkt)).toBe(3067);
    expect(epsgOfPrj(ESRI_3067)).toBe(3067);
    expect(epsgOfPrj(ESRI_32632)).toBe(32632);
    // The survey-bureau sample's ESRI .prj "CGCS2000_3_Degree_GK_Zone_40" is EPSG:4528.
    const gk = readZip(new Uint8Array(readFileSync(new URL('../samples/buildings-cgcs2000-gk40.zip', import.meta.url))));
    const prj = [...gk.entries()].find(([k]) => k.endsWith('.prj'))![1];
    expect(epsgOfPrj(new TextDecoder().decode(prj))).toBe(4528);
    expect(epsgOfPrj('PROJCS["nonsense"]')).toBeNull();
    expect(describeCrs('EPSG:3067')).toMatchObject({ zh: 'ETRS89 / TM35FIN(E,N)（EPSG:3067）', en: 'ETRS89 / TM35FIN(E,N) (EPSG:3067)', projected: true });
  }, 60_000); // the first .prj without a code reads every definition (~1 s, more on a busy machine)

  it('ESRI .prj files as GDAL writes them for common systems are matched back to their code', () => {
    // Oblique Mercator (EPSG:2056) and Web Mercator's auxiliary sphere (3857) are not matched:
    // such a .prj is converted by itself (proj4 reads it) and shown by its own name.
    for (const code of [4326, 4490, 4283, 32650, 32635, 25835, 27700, 2154, 3035, 2193]) {
      const esri = execFileSync('gdalsrsinfo', ['-o', 'wkt_esri', '--single-line', `EPSG:${code}`], { encoding: 'utf8' }).trim();
      expect(epsgOfPrj(esri), esri.slice(0, 60)).toBe(code);
    }
  }, 60_000); // the first .prj without a code reads every definition (~1 s, more on a busy machine)

  it('crs=EPSG:<n> takes any 2-D system epsg-index knows; vertical or unknown codes are refused', () => {
    expect(['EPSG:3067', 'epsg:32650', '2056', 'urn:ogc:def:crs:EPSG::27700', 'EPSG:4528'].map(parseCrs)).toEqual(['EPSG:3067', 'EPSG:32650', 'EPSG:2056', 'EPSG:27700', 'EPSG:4528']);
    expect(['EPSG:5703', 'EPSG:999999', 'EPSG:1', 'UTM'].map(parseCrs)).toEqual([null, null, null, null]);
    // A point in Helsinki, where GDAL 3.6 puts it (`gdaltransform -s_srs EPSG:3067 -t_srs EPSG:4326 -output_xy`).
    const [lng, lat] = toWgs84Fn('EPSG:3067')([386143, 6672136]);
    expect(lng).toBeCloseTo(24.9479653407338, 8);
    expect(lat).toBeCloseTo(60.1702067463619, 8);
    // A code whose datum shift is a grid file (OSGB36: OSTN15) converts without it, says so, and is
    // ~125 m from where GDAL with the grid puts it (gdaltransform: -0.1283539, 51.5039908) — not NaN.
    const london = toWgs84Fn('EPSG:27700')([530000, 180000]);
    expect(distanceM(london, [-0.128353940479469, 51.5039908276338])).toBeLessThan(200);
    expect(describeCrs('EPSG:27700').en).toMatch(/without its datum grid OSTN15_NTv2_OSGBtoETRS\.gsb: no datum shift/);
  });
});

describe('multipolygon relations at the extract\'s edge (real Liechtenstein relations)', () => {
  const data = liechtenstein();
  const ways = new Map(data.ways.map((w) => [w.id, w]));
  const rel = (id: string) => data.relations.find((r) => r.id === id)!;

  it('relations lacking member ways keep the rings that close, saying which ways are missing', () => {
    for (const [id, missing] of [['11', '8529, 8530, 8531'], ['31', '9779'], ['77', '10523, 10524, 10525, 10526'], ['78', '10527, 10528, 10529, 10530']] as const) {
      const built = assembleMultipolygon(rel(id), ways, data.nodes);
      expect('geometry' in built, id).toBe(true);
      if (!('geometry' in built)) continue;
      expect(built.geometry.type).toBe('Polygon');
      expect(built.dropped?.en).toContain(`member way(s) missing from the file (${missing})`);
    }
  });

  it('boundaries whose outer ring runs outside the extract are refused with where it stays open and what is missing', () => {
    for (const id of ['14', '15', '16', '100']) {
      const built = assembleMultipolygon(rel(id), ways, data.nodes);
      expect('problem' in built && built.problem.en, id).toMatch(/^an outer ring does not close \(open at node \d+\); incomplete: \d+ member way\(s\) missing/);
    }
  });

  it('a cut of the castle (relation 52, building=yes, two courtyards): without an inner way it loses that hole only; without nodes of the outer, skipped', () => {
    const castle = rel('52');
    const whole = assembleMultipolygon(castle, ways, data.nodes);
    expect('geometry' in whole && whole.geometry.type === 'Polygon' && whole.geometry.coordinates.length).toBe(3);
    const inner = castle.members.find((m) => m.role === 'inner')!.ref;
    const noInner: OsmData = { ...data, ways: data.ways.filter((w) => w.id !== inner), relations: [castle] };
    const a = osmRecords(noInner, 'building');
    const rec = a.records.find((r) => r.props.osm_id === 'osm-relation-52')!;
    expect(rec.geometry?.type).toBe('Polygon');
    expect((rec.geometry as GeoJSON.Polygon).coordinates).toHaveLength(2);
    expect(a.skipped).toEqual([expect.objectContaining({ osmId: 'osm-relation-52', kept: true, en: expect.stringContaining(`1 member way(s) missing from the file (${inner})`) })]);
    // The extract's edge through the outer ring: two of its nodes are not in the file.
    const outer = ways.get(castle.members.find((m) => m.role === 'outer')!.ref)!;
    const nodes = new Map(data.nodes);
    nodes.delete(outer.refs[1]);
    nodes.delete(outer.refs[2]);
    const b = osmRecords({ nodes, ways: data.ways, relations: [castle] }, 'building');
    expect(b.records.some((r) => r.props.osm_id === 'osm-relation-52')).toBe(false);
    expect(b.skipped.find((s) => s.osmId === 'osm-relation-52')?.en).toMatch(/outer ring does not close .*2 node\(s\) missing/);
  });
});
