/**
 * `fresh` mode: ignore the current grids. Nodes over `hi` become grids of their own; every
 * barrier-connected piece of the rest gets k = chooseK(households) grids, cut by the splitter
 * (recursive bisection, or the spanning-tree baseline).
 */
import type { Band } from '../band.js';
import { chooseK, weightFeasible } from './band-math.js';
import type { NodeGraph } from './contract.js';
import { components } from './plan-state.js';

export type Splitter = (g: NodeGraph, nodes: number[], k: number) => number[][];

export interface Pocket {
  kind: 'building_over_hi' | 'pocket_under_lo' | 'pocket_between_bands';
  nodes: number[];
  households: number;
}

export function freshAssignment(g: NodeGraph, band: Band, split: Splitter): { part: Int32Array; parts: number; pockets: Pocket[] } {
  const part = new Int32Array(g.count).fill(-1);
  let parts = 0;
  const pockets: Pocket[] = [];
  const rest: number[] = [];
  for (let v = 0; v < g.count; v++) {
    if (g.w[v] > band.hi) {
      part[v] = parts++;
      pockets.push({ kind: 'building_over_hi', nodes: [v], households: g.w[v] });
    } else rest.push(v);
  }
  for (const comp of components(g, rest)) {
    const w = comp.reduce((s, v) => s + g.w[v], 0);
    const k = chooseK(w, band);
    if (w < band.lo) pockets.push({ kind: 'pocket_under_lo', nodes: comp, households: w });
    else if (!weightFeasible(w, k, band)) pockets.push({ kind: 'pocket_between_bands', nodes: comp, households: w });
    for (const piece of split(g, comp, k)) {
      if (!piece.length) continue;
      for (const v of piece) part[v] = parts;
      parts++;
    }
  }
  return { part, parts, pockets };
}

/** Barrier-connected pieces (no building over hi inside) whose households no grid count fits. */
export function infeasiblePieces(nodes: NodeGraph, band: Band): Pocket[] {
  const rest = Array.from({ length: nodes.count }, (_, v) => v).filter((v) => nodes.w[v] <= band.hi);
  const out: Pocket[] = [];
  for (const comp of components(nodes, rest)) {
    const w = comp.reduce((t, v) => t + nodes.w[v], 0);
    if (weightFeasible(w, chooseK(w, band), band)) continue;
    out.push({ kind: w < band.lo ? 'pocket_under_lo' : 'pocket_between_bands', nodes: comp, households: w });
  }
  return out;
}
