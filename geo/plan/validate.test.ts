import { describe, expect, it } from 'vitest';
import type { Polygon } from 'geojson';
import { type PlanBuilding, type PlanGrid, polsbyPopper, validatePlan } from './validate.js';

const X0 = 121.38;
const Y0 = 37.53;
const rect = (x0: number, y0: number, x1: number, y1: number): Polygon => ({
  type: 'Polygon',
  coordinates: [[[X0 + x0, Y0 + y0], [X0 + x1, Y0 + y0], [X0 + x1, Y0 + y1], [X0 + x0, Y0 + y1], [X0 + x0, Y0 + y0]]],
});
const community = new Map([['c1', rect(0, 0, 0.01, 0.008)]]);
const grid = (id: string, geometry: PlanGrid['geometry'], kind: PlanGrid['kind'] = 'basic'): PlanGrid => ({ id, code: id.toUpperCase(), kind, communityId: 'c1', geometry });
const building = (id: string, x: number, y: number, households = 175): PlanBuilding => ({
  id, households, residents: households * 2.6, partyMembers: 10, communityId: 'c1', centroid: [X0 + x, Y0 + y],
});

/** Four quadrant grids with two 175-household buildings each: a clean plan. */
function clean() {
  const grids = [grid('g1', rect(0, 0, 0.005, 0.004)), grid('g2', rect(0.005, 0, 0.01, 0.004)), grid('g3', rect(0, 0.004, 0.005, 0.008)), grid('g4', rect(0.005, 0.004, 0.01, 0.008))];
  const buildings = [[0.001, 0.001], [0.003, 0.002], [0.006, 0.001], [0.009, 0.003], [0.002, 0.005], [0.004, 0.007], [0.007, 0.006], [0.008, 0.007]]
    .map(([x, y], i) => building(`b${i}`, x, y));
  return { grids, buildings };
}
const codes = (r: ReturnType<typeof validatePlan>) => r.problems.filter((p) => p.severity !== 'info').map((p) => p.code).sort();

describe('validatePlan', () => {
  it('finds nothing wrong with a clean tessellation in band', () => {
    const { grids, buildings } = clean();
    const r = validatePlan(community, grids, buildings);
    expect(codes(r)).toEqual([]);
    expect([...r.tally.grids.values()].every((t) => t.households === 350 && t.status === 'in')).toBe(true);
    expect(r.compactness.get('g1')).toBeGreaterThan(0.7);
  });

  it('reports overlaps with the buildings caught in two grids, and gaps with buildings in none', () => {
    const { grids, buildings } = clean();
    grids[0] = grid('g1', rect(0, 0, 0.0065, 0.004)); // pushes into g2
    const r = validatePlan(community, grids, [...buildings, building('in-overlap', 0.006, 0.002, 0)]);
    expect(codes(r)).toContain('overlap');
    expect(r.problems.find((p) => p.code === 'overlap')!.gridIds.sort()).toEqual(['g1', 'g2']);
    const caught = r.problems.filter((p) => p.code === 'multiple_grids').flatMap((p) => p.buildingIds).sort();
    expect(caught).toEqual(['b2', 'in-overlap']);

    const shrunk = clean();
    shrunk.grids[3] = grid('g4', rect(0.005, 0.004, 0.0085, 0.008));
    const g = validatePlan(community, shrunk.grids, shrunk.buildings);
    expect(codes(g)).toContain('gap');
    const gap = g.problems.find((p) => p.code === 'gap')!;
    expect(gap.value).toBeGreaterThan(10_000);
    expect(gap.bbox[0]).toBeCloseTo(X0 + 0.0085, 6);
  });

  it('flags disconnected grids, grids outside the community, band and unassigned buildings', () => {
    const { grids, buildings } = clean();
    grids[1] = grid('g2', { type: 'MultiPolygon', coordinates: [rect(0.005, 0, 0.0075, 0.004).coordinates, rect(0.008, 0, 0.012, 0.004).coordinates] });
    const r = validatePlan(community, grids, [...buildings.slice(0, 3), building('far', 0.0078, 0.002, 500)]);
    const c = codes(r);
    expect(c).toContain('disconnected');
    expect(c).toContain('outside_community');
    expect(c).toContain('gap');
    expect(r.problems.find((p) => p.code === 'unassigned')!.buildingIds).toEqual(['far']);
    const under = r.problems.filter((p) => p.code === 'band_under').map((p) => p.gridIds[0]).sort();
    expect(under).toEqual(['g2', 'g3', 'g4']); // g1 keeps b0 + b1 = 350
  });

  it('lists dedicated grids without judging their households', () => {
    const { grids, buildings } = clean();
    grids[0] = grid('g1', grids[0].geometry, 'dedicated');
    const r = validatePlan(community, grids, buildings.map((b, i) => (i < 2 ? { ...b, households: 0 } : b)));
    expect(r.problems.filter((p) => p.gridIds.includes('g1')).map((p) => p.code)).toEqual(['dedicated_listed']);
  });

  it('scores compactness: a square ≈ π/4, a sliver low', () => {
    expect(polsbyPopper(rect(0, 0, 0.001, 0.001 * Math.cos((37.53 * Math.PI) / 180) * (111_320 / 110_574) ** -1))).toBeCloseTo(Math.PI / 4, 1);
    expect(polsbyPopper(rect(0, 0, 0.01, 0.0002))).toBeLessThan(0.1);
  });

  it('never reports overlaps or gaps for random strip tessellations (property)', () => {
    let s = 7;
    const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (let trial = 0; trial < 25; trial++) {
      const cuts = [0, ...Array.from({ length: 1 + Math.floor(rnd() * 5) }, () => 0.0005 + rnd() * 0.009).sort((a, b) => a - b), 0.01];
      const grids = cuts.slice(1).map((x1, i) => grid(`s${i}`, rect(cuts[i], 0, x1, 0.008)));
      const r = validatePlan(community, grids, []);
      expect(r.problems.filter((p) => ['overlap', 'gap', 'outside_community', 'disconnected'].includes(p.code))).toEqual([]);
    }
  });
});
