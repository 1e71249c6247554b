import { VectorTile, classifyRings } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { describe, expect, it } from 'vitest';
import { encodeTile, type MvtFeature } from './encode-tile.js';

function decode(bytes: Uint8Array, name = 'l') {
  const layer = new VectorTile(new PbfReader(bytes)).layers[name];
  return Array.from({ length: layer.length }, (_, i) => layer.feature(i));
}

const square = (x: number, y: number, s: number) => [[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]];

describe('encodeTile', () => {
  it('round-trips points, lines and polygons with ids and typed properties', () => {
    const features: MvtFeature[] = [
      { id: 1, properties: { name: '长者食堂', n: 3, neg: -7, f: 1.5, ok: true, gone: null }, geometry: { type: 'Point', coordinates: [10, 20] } },
      { id: 2, properties: {}, geometry: { type: 'MultiPoint', coordinates: [[1, 2], [3, 4]] } },
      { id: 3, properties: { kind: 'local' }, geometry: { type: 'LineString', coordinates: [[0, 0], [100, 0], [100, 50]] } },
      { id: 4, properties: {}, geometry: { type: 'MultiLineString', coordinates: [[[0, 0], [5, 5]], [[10, 10], [20, 20]]] } },
      { id: 5, properties: {}, geometry: { type: 'Polygon', coordinates: [square(0, 0, 100)] } },
    ];
    const out = decode(encodeTile([{ name: 'l', features }]));
    expect(out.map((f) => f.id)).toEqual([1, 2, 3, 4, 5]);
    expect(out.map((f) => f.type)).toEqual([1, 1, 2, 2, 3]);
    expect(out[0].properties).toEqual({ name: '长者食堂', n: 3, neg: -7, f: 1.5, ok: true });
    expect(out[0].loadGeometry()[0][0]).toMatchObject({ x: 10, y: 20 });
    expect(out[1].loadGeometry().flat().map((p) => [p.x, p.y])).toEqual([[1, 2], [3, 4]]);
    expect(out[2].loadGeometry()[0].map((p) => [p.x, p.y])).toEqual([[0, 0], [100, 0], [100, 50]]);
    expect(out[3].loadGeometry().length).toBe(2);
    const ring = out[4].loadGeometry()[0];
    expect(ring.length).toBe(5); // decoder closes the ring
    expect(out[4].toGeoJSON(0, 0, 0).geometry.type).toBe('Polygon');
  });

  it('writes MVT winding whatever the input winding, and keeps holes as holes', () => {
    const outer = square(0, 0, 400);
    const hole = square(100, 100, 100);
    for (const [o, h] of [[outer, hole], [[...outer].reverse(), [...hole].reverse()]]) {
      const [f] = decode(encodeTile([{ name: 'l', features: [{ properties: {}, geometry: { type: 'Polygon', coordinates: [o, h] } }] }]));
      const polys = classifyRings(f.loadGeometry());
      expect(polys.length).toBe(1);
      expect(polys[0].length).toBe(2);
    }
    const multi = { type: 'MultiPolygon' as const, coordinates: [[square(0, 0, 10)], [square(20, 20, 10), square(22, 22, 2)]] };
    const [m] = decode(encodeTile([{ name: 'l', features: [{ properties: {}, geometry: multi }] }]));
    const polys = classifyRings(m.loadGeometry());
    expect(polys.map((p) => p.length)).toEqual([1, 2]);
  });

  it('drops degenerate rings, collapsed features and empty layers', () => {
    const flat = [[0, 0], [10, 0], [20, 0], [0, 0]];
    const tiny = [[5, 5], [5, 5], [5, 5], [5, 5]];
    const bytes = encodeTile([
      { name: 'l', features: [
        { id: 1, properties: {}, geometry: { type: 'Polygon', coordinates: [flat] } },
        { id: 2, properties: {}, geometry: { type: 'Polygon', coordinates: [square(0, 0, 50), tiny] } },
        { id: 3, properties: {}, geometry: { type: 'LineString', coordinates: [[1, 1], [1, 1]] } },
      ] },
      { name: 'empty', features: [] },
    ]);
    const tile = new VectorTile(new PbfReader(bytes));
    expect(Object.keys(tile.layers)).toEqual(['l']);
    const out = decode(bytes);
    expect(out.map((f) => f.id)).toEqual([2]);
    expect(out[0].loadGeometry().length).toBe(1);
    expect(encodeTile([{ name: 'x', features: [] }]).length).toBe(0);
  });

  it('deduplicates keys and values', () => {
    const features = Array.from({ length: 1000 }, (_, i): MvtFeature => ({
      id: i + 1,
      properties: { use: 'residential', floors: 6, community: '370602001001' },
      geometry: { type: 'Point', coordinates: [i % 4096, 7] },
    }));
    const bytes = encodeTile([{ name: 'l', features }]);
    const text = new TextDecoder().decode(bytes);
    expect(text.split('residential').length - 1).toBe(1);
    expect(text.split('370602001001').length - 1).toBe(1);
    expect(text.split('floors').length - 1).toBe(1);
    const out = decode(bytes);
    expect(out.length).toBe(1000);
    expect(out[999].properties).toEqual({ use: 'residential', floors: 6, community: '370602001001' });
  });
});
