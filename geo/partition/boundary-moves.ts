/**
 * The local search both second passes of the partitioner run (compactness.ts, load-balance.ts):
 * nodes visited in a seeded order, each moved to the neighbouring part that gains most, in passes
 * until a pass moves nothing. The hard rules are the same for both and live here: a move never
 * takes either part further out of the household band than it was, never cuts the part it leaves
 * in two, and needs the caller's `accept`. What a move gains is the objective's own ({@link MoveRule}).
 */
import type { Band } from '../band.js';
import { violation } from './band-math.js';
import type { PlanState } from './plan-state.js';
import type { Rng } from './random.js';

export interface MoveOptions {
  /** Nodes that may move (default: all). */
  movable?: (v: number) => boolean;
  /** A further veto on moving v into part `to`. */
  accept?: (v: number, to: number) => boolean;
  maxPasses?: number;
  /** Called once per pass (progress, time limits). */
  tick?: () => void;
}

export interface MoveRule {
  /** Nodes this objective never moves (e.g. no load to shift). */
  skip?: (v: number, from: number) => boolean;
  /**
   * What moving v from `from` to `to` gains (higher is better); anything not above `best` (the
   * best gain so far, at least the threshold) is dropped, so a rule may return -Infinity early.
   */
  gain: (v: number, from: number, to: number, best: number) => number;
  /** After a move (the rule's own bookkeeping). */
  moved?: (v: number, from: number, to: number) => void;
}

/** Moves made. Gains must exceed 1e-9 (no churn on rounding). */
export function boundaryMoves(s: PlanState, band: Band, rng: Rng, opts: MoveOptions, defaultPasses: number, rule: MoveRule): number {
  const movable = opts.movable ?? (() => true);
  const accept = opts.accept ?? (() => true);
  const order = rng.shuffle(Array.from({ length: s.g.count }, (_, v) => v));
  let moves = 0;
  for (let pass = 0; pass < (opts.maxPasses ?? defaultPasses); pass++) {
    opts.tick?.();
    let improved = false;
    for (const v of order) {
      if (!movable(v)) continue;
      const from = s.part[v];
      if (from < 0 || rule.skip?.(v, from)) continue;
      const w = s.g.w[v];
      if (violation(s.w[from] - w, band) > violation(s.w[from], band)) continue;
      let bestTo = -1;
      let bestGain = 1e-9;
      for (const to of s.neighbourParts(v)) {
        if (violation(s.w[to] + w, band) > violation(s.w[to], band)) continue;
        if (!accept(v, to)) continue;
        const gain = rule.gain(v, from, to, bestGain);
        if (gain > bestGain) {
          bestGain = gain;
          bestTo = to;
        }
      }
      if (bestTo >= 0 && s.connectedWithout(from, v)) {
        s.move(v, bestTo);
        rule.moved?.(v, from, bestTo);
        moves++;
        improved = true;
      }
    }
    if (!improved) break;
  }
  return moves;
}
