import { describe, expect, it } from 'vitest';
import {
  MAX_LATITUDE,
  ORIGIN_SHIFT,
  isValidTile,
  lngLatToMercator,
  lngLatToTile,
  mercatorToLngLat,
  tileBoundsLngLat,
  tileBoundsMercator,
} from './tile-math.js';

const within = (a: number, b: number, tol: number) => expect(Math.abs(a - b), `${a} vs ${b}`).toBeLessThanOrEqual(tol);

describe('isValidTile', () => {
  it('accepts integer addresses inside the pyramid', () => {
    expect(isValidTile(0, 0, 0)).toBe(true);
    expect(isValidTile(3, 7, 7)).toBe(true);
    expect(isValidTile(22, 2 ** 22 - 1, 0)).toBe(true);
    expect(isValidTile(15, 27430, 12560)).toBe(true);
  });

  it('rejects out-of-range, fractional and non-numeric addresses', () => {
    expect(isValidTile(3, 8, 0)).toBe(false);
    expect(isValidTile(3, 0, 8)).toBe(false);
    expect(isValidTile(3, -1, 0)).toBe(false);
    expect(isValidTile(3, 0, -1)).toBe(false);
    expect(isValidTile(-1, 0, 0)).toBe(false);
    expect(isValidTile(23, 0, 0)).toBe(false);
    expect(isValidTile(1.5, 0, 0)).toBe(false);
    expect(isValidTile(2, 0.5, 0)).toBe(false);
    expect(isValidTile(NaN, 0, 0)).toBe(false);
    expect(isValidTile(Infinity, 0, 0)).toBe(false);
  });

  it('honours maxZoom', () => {
    expect(isValidTile(23, 0, 0, 24)).toBe(true);
    expect(isValidTile(10, 0, 0, 9)).toBe(false);
  });
});

describe('tileBoundsMercator', () => {
  it('matches PostGIS ST_TileEnvelope(15, 27430, 12560) to 1e-6 m', () => {
    const [minx, miny, maxx, maxy] = tileBoundsMercator(15, 27430, 12560);
    within(minx, 13509174.631008912, 1e-6);
    within(miny, 4675500.146147661, 1e-6);
    within(maxx, 13510397.623461474, 1e-6);
    within(maxy, 4676723.138600225, 1e-6);
  });

  it('covers the world at z0 and splits it at z1', () => {
    expect(ORIGIN_SHIFT).toBeCloseTo(20037508.342789244, 8);
    expect(tileBoundsMercator(0, 0, 0)).toEqual([-ORIGIN_SHIFT, -ORIGIN_SHIFT, ORIGIN_SHIFT, ORIGIN_SHIFT]);
    expect(tileBoundsMercator(1, 0, 0)).toEqual([-ORIGIN_SHIFT, 0, 0, ORIGIN_SHIFT]);
    expect(tileBoundsMercator(1, 1, 1)).toEqual([0, -ORIGIN_SHIFT, ORIGIN_SHIFT, 0]);
  });

  it('tiles the plane without gaps: neighbours share edges exactly', () => {
    const a = tileBoundsMercator(17, 109720, 50240);
    const east = tileBoundsMercator(17, 109721, 50240);
    const south = tileBoundsMercator(17, 109720, 50241);
    expect(east[0]).toBe(a[2]);
    expect(south[3]).toBe(a[1]);
    within(a[2] - a[0], (2 * ORIGIN_SHIFT) / 2 ** 17, 1e-9);
  });

  it('throws for impossible tiles', () => {
    expect(() => tileBoundsMercator(3, 8, 0)).toThrow(RangeError);
    expect(() => tileBoundsMercator(2, 0, 1.5)).toThrow(RangeError);
  });
});

describe('Mercator projection', () => {
  it('maps known points', () => {
    const [x0, y0] = lngLatToMercator(0, 0);
    within(x0, 0, 1e-9);
    within(y0, 0, 1e-6);
    const [x, y] = lngLatToMercator(180, MAX_LATITUDE);
    within(x, ORIGIN_SHIFT, 1e-6);
    within(y, ORIGIN_SHIFT, 1e-6);
    within(MAX_LATITUDE, 85.0511287798066, 1e-12);
  });

  it('clamps latitude to the Mercator square', () => {
    expect(lngLatToMercator(0, 90)[1]).toBeCloseTo(ORIGIN_SHIFT, 6);
    expect(lngLatToMercator(0, -90)[1]).toBeCloseTo(-ORIGIN_SHIFT, 6);
  });

  it('round-trips lng/lat through metres', () => {
    for (const [lng, lat] of [[121.39, 37.54], [-73.99, 40.73], [0, -60], [179.9, 85]]) {
      const [x, y] = lngLatToMercator(lng, lat);
      const [lng2, lat2] = mercatorToLngLat(x, y);
      within(lng2, lng, 1e-9);
      within(lat2, lat, 1e-9);
    }
  });
});

describe('tileBoundsLngLat and lngLatToTile', () => {
  it('gives the world at z0 and the known tile for a Yantai point', () => {
    const [w, s, e, n] = tileBoundsLngLat(0, 0, 0);
    within(w, -180, 1e-9);
    within(e, 180, 1e-9);
    within(s, -MAX_LATITUDE, 1e-9);
    within(n, MAX_LATITUDE, 1e-9);
    // The tile of the ST_TileEnvelope example: its west/east edges are x·360/2^z − 180 exactly.
    const [tw, ts, te, tn] = tileBoundsLngLat(15, 27430, 12560);
    within(tw, (27430 * 360) / 2 ** 15 - 180, 1e-9);
    within(te, (27431 * 360) / 2 ** 15 - 180, 1e-9);
    expect(ts).toBeLessThan(38.68);
    expect(tn).toBeGreaterThan(38.68);
    expect(lngLatToTile(121.36, 38.68, 15)).toEqual([27430, 12560]);
  });

  it('agrees with the slippy-map formula', () => {
    const slippy = (lng: number, lat: number, z: number) => {
      const r = (lat * Math.PI) / 180;
      return [
        Math.floor(((lng + 180) / 360) * 2 ** z),
        Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z),
      ];
    };
    for (const [lng, lat] of [[121.39, 37.54], [-73.99, 40.73], [2.35, 48.86], [151.2, -33.87]]) {
      for (const z of [0, 5, 10, 15, 18, 22]) expect(lngLatToTile(lng, lat, z)).toEqual(slippy(lng, lat, z));
    }
  });

  it('finds the tile whose bounds contain the point, for many tiles', () => {
    for (const [z, x, y] of [[10, 857, 392], [15, 27430, 12560], [17, 109720, 50240], [3, 0, 7], [3, 7, 0]]) {
      const [w, s, e, n] = tileBoundsLngLat(z, x, y);
      expect(lngLatToTile((w + e) / 2, (s + n) / 2, z)).toEqual([x, y]);
    }
  });

  it('puts points beyond the world in edge tiles and rejects bad input', () => {
    expect(lngLatToTile(180, 0, 2)).toEqual([3, 2]);
    expect(lngLatToTile(-180, 89.9, 2)).toEqual([0, 0]);
    expect(lngLatToTile(0, -89.9, 2)).toEqual([2, 3]);
    expect(() => lngLatToTile(0, 0, 1.5)).toThrow(RangeError);
    expect(() => lngLatToTile(NaN, 0, 3)).toThrow(RangeError);
  });
});
