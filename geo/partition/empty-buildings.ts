/**
 * Buildings without households (shops, schools, garages, empty blocks) are not grid members to be
 * balanced (issue #16): they add nothing to a grid's households, but their cells are territory —
 * a school between two housing blocks put in a third grid would cut the grid holding both blocks
 * in two. So the partitioner balances the households without them (their cells are not in the
 * adjacency, so housing blocks only count as neighbours where their own cells touch) and then each
 * joins the grid around it: the grid its cell shares the longest edge with. Joining a grid its
 * cell touches can never split that grid, nor any other.
 */
import { type BuildingGraph, MIN_SHARED } from './building-graph.js';

/**
 * Which buildings are left out of the balancing: the unlocked ones without households, unless no
 * unlocked building has households (then there is nothing to join and they are balanced as usual).
 */
export function emptyBuildings(households: readonly number[], free: readonly boolean[]): Set<number> {
  const out = new Set<number>();
  let housed = false;
  households.forEach((h, i) => {
    if (!free[i]) return;
    if (h > 0) housed = true;
    else out.add(i);
  });
  return housed ? out : new Set();
}

/**
 * Gives every building of `pending` a part: `part[i]` is building i's part (≥ 0), or −1 when it has
 * none (locked grids' buildings: those grids take no one). Rounds, like a breadth-first search, so a
 * row of empty buildings joins from its housed end: in each round every pending building touching
 * a part joins the part it shares the longest edge with (barrier-respecting neighbours first, then
 * any touching cell; `prefer(i)` wins whenever it touches — the current grid in rebalance, so
 * nothing moves needlessly). What touches no part at all (empty buildings enclosed by locked
 * grids) gets new parts, one per touching cluster, numbered from `nextPart`.
 */
export function attachEmpty(
  g: BuildingGraph,
  part: Int32Array,
  pending: ReadonlySet<number>,
  nextPart: number,
  prefer: (i: number) => number = () => -1,
): number {
  const left = new Set(pending);
  for (const i of left) part[i] = -1;
  const open = (j: number) => part[j] >= 0;
  while (left.size) {
    const joins: [number, number][] = [];
    for (const i of [...left].sort((a, b) => a - b)) {
      const p = bestPart(g, part, i, open, prefer(i));
      if (p >= 0) joins.push([i, p]);
    }
    if (!joins.length) break;
    for (const [i, p] of joins) {
      part[i] = p;
      left.delete(i);
    }
  }
  for (const start of [...left].sort((a, b) => a - b)) {
    if (part[start] >= 0) continue;
    const p = nextPart++;
    const stack = [start];
    part[start] = p;
    while (stack.length) {
      const i = stack.pop()!;
      for (const [j, len] of g.cells.shared[i]) if (len >= MIN_SHARED && left.has(j) && part[j] < 0) { part[j] = p; stack.push(j); }
    }
  }
  return nextPart;
}

function bestPart(g: BuildingGraph, part: Int32Array, i: number, open: (j: number) => boolean, preferred: number): number {
  const inAdj = new Set(g.adj[i]);
  for (const crossing of [false, true]) {
    const score = new Map<number, number>();
    for (const [j, len] of g.cells.shared[i]) {
      if (len < MIN_SHARED || !open(j) || (!crossing && !inAdj.has(j))) continue;
      score.set(part[j], (score.get(part[j]) ?? 0) + len);
    }
    if (!score.size) continue;
    if (score.has(preferred)) return preferred;
    return [...score].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0];
  }
  return -1;
}
