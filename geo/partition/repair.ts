/**
 * Band repair: moves single boundary nodes between neighbouring parts while that lowers the total
 * number of households outside the band, never breaking a part's contiguity. An under-band part
 * takes a node from a neighbour, an over-band part gives one away; when no single move helps, a
 * chain along neighbouring parts (A gives to B, B gives to C…) shifts households to where they
 * fit. Moves of fewer buildings win ties, so a rebalance touches as little as it can.
 */
import type { Band } from '../band.js';
import { violation } from './band-math.js';
import type { PlanState } from './plan-state.js';

interface Move {
  v: number;
  to: number;
  gain: number;
  buildings: number;
}

function better(a: Move, b: Move | null): boolean {
  if (!b) return true;
  return a.gain > b.gain + 1e-9 || (Math.abs(a.gain - b.gain) <= 1e-9 && (a.buildings < b.buildings || (a.buildings === b.buildings && (a.v < b.v || (a.v === b.v && a.to < b.to)))));
}

/** Gain in total violation when v moves to `to` (positive = fewer households out of band). */
function moveGain(s: PlanState, v: number, to: number, band: Band): number {
  const from = s.part[v];
  const w = s.g.w[v];
  return violation(s.w[from], band) + violation(s.w[to], band) - violation(s.w[from] - w, band) - violation(s.w[to] + w, band);
}

/** One best single move touching part p, or null. `movable(v)` filters nodes. */
function bestMoveFor(s: PlanState, p: number, band: Band, movable: (v: number) => boolean): Move | null {
  let best: Move | null = null;
  for (let v = 0; v < s.g.count; v++) {
    if (!movable(v)) continue;
    const q = s.part[v];
    if (q < 0) continue;
    if (q === p) {
      for (const to of s.neighbourParts(v)) {
        const gain = moveGain(s, v, to, band);
        const m = { v, to, gain, buildings: s.g.members[v].length };
        if (gain > 0 && better(m, best) && s.connectedWithout(q, v)) best = m;
      }
    } else if (s.neighbourParts(v).includes(p)) {
      const gain = moveGain(s, v, p, band);
      const m = { v, to: p, gain, buildings: s.g.members[v].length };
      if (gain > 0 && better(m, best) && s.connectedWithout(q, v)) best = m;
    }
  }
  return best;
}

/**
 * A chain p ← q1 ← q2 … : moves that leave every part but the last in band-neutral or better state
 * and end at a part with slack. Depth-limited search over parts; returns true when it applied one.
 */
function chainFor(s: PlanState, p: number, band: Band, movable: (v: number) => boolean, depth: number): boolean {
  const before = totalViolation(s, band);
  const under = s.w[p] < band.lo;
  const visited = new Set<number>([p]);
  const tryFrom = (target: number, d: number): boolean => {
    if (d === 0) return false;
    // Candidate moves between `target` and its neighbour parts, in the direction that helps `target`.
    const moves: { v: number; from: number; to: number }[] = [];
    for (let v = 0; v < s.g.count; v++) {
      if (!movable(v) || s.part[v] < 0) continue;
      if (under && s.part[v] !== target && !visited.has(s.part[v]) && s.neighbourParts(v).includes(target)) moves.push({ v, from: s.part[v], to: target });
      if (!under && s.part[v] === target) for (const to of s.neighbourParts(v)) if (!visited.has(to)) moves.push({ v, from: target, to });
    }
    moves.sort((a, b) => s.g.members[a.v].length - s.g.members[b.v].length || a.v - b.v || a.to - b.to);
    for (const m of moves.slice(0, 12)) {
      if (!s.connectedWithout(m.from, m.v)) continue;
      s.move(m.v, m.to);
      if (totalViolation(s, band) < before) return true;
      const next = under ? m.from : m.to;
      visited.add(next);
      if (tryFrom(next, d - 1)) return true;
      visited.delete(next);
      s.move(m.v, m.from);
    }
    return false;
  };
  return tryFrom(p, depth);
}

export function totalViolation(s: PlanState, band: Band): number {
  let t = 0;
  for (let p = 0; p < s.parts; p++) if (s.size[p] > 0) t += violation(s.w[p], band);
  return t;
}

/** Repairs band violations in place; `movable` restricts which nodes may move (locked ones never are). */
export function repairBand(s: PlanState, band: Band, movable: (v: number) => boolean = () => true, tick: () => void = () => {}): void {
  for (let round = 0; round < 10_000; round++) {
    tick();
    const bad: number[] = [];
    for (let p = 0; p < s.parts; p++) if (s.size[p] > 0 && violation(s.w[p], band) > 0) bad.push(p);
    if (!bad.length) return;
    bad.sort((a, b) => violation(s.w[b], band) - violation(s.w[a], band) || a - b);
    let moved = false;
    for (const p of bad) {
      const m = bestMoveFor(s, p, band, movable);
      if (m) {
        s.move(m.v, m.to);
        moved = true;
        break;
      }
    }
    if (moved) continue;
    for (const p of bad) if (chainFor(s, p, band, movable, 3)) { moved = true; break; }
    if (!moved) return;
  }
}
