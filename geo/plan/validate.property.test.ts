/**
 * Property tests (fast-check) of plan validation on random strip tessellations of a community:
 * a clean plan shows no geometric problem, and a planted gap, overlap, out-of-band grid or
 * disconnected grid is always found and attributed to the right grid.
 */
import fc from 'fast-check';
import type { MultiPolygon, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { type PlanBuilding, type PlanGrid, validatePlan } from './validate.js';

const X0 = 121.38;
const Y0 = 37.53;
const W = 0.01;
const H = 0.008;
const rect = (x0: number, y0: number, x1: number, y1: number): Polygon => ({
  type: 'Polygon',
  coordinates: [[[X0 + x0, Y0 + y0], [X0 + x1, Y0 + y0], [X0 + x1, Y0 + y1], [X0 + x0, Y0 + y1], [X0 + x0, Y0 + y0]]],
});
const communities = new Map([['c', rect(0, 0, W, H)]]);

/** 2–6 vertical strips (each at least 0.0012° wide) with 0–6 buildings each. */
const plan = fc
  .array(fc.integer({ min: 12, max: 40 }), { minLength: 2, maxLength: 6 })
  .chain((widths) => {
    const total = widths.reduce((s, w) => s + w, 0);
    const cuts = widths.reduce<number[]>((acc, w) => [...acc, acc.at(-1)! + (w / total) * W], [0]);
    cuts[cuts.length - 1] = W;
    return fc.tuple(
      fc.constant(cuts),
      fc.array(fc.array(fc.record({ fx: fc.double({ min: 0.1, max: 0.9, noNaN: true }), fy: fc.double({ min: 0.05, max: 0.95, noNaN: true }), households: fc.nat(120) }), { maxLength: 6 }), { minLength: widths.length, maxLength: widths.length }),
    );
  })
  .map(([cuts, people]) => {
    const grids: PlanGrid[] = cuts.slice(1).map((x1, i) => ({ id: `g${i}`, code: `C-00${i + 1}`, kind: 'basic', communityId: 'c', geometry: rect(cuts[i], 0, x1, H) }));
    const buildings: PlanBuilding[] = people.flatMap((list, i) => list.map((p, j) => ({
      id: `b${i}-${j}`, households: p.households, residents: p.households * 2, partyMembers: 1, communityId: 'c',
      centroid: [X0 + cuts[i] + p.fx * (cuts[i + 1] - cuts[i]), Y0 + p.fy * H] as [number, number],
    })));
    return { cuts, grids, buildings };
  });

const GEOMETRIC = ['overlap', 'gap', 'outside_community', 'disconnected', 'unassigned', 'multiple_grids'];
const geometric = (r: ReturnType<typeof validatePlan>) => r.problems.filter((p) => GEOMETRIC.includes(p.code));
const RUNS = { numRuns: 15 };

describe('validatePlan (properties)', () => {
  it('finds no geometric problem in a clean tessellation; band problems exactly for grids outside [300, 400]', () => {
    fc.assert(fc.property(plan, ({ grids, buildings }) => {
      const r = validatePlan(communities, grids, buildings);
      expect(geometric(r)).toEqual([]);
      const flagged = r.problems.filter((p) => p.code.startsWith('band_')).map((p) => p.gridIds[0]).sort();
      const expected = [...r.tally.grids.values()].filter((t) => t.households < 300 || t.households > 400).map((t) => t.gridId).sort();
      expect(flagged).toEqual(expected);
      expect([...r.tally.grids.values()].reduce((s, t) => s + t.households, 0)).toBe(buildings.reduce((s, b) => s + b.households, 0));
    }), RUNS);
  }, 30_000);

  it('finds a planted gap (a strip pulled back from its neighbour)', () => {
    fc.assert(fc.property(plan, fc.double({ min: 0.2, max: 0.8, noNaN: true }), ({ cuts, grids, buildings }, f) => {
      const i = 0;
      const edge = cuts[i] + f * (cuts[i + 1] - cuts[i]);
      grids[i] = { ...grids[i], geometry: rect(cuts[i], 0, Math.min(edge, cuts[i + 1] - 0.0003), H) };
      const r = validatePlan(communities, grids, buildings);
      const gap = r.problems.find((p) => p.code === 'gap');
      expect(gap).toBeDefined();
      expect(gap!.bbox[2]).toBeCloseTo(X0 + cuts[i + 1], 6);
    }), RUNS);
  }, 30_000);

  it('finds a planted overlap between the two grids involved', () => {
    fc.assert(fc.property(plan, fc.double({ min: 0.2, max: 0.8, noNaN: true }), ({ cuts, grids, buildings }, f) => {
      const grow = cuts[1] + Math.max(0.0002, f * (cuts[2] - cuts[1]));
      grids[0] = { ...grids[0], geometry: rect(0, 0, grow, H) };
      const r = validatePlan(communities, grids, buildings);
      const overlap = r.problems.find((p) => p.code === 'overlap');
      expect(overlap?.gridIds).toEqual(['g0', 'g1']);
      expect(overlap!.value).toBeGreaterThan(100);
    }), RUNS);
  }, 30_000);

  it('finds a planted out-of-band grid, on either side of the band', () => {
    fc.assert(fc.property(plan, fc.oneof(fc.integer({ min: 0, max: 299 }), fc.integer({ min: 401, max: 2000 })), ({ cuts, grids, buildings }, households) => {
      const rest = buildings.filter((b) => !b.id.startsWith('b0-'));
      const planted: PlanBuilding = { id: 'planted', households, residents: 0, partyMembers: 0, communityId: 'c', centroid: [X0 + cuts[1] / 2, Y0 + H / 2] };
      const r = validatePlan(communities, grids, [...rest, planted]);
      const band = r.problems.find((p) => p.code.startsWith('band_') && p.gridIds[0] === 'g0');
      expect(band?.code).toBe(households < 300 ? 'band_under' : 'band_over');
      expect(band!.value).toBe(households);
    }), RUNS);
  }, 30_000);

  it('finds a planted disconnected grid (a second piece away from the first), and the overlap it causes', () => {
    fc.assert(fc.property(plan, ({ cuts, grids, buildings }) => {
      const last = grids.length - 1;
      const island = rect(cuts[last] + 0.0002, 0.001, cuts[last] + 0.0008, 0.002).coordinates;
      const multi: MultiPolygon = { type: 'MultiPolygon', coordinates: [rect(0, 0, cuts[1], H).coordinates, island] };
      grids[0] = { ...grids[0], geometry: multi };
      const r = validatePlan(communities, grids, buildings);
      expect(r.problems.find((p) => p.code === 'disconnected')?.gridIds).toEqual(['g0']);
      expect(r.problems.some((p) => p.code === 'overlap' && p.gridIds.includes('g0') && p.gridIds.includes(`g${last}`))).toBe(true);
    }), RUNS);
  }, 30_000);
});
