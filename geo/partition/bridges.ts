/**
 * Barrier pockets: a piece of the community cut off by barriers whose households cannot make
 * in-band grids on their own (e.g. 120 households between an arterial and the boundary) is joined
 * to its neighbours across the barrier — the least bad plan — and reported. Adds those crossings
 * to the building adjacency in place and returns the pockets.
 */
import type { Band } from '../band.js';
import { chooseK, weightFeasible } from './band-math.js';
import { type BuildingGraph, touching } from './building-graph.js';

export function bridgePockets(g: BuildingGraph, households: readonly number[], free: readonly boolean[], band: Band): { buildings: number[]; households: number }[] {
  const pockets: { buildings: number[]; households: number }[] = [];
  for (let round = 0; round < 50; round++) {
    const comp = new Int32Array(g.n).fill(-1);
    const comps: number[][] = [];
    for (let s = 0; s < g.n; s++) {
      if (!free[s] || comp[s] >= 0) continue;
      const list = [s];
      comp[s] = comps.length;
      for (let h = 0; h < list.length; h++) for (const u of g.adj[list[h]]) if (free[u] && comp[u] < 0) { comp[u] = comps.length; list.push(u); }
      comps.push(list);
    }
    if (comps.length <= 1) break;
    // Smallest infeasible piece first; a single building over hi is not a pocket (nothing helps it).
    const bad = comps
      .map((list, c) => ({ c, list, w: list.reduce((t, i) => t + households[i], 0) }))
      .filter((x) => !weightFeasible(x.w, chooseK(x.w, band), band) && !(x.list.length === 1 && x.w > band.hi))
      .sort((a, b) => a.w - b.w || a.c - b.c);
    let bridged = false;
    for (const x of bad) {
      const links: [number, number][] = [];
      for (const i of x.list) for (const j of touching(g, i)) if (free[j] && comp[j] !== x.c) links.push([i, j]);
      if (!links.length) continue;
      for (const [i, j] of links) {
        if (!g.adj[i].includes(j)) { g.adj[i].push(j); g.adj[j].push(i); }
      }
      pockets.push({ buildings: x.list.slice().sort((a, b) => a - b), households: x.w });
      bridged = true;
      break;
    }
    if (!bridged) break;
  }
  for (const a of g.adj) a.sort((u, v) => u - v);
  return pockets;
}
