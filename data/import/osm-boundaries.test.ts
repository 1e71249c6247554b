/** OSM administrative boundaries → boundary records (issue #15) on the real Liechtenstein extract. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OsmLevelsProblem, osmBoundaryRecords, taggedCode } from './osm-boundaries.js';
import { parseOsmPbf } from './osm-pbf.js';
import { readImportFile } from './read-file.js';

const NAME = 'liechtenstein-2013-08-03.osm.pbf';
const bytes = readFileSync(new URL(`../samples/osm-real/${NAME}`, import.meta.url));
const data = parseOsmPbf(bytes);

describe('OSM boundaries', () => {
  it('chooses admin_level 2/6/8 around the buildings: 1 district, 2 streets, 11 communities, parents by containment', () => {
    const r = osmBoundaryRecords(data);
    expect(r.levels).toEqual({ district: 2, street: 6, community: 8 });
    const by = (level: string) => r.records.filter((x) => x.props.level === level).map((x) => x.props);
    expect(by('district')).toMatchObject([{ code: '990001', name: 'Liechtenstein', parent: null, code_from: 'auto' }]);
    expect(by('street').map((p) => [p.code, p.name, p.parent])).toEqual([
      ['990001001', 'Wahlkreis Unterland', '990001'], ['990001002', 'Wahlkreis Oberland', '990001']]);
    const communities = by('community');
    expect(communities).toHaveLength(11);
    expect(communities.find((p) => p.name === 'Vaduz')).toMatchObject({ parent: '990001002', level: 'community' });
    expect(communities.find((p) => p.name === 'Mauren')).toMatchObject({ parent: '990001001' });
    for (const p of communities) expect(String(p.code).startsWith(String(p.parent))).toBe(true);
    // Austrian and Swiss boundaries are cut by the extract's edge: skipped, with the reason.
    expect(r.skipped.find((s) => s.osmId === 'osm-relation-3')?.en).toMatch(/missing from the file/);
  });

  it('osmLevels overrides; levels absent from the file are refused with the ones found', () => {
    expect(osmBoundaryRecords(data, { levels: [2, 6, 8] }).records).toHaveLength(14);
    expect(() => osmBoundaryRecords(data, { levels: [2, 4, 8] })).toThrow(OsmLevelsProblem);
    expect(() => osmBoundaryRecords(data, { levels: [8, 6, 2] })).toThrow(/increasing/);
  });

  it('reads Chinese division codes from the tags when they fit the level', () => {
    expect(taggedCode({ 'ref:admin:CN:nbs': '370602001001' }, 'community')).toBe('370602001001');
    expect(taggedCode({ 'ref:admin:CN:nbs': '370602000000' }, 'district')).toBe('370602');
    expect(taggedCode({ 'ref:admin:CN:mca': '370602001' }, 'street')).toBe('370602001');
    expect(taggedCode({ ref: 'BZ' }, 'district')).toBeNull();
    expect(taggedCode({ ref: '801' }, 'district')).toBeNull();
  });

  it('is the boundaries layer of an .osm.pbf import', async () => {
    const f = await readImportFile(NAME, bytes, 'boundaries');
    expect(f.records).toHaveLength(14);
    expect(f.columns).toEqual(expect.arrayContaining(['code', 'name', 'level', 'parent']));
    await expect(readImportFile(NAME, bytes, 'boundaries', { osmLevels: [2, 4, 8] })).rejects.toMatchObject({ code: 'invalid_file' });
  });
});
