import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { PbfWriter } from 'pbf';
import { describe, expect, it } from 'vitest';
import { writeOsmPbf } from '../formats/osm-pbf-write.js';
import { ImportFileError } from './errors.js';
import { joinRings } from './osm-multipolygon.js';
import { parseOsmPbf } from './osm-pbf.js';
import { formatOf, readImportFile } from './read-file.js';
import { suggestMapping } from './columns.js';
import { parseCsv } from './csv.js';
import { decodeText } from './decode-text.js';
import { impossibility } from './geometry.js';
import { osmRecords, parseOsmXml } from './osm-xml.js';
import { count } from './values.js';
import { splitIntoEdges } from './walk-graph.js';

describe('text and tables', () => {
  it('UTF-8 strictly first, else GB18030', () => {
    expect(decodeText(new TextEncoder().encode('楼栋号,单元'))).toEqual({ text: '楼栋号,单元', encoding: 'utf-8' });
    expect(decodeText(iconv.encode('楼栋号,单元', 'gbk'))).toEqual({ text: '楼栋号,单元', encoding: 'gb18030' });
  });
  it('CSV: quotes, doubled quotes, CRLF, semicolons', () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi"""\r\n')).toEqual([['a', 'b'], ['x, y', 'say "hi"']]);
    expect(parseCsv('a;b\n1;2')).toEqual([['a', 'b'], ['1', '2']]);
  });
  it('counts with unit suffixes', () => {
    expect([count('12户'), count('3单元'), count(' 7 '), count(5), count(''), count('十二')]).toEqual([12, 3, 7, 5, null, NaN]);
  });
  it('mapping suggestions from Chinese and English headers', () => {
    expect(suggestMapping('households', ['楼号', '单元号', '总户数', '常住人口', '党员'])).toEqual({
      building: '楼号', unit: '单元号', households: '总户数', residents: '常住人口', partyMembers: '党员',
    });
    expect(suggestMapping('facilities', ['Name', 'Category', 'Longitude', 'Latitude'])).toMatchObject({ name: 'Name', category: 'Category', lng: 'Longitude', lat: 'Latitude' });
    // Boundaries with level-prefixed columns (GaryBikini/ChinaAdminDivisonSHP's district.dbf, from Amap):
    // the file's own level comes first; an exact match still wins; other layers never guess by suffix.
    const gary = ['dt_adcode', 'dt_name', 'ct_adcode', 'ct_name', 'pr_adcode', 'pr_name', 'cn_adcode', 'cn_name'];
    expect(suggestMapping('boundaries', gary)).toEqual({ code: 'dt_adcode', name: 'dt_name' });
    expect(suggestMapping('boundaries', ['ct_adcode', 'adcode', 'name'])).toEqual({ code: 'adcode', name: 'name' });
    expect(suggestMapping('buildings', ['community_code', 'building_name'])).toEqual({ community: 'community_code' });
  });
});

describe('geometry checks', () => {
  it('rejects empty, out-of-range and degenerate geometries; accepts repairable ones', () => {
    expect(impossibility({ type: 'Point', coordinates: [] }, 'point')?.en).toBe('empty geometry');
    expect(impossibility({ type: 'Point', coordinates: [500000, 3300000] }, 'point')?.en).toMatch(/out of lng\/lat range/);
    expect(impossibility({ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [0, 0]]] }, 'polygon')?.en).toMatch(/fewer than 4/);
    expect(impossibility({ type: 'Point', coordinates: [1, 1] }, 'polygon')?.en).toMatch(/expected a polygon/);
    const bowTie = { type: 'Polygon' as const, coordinates: [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]] };
    expect(impossibility(bowTie, 'polygon')).toBeNull();
  });
});

describe('OSM XML and the walk graph', () => {
  const xml = `<osm><node id="1" lat="37.5" lon="121.3"/><node id="2" lat="37.5" lon="121.301"/><node id="3" lat="37.501" lon="121.301"/>
    <node id="4" lat="37.501" lon="121.3"><tag k="amenity" v="pharmacy"/><tag k="name" v="A &amp; B 药房"/></node>
    <way id="10"><nd ref="1"/><nd ref="2"/><nd ref="3"/><tag k="highway" v="footway"/></way>
    <way id="11"><nd ref="2"/><nd ref="4"/><tag k="highway" v="residential"/></way>
    <way id="12"><nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="4"/><nd ref="1"/><tag k="building" v="yes"/></way></osm>`;
  const data = parseOsmXml(xml);
  it('records per kind with tags and osm ids', () => {
    expect(osmRecords(data, 'facility').records[0].props).toMatchObject({ amenity: 'pharmacy', name: 'A & B 药房', osm_id: 'osm-node-4' });
    expect(osmRecords(data, 'building').records[0].geometry?.type).toBe('Polygon');
    expect(osmRecords(data, 'walk').records).toHaveLength(2);
  });
  it('lines split where they share a vertex', () => {
    const lines = osmRecords(data, 'walk').records.map((r) => ({ row: r.row, kind: 'footway', name: null, coords: (r.geometry as GeoJSON.LineString).coordinates }));
    const { pieces, nodes } = splitIntoEdges(lines);
    expect(pieces).toHaveLength(3); // footway split at node 2 + the road
    expect(nodes.size).toBe(4);
  });
});

const sample = (name: string) => new Uint8Array(readFileSync(new URL(`../samples/${name}`, import.meta.url)));

/** One framed blob: BlobHeader {type, datasize} + a Blob written by `fill`. */
function blob(type: string, fill: (b: PbfWriter) => void): Uint8Array {
  const b = new PbfWriter();
  fill(b);
  const body = b.finish();
  const h = new PbfWriter();
  h.writeStringField(1, type);
  h.writeVarintField(3, body.length);
  const head = h.finish();
  const out = new Uint8Array(4 + head.length + body.length);
  new DataView(out.buffer).setUint32(0, head.length);
  out.set(head, 4);
  out.set(body, 4 + head.length);
  return out;
}

async function fileError(p: Promise<unknown>): Promise<ImportFileError> {
  const e = await p.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(ImportFileError);
  return e as ImportFileError;
}

describe('OSM PBF', () => {
  const xml = parseOsmXml(new TextDecoder().decode(sample('yantai-sample.osm')));
  const pbf = parseOsmPbf(sample('yantai-sample.osm.pbf'));

  it('the sample .osm.pbf decodes to the same nodes, ways and relations as the .osm', () => {
    expect(pbf.nodes.size).toBe(xml.nodes.size);
    expect(pbf.nodes.size).toBeGreaterThan(30);
    expect([...pbf.nodes.values()]).toEqual([...xml.nodes.values()]);
    expect(pbf.ways).toEqual(xml.ways);
    expect(pbf.relations).toEqual(xml.relations);
    expect(pbf.relations).toHaveLength(2);
  });

  it('.osm and .osm.pbf give identical records for buildings, facilities and walk', async () => {
    for (const layer of ['buildings', 'facilities', 'walk'] as const) {
      const a = await readImportFile('yantai-sample.osm', sample('yantai-sample.osm'), layer);
      const b = await readImportFile('yantai-sample.osm.pbf', sample('yantai-sample.osm.pbf'), layer);
      expect(b.format).toBe('osm-pbf');
      expect(b.records.length).toBeGreaterThan(0);
      expect(b.records).toEqual(a.records);
      expect(b.columns).toEqual(a.columns);
      expect(b.skipped).toEqual(a.skipped);
    }
  });

  it('file names: .osm.pbf and .pbf are PBF, .osm and .xml are XML', () => {
    expect([formatOf('x.osm.pbf'), formatOf('X.OSM.PBF'), formatOf('x.pbf'), formatOf('x.osm'), formatOf('x.xml')]).toEqual(['osm-pbf', 'osm-pbf', 'osm-pbf', 'osm', 'osm']);
  });

  it('a round trip through the writer keeps ids, tags, members and positions (1e-7°)', () => {
    const again = parseOsmPbf(writeOsmPbf(pbf));
    expect(again.relations).toEqual(pbf.relations);
    expect([...again.nodes.values()]).toEqual([...pbf.nodes.values()]);
  });

  it('truncated, corrupt, lzma-compressed or feature-requiring files are refused with bilingual reasons', async () => {
    const bytes = sample('yantai-sample.osm.pbf');
    for (const cut of [3, 10, bytes.length - 7]) {
      const e = await fileError(readImportFile('x.osm.pbf', bytes.slice(0, cut), 'buildings'));
      expect(e.zh).toMatch(/损坏/);
      expect(e.en).toMatch(/corrupt/);
    }
    // Flip bytes inside the last (zlib) blob.
    const flipped = bytes.slice();
    for (let i = bytes.length - 40; i < bytes.length - 20; i++) flipped[i] ^= 0x5a;
    expect((await fileError(readImportFile('x.osm.pbf', flipped, 'buildings'))).en).toMatch(/corrupt/);
    expect((await fileError(readImportFile('x.osm.pbf', new TextEncoder().encode('<osm></osm>'), 'buildings'))).en).toMatch(/corrupt/);

    const header = (features: string[]) => blob('OSMHeader', (b) => {
      const h = new PbfWriter();
      for (const f of features) h.writeStringField(4, f);
      b.writeBytesField(1, h.finish());
    });
    const lzma = blob('OSMData', (b) => {
      b.writeVarintField(2, 100);
      b.writeBytesField(4, new Uint8Array([0x5d, 0, 0, 0x80, 0]));
    });
    const e = await fileError(readImportFile('x.osm.pbf', new Uint8Array([...header(['OsmSchema-V0.6']), ...lzma]), 'buildings'));
    expect([e.zh, e.en]).toEqual([expect.stringMatching(/lzma.*zlib/), expect.stringMatching(/lzma-compressed .*not supported/)]);
    const h = await fileError(readImportFile('x.osm.pbf', header(['OsmSchema-V0.6', 'HistoricalInformation']), 'buildings'));
    expect(h.en).toMatch(/unsupported features: HistoricalInformation/);
  });
});

describe('OSM multipolygon buildings', () => {
  it('joins ways sharing endpoints (in either direction) into rings; an open chain says where', () => {
    expect(joinRings([['a', 'b', 'c'], ['a', 'd', 'c']])).toEqual([['a', 'd', 'c', 'b', 'a']]);
    expect(joinRings([['a', 'b'], ['c', 'd'], ['b', 'c'], ['d', 'a']])).toHaveLength(1);
    expect(joinRings([['a', 'b', 'c'], ['x', 'y', 'x', 'z', 'x']])).toEqual({ openAt: 'c' });
  });

  it('the sample courtyard building (outer ring of two ways, one hole) is one record; the open one is skipped with the reason', async () => {
    for (const name of ['yantai-sample.osm', 'yantai-sample.osm.pbf']) {
      const f = await readImportFile(name, sample(name), 'buildings');
      const rel = f.records.filter((r) => String(r.props.osm_id).startsWith('osm-relation-'));
      expect(rel).toHaveLength(1);
      expect(rel[0].props).toMatchObject({ osm_id: 'osm-relation-700000001', building: 'residential', name: '滨海花园回字楼', 'building:levels': '4' });
      expect(rel[0].props.type).toBeUndefined();
      const g = rel[0].geometry as GeoJSON.Polygon;
      expect(g.type).toBe('Polygon');
      expect(g.coordinates).toHaveLength(2);
      const [outer, hole] = g.coordinates;
      expect(outer).toHaveLength(5);
      expect(outer[0]).toEqual(outer[4]);
      expect(hole).toHaveLength(5);
      // The hole lies strictly inside the outer ring's bounding box.
      const xs = outer.map((p) => p[0]);
      for (const p of hole) expect(p[0] > Math.min(...xs) && p[0] < Math.max(...xs)).toBe(true);
      expect(f.skipped).toEqual([expect.objectContaining({ osmId: 'osm-relation-700000002', en: expect.stringMatching(/outer ring does not close/) })]);
    }
  });

  it('a relation whose member way is missing, or with a hole outside every outer ring, keeps what closes and says what was left out', () => {
    const doc = `<osm><node id="1" lat="0" lon="0"/><node id="2" lat="0" lon="1"/><node id="3" lat="1" lon="1"/><node id="4" lat="1" lon="0"/>
      <node id="5" lat="5" lon="5"/><node id="6" lat="5" lon="6"/><node id="7" lat="6" lon="6"/>
      <way id="10"><nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="4"/><nd ref="1"/></way>
      <way id="11"><nd ref="5"/><nd ref="6"/><nd ref="7"/><nd ref="5"/></way>
      <relation id="20"><member type="way" ref="10" role="outer"/><member type="way" ref="99" role="outer"/><tag k="type" v="multipolygon"/><tag k="building" v="yes"/></relation>
      <relation id="21"><member type="way" ref="10" role="outer"/><member type="way" ref="11" role="inner"/><tag k="type" v="multipolygon"/><tag k="building" v="yes"/></relation>
      <relation id="22"><member type="way" ref="10" role="outer"/><member type="way" ref="11" role="outer"/><tag k="type" v="multipolygon"/><tag k="building" v="yes"/></relation>
      <relation id="23"><member type="way" ref="10" role="outer"/><tag k="type" v="multipolygon"/><tag k="landuse" v="residential"/></relation></osm>`;
    const { records, skipped } = osmRecords(parseOsmXml(doc), 'building');
    expect(skipped.map((s) => [s.osmId, s.kept, s.en.replace(/^.*: /, '')])).toEqual([
      ['osm-relation-20', true, '1 member way(s) missing from the file (99)'],
      ['osm-relation-21', true, '1 inner ring(s) outside every outer ring left out'],
    ]);
    expect(records.map((r) => [r.props.osm_id, r.geometry?.type])).toEqual([['osm-relation-20', 'Polygon'], ['osm-relation-21', 'Polygon'], ['osm-relation-22', 'MultiPolygon']]);
  });
});
