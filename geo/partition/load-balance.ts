/**
 * Load as a second objective (issue #20): boundary moves that lower the spread of grid load
 * (Σ load², i.e. the variance, as the total and the number of grids are fixed) while the household
 * band and contiguity stay hard — a move never takes a grid further out of band than it was, and
 * never cuts a grid in two (the same checks as the compactness search). A move may not make a grid
 * much less compact either (its Polsby–Popper score stays at least COMPACT_FLOOR or what it was),
 * so balancing load does not snake grids around the street.
 */
import type { Band } from '../band.js';
import { violation } from './band-math.js';
import { ppOf, type PlanState } from './plan-state.js';
import type { Rng } from './random.js';

/** A grid may become less compact than this only if it already was. */
export const COMPACT_FLOOR = 0.2;

export function balanceLoad(
  s: PlanState,
  nodeLoad: readonly number[],
  band: Band,
  rng: Rng,
  opts: { movable?: (v: number) => boolean; accept?: (v: number, to: number) => boolean; maxPasses?: number; tick?: () => void } = {},
): number {
  const movable = opts.movable ?? (() => true);
  const accept = opts.accept ?? (() => true);
  const load = new Array<number>(s.parts).fill(0);
  for (let v = 0; v < s.g.count; v++) if (s.part[v] >= 0) load[s.part[v]] += nodeLoad[v];
  const order = rng.shuffle(Array.from({ length: s.g.count }, (_, v) => v));
  let moves = 0;
  for (let pass = 0; pass < (opts.maxPasses ?? 40); pass++) {
    opts.tick?.();
    let improved = false;
    for (const v of order) {
      if (!movable(v)) continue;
      const from = s.part[v];
      const l = nodeLoad[v];
      if (from < 0 || l === 0) continue;
      const w = s.g.w[v];
      if (violation(s.w[from] - w, band) > violation(s.w[from], band)) continue;
      let bestTo = -1;
      // Δ Σ load² of moving l from `from` to `to` = 2l(L_to − L_from + l); keep the most negative.
      let bestDelta = -1e-9;
      for (const to of s.neighbourParts(v)) {
        const delta = 2 * l * (load[to] - load[from] + l);
        if (delta >= bestDelta) continue;
        if (violation(s.w[to] + w, band) > violation(s.w[to], band)) continue;
        if (!accept(v, to)) continue;
        const [pf, pt] = s.perimAfterMove(v, to);
        const ppFrom = ppOf(s.area[from] - s.g.area[v], pf);
        const ppTo = ppOf(s.area[to] + s.g.area[v], pt);
        if (ppFrom < Math.min(COMPACT_FLOOR, s.pp(from)) || ppTo < Math.min(COMPACT_FLOOR, s.pp(to))) continue;
        bestDelta = delta;
        bestTo = to;
      }
      if (bestTo >= 0 && s.connectedWithout(from, v)) {
        s.move(v, bestTo);
        load[from] -= l;
        load[bestTo] += l;
        moves++;
        improved = true;
      }
    }
    if (!improved) break;
  }
  return moves;
}
