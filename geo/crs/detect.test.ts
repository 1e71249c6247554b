import { describe, expect, it } from 'vitest';
import type { LngLat } from './chinese-offsets.js';
import { detectCrs } from './detect.js';
import { parseCrs, toWgs84Fn } from './registry.js';

describe('detectCrs', () => {
  const lngLat: LngLat[] = [[120.15, 30.27], [120.16, 30.28]];
  it('lng/lat: WGS84 by default, GCJ-02 for an Amap hint, BD-09 for Baidu — always to be confirmed', () => {
    expect(detectCrs(lngLat)).toMatchObject({ kind: 'geographic', crs: 'EPSG:4326', confirm: true });
    expect(detectCrs(lngLat, { hint: 'amap' }).crs).toBe('GCJ02');
    expect(detectCrs(lngLat, { hint: 'baidu' }).crs).toBe('BD09');
    expect(detectCrs(lngLat).candidates).toEqual(expect.arrayContaining(['GCJ02', 'BD09', 'EPSG:4490']));
  });
  it('zone-prefixed eastings: the zone is certain', () => {
    const g = detectCrs([[40509629.2, 3342288.4], [40510000, 3342000]]);
    expect(g).toMatchObject({ kind: 'gk-zone', crs: 'EPSG:4528', confirm: false, swapAxes: false });
  });
  it('northing first (surveyors’ X/Y): swapped axes detected', () => {
    expect(detectCrs([[3342288.4, 40509629.2]])).toMatchObject({ kind: 'gk-zone', crs: 'EPSG:4528', swapAxes: true });
  });
  it('plain GK metres: central meridian unknown unless a default is given', () => {
    expect(detectCrs([[509629.2, 3342288.4]])).toMatchObject({ kind: 'gk-cm', crs: null, confirm: true });
    expect(detectCrs([[509629.2, 3342288.4]], { defaultCmZone: 40 }).crs).toBe('EPSG:4549');
  });
  it('nothing recognisable', () => {
    expect(detectCrs([]).kind).toBe('unknown');
    expect(detectCrs([[5e9, 1]]).crs).toBeNull();
  });
});

describe('parseCrs / toWgs84Fn', () => {
  it('aliases', () => {
    expect(parseCrs('wgs84')).toBe('EPSG:4326');
    expect(parseCrs('amap')).toBe('GCJ02');
    expect(parseCrs('Baidu')).toBe('BD09');
    expect(parseCrs('4527')).toBe('EPSG:4527');
    expect(parseCrs('EPSG:4549')).toBe('EPSG:4549');
    expect(parseCrs('EPSG:3857')).toBeNull();
  });
  it('GK metres convert to lng/lat', () => {
    const [lng, lat] = toWgs84Fn('EPSG:4549')([509629.2243, 3342288.4508]);
    expect(lng).toBeCloseTo(120.1, 7);
    expect(lat).toBeCloseTo(30.2, 7);
  });
});
