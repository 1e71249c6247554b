import { describe, expect, it } from 'vitest';
import type { Polygon } from 'geojson';
import { type PlanBuilding, type PlanGrid, type ValidationResult, validatePlan } from './validate.js';
import { PlanValidator } from './validator.js';

const X0 = 121.38;
const Y0 = 37.53;
const rect = (x0: number, y0: number, x1: number, y1: number): Polygon => ({
  type: 'Polygon',
  coordinates: [[[X0 + x0, Y0 + y0], [X0 + x1, Y0 + y0], [X0 + x1, Y0 + y1], [X0 + x0, Y0 + y1], [X0 + x0, Y0 + y0]]],
});
const communities = new Map([['c1', rect(0, 0, 0.01, 0.008)], ['c2', rect(0.01, 0, 0.02, 0.008)]]);

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** Each community cut into vertical strips; buildings scattered. */
function plan(rnd: () => number) {
  const grids: PlanGrid[] = [];
  for (const [c, x0] of [['c1', 0], ['c2', 0.01]] as const) {
    const cuts = [0, 0.0025, 0.005, 0.0075, 0.01];
    cuts.slice(1).forEach((x1, i) => grids.push({ id: `${c}-${i}`, code: `${c.toUpperCase()}-00${i + 1}`, kind: i === 3 ? 'dedicated' : 'basic', communityId: c, geometry: rect(x0 + cuts[i], 0, x0 + x1, 0.008) }));
  }
  const buildings: PlanBuilding[] = Array.from({ length: 120 }, (_, i) => {
    const x = rnd() * 0.02;
    return { id: `b${i}`, households: Math.floor(rnd() * 60), residents: 10, partyMembers: 1, communityId: x < 0.01 ? 'c1' : 'c2', centroid: [X0 + x, Y0 + rnd() * 0.008] };
  });
  return { grids, buildings };
}

/** A random edit: move a strip's edge (making a gap or an overlap), add a grid, remove one, or restore. */
function edit(rnd: () => number, grids: PlanGrid[]): { next: PlanGrid[]; changed: PlanGrid[]; removed: string[] } {
  const i = Math.floor(rnd() * grids.length);
  const g = grids[i];
  const k = rnd();
  if (k < 0.15 && grids.length > 3) return { next: grids.filter((_, j) => j !== i), changed: [], removed: [g.id] };
  if (k < 0.3) {
    const x = rnd() * 0.018;
    const added: PlanGrid = { id: `n${Math.floor(rnd() * 1e6)}`, code: 'NEW', kind: 'basic', communityId: x < 0.01 ? 'c1' : 'c2', geometry: rect(x, 0.001, x + 0.002, 0.002 + rnd() * 0.006) };
    return { next: [...grids, added], changed: [added], removed: [] };
  }
  const [[x0, y0], , [x1, y1]] = (g.geometry as Polygon).coordinates[0].map(([x, y]) => [x - X0, y - Y0]);
  const d = (rnd() - 0.5) * 0.002;
  const moved: PlanGrid = { ...g, geometry: rnd() < 0.5 ? rect(x0, y0, x1 + d, y1) : rect(x0 + d, y0, x1, y1 - Math.abs(d)) };
  return { next: grids.map((x, j) => (j === i ? moved : x)), changed: [moved], removed: [] };
}

const summary = (r: ValidationResult) => ({
  problems: r.problems.map((p) => `${p.code}|${p.gridIds.join(',')}|${p.buildingIds.join(',')}|${p.value.toFixed(3)}|${p.bbox.map((v) => v.toFixed(7)).join(',')}`),
  tally: [...r.tally.grids.values()],
  assignment: [...r.assignment].sort(),
  compactness: [...r.compactness].map(([k, v]) => `${k}:${v.toFixed(6)}`),
});

describe('PlanValidator', () => {
  for (const mode of ['polygon', 'paint'] as const) {
    it(`agrees with validatePlan after every one of a series of random edits (${mode} mode)`, () => {
      for (let seed = 1; seed <= 3; seed++) {
        const rnd = lcg(seed);
        const start = plan(rnd);
        const buildings = start.buildings;
        let grids = start.grids;
        const assign = () => new Map(buildings.map((b) => [b.id, grids[Math.floor(rnd() * grids.length)].id]));
        let assignment = mode === 'paint' ? assign() : undefined;
        const v = new PlanValidator(communities, grids, buildings, { assignment });
        expect(summary(v.result())).toEqual(summary(validatePlan(communities, grids, buildings, { assignment })));
        for (let step = 0; step < 10; step++) {
          const e = edit(rnd, grids);
          grids = e.next;
          if (mode === 'paint') assignment = assign();
          const got = v.update({ grids: e.changed, removed: e.removed, assignment });
          expect(summary(got)).toEqual(summary(validatePlan(communities, grids, buildings, { assignment })));
        }
      }
    }, 60_000);
  }

  it('sync() finds the changed grids in a reloaded list, including a new order', () => {
    const rnd = lcg(9);
    const { grids, buildings } = plan(rnd);
    const v = new PlanValidator(communities, grids, buildings);
    const reloaded = JSON.parse(JSON.stringify(grids)) as PlanGrid[];
    reloaded[1] = { ...reloaded[1], geometry: rect(0.0025, 0, 0.006, 0.008) }; // overlaps its neighbour
    reloaded.reverse();
    const got = v.sync(reloaded);
    expect(summary(got)).toEqual(summary(validatePlan(communities, reloaded, buildings)));
    expect(got.problems.some((p) => p.code === 'overlap')).toBe(true);
  });
});
