import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
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
