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
    // No code in the tags: each is derived from its relation id (47 → 99 0048; 49 → …050).
    expect(by('district')).toMatchObject([{ code: '990048', name: 'Liechtenstein', parent: null, code_from: 'auto', osm_id: 'osm-relation-47' }]);
    expect(by('street').map((p) => [p.code, p.name, p.parent])).toEqual([
      ['990048050', 'Wahlkreis Unterland', '990048'], ['990048051', 'Wahlkreis Oberland', '990048']]);
    const communities = by('community');
    expect(communities).toHaveLength(11);
    expect(communities.find((p) => p.name === 'Vaduz')).toMatchObject({ code: '990048051049', parent: '990048051', level: 'community' });
    expect(communities.find((p) => p.name === 'Mauren')).toMatchObject({ parent: '990048050' });
    for (const p of communities) expect(String(p.code).startsWith(String(p.parent))).toBe(true);
    // Austrian and Swiss boundaries are cut by the extract's edge: skipped, with the reason.
    expect(r.skipped.find((s) => s.osmId === 'osm-relation-3')?.en).toMatch(/missing from the file/);
  });

  it('assigned codes follow the relation, not its place in the file: a smaller extract gives the others the same codes', () => {
    const codes = (d: typeof data) => new Map(osmBoundaryRecords(d).records.map((r) => [r.props.osm_id, r.props.code]));
    const whole = codes(data);
    // Drop two communities (Schellenberg, Triesen: the lowest ids of their streets) as a cut extract would.
    const cut = codes({ ...data, relations: data.relations.filter((r) => r.id !== '38' && r.id !== '37') });
    expect(cut.size).toBe(whole.size - 2);
    for (const [osmId, code] of cut) expect(code).toBe(whole.get(osmId));
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

/**
 * Monaco (Geofabrik's monaco-latest.osm.pbf of 2019): the country (admin_level 2), the commune
 * (8) and France's boundaries around it lack their sea borders or most of their ways, yet Monaco's
 * commune and Provence-Alpes-Côte d'Azur each still close one small ring (1,003 m² and 1,348 m²).
 * Only the six quartiers (10) are whole.
 */
describe('OSM boundaries cut by the extract (Monaco)', () => {
  const monaco = parseOsmPbf(readFileSync(new URL('../samples/osm-monaco/monaco-latest-2019.osm.pbf', import.meta.url)));

  it('a boundary missing members is left out whole, never its closed sliver', () => {
    // Levels 8 and 10 together: the commune would be the district of six quartiers if its
    // 1,003 m² ring were taken for the commune.
    const e = (() => { try { osmBoundaryRecords(monaco, { levels: [8, 10] }); } catch (x) { return x as OsmLevelsProblem; } })();
    expect(e).toBeInstanceOf(OsmLevelsProblem);
    expect(e!.en).toMatch(/no complete admin_level=8 boundary in the file \(found: 10\)/);
    expect(e!.en).toMatch(/cut by the extract's edge: admin_level=8 Monaco/);
    expect(e!.zh).toMatch(/被文件范围截断/);
  });

  it('one whole level only: the refusal names the levels cut by the extract and where districts and streets can come from', () => {
    const e = (() => { try { osmBoundaryRecords(monaco); } catch (x) { return x as OsmLevelsProblem; } })();
    expect(e).toBeInstanceOf(OsmLevelsProblem);
    expect(e!.en).toMatch(/complete admin_level 10 only/);
    expect(e!.en).toMatch(/admin_level=2 Monaco/);
    expect(e!.en).toMatch(/admin_level=8 Monaco/);
    expect(e!.en).toMatch(/import the districts and streets from another file/);
    // osmLevels cannot help (there is no second whole level): it is not offered.
    expect(e!.en).not.toMatch(/osmLevels/);
    expect(e!.zh).toMatch(/先从其他文件/);
  });

  it('one whole level in a deployment that has streets: the quartiers as communities, no parent, no code (the server places and codes them)', () => {
    const r = osmBoundaryRecords(monaco, { streetsExist: true });
    expect(r.levels).toEqual({ district: null, street: null, community: 10 });
    expect(r.records).toHaveLength(6);
    for (const x of r.records) expect(x.props).toMatchObject({ code: null, level: 'community', parent: null, admin_level: 10, code_from: 'auto' });
    expect(r.records.map((x) => x.row)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(r.records.map((x) => x.props.name)).toContain('Monaco-Ville');
    // Asked for (osmLevels=10) it is the same; without streets it says to import them first.
    expect(osmBoundaryRecords(monaco, { levels: [10], streetsExist: true }).records).toHaveLength(6);
    const e = (() => { try { osmBoundaryRecords(monaco, { levels: [10] }); } catch (x) { return x as OsmLevelsProblem; } })();
    expect(e).toBeInstanceOf(OsmLevelsProblem);
    expect(e!.en).toMatch(/communities alone \(admin_level=10\) go in under the deployment's streets, and it has none yet/);
    // The refusal without streets says so too.
    const none = (() => { try { osmBoundaryRecords(monaco); } catch (x) { return x as OsmLevelsProblem; } })();
    expect(none!.en).toMatch(/once the deployment has its streets, this file's admin_level=10 boundaries go in as communities under them/);
  });

  it('several levels are read as before when the deployment has streets (Liechtenstein: 2, 6, 8)', () => {
    expect(osmBoundaryRecords(data, { streetsExist: true }).levels).toEqual(osmBoundaryRecords(data).levels);
  });

  it('Liechtenstein: Fläsch (Switzerland, 4 member ways missing) is skipped, not a sliver', () => {
    const r = osmBoundaryRecords(data);
    expect(r.records.map((x) => x.props.osm_id)).not.toContain('osm-relation-64');
    expect(r.skipped.find((s) => s.osmId === 'osm-relation-64')?.en).toMatch(/member way\(s\) missing from the file/);
  });
});
