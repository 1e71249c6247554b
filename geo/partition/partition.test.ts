import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chooseK } from './band-math.js';
import { partition } from './index.js';
import { knownAssignment, latticeInstance } from './test-instances.js';
import type { PartitionResult } from './types.js';

const M = 1 / 111_000;

function expectCoverage(result: PartitionResult, ids: string[]) {
  const seen = result.grids.flatMap((g) => g.buildings);
  expect(seen.slice().sort()).toEqual(ids.slice().sort());
  expect(Object.keys(result.assignment).sort()).toEqual(ids.slice().sort());
}

describe('partition — properties on instances with a known in-band partition', () => {
  it('covers every building once, keeps grids contiguous and in band (fresh)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), (seed, bx, by) => {
        const { input } = latticeInstance(seed, bx, by);
        const r = partition({ ...input, seed });
        expectCoverage(r, input.buildings.map((b) => b.id));
        expect(r.stats.contiguous).toBe(true);
        expect(r.grids.filter((g) => g.status !== 'in').map((g) => g.households)).toEqual([]);
        expect(r.infeasible).toEqual([]);
      }),
      { numRuns: 40 },
    );
  }, 120_000);

  it('is deterministic for a seed', () => {
    const { input } = latticeInstance(7, 3, 3);
    expect(partition({ ...input, seed: 11 })).toEqual(partition({ ...input, seed: 11 }));
  });

  it('keeps compounds whole when they fit', () => {
    const { input } = latticeInstance(99, 3, 2);
    const r = partition(input);
    const gridOfCompound = new Map<string, Set<string>>();
    for (const b of input.buildings) {
      if (!b.compound) continue;
      const set = gridOfCompound.get(b.compound) ?? new Set();
      set.add(r.assignment[b.id]);
      gridOfCompound.set(b.compound, set);
    }
    for (const set of gridOfCompound.values()) expect(set.size).toBe(1);
  });

  it('improves compactness: mean Polsby–Popper of a 4×3 lattice is that of near-square grids', () => {
    const { input } = latticeInstance(5, 4, 3);
    const r = partition(input);
    expect(r.stats.meanPolsbyPopper).toBeGreaterThan(0.55);
  });
});

describe('partition — rebalance', () => {
  it('fixes a drifted plan moving few buildings and leaves in-band grids alone', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (seed) => {
        const { input, known } = latticeInstance(seed, 5, 2, 4, 4, 30);
        const current = knownAssignment(known);
        // Drift: the right half of g0's first two rows goes to g1 (g0 shrinks, g1 grows).
        const drift = [known[0][2], known[0][3], known[0][6], known[0][7]];
        for (const id of drift) current[id] = 'g1';
        const r = partition({ ...input, current, mode: 'rebalance', seed });
        expectCoverage(r, input.buildings.map((b) => b.id));
        expect(r.grids.every((g) => g.status === 'in')).toBe(true);
        // Never more than the drift itself plus a few, and grids far from the drift (blocks 4 and 9
        // at the other end of the 5×2 lattice) are untouched.
        expect(r.stats.moved).toBeLessThanOrEqual(drift.length + 4);
        for (const g of [4, 9]) for (const id of known[g]) expect(r.assignment[id]).toBe(`g${g}`);
      }),
      { numRuns: 25 },
    );
  }, 120_000);

  it('returns the current plan unchanged when it is already in band', () => {
    const { input, known } = latticeInstance(3, 3, 2);
    const current = knownAssignment(known);
    const r = partition({ ...input, current, mode: 'rebalance' });
    expect(r.stats.moved).toBe(0);
    expect(r.assignment).toEqual(current);
  });
});

describe('partition — infeasible inputs are named precisely', () => {
  it('a single building over hi is its own grid and is reported', () => {
    const { input } = latticeInstance(4, 2, 2);
    input.buildings[5] = { ...input.buildings[5], households: 450, compound: null };
    const r = partition(input);
    expect(r.infeasible).toContainEqual({ kind: 'building_over_hi', buildings: [input.buildings[5].id], households: 450 });
    const own = r.grids.find((g) => g.buildings.includes(input.buildings[5].id))!;
    expect(own.buildings).toEqual([input.buildings[5].id]);
  });

  it('a pocket under lo cut off by a barrier is reported with exactly its buildings', () => {
    const { input } = latticeInstance(8, 3, 1);
    // A barrier (river) along x between column 0 and column 1: column 0 is a pocket of 4 buildings.
    const river = [[15 * M, -50 * M], [15 * M, 200 * M]] as [number, number][];
    const pocket = input.buildings.filter((b) => b.centroid[0] < 15 * M).map((b) => b.id).sort();
    const r = partition({ ...input, barriers: [river] });
    const report = r.infeasible.find((x) => x.kind === 'pocket_under_lo');
    expect(report?.buildings.slice().sort()).toEqual(pocket);
    expectCoverage(r, input.buildings.map((b) => b.id));
  });

  it('chooses the grid count with the smallest violation when no count fits', () => {
    expect(chooseK(450, { lo: 300, hi: 400, target: 350 })).toBe(1);
    expect(chooseK(590, { lo: 300, hi: 400, target: 350 })).toBe(2);
    expect(chooseK(1050, { lo: 300, hi: 400, target: 350 })).toBe(3);
  });
});
