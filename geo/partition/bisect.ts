/**
 * Recursive bisection of a connected node set into k compact, band-feasible parts.
 *
 * Each split grows one side from an extreme node — either as a sweep (priority: position along a
 * direction) or as a disc (priority: distance to the seed), over 8 directions and both sides'
 * grid counts — and keeps the growth prefixes whose households lie in the split's feasibility
 * window (both sides can still be cut into in-band grids). The grown side is connected by
 * construction; pieces the growth cut off from the other side are absorbed when the window allows.
 * Among the feasible cuts the one with the shortest shared boundary (relative to the set's size)
 * and the most even households wins; if none is feasible the most balanced connected cut is used
 * and band repair follows.
 */
import type { Band } from '../band.js';
import { splitWindow } from './band-math.js';
import type { NodeGraph } from './contract.js';
import { components } from './plan-state.js';

const DIRECTIONS = 8;

interface Cut {
  side: number[];
  score: number;
}

/** Node order of a growth from `seed` inside `inSet`, always taking the frontier node of least priority. */
function growthOrder(g: NodeGraph, inSet: Uint8Array, seed: number, priority: (v: number) => number): number[] {
  const order = [seed];
  const state = new Map<number, number>([[seed, 2]]); // 1 = frontier, 2 = taken
  const frontier: number[] = [];
  const push = (v: number) => {
    for (const u of g.adj[v]) if (inSet[u] && !state.has(u)) { state.set(u, 1); frontier.push(u); }
  };
  push(seed);
  while (frontier.length) {
    let best = 0;
    for (let i = 1; i < frontier.length; i++) {
      const a = priority(frontier[i]);
      const b = priority(frontier[best]);
      if (a < b || (a === b && frontier[i] < frontier[best])) best = i;
    }
    const v = frontier[best];
    frontier[best] = frontier[frontier.length - 1];
    frontier.pop();
    state.set(v, 2);
    order.push(v);
    push(v);
  }
  return order;
}

function cutLength(g: NodeGraph, side: Set<number>, inSet: Uint8Array): number {
  let s = 0;
  for (const v of side) for (const [u, len] of g.shared[v]) if (inSet[u] && !side.has(u)) s += len;
  return s;
}

/** The best two-way cut of `nodes` with `k1` of `k` grids on the returned side. */
function bestCut(g: NodeGraph, nodes: readonly number[], k1: number, k: number, band: Band, inSet: Uint8Array): number[] {
  const total = nodes.reduce((s, v) => s + g.w[v], 0);
  const area = nodes.reduce((s, v) => s + g.area[v], 0);
  const scale = Math.sqrt(Math.max(area, 1));
  let best: Cut | null = null;
  let fallback: Cut | null = null;
  const sides = k1 === k - k1 ? [k1] : [k1, k - k1];
  for (let d = 0; d < DIRECTIONS; d++) {
    const theta = (Math.PI * 2 * d) / DIRECTIONS;
    const [cx, cy] = [Math.cos(theta), Math.sin(theta)];
    const proj = (v: number) => g.x[v] * cx + g.y[v] * cy;
    let seed = nodes[0];
    for (const v of nodes) if (proj(v) < proj(seed)) seed = v;
    const dist = (v: number) => (g.x[v] - g.x[seed]) ** 2 + (g.y[v] - g.y[seed]) ** 2;
    for (const priority of [proj, dist]) {
      const order = growthOrder(g, inSet, seed, priority);
      for (const kg of sides) {
        const [lo1, hi1] = splitWindow(total, kg, k, band);
        const target = (total * kg) / k;
        // Candidate prefix lengths, nearest the target first.
        const cands: { len: number; w: number }[] = [];
        let cum = 0;
        for (let i = 0; i < order.length - 1; i++) {
          cum += g.w[order[i]];
          cands.push({ len: i + 1, w: cum });
        }
        cands.sort((a, b) => Math.abs(a.w - target) - Math.abs(b.w - target) || a.len - b.len);
        let tried = 0;
        for (const c of cands) {
          const inWindow = c.w >= lo1 && c.w <= hi1;
          if (!inWindow && (best || fallback)) break;
          if (tried++ > 6) break;
          const side = new Set(order.slice(0, c.len));
          let w1 = c.w;
          const rest = nodes.filter((v) => !side.has(v));
          const comps = components(g, rest);
          if (comps.length > 1) {
            comps.sort((a, b) => b.reduce((s, v) => s + g.w[v], 0) - a.reduce((s, v) => s + g.w[v], 0) || a[0] - b[0]);
            for (const comp of comps.slice(1)) for (const v of comp) {
              side.add(v);
              w1 += g.w[v];
            }
          }
          const ok = w1 >= lo1 && w1 <= hi1 && side.size < nodes.length;
          const score = cutLength(g, side, inSet) / scale + (0.5 * Math.abs(w1 - target)) / Math.max(1, kg * (band.hi - band.lo));
          const sideArr = [...side].sort((a, b) => a - b);
          const keep = kg === k1 ? sideArr : nodes.filter((v) => !side.has(v));
          if (ok) {
            if (!best || score < best.score) best = { side: keep, score };
          } else if (side.size < nodes.length) {
            const miss = Math.max(0, lo1 - w1, w1 - hi1) * 1000 + score;
            if (!fallback || miss < fallback.score) fallback = { side: keep, score: miss };
          }
        }
      }
    }
  }
  return (best ?? fallback)?.side ?? nodes.slice(0, 1);
}

/** Cuts a connected node set into k parts (recursive bisection). */
export function bisect(g: NodeGraph, nodes: number[], k: number, band: Band, tick: () => void = () => {}): number[][] {
  if (k <= 1 || nodes.length <= 1) return [nodes];
  if (nodes.length <= k) return nodes.map((v) => [v]);
  tick();
  const k1 = Math.floor(k / 2);
  const inSet = new Uint8Array(g.count);
  for (const v of nodes) inSet[v] = 1;
  const side = bestCut(g, nodes, k1, k, band, inSet);
  const sideSet = new Set(side);
  const rest = nodes.filter((v) => !sideSet.has(v));
  return [...bisect(g, side, k1, band, tick), ...bisect(g, rest, k - k1, band, tick)];
}
