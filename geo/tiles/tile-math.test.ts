import { describe, expect, it } from 'vitest';
import { isValidTile, lngLatToMercator, lngLatToTile, mercatorToLngLat, tileBoundsLngLat, tileBoundsMercator } from './tile-math.js';

describe('tile math', () => {
  it('matches PostGIS ST_TileEnvelope(15, 27430, 12560)', () => {
    const [minx, miny, maxx, maxy] = tileBoundsMercator(15, 27430, 12560);
    expect(minx).toBeCloseTo(13509174.631008912, 6);
    expect(miny).toBeCloseTo(4675500.146147661, 6);
    expect(maxx).toBeCloseTo(13510397.623461474, 6);
    expect(maxy).toBeCloseTo(4676723.138600225, 6);
  });

  it('covers the world at z0 and validates ranges', () => {
    const [minx, miny, maxx, maxy] = tileBoundsMercator(0, 0, 0);
    expect(maxx - minx).toBeCloseTo(40075016.68557849, 4);
    expect(maxy).toBeCloseTo(-miny, 6);
    expect(isValidTile(0, 0, 0)).toBe(true);
    expect(isValidTile(3, 7, 7)).toBe(true);
    expect(isValidTile(3, 8, 0)).toBe(false);
    expect(isValidTile(3, 0, -1)).toBe(false);
    expect(isValidTile(23, 0, 0)).toBe(false);
    expect(isValidTile(1.5, 0, 0)).toBe(false);
  });

  it('round-trips lng/lat through mercator and finds the containing tile', () => {
    const [x, y] = lngLatToMercator(121.39, 37.54);
    const [lng, lat] = mercatorToLngLat(x, y);
    expect(lng).toBeCloseTo(121.39, 9);
    expect(lat).toBeCloseTo(37.54, 9);
    for (const z of [10, 15, 17]) {
      const [tx, ty] = lngLatToTile(121.39, 37.54, z);
      const [w, s, e, n] = tileBoundsLngLat(z, tx, ty);
      expect(121.39).toBeGreaterThanOrEqual(w);
      expect(121.39).toBeLessThan(e);
      expect(37.54).toBeGreaterThanOrEqual(s);
      expect(37.54).toBeLessThan(n);
    }
  });
});
