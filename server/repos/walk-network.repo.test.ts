import { describe, expect, it } from 'vitest';
import { parseLineWkt } from './walk-network.repo.js';

describe('parseLineWkt', () => {
  it('reads the coordinates PostGIS writes, 2D or with z, and nothing for no geometry', () => {
    const out: number[] = [];
    parseLineWkt('LINESTRING(121.38 37.53,121.381 37.5305)', out);
    expect(out).toEqual([121.38, 37.53, 121.381, 37.5305]);
    parseLineWkt('LINESTRING Z (1 2 3, 4 5 6)', out);
    expect(out).toEqual([1, 2, 4, 5]);
    parseLineWkt('LINESTRING EMPTY', out);
    expect(out).toEqual([]);
    parseLineWkt(null, out);
    expect(out).toEqual([]);
  });
});
