import { describe, expect, it } from 'vitest';
import type { ScreenGrid, ScreenSummary } from '../http/screen-api';
import { figuresFor, kpiCount } from './figures';
import { KPIS } from './kpis';
import { tourOptionsFromUrl, tourPlan, tourSteps } from './tour';

const grid = (code: string, community: string, households: number, status: ScreenGrid['status']): ScreenGrid => ({
  code, name: code, communityCode: community, kind: status === 'dedicated' ? 'dedicated' : 'basic', status,
  buildings: 2, households, residents: households * 2, partyMembers: 10, partyCenters: 1, workers: [], bbox: [0, 0, 1, 1],
});

const summary: ScreenSummary = {
  generatedAt: '', band: { lo: 300, hi: 400 }, street: { code: 's', name: '向阳街道' },
  communities: [
    { code: 'A', name: 'A社区', shortName: 'A', buildings: 4, households: 750, residents: 1500, partyMembers: 20, partyCenters: 2, bbox: [0, 0, 1, 1] },
    { code: 'B', name: 'B社区', shortName: 'B', buildings: 4, households: 610, residents: 1220, partyMembers: 20, partyCenters: 2, bbox: [0, 0, 1, 1] },
  ],
  grids: [grid('A-1', 'A', 350, 'in'), grid('A-2', 'A', 400, 'in'), grid('B-1', 'B', 200, 'under'), grid('B-2', 'B', 410, 'over'), grid('B-3', 'B', 0, 'dedicated')],
  facilities: [{ community: 'A', category: 'x', count: 3 }, { community: 'B', category: 'x', count: 2 }],
  partyDensity: [],
  partyDensityCellDeg: 0.00045,
  lifeCircle: { minutes: 10, households: 1360, coveredHouseholds: 680, share: 0.5 },
  requests: {
    open: 3, overdue: 1, resolvedThisMonth: 12, resolutionRate: 0.9, withinGridShare: 0.8,
    satisfaction: { rated: 10, average: 4.6, satisfiedShare: 0.9 }, latest: [],
  },
  partyReach: { households: 1360, reachedHouseholds: 1200, share: 0.8824, distanceM: 300, byGrid: [] },
};

describe('wall screen figures', () => {
  it('sums the street and a community, with the in-band share of basic grids', () => {
    const street = figuresFor(summary, { level: 'street' }, { building: null, gridFacilities: null });
    expect(street).toMatchObject({ communities: 2, gridsBasic: 4, gridsDedicated: 1, households: 1360, facilities: 5, inBandShare: 0.5 });
    const b = figuresFor(summary, { level: 'community', community: 'B' }, { building: null, gridFacilities: null });
    expect(b).toMatchObject({ communities: 1, gridsBasic: 2, households: 610, facilities: 2, inBandShare: 0 });
  });

  it('gives a grid its own figures and waits for its facility counts', () => {
    const g = figuresFor(summary, { level: 'grid', community: 'A', grid: 'A-1' }, { building: null, gridFacilities: null });
    expect(g).toMatchObject({ households: 350, facilities: null, inBandShare: 1 });
  });

  it('every KPI has a value for the street', () => {
    const f = figuresFor(summary, { level: 'street' }, { building: null, gridFacilities: null });
    for (const k of KPIS) expect(k.value(f, summary), k.id).not.toBeNull();
  });

  it('shows "—" (null) for the life-circle and request figures when their services did not answer', () => {
    const bare: ScreenSummary = { ...summary, lifeCircle: undefined, requests: undefined, partyReach: undefined };
    const f = figuresFor(bare, { level: 'street' }, { building: null, gridFacilities: null });
    const missing = KPIS.filter((k) => k.value(f, bare) === null).map((k) => k.id);
    expect(missing).toEqual(['lifeCircle', 'partyReach', 'requestsOpen', 'satisfaction']);
    expect(KPIS.find((k) => k.id === 'lifeCircle')!.value(f, summary)).toBe(0.5);
  });
});

describe('tour', () => {
  it('visits the out-of-band grids first, over before under', () => {
    const steps = tourSteps(summary);
    expect(steps[0]).toEqual({ level: 'street' });
    expect(steps[1]).toEqual({ level: 'grid', community: 'B', grid: 'B-2' });
    expect(steps[2]).toEqual({ level: 'grid', community: 'B', grid: 'B-1' });
    expect(steps[3]).toEqual({ level: 'community', community: 'A' });
  });

  it('reads ?tour=1&interval=15', () => {
    expect(tourOptionsFromUrl('?tour=1&interval=15')).toEqual({ enabled: true, intervalMs: 15_000 });
    expect(tourOptionsFromUrl('?interval=0').enabled).toBe(false);
    expect(tourOptionsFromUrl('?tour=1&interval=0').intervalMs).toBe(2000);
  });
});

describe('kpiCount', () => {
  const num = (n: number) => n.toLocaleString('en-US');
  it('writes numbers up to 99,999 in full and larger ones in 万 or k/M', () => {
    expect(kpiCount(99_999, 'zh-CN', num)).toBe('99,999');
    expect(kpiCount(1_679_339, 'zh-CN', num)).toBe('167.9万');
    expect(kpiCount(312_408, 'en', num)).toBe('312k');
    expect(kpiCount(4_378_720, 'en', num)).toBe('4.38M');
  });
});

describe('tour captions (issue #20)', () => {
  it('visits overdue requests, life-circle gaps and low-reach grids after the out-of-band ones, each with its reason', () => {
    const grids = summary.grids.map((g) => g.code);
    const plan = tourPlan(summary, {
      overdue: new Map([[grids[0], 2]]),
      extras: {
        lifeCircle: { minutes: 10, households: 1, coveredHouseholds: 0, share: 0, gaps: [{ grid: grids[1], households: 100, share: 0.4 }] },
        partyReach: { households: 10, reachedHouseholds: 5, share: 0.5, distanceM: 300, byGrid: [
          { key: grids[0], name: 'x', households: 10, reachedHouseholds: 9, share: 0.95 },
          { key: grids[1], name: 'y', households: 10, reachedHouseholds: 5, share: 0.5 },
        ] },
      },
    });
    expect(plan.steps).toHaveLength(plan.captions.length);
    const keys = plan.captions.filter((c) => c !== null).map((c) => c!.key);
    expect(keys.filter((k) => k === 'party.tour.overdue')).toHaveLength(1);
    expect(keys.filter((k) => k === 'party.tour.lifeGap')).toHaveLength(1);
    // Only the grid under the low-reach threshold.
    expect(plan.captions.filter((c) => c?.key === 'party.tour.lowReach').map((c) => c!.params.grid)).toEqual(['y']);
    expect(tourSteps(summary)).toEqual(tourPlan(summary).steps);
  });
});
