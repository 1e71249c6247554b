import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distanceM, type LngLat } from './chinese-offsets.js';
import { gkCmEpsg, gkProjection, gkToLngLat, gkZoneEpsg, lngLatToGk, zoneForLng } from './gauss-kruger.js';

/**
 * Reference values computed with PROJ 9 from the EPSG database (`cs2cs EPSG:4490 EPSG:<code>`,
 * gdal-bin on Debian), i.e. the official EPSG definitions of the CGCS2000 3-degree GK systems.
 * Input lat/lng → [easting, northing] in metres.
 */
const REFS: Array<{ epsg: number; lngLat: LngLat; en: LngLat }> = [
  { epsg: 4527, lngLat: [120.1, 30.2], en: [39798578.3514, 3346349.7777] }, // zone 39
  { epsg: 4549, lngLat: [120.1, 30.2], en: [509629.2243, 3342288.4508] }, // CM 120E
  { epsg: 4527, lngLat: [116.404, 39.915], en: [39449042.0474, 4420261.22] }, // Beijing, zone 39
  { epsg: 4526, lngLat: [114.06, 22.54], en: [38506171.9992, 2493598.0441] }, // Shenzhen, zone 38
  { epsg: 4547, lngLat: [114.06, 22.54], en: [506171.9992, 2493598.0441] }, // Shenzhen, CM 114E
];

describe('CGCS2000 3-degree Gauss–Krüger', () => {
  it('zone and CM EPSG codes: 4513–4533 zones 25–45, 4534–4554 CM 75E–135E', () => {
    expect(gkZoneEpsg(25)).toBe(4513);
    expect(gkZoneEpsg(45)).toBe(4533);
    expect(gkCmEpsg(25)).toBe(4534);
    expect(gkCmEpsg(45)).toBe(4554);
    expect(gkProjection(4527)).toMatchObject({ zone: 39, centralMeridian: 117, prefixed: true });
    expect(gkProjection(4549)).toMatchObject({ zone: 40, centralMeridian: 120, prefixed: false });
    expect(gkProjection(4512)).toBeNull();
    expect(gkProjection(4555)).toBeNull();
    expect(zoneForLng(120.1)).toBe(40);
  });
  it.each(REFS)('EPSG:$epsg matches PROJ/EPSG to 1 mm', ({ epsg, lngLat, en }) => {
    const [e, n] = lngLatToGk(epsg, lngLat);
    expect(Math.abs(e - en[0])).toBeLessThan(0.001);
    expect(Math.abs(n - en[1])).toBeLessThan(0.001);
    expect(distanceM(gkToLngLat(epsg, en), lngLat)).toBeLessThan(0.001);
  });
  it('round trip within a zone (fast-check): < 1 mm', () => {
    fc.assert(
      fc.property(fc.integer({ min: 25, max: 45 }), fc.double({ min: -1.5, max: 1.5, noNaN: true }), fc.double({ min: 18, max: 53, noNaN: true }),
        (zone, dLng, lat) => {
          const p: LngLat = [zone * 3 + dLng, lat];
          for (const epsg of [gkZoneEpsg(zone), gkCmEpsg(zone)]) {
            if (distanceM(gkToLngLat(epsg, lngLatToGk(epsg, p)), p) > 0.001) return false;
          }
          return true;
        }),
      { numRuns: 300 },
    );
  });
});
