/**
 * Buildings without households (shops, schools, garages, empty blocks) are not grid members to be
 * balanced (issue #16): they add nothing to a grid's households, but their cells are territory —
 * a school between two housing blocks put in a third grid would cut the grid holding both blocks
 * in two. So the partitioner balances the households without them (their cells are not in the
 * adjacency, so housing blocks only count as neighbours where their own cells touch) and then each
 * joins the grid around it: the grid its cell shares the longest edge with. Joining a grid its
 * cell touches can never split that grid, nor any other.
 */
import type { Band } from '../band.js';
import { chooseK, weightFeasible } from './band-math.js';
import { type BuildingGraph, MIN_SHARED, touching } from './building-graph.js';

/**
 * Which buildings are left out of the balancing: the unlocked ones without households — unless no
 * unlocked building has households (nothing to join: they are balanced as usual), or they are the
 * only link of a housed piece to the rest. Housed buildings that touch only through empty cells
 * are no neighbours; where that leaves a piece whose households cannot make in-band grids on its
 * own (a block of flats behind a school), the empty buildings on the shortest link to another
 * piece stay in as members without households — connectors, so the grid across them holds them.
 */
export function emptyBuildings(g: BuildingGraph, households: readonly number[], free: readonly boolean[], band: Band): Set<number> {
  const out = new Set<number>();
  let housed = false;
  households.forEach((h, i) => {
    if (!free[i]) return;
    if (h > 0) housed = true;
    else out.add(i);
  });
  if (!housed) return new Set();
  for (let round = 0; round < g.n; round++) {
    const comp = new Int32Array(g.n).fill(-1);
    const pieces: { list: number[]; w: number }[] = [];
    for (let s = 0; s < g.n; s++) {
      if (!free[s] || out.has(s) || comp[s] >= 0) continue;
      const list = [s];
      comp[s] = pieces.length;
      for (let h = 0; h < list.length; h++) for (const u of g.adj[list[h]]) if (free[u] && !out.has(u) && comp[u] < 0) { comp[u] = pieces.length; list.push(u); }
      pieces.push({ list, w: list.reduce((t, i) => t + households[i], 0) });
    }
    const stuck = pieces
      .map((p, c) => ({ ...p, c }))
      .filter((p) => !weightFeasible(p.w, chooseK(p.w, band), band) && !(p.list.length === 1 && p.w > band.hi))
      .sort((a, b) => a.w - b.w || a.c - b.c);
    // Links on this side of barriers first; else across them (the bridges then join the piece there).
    const link =
      stuck.map((p) => linkThroughEmpty(g, p.list, comp, p.c, out, (i) => g.adj[i])).find((path) => path !== null) ??
      stuck.map((p) => linkThroughEmpty(g, p.list, comp, p.c, out, (i) => touching(g, i))).find((path) => path !== null);
    if (!link) break;
    for (const e of link) out.delete(e);
  }
  return out;
}

/** Shortest chain of empty buildings from piece c to another piece (breadth-first), or null. */
function linkThroughEmpty(
  g: BuildingGraph,
  list: readonly number[],
  comp: Int32Array,
  c: number,
  empty: ReadonlySet<number>,
  near: (i: number) => readonly number[],
): number[] | null {
  const from = new Map<number, number>();
  const queue: number[] = [];
  for (const i of list) for (const e of near(i)) if (empty.has(e) && !from.has(e)) { from.set(e, -1); queue.push(e); }
  for (let h = 0; h < queue.length; h++) {
    const e = queue[h];
    for (const u of near(e)) {
      if (comp[u] >= 0 && comp[u] !== c) {
        const path = [];
        for (let x = e; x >= 0; x = from.get(x)!) path.push(x);
        return path;
      }
      if (empty.has(u) && !from.has(u)) { from.set(u, e); queue.push(u); }
    }
  }
  return null;
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
    const joins: [number, number, boolean][] = [];
    for (const i of [...left].sort((a, b) => a - b)) {
      const [p, crossing] = bestPart(g, part, i, open, prefer(i));
      if (p >= 0) joins.push([i, p, crossing]);
    }
    if (!joins.length) break;
    for (const [i, p, crossing] of joins) {
      // Joined across a barrier (nothing on its side): the crossing becomes an edge, as for pockets.
      if (crossing) for (const [j, len] of g.cells.shared[i]) if (len >= MIN_SHARED && part[j] === p) link(g, i, j);
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

function link(g: BuildingGraph, i: number, j: number) {
  if (g.adj[i].includes(j)) return;
  g.adj[i].push(j);
  g.adj[j].push(i);
  g.adj[i].sort((a, b) => a - b);
  g.adj[j].sort((a, b) => a - b);
}

/** The part building i joins, and whether only across a barrier; [−1, false] when none touches. */
function bestPart(g: BuildingGraph, part: Int32Array, i: number, open: (j: number) => boolean, preferred: number): [number, boolean] {
  const inAdj = new Set(g.adj[i]);
  for (const crossing of [false, true]) {
    const score = new Map<number, number>();
    for (const [j, len] of g.cells.shared[i]) {
      if (len < MIN_SHARED || !open(j) || (!crossing && !inAdj.has(j))) continue;
      score.set(part[j], (score.get(part[j]) ?? 0) + len);
    }
    if (!score.size) continue;
    if (score.has(preferred)) return [preferred, crossing];
    return [[...score].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0], crossing];
  }
  return [-1, false];
}
