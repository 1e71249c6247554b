import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bd09ToGcj02, bd09ToGcj02Approx, bd09ToWgs84, distanceM, gcj02ToBd09, gcj02ToWgs84, outOfChina, wgs84ToBd09, wgs84ToGcj02,
  type LngLat,
} from './chinese-offsets.js';

/**
 * Reference pairs from the test suite of wandergis/coordtransform (test/app.js), the most widely
 * ported implementation of the published formulas (also used by hutool's CoordinateUtilTest and
 * coordtransform_rs). Input (116.404, 39.915) in every direction.
 */
const REF_IN: LngLat = [116.404, 39.915];
const REF = {
  wgs84ToGcj02: [116.41024449916938, 39.91640428150164] as LngLat,
  gcj02ToBd09: [116.41036949371029, 39.92133699351021] as LngLat,
  bd09ToGcj02Approx: [116.39762729119315, 39.90865673957631] as LngLat,
  /** Their GCJ→WGS84 is the one-step estimate 2p − f(p); ours iterates, so only metres agree. */
  gcj02ToWgs84OneStep: [116.39775550083061, 39.91359571849836] as LngLat,
};

const china = fc.tuple(fc.double({ min: 73.5, max: 134.7, noNaN: true }), fc.double({ min: 18.2, max: 53.5, noNaN: true }));

describe('GCJ-02 / BD-09 against published reference pairs', () => {
  it('WGS84 → GCJ-02 matches to 1e-12°', () => {
    const [lng, lat] = wgs84ToGcj02(REF_IN);
    expect(lng).toBeCloseTo(REF.wgs84ToGcj02[0], 12);
    expect(lat).toBeCloseTo(REF.wgs84ToGcj02[1], 12);
  });
  it('GCJ-02 → BD-09 matches to 1e-12°', () => {
    const [lng, lat] = gcj02ToBd09(REF_IN);
    expect(lng).toBeCloseTo(REF.gcj02ToBd09[0], 12);
    expect(lat).toBeCloseTo(REF.gcj02ToBd09[1], 12);
  });
  it('the published BD-09 → GCJ-02 approximation matches; the iterative one is within 0.5 m of it', () => {
    const approx = bd09ToGcj02Approx(REF_IN);
    expect(approx[0]).toBeCloseTo(REF.bd09ToGcj02Approx[0], 12);
    expect(approx[1]).toBeCloseTo(REF.bd09ToGcj02Approx[1], 12);
    expect(distanceM(bd09ToGcj02(REF_IN), REF.bd09ToGcj02Approx)).toBeLessThan(0.5);
  });
  it('GCJ-02 → WGS84 is within a few metres of the one-step reference and exact through the forward formula', () => {
    const w = gcj02ToWgs84(REF_IN);
    expect(distanceM(w, REF.gcj02ToWgs84OneStep)).toBeLessThan(5);
    expect(distanceM(wgs84ToGcj02(w), REF_IN)).toBeLessThan(0.001);
  });
});

describe('outside China nothing changes', () => {
  const outside: LngLat[] = [[2.35, 48.85], [-74.0, 40.7], [151.2, -33.9], [139.7, 35.7]];
  it.each(outside)('%s', (lng, lat) => {
    const p: LngLat = [lng, lat];
    expect(outOfChina(p)).toBe(true);
    expect(wgs84ToGcj02(p)).toEqual(p);
    expect(gcj02ToWgs84(p)).toEqual(p);
    expect(wgs84ToBd09(p)).toEqual(p);
    expect(bd09ToWgs84(p)).toEqual(p);
  });
});

describe('round trips (fast-check)', () => {
  it('GCJ-02 inverse: error < 0.5 m anywhere in China (measured far below: < 1 mm)', () => {
    let worst = 0;
    fc.assert(
      fc.property(china, ([lng, lat]) => {
        const w: LngLat = [lng, lat];
        const back = gcj02ToWgs84(wgs84ToGcj02(w));
        const err = distanceM(back, w);
        worst = Math.max(worst, err);
        return err < 0.5;
      }),
      { numRuns: 2000 },
    );
    expect(worst).toBeLessThan(0.001);
  });
  it('BD-09 inverse: error < 0.5 m (measured < 1 mm)', () => {
    let worst = 0;
    fc.assert(
      fc.property(china, ([lng, lat]) => {
        const w: LngLat = [lng, lat];
        const err = distanceM(bd09ToWgs84(wgs84ToBd09(w)), w);
        worst = Math.max(worst, err);
        return err < 0.5;
      }),
      { numRuns: 2000 },
    );
    expect(worst).toBeLessThan(0.001);
  });
  it('the GCJ-02 offset is a few hundred metres (so confusing systems is visible on a map)', () => {
    fc.assert(
      fc.property(china, ([lng, lat]) => {
        const d = distanceM(wgs84ToGcj02([lng, lat]), [lng, lat]);
        return d > 1 && d < 1000;
      }),
      { numRuns: 500 },
    );
  });
});
