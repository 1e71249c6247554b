import { describe, expect, it } from 'vitest';
import { generateStreet } from './demo-street.js';
import type { StreetDataset } from './types.js';
import { checkFootprints, checkGates, checkPlanCoverage, checkReferences, checkWalkGeometry, pointInPolygon, walkComponents } from './validate.js';

const base = generateStreet({ seed: 11 });
const fresh = (): StreetDataset => structuredClone(base);

describe('dataset checks', () => {
  it('pass on a generated street', () => {
    expect([checkReferences(base), checkPlanCoverage(base), checkFootprints(base), checkWalkGeometry(base), checkGates(base)]).toEqual([[], [], [], [], []]);
    expect(walkComponents(base)).toBe(1);
  });

  it('catch overlapping footprints and a building outside its community', () => {
    const ds = fresh();
    ds.buildings[1].footprint = structuredClone(ds.buildings[0].footprint);
    const other = ds.buildings.find((b) => b.communityCode !== ds.buildings[2].communityCode)!;
    ds.buildings[2].footprint = structuredClone(other.footprint);
    const problems = checkFootprints(ds);
    expect(problems.some((p) => p.includes(`${ds.buildings[0].code} and ${ds.buildings[1].code} overlap`))).toBe(true);
    expect(problems).toContain(`building ${ds.buildings[2].code} is not inside its community`);
  });

  it('catch a building in two grids, in none, or in another community', () => {
    const ds = fresh();
    const [g0, g1] = ds.plan.grids;
    const moved = g0.buildingCodes.pop()!;
    expect(checkPlanCoverage(ds)).toContain(`building ${moved} is in no grid`);
    g1.buildingCodes.push(moved, g1.buildingCodes[0]);
    const problems = checkPlanCoverage(ds);
    expect(problems.some((p) => p.startsWith(`building ${g1.buildingCodes[0]} is in grids`))).toBe(true);
    const foreign = ds.plan.grids.find((g) => g.communityCode !== g0.communityCode)!;
    foreign.buildingCodes.push(g0.buildingCodes.pop()!);
    expect(checkPlanCoverage(ds).some((p) => p.includes('of another community'))).toBe(true);
  });

  it('catch crossing edges, wrong lengths and a disconnected node', () => {
    const ds = fresh();
    const [a, b] = [ds.walkNodes[0], ds.walkNodes[ds.walkNodes.length - 1]];
    ds.walkEdges.push({ source: a.id, target: b.id, kind: 'footway', name: null, lengthM: 1, line: [a.position, b.position] });
    const problems = checkWalkGeometry(ds);
    expect(problems.some((p) => p.includes('is not the geodesic length'))).toBe(true);
    expect(problems.some((p) => p.includes(`${a.id}-${b.id}`) && p.endsWith('cross'))).toBe(true);
    ds.walkNodes.push({ id: ds.walkNodes.length + 1, position: [121.3, 37.5] });
    expect(walkComponents(ds)).toBe(2);
  });

  it('catch a gated compound entered by a footway', () => {
    const ds = fresh();
    const gate = ds.walkEdges.find((e) => e.kind === 'gate')!;
    gate.kind = 'footway';
    expect(checkGates(ds).some((p) => p.startsWith('footway edge') && p.includes('crosses the fence'))).toBe(true);
  });

  it('tests points against polygons with holes', () => {
    const square = [[[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]], [[1, 1], [1, 3], [3, 3], [3, 1], [1, 1]]] as [number, number][][];
    expect(pointInPolygon([0.5, 0.5], square)).toBe(true);
    expect(pointInPolygon([2, 2], square)).toBe(false);
    expect(pointInPolygon([5, 2], square)).toBe(false);
  });
});
