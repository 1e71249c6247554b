/** Boundary rows without a code (communities placed and coded by the server): map-records.ts, columns.ts. */
import { describe, expect, it } from 'vitest';
import { missingRequired } from './columns.js';
import { mapRecords, nameKey } from './map-records.js';
import type { ParsedFile } from './types.js';

const square = (x: number) => ({ type: 'Polygon' as const, coordinates: [[[x, 0], [x + 1, 0], [x + 1, 1], [x, 1], [x, 0]]] });
const file = (props: Array<Record<string, unknown>>): ParsedFile => ({
  format: 'geojson', columns: [...new Set(props.flatMap((p) => Object.keys(p)))],
  records: props.map((p, i) => ({ row: i + 1, props: p, geometry: square(i) })),
} as ParsedFile);

describe('boundary rows without a code', () => {
  it('a file with geometries needs no code column for boundaries (name still required)', () => {
    expect(missingRequired('boundaries', { name: 'name' }, true).map((f) => f.key)).toEqual([]);
    expect(missingRequired('boundaries', {}, true).map((f) => f.key)).toEqual(['name']);

  });

  it('are communities, keyed by their OSM relation id or else by their name; never "repeated" among themselves', () => {
    const out = mapRecords('boundaries', file([
      { name: 'Monaco-Ville', osm_id: 'osm-relation-5986438' },
      { name: 'La Condamine' },
      { name: 'Fontvieille', level: '社区' },
      { name: 'Monaco', level: 'district' },
      { name: 'X', code: '999001001001' },
    ]), { name: 'name', code: 'code', level: 'level' }, (p) => p);
    expect(out.errors.map((e) => [e.row, e.en])).toEqual([[4, 'missing code: only communities may come without one (coded under the street that contains them); level "district" needs its code']]);
    const rows = out.rows as Array<{ row: number; code: string | null; key: string | null; level: string; parent: string | null }>;
    expect(rows.map((r) => [r.row, r.code, r.key, r.level, r.parent])).toEqual([
      [1, null, '5986438', 'community', null],
      [2, null, nameKey('La Condamine'), 'community', null],
      [3, null, nameKey('Fontvieille'), 'community', null],
      [5, '999001001001', null, 'community', null],
    ]);
  });

  it('nameKey is a stable unsigned number of the trimmed name', () => {
    expect(nameKey('La Condamine')).toBe(nameKey(' La Condamine '));
    expect(nameKey('La Condamine')).not.toBe(nameKey('Fontvieille'));
    expect(nameKey('社区')).toMatch(/^\d+$/);
  });
});
