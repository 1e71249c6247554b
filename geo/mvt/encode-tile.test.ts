import { VectorTile, classifyRings, type VectorTileFeature } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import type * as GeoJSON from 'geojson';
import { describe, expect, it } from 'vitest';
import { encodeTile, type MvtFeature, type MvtLayer } from './encode-tile.js';

type XY = { x: number; y: number };

function decode(bytes: Uint8Array, name = 'l'): VectorTileFeature[] {
  const layer = new VectorTile(new PbfReader(bytes)).layers[name];
  return Array.from({ length: layer.length }, (_, i) => layer.feature(i));
}

const one = (geometry: GeoJSON.Geometry, properties: MvtFeature['properties'] = {}, id?: number): MvtLayer[] => [
  { name: 'l', features: [{ id, properties, geometry }] },
];

/** Spec surveyor formula, twice the area: > 0 exterior, < 0 interior (tile coordinates, y down). */
const area2 = (ring: XY[]) => ring.reduce((s, p, i) => s + (i ? ring[i - 1].x * p.y - p.x * ring[i - 1].y : 0), 0);
const xy = (ring: XY[]) => ring.map((p) => [p.x, p.y]);

/** Closed square ring, clockwise on screen (y down) = MVT exterior winding. */
const square = (x: number, y: number, s: number) => [[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]];
const reversed = <T>(a: T[]) => [...a].reverse();

/** The raw value messages of the first layer: [field number, value], to check the wire types. */
function rawLayer(bytes: Uint8Array) {
  const out = { version: 0, keys: [] as string[], values: [] as [number, unknown][], features: 0, extent: 0 };
  const tile = new PbfReader(bytes);
  tile.readFields((tag, _r, pbf) => {
    if (tag !== 3 || out.version) return;
    pbf.readMessage((t, _r2, p) => {
      if (t === 15) out.version = p.readVarint();
      else if (t === 2) { out.features++; p.skip(p.type); }
      else if (t === 3) out.keys.push(p.readString());
      else if (t === 4) {
        p.readMessage((vt, _r3, q) => {
          const v = vt === 1 ? q.readString() : vt === 3 ? q.readDouble() : vt === 5 ? q.readVarint() : vt === 6 ? q.readSVarint() : vt === 7 ? q.readBoolean() : q.skip(q.type);
          out.values.push([vt, v]);
        }, null);
      } else if (t === 5) out.extent = p.readVarint();
      else p.skip(p.type);
    }, null);
  }, null);
  return out;
}

describe('encodeTile geometry round-trip', () => {
  it('round-trips every geometry type through @mapbox/vector-tile', () => {
    const features: MvtFeature[] = [
      { id: 1, properties: {}, geometry: { type: 'Point', coordinates: [10, 20] } },
      { id: 2, properties: {}, geometry: { type: 'MultiPoint', coordinates: [[1, 2], [3, 4], [3, 4]] } },
      { id: 3, properties: {}, geometry: { type: 'LineString', coordinates: [[0, 0], [100, 0], [100, 50]] } },
      { id: 4, properties: {}, geometry: { type: 'MultiLineString', coordinates: [[[0, 0], [5, 5]], [[10, 10], [20, 20], [20, 30]]] } },
      { id: 5, properties: {}, geometry: { type: 'Polygon', coordinates: [square(0, 0, 100)] } },
      { id: 6, properties: {}, geometry: { type: 'MultiPolygon', coordinates: [[square(0, 0, 10)], [square(20, 20, 10)]] } },
      { id: 7, properties: {}, geometry: { type: 'Point', coordinates: [-64, 4160] } }, // in the buffer
    ];
    const out = decode(encodeTile([{ name: 'l', features }]));
    expect(out.map((f) => f.id)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(out.map((f) => f.type)).toEqual([1, 1, 2, 2, 3, 3, 1]);
    expect(out[0].loadGeometry().map(xy)).toEqual([[[10, 20]]]);
    expect(out[1].loadGeometry().map(xy)).toEqual([[[1, 2]], [[3, 4]], [[3, 4]]]);
    expect(out[2].loadGeometry().map(xy)).toEqual([[[0, 0], [100, 0], [100, 50]]]);
    expect(out[3].loadGeometry().map(xy)).toEqual([[[0, 0], [5, 5]], [[10, 10], [20, 20], [20, 30]]]);
    expect(out[4].loadGeometry().map(xy)).toEqual([square(0, 0, 100)]); // the decoder re-closes the ring
    expect(out[5].loadGeometry().map(xy)).toEqual([square(0, 0, 10), square(20, 20, 10)]);
    expect(out[6].loadGeometry().map(xy)).toEqual([[[-64, 4160]]]);
    expect(out[2].toGeoJSON(0, 0, 0).geometry.type).toBe('LineString');
    expect(out[3].toGeoJSON(0, 0, 0).geometry.type).toBe('MultiLineString');
    expect(out[4].toGeoJSON(0, 0, 0).geometry.type).toBe('Polygon');
    expect(out[5].toGeoJSON(0, 0, 0).geometry.type).toBe('MultiPolygon');
  });

  it('writes layer version 2 and the extent (default 4096)', () => {
    const bytes = encodeTile([{ name: 'a', features: one({ type: 'Point', coordinates: [1, 1] })[0].features }, { name: 'b', extent: 512, features: one({ type: 'Point', coordinates: [1, 1] })[0].features }]);
    const tile = new VectorTile(new PbfReader(bytes));
    expect(tile.layers.a.version).toBe(2);
    expect(tile.layers.a.extent).toBe(4096);
    expect(tile.layers.b.extent).toBe(512);
  });

  it('rounds coordinates and drops repeated consecutive points', () => {
    const [f] = decode(encodeTile(one({ type: 'LineString', coordinates: [[0.4, 0.6], [0.4, 0.6], [3, 3], [3.2, 2.9], [7.5, 1]] })));
    expect(f.loadGeometry().map(xy)).toEqual([[[0, 1], [3, 3], [8, 1]]]);
  });
});

describe('encodeTile polygon winding', () => {
  const outer = square(0, 0, 400);
  const hole = reversed(square(100, 100, 100)); // MVT interior winding
  const cases: [string, number[][][]][] = [
    ['MVT winding', [outer, hole]],
    ['GeoJSON/RFC 7946 winding', [reversed(outer), reversed(hole)]],
    ['both rings the same way', [outer, reversed(hole)]],
    ['both rings the other way', [reversed(outer), hole]],
  ];
  for (const [label, rings] of cases) {
    it(`writes exterior positive and holes negative from ${label}`, () => {
      const [f] = decode(encodeTile(one({ type: 'Polygon', coordinates: rings })));
      const geom = f.loadGeometry();
      expect(geom.length).toBe(2);
      expect(area2(geom[0])).toBe(2 * 400 * 400);
      expect(area2(geom[1])).toBe(-2 * 100 * 100);
      const polys = classifyRings(geom);
      expect(polys.length).toBe(1);
      expect(polys[0].length).toBe(2);
      const gj = f.toGeoJSON(0, 0, 0).geometry as GeoJSON.Polygon;
      expect(gj.type).toBe('Polygon');
      expect(gj.coordinates.length).toBe(2);
    });
  }

  it('fixes a single ring given counter-clockwise on screen', () => {
    const [f] = decode(encodeTile(one({ type: 'Polygon', coordinates: [reversed(square(5, 5, 20))] })));
    expect(area2(f.loadGeometry()[0])).toBe(800);
  });

  it('decodes multipolygons with holes as the right polygons', () => {
    const multi: GeoJSON.MultiPolygon = {
      type: 'MultiPolygon',
      coordinates: [
        [reversed(square(0, 0, 10))],
        [square(20, 20, 40), square(25, 25, 5), reversed(square(40, 40, 5))],
        [reversed(square(100, 0, 30)), square(110, 10, 5)],
      ],
    };
    const [f] = decode(encodeTile(one(multi)));
    const polys = classifyRings(f.loadGeometry());
    expect(polys.map((p) => p.length)).toEqual([1, 3, 2]);
    for (const p of polys) {
      expect(area2(p[0])).toBeGreaterThan(0);
      for (const h of p.slice(1)) expect(area2(h)).toBeLessThan(0);
    }
    const gj = f.toGeoJSON(0, 0, 0).geometry as GeoJSON.MultiPolygon;
    expect(gj.type).toBe('MultiPolygon');
    expect(gj.coordinates.map((p) => p.length)).toEqual([1, 3, 2]);
  });
});

describe('encodeTile dropping', () => {
  it('drops degenerate rings and features that become empty, and empty layers', () => {
    const flat = [[0, 0], [10, 0], [20, 0], [0, 0]];
    const tiny = [[5, 5], [5, 5], [5, 5], [5, 5]];
    const twoPoints = [[0, 0], [9, 9], [0, 0], [9, 9], [0, 0]];
    const bytes = encodeTile([
      {
        name: 'l',
        features: [
          { id: 1, properties: { a: 1 }, geometry: { type: 'Polygon', coordinates: [flat] } },
          { id: 2, properties: {}, geometry: { type: 'Polygon', coordinates: [square(0, 0, 50), tiny, flat, square(10, 10, 5)] } },
          { id: 3, properties: {}, geometry: { type: 'LineString', coordinates: [[1, 1], [1, 1]] } },
          { id: 4, properties: {}, geometry: { type: 'MultiPolygon', coordinates: [[twoPoints], [tiny]] } },
          { id: 5, properties: {}, geometry: { type: 'Polygon', coordinates: [[[0, 0], [0.2, 0], [0.2, 0.2], [0, 0]]] } },
          { id: 6, properties: {}, geometry: { type: 'GeometryCollection', geometries: [] } },
        ],
      },
      { name: 'empty', features: [] },
      { name: 'collapsed', features: [{ id: 9, properties: {}, geometry: { type: 'Polygon', coordinates: [flat] } }] },
    ]);
    const tile = new VectorTile(new PbfReader(bytes));
    expect(Object.keys(tile.layers)).toEqual(['l']);
    const out = decode(bytes);
    expect(out.map((f) => f.id)).toEqual([2]);
    expect(out[0].loadGeometry().length).toBe(2); // exterior + the one real hole
    expect(rawLayer(bytes).keys).toEqual([]); // the dropped feature's key is not in the table
  });

  it('returns zero bytes when every layer is empty', () => {
    expect(encodeTile([])).toEqual(new Uint8Array(0));
    expect(encodeTile([{ name: 'x', features: [] }]).length).toBe(0);
    expect(encodeTile([{ name: 'x', features: [{ properties: {}, geometry: { type: 'LineString', coordinates: [[1, 1]] } }] }]).length).toBe(0);
  });
});

describe('encodeTile properties and ids', () => {
  it('round-trips ids and typed properties, omitting null and undefined', () => {
    const props = { name: '长者食堂', zero: 0, n: 3, neg: -7, big: 2 ** 40, f: 1.5, negf: -0.25, yes: true, no: false, empty: '', gone: null, missing: undefined };
    const bytes = encodeTile([
      {
        name: 'l',
        features: [
          { id: 0, properties: props, geometry: { type: 'Point', coordinates: [1, 1] } },
          { id: 2 ** 40, properties: {}, geometry: { type: 'Point', coordinates: [1, 1] } },
          { properties: { only: 'no id' }, geometry: { type: 'Point', coordinates: [1, 1] } },
        ],
      },
    ]);
    const out = decode(bytes);
    expect(out.map((f) => f.id)).toEqual([0, 2 ** 40, undefined]);
    expect(out[0].properties).toEqual({ name: '长者食堂', zero: 0, n: 3, neg: -7, big: 2 ** 40, f: 1.5, negf: -0.25, yes: true, no: false, empty: '' });
    expect(out[2].properties).toEqual({ only: 'no id' });
  });

  it('uses uint for non-negative integers, sint for negative ones and double otherwise', () => {
    const bytes = encodeTile(one({ type: 'Point', coordinates: [0, 0] }, { s: 'x', u: 5, i: -5, d: 2.5, huge: 2 ** 60, b: true }));
    expect(rawLayer(bytes).values).toEqual([[1, 'x'], [5, 5], [6, -5], [3, 2.5], [3, 2 ** 60], [7, true]]);
  });

  it('keeps values of different types apart in the value table', () => {
    const bytes = encodeTile(one({ type: 'Point', coordinates: [0, 0] }, { a: 1, b: '1', c: true, d: 'true', e: 1 }));
    const raw = rawLayer(bytes);
    expect(raw.values).toEqual([[5, 1], [1, '1'], [7, true], [1, 'true']]);
    expect(decode(bytes)[0].properties).toEqual({ a: 1, b: '1', c: true, d: 'true', e: 1 });
  });

  it('deduplicates keys and values: 1,000 alike features stay small', () => {
    const features = Array.from({ length: 1000 }, (_, i): MvtFeature => ({
      id: i + 1,
      properties: { use: 'residential', floors: 6, community: '370602001001', households: i % 3 },
      geometry: { type: 'Point', coordinates: [i % 4096, 7] },
    }));
    const bytes = encodeTile([{ name: 'l', features }]);
    const raw = rawLayer(bytes);
    expect(raw.features).toBe(1000);
    expect(raw.keys).toEqual(['use', 'floors', 'community', 'households']);
    expect(raw.values.length).toBe(6); // 'residential', 6, '370602001001', 0, 1, 2
    // Properties cost only their 8 tag indices per feature (a 2-byte header + 8 one-byte varints)
    // plus one copy of each key and value; without tables every feature would carry ~40 bytes.
    const bare = encodeTile([{ name: 'l', features: features.map((f) => ({ ...f, properties: {} })) }]);
    expect(bytes.length - bare.length).toBeLessThanOrEqual(1000 * 10 + 100);
    expect(bytes.length).toBeLessThan(25_000);
    const out = decode(bytes);
    expect(out.length).toBe(1000);
    expect(out[999].properties).toEqual({ use: 'residential', floors: 6, community: '370602001001', households: 0 });
  });
});

describe('encodeTile input errors', () => {
  const pt: GeoJSON.Point = { type: 'Point', coordinates: [0, 0] };

  it('refuses duplicate layer names, which decoders would silently merge or drop', () => {
    expect(() => encodeTile([{ name: 'l', features: [] }, { name: 'l', features: [] }])).toThrow(/duplicate layer/);
  });

  it('refuses ids that are not unsigned integers instead of dropping them silently', () => {
    for (const id of [-1, 1.5, NaN, 2 ** 53]) expect(() => encodeTile(one(pt, {}, id))).toThrow(RangeError);
    expect(() => encodeTile(one(pt, {}, '7' as unknown as number))).toThrow(RangeError);
  });

  it('refuses property values MVT cannot carry', () => {
    expect(() => encodeTile(one(pt, { o: {} as unknown as string }))).toThrow(TypeError);
    expect(() => encodeTile(one(pt, { b: 5n as unknown as number }))).toThrow(TypeError);
  });

  it('refuses a bad extent', () => {
    expect(() => encodeTile([{ name: 'l', extent: 0, features: one(pt)[0].features }])).toThrow(RangeError);
    expect(() => encodeTile([{ name: 'l', extent: 4096.5, features: one(pt)[0].features }])).toThrow(RangeError);
  });
});
