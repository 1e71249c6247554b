import { describe, expect, it } from 'vitest';
import { toWkbHex } from './wkb.js';

describe('hex WKB', () => {
  it('a point and a polygon with a hole, byte for byte as PostGIS writes them (ST_AsHEXEWKB, NDR, no SRID)', () => {
    expect(toWkbHex({ type: 'Point', coordinates: [1, 2] }).toUpperCase()).toBe('0101000000000000000000F03F0000000000000040');
    const square = [[0, 0], [1, 0], [1, 1], [0, 0]];
    const hex = toWkbHex({ type: 'MultiPolygon', coordinates: [[square, square]] });
    expect(hex.slice(0, 18)).toBe('010600000001000000'); // MultiPolygon, 1 polygon
    expect(hex.length).toBe(2 * (9 + 9 + 2 * (4 + 4 * 16)));
  });
});
