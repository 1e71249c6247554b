import { describe, expect, it } from 'vitest';
import { osmRecords, parseOsmXml } from './osm-xml.js';

/**
 * Issue #16: a way at the edge of an extract refers to nodes the extract lacks (built here from a small
 * hand-written extract by leaving nodes out, the way a bbox cut does). Its part inside must survive.
 */
describe('ways cut by the edge of an extract', () => {
  const xml = `<osm>
    <node id="1" lat="37.5" lon="121.3"/><node id="2" lat="37.5" lon="121.301"/><node id="3" lat="37.501" lon="121.301"/>
    <node id="4" lat="37.501" lon="121.3"/><node id="6" lat="37.502" lon="121.302"/><node id="7" lat="37.502" lon="121.303"/>
    <way id="10"><nd ref="1"/><nd ref="2"/><nd ref="99"/><nd ref="6"/><nd ref="7"/><tag k="highway" v="residential"/></way>
    <way id="11"><nd ref="98"/><nd ref="1"/><nd ref="2"/><tag k="highway" v="footway"/></way>
    <way id="12"><nd ref="97"/><nd ref="1"/><tag k="highway" v="footway"/></way>
    <way id="20"><nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="96"/><nd ref="4"/><nd ref="1"/><tag k="building" v="yes"/></way>
    <way id="21"><nd ref="1"/><nd ref="95"/><nd ref="94"/><nd ref="3"/><nd ref="1"/><tag k="building" v="yes"/></way></osm>`;
  const data = parseOsmXml(xml);

  it('a road keeps each run of ≥ 2 present nodes as its own part; one with no such run is reported', () => {
    const { records, skipped } = osmRecords(data, 'walk');
    expect(records.map((r) => [r.props.osm_id, r.geometry])).toEqual([
      ['osm-way-10', { type: 'MultiLineString', coordinates: [[[121.3, 37.5], [121.301, 37.5]], [[121.302, 37.502], [121.303, 37.502]]] }],
      ['osm-way-11', { type: 'LineString', coordinates: [[121.3, 37.5], [121.301, 37.5]] }],
    ]);
    expect(skipped.map((s) => s.osmId)).toEqual(['osm-way-12']);
    expect(skipped[0].en).toContain('1 of its nodes are missing');
  });

  it('a building ring closes over its present nodes when ≥ 4 remain, else is dropped saying how many were missing', () => {
    const { records, skipped } = osmRecords(data, 'building');
    expect(records.map((r) => r.props.osm_id)).toEqual(['osm-way-20']);
    expect(records[0].geometry).toEqual({ type: 'Polygon', coordinates: [[[121.3, 37.5], [121.301, 37.5], [121.301, 37.501], [121.3, 37.501], [121.3, 37.5]]] });
    expect(skipped).toEqual([expect.objectContaining({ osmId: 'osm-way-21', en: expect.stringContaining('2 of its nodes are missing') })]);
  });
});
