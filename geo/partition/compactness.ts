/**
 * Compactness local search: boundary moves that keep every part in band and contiguous, accepted
 * when they lower Σ 1/PP (the sum of inverse Polsby–Popper scores — this weighs the worst-shaped
 * grids most). Nodes are visited in a seeded order; passes repeat until nothing improves.
 */
import type { Band } from '../band.js';
import { violation } from './band-math.js';
import { ppOf, type PlanState } from './plan-state.js';
import type { Rng } from './random.js';

const inv = (area: number, perim: number) => 1 / Math.max(ppOf(area, perim), 1e-9);

export function improveCompactness(
  s: PlanState,
  band: Band,
  rng: Rng,
  opts: { movable?: (v: number) => boolean; accept?: (v: number, to: number) => boolean; maxPasses?: number; tick?: () => void } = {},
): number {
  const movable = opts.movable ?? (() => true);
  const accept = opts.accept ?? (() => true);
  const order = rng.shuffle(Array.from({ length: s.g.count }, (_, v) => v));
  let moves = 0;
  for (let pass = 0; pass < (opts.maxPasses ?? 30); pass++) {
    opts.tick?.();
    let improved = false;
    for (const v of order) {
      if (!movable(v)) continue;
      const from = s.part[v];
      if (from < 0) continue;
      const w = s.g.w[v];
      if (violation(s.w[from] - w, band) > violation(s.w[from], band)) continue;
      let bestTo = -1;
      let bestGain = 1e-9;
      for (const to of s.neighbourParts(v)) {
        if (violation(s.w[to] + w, band) > violation(s.w[to], band)) continue;
        if (!accept(v, to)) continue;
        const [pf, pt] = s.perimAfterMove(v, to);
        const before = inv(s.area[from], s.perim[from]) + inv(s.area[to], s.perim[to]);
        const after = inv(s.area[from] - s.g.area[v], pf) + inv(s.area[to] + s.g.area[v], pt);
        const gain = before - after;
        if (gain > bestGain) {
          bestGain = gain;
          bestTo = to;
        }
      }
      if (bestTo >= 0 && s.connectedWithout(from, v)) {
        s.move(v, bestTo);
        moves++;
        improved = true;
      }
    }
    if (!improved) break;
  }
  return moves;
}
