/**
 * Compactness local search: boundary moves that keep every part in band and contiguous, accepted
 * when they lower Σ 1/PP (the sum of inverse Polsby–Popper scores — this weighs the worst-shaped
 * grids most). Nodes are visited in a seeded order; passes repeat until nothing improves
 * (boundary-moves.ts).
 */
import type { Band } from '../band.js';
import { boundaryMoves, type MoveOptions } from './boundary-moves.js';
import { ppOf, type PlanState } from './plan-state.js';
import type { Rng } from './random.js';

const inv = (area: number, perim: number) => 1 / Math.max(ppOf(area, perim), 1e-9);

export function improveCompactness(s: PlanState, band: Band, rng: Rng, opts: MoveOptions = {}): number {
  return boundaryMoves(s, band, rng, opts, 30, {
    gain: (v, from, to) => {
      const [pf, pt] = s.perimAfterMove(v, to);
      const before = inv(s.area[from], s.perim[from]) + inv(s.area[to], s.perim[to]);
      const after = inv(s.area[from] - s.g.area[v], pf) + inv(s.area[to] + s.g.area[v], pt);
      return before - after;
    },
  });
}
