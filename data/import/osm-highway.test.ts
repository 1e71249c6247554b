import { describe, expect, it } from 'vitest';
import { mapRecords } from './map-records.js';
import { walkKindOfHighway } from './osm-highway.js';
import { osmRecords, parseOsmXml } from './osm-xml.js';
import type { ParsedFile } from './types.js';

/** Issue #16: `*_link` highways are classified like their parent class, in OSM and in GIS walk imports. */
describe('*_link highways', () => {
  it('one table: a link takes its parent class; motorway_link stays unwalkable like motorway', () => {
    expect(walkKindOfHighway('primary_link')).toBe('arterial');
    expect(walkKindOfHighway('trunk_link')).toBe('arterial');
    expect(walkKindOfHighway('secondary_link')).toBe('secondary');
    expect(walkKindOfHighway('tertiary_link')).toBe('secondary');
    expect(walkKindOfHighway('motorway_link')).toBeNull();
    expect(walkKindOfHighway('toString')).toBeNull();
  });

  it('the OSM importer keeps link ways in the walk layer', () => {
    const data = parseOsmXml(`<osm><node id="1" lat="37.5" lon="121.3"/><node id="2" lat="37.5" lon="121.301"/>
      <way id="10"><nd ref="1"/><nd ref="2"/><tag k="highway" v="primary_link"/></way>
      <way id="11"><nd ref="1"/><nd ref="2"/><tag k="highway" v="tertiary_link"/></way>
      <way id="12"><nd ref="1"/><nd ref="2"/><tag k="highway" v="motorway_link"/></way></osm>`);
    expect(osmRecords(data, 'walk').records.map((r) => r.props.osm_id)).toEqual(['osm-way-10', 'osm-way-11']);
  });

  it('a GIS walk layer with kind=primary_link imports as arterial (was: unknown walk kind)', () => {
    const line = { type: 'LineString' as const, coordinates: [[121.3, 37.5], [121.301, 37.5]] };
    const file: ParsedFile = {
      format: 'geojson', columns: ['highway'],
      records: [{ row: 1, props: { highway: 'primary_link' }, geometry: line }, { row: 2, props: { highway: 'secondary_link' }, geometry: line }],
    };
    const out = mapRecords('walk', file, { kind: 'highway' }, (p) => p);
    expect(out.errors).toEqual([]);
    expect(out.rows.map((r) => (r as { kind: string }).kind)).toEqual(['arterial', 'secondary']);
  });
});
