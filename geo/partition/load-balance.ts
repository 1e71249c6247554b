/**
 * Load as a second objective (issue #20): boundary moves that lower the spread of grid load
 * (Σ load², i.e. the variance, as the total and the number of grids are fixed) while the household
 * band and contiguity stay hard — a move never takes a grid further out of band than it was, and
 * never cuts a grid in two (the same checks as the compactness search: boundary-moves.ts). A move
 * may not make a grid much less compact either (its Polsby–Popper score stays at least
 * COMPACT_FLOOR or what it was), so balancing load does not snake grids around the street.
 */
import type { Band } from '../band.js';
import { boundaryMoves, type MoveOptions } from './boundary-moves.js';
import { ppOf, type PlanState } from './plan-state.js';
import type { Rng } from './random.js';

/** A grid may become less compact than this only if it already was. */
export const COMPACT_FLOOR = 0.2;

export function balanceLoad(s: PlanState, nodeLoad: readonly number[], band: Band, rng: Rng, opts: MoveOptions = {}): number {
  const load = new Array<number>(s.parts).fill(0);
  for (let v = 0; v < s.g.count; v++) if (s.part[v] >= 0) load[s.part[v]] += nodeLoad[v];
  return boundaryMoves(s, band, rng, opts, 40, {
    skip: (v) => nodeLoad[v] === 0,
    gain: (v, from, to, best) => {
      // Σ load² falls by 2l(L_from − L_to − l) when l moves from `from` to `to`.
      const l = nodeLoad[v];
      const gain = -2 * l * (load[to] - load[from] + l);
      if (gain <= best) return -Infinity;
      const [pf, pt] = s.perimAfterMove(v, to);
      const ppFrom = ppOf(s.area[from] - s.g.area[v], pf);
      const ppTo = ppOf(s.area[to] + s.g.area[v], pt);
      if (ppFrom < Math.min(COMPACT_FLOOR, s.pp(from)) || ppTo < Math.min(COMPACT_FLOOR, s.pp(to))) return -Infinity;
      return gain;
    },
    moved: (v, from, to) => {
      load[from] -= nodeLoad[v];
      load[to] += nodeLoad[v];
    },
  });
}
