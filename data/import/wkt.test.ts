import { describe, expect, it } from 'vitest';
import { parseWkt } from './wkt.js';

describe('parseWkt', () => {
  it('reads polygons, multipolygons with holes, points and lines', () => {
    expect(parseWkt('POLYGON((0 0, 1 0, 1 1, 0 0))')).toEqual({ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] });
    expect(parseWkt('SRID=4326;MULTIPOLYGON (((0 0,2 0,2 2,0 0),(0.5 0.5, 1 0.5, 1 1, 0.5 0.5)),((5 5,6 5,6 6,5 5)))')).toEqual({
      type: 'MultiPolygon', coordinates: [[[[0, 0], [2, 0], [2, 2], [0, 0]], [[0.5, 0.5], [1, 0.5], [1, 1], [0.5, 0.5]]], [[[5, 5], [6, 5], [6, 6], [5, 5]]]],
    });
    expect(parseWkt('POINT Z (121.4 37.5 10)')).toEqual({ type: 'Point', coordinates: [121.4, 37.5] });
    expect(parseWkt('LINESTRING(1 2, 3 4)')).toEqual({ type: 'LineString', coordinates: [[1, 2], [3, 4]] });
    expect(parseWkt('MULTIPOINT((1 2), (3 4))')).toEqual({ type: 'MultiPoint', coordinates: [[1, 2], [3, 4]] });
  });

  it('answers null for anything else, so a column of names is never taken for geometry', () => {
    for (const v of ['友谊街社区', 'POLYGON((0 0, 1 0)', 'POLYGON(0 0, 1 0)', 'CIRCLE(1 2)', 'POINT(a b)', 'POLYGON((0 0, 1 0, 1 1, 0 0)) x', 12, null]) {
      expect(parseWkt(v)).toBeNull();
    }
  });
});
