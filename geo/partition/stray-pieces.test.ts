/**
 * Rebalance mends a current grid in pieces (issue #16): every piece but the biggest joins the grid
 * around it, so the result is contiguous and the plan validator finds no `disconnected` grid.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { partition } from './index.js';
import { knownAssignment, latticeInstance } from './test-instances.js';

describe('partition — rebalance mends grids in pieces', () => {
  it('a building of one block assigned to a far grid goes back to a grid around it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 0, max: 15 }), (seed, k) => {
        const { input, known } = latticeInstance(seed, 3, 2);
        const current = knownAssignment(known);
        // Block 0 (south-west corner) loses building k to block 5 (north-east corner): g5 is in two pieces.
        const stray = known[0][k];
        current[stray] = 'g5';
        const r = partition({ ...input, current, mode: 'rebalance', seed });
        expect(r.stats.contiguous).toBe(true);
        expect(r.grids.every((g) => g.contiguous)).toBe(true);
        expect(r.assignment[stray]).not.toBe('g5');
        // Nothing else moves: grids far from the stray building keep their buildings.
        for (const id of known[5]) expect(r.assignment[id]).toBe('g5');
      }),
      { numRuns: 25 },
    );
  }, 60_000);
});
