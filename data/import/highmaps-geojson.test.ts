/**
 * Highcharts Maps files (highmaps-geojson.ts) on a real one: Beijing's 16 districts as the
 * natee/highcharts-china-geo project converted DataV's 110000_full.json for Highmaps (`.js`,
 * positions in Lambert-conformal chart units), checked against DataV's own file of the same
 * districts, shipped beside it in that project.
 */
import { readFileSync } from 'node:fs';
import type { FeatureCollection, MultiPolygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { distanceM } from '../../geo/crs/index.js';
import { readImportFile } from './read-file.js';

const dir = new URL('../samples/highmaps/', import.meta.url);
const js = readFileSync(new URL('110000_full.js', dir));
const datav = JSON.parse(readFileSync(new URL('110000_full.datav.json', dir), 'utf8')) as FeatureCollection<MultiPolygon>;

/** The mean of a feature's outer-ring positions. */
const middle = (g: MultiPolygon) => {
  const pts = g.coordinates.flatMap((p) => p[0]);
  return [pts.reduce((s, p) => s + p[0], 0) / pts.length, pts.reduce((s, p) => s + p[1], 0) / pts.length] as [number, number];
};

describe('Highcharts Maps files', () => {
  it('a .js map file is read: positions back in longitude/latitude, within its ~500 m grain of the DataV file it was made from', async () => {
    const f = await readImportFile('110000_full.js', js, 'boundaries');
    expect(f.format).toBe('geojson');
    // Its crs member (EPSG:3415) names the chart's projection, not the positions: not declared.
    expect(f.declaredCrs).toBeUndefined();
    expect(f.records).toHaveLength(16);
    for (const r of f.records) {
      const ref = datav.features.find((x) => x.properties!.adcode === r.props.adcode)!;
      expect(ref, String(r.props.name)).toBeDefined();
      expect(r.props.name).toBe(ref.properties!.name);
      const d = distanceM(middle(r.geometry as MultiPolygon), middle(ref.geometry));
      expect(d, String(r.props.name)).toBeLessThan(600);
      for (const p of (r.geometry as MultiPolygon).coordinates.flat(2)) {
        expect(p[0]).toBeGreaterThan(115.3);
        expect(p[0]).toBeLessThan(117.6);
        expect(p[1]).toBeGreaterThan(39.3);
        expect(p[1]).toBeLessThan(41.1);
      }
    }
  });

  it('the same file saved as .json (the JavaScript wrapper stripped) reads the same', async () => {
    const text = new TextDecoder().decode(js).replace(/^[^=]*=\s*/, '').replace(/;\s*$/, '');
    const a = await readImportFile('110000_full.js', js, 'boundaries');
    const b = await readImportFile('beijing.json', new TextEncoder().encode(text), 'boundaries');
    expect(b.records.map((r) => r.geometry)).toEqual(a.records.map((r) => r.geometry));
  });
});
