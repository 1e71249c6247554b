/**
 * The load objective (issue #20) on seeded random lattices: the household band and contiguity stay
 * hard — every grid that is in band with the household objective is in band with the load objective
 * too, every grid contiguous — and the spread of load (Σ (load − mean)²) never grows.
 */
import { describe, expect, it } from 'vitest';
import { partition } from './index.js';
import { Rng } from './random.js';
import { latticeInstance } from './test-instances.js';

/** Buildings get a load of households plus a random extra (elderly, rentals, shops…) from a seeded RNG. */
function withLoads(seed: number) {
  const { input } = latticeInstance(seed, 3, 3);
  const rng = new Rng(seed * 7 + 1);
  // Some corners of the lattice carry far more work (old housing, street fronts): skewed extras.
  const buildings = input.buildings.map((b) => ({ ...b, load: b.households + (rng.next() < 0.25 ? rng.int(120) : rng.int(10)) }));
  return { ...input, buildings };
}

const sq = (xs: number[]) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return xs.reduce((a, x) => a + (x - m) ** 2, 0);
};

describe('partition objective "load"', () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`keeps the band and contiguity and does not widen the load spread (seed ${seed})`, () => {
      const input = withLoads(seed);
      const byHouseholds = partition({ ...input, seed });
      const byLoad = partition({ ...input, seed, objective: 'load' });
      expect(byLoad.stats.contiguous).toBe(true);
      expect(byLoad.stats.inBand).toBeGreaterThanOrEqual(byHouseholds.stats.inBand);
      for (const g of byLoad.grids) expect(g.contiguous).toBe(true);
      expect(byLoad.stats.grids).toBe(byHouseholds.stats.grids);
      // Every building exactly once, and each grid's load the sum of its buildings'.
      const loadOf = new Map(input.buildings.map((b) => [b.id, b.load]));
      expect(Object.keys(byLoad.assignment).length).toBe(input.buildings.length);
      for (const g of byLoad.grids) expect(g.load).toBe(g.buildings.reduce((s, id) => s + loadOf.get(id)!, 0));
      expect(sq(byLoad.grids.map((g) => g.load))).toBeLessThanOrEqual(sq(byHouseholds.grids.map((g) => g.load)) + 1e-6);
    });
  }

  it('without loads balances households as the household objective does', () => {
    const { input } = latticeInstance(9, 3, 2);
    const r = partition({ ...input, objective: 'load' });
    for (const g of r.grids) expect(g.load).toBe(g.households);
  });
});
