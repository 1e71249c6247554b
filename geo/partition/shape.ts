/** Shape measures of a set of buildings straight from the building graph (for reporting). */
import type { BuildingGraph } from './building-graph.js';
import { ppOf } from './plan-state.js';

/** Polsby–Popper of the union of the buildings' cells. */
export function buildingSetPP(g: BuildingGraph, set: readonly number[]): number {
  const inSet = new Set(set);
  let area = 0;
  let perim = 0;
  for (const i of set) {
    area += g.cells.area[i];
    perim += g.cells.perimeter[i];
    for (const [j, len] of g.cells.shared[i]) if (inSet.has(j)) perim -= len;
  }
  return ppOf(area, perim);
}

/** Whether the buildings form one piece under the barrier-respecting adjacency. */
export function buildingSetContiguous(g: BuildingGraph, set: readonly number[]): boolean {
  if (set.length <= 1) return true;
  const inSet = new Set(set);
  const seen = new Set<number>([set[0]]);
  const stack = [set[0]];
  while (stack.length) {
    const v = stack.pop()!;
    for (const u of g.adj[v]) if (inSet.has(u) && !seen.has(u)) { seen.add(u); stack.push(u); }
  }
  return seen.size === set.length;
}
