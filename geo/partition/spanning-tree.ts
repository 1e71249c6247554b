/**
 * BASELINE ONLY (for the benchmark): recursive spanning-tree splitting in the manner of
 * GerryChain's recursive tree partition. Draw a random spanning tree of the node set, cut an edge
 * whose subtree holds households inside the split window, recurse. Keeps the band where it can but
 * knows nothing about compactness.
 */
import type { Band } from '../band.js';
import { splitWindow } from './band-math.js';
import type { NodeGraph } from './contract.js';
import type { Rng } from './random.js';

const ATTEMPTS = 200;

function randomSpanningTree(g: NodeGraph, nodes: readonly number[], inSet: Uint8Array, rng: Rng): Map<number, number[]> {
  // Kruskal on random edge weights.
  const edges: [number, number, number][] = [];
  for (const v of nodes) for (const u of g.adj[v]) if (u > v && inSet[u]) edges.push([rng.next(), v, u]);
  edges.sort((a, b) => a[0] - b[0]);
  const parent = new Map<number, number>(nodes.map((v) => [v, v]));
  const find = (v: number): number => {
    while (parent.get(v) !== v) {
      const p = parent.get(parent.get(v)!)!;
      parent.set(v, p);
      v = p;
    }
    return v;
  };
  const tree = new Map<number, number[]>(nodes.map((v) => [v, []]));
  for (const [, a, b] of edges) {
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) continue;
    parent.set(ra, rb);
    tree.get(a)!.push(b);
    tree.get(b)!.push(a);
  }
  return tree;
}

function split(g: NodeGraph, nodes: number[], k1: number, k: number, band: Band, rng: Rng): number[] {
  const inSet = new Uint8Array(g.count);
  for (const v of nodes) inSet[v] = 1;
  const total = nodes.reduce((s, v) => s + g.w[v], 0);
  const [lo1, hi1] = splitWindow(total, k1, k, band);
  const target = (total * k1) / k;
  let fallback: { root: number; parent: Map<number, number>; miss: number; tree: Map<number, number[]> } | null = null;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const tree = randomSpanningTree(g, nodes, inSet, rng);
    const root = nodes[rng.int(nodes.length)];
    const order = [root];
    const parent = new Map<number, number>([[root, -1]]);
    for (let h = 0; h < order.length; h++) for (const u of tree.get(order[h])!) if (!parent.has(u)) { parent.set(u, order[h]); order.push(u); }
    const sub = new Map<number, number>();
    for (let h = order.length - 1; h >= 0; h--) {
      const v = order[h];
      sub.set(v, (sub.get(v) ?? 0) + g.w[v]);
      const p = parent.get(v)!;
      if (p >= 0) sub.set(p, (sub.get(p) ?? 0) + sub.get(v)!);
    }
    const ok: number[] = [];
    for (const v of order.slice(1)) {
      const w = sub.get(v)!;
      if (w >= lo1 && w <= hi1) ok.push(v);
      const miss = Math.abs(w - target);
      if (!fallback || miss < fallback.miss) fallback = { root: v, parent, miss, tree };
    }
    if (ok.length) return subtree(ok[rng.int(ok.length)], parent, tree);
  }
  return fallback ? subtree(fallback.root, fallback.parent, fallback.tree) : [nodes[0]];
}

function subtree(top: number, parent: Map<number, number>, tree: Map<number, number[]>): number[] {
  const out = [top];
  for (let h = 0; h < out.length; h++) for (const u of tree.get(out[h])!) if (u !== parent.get(out[h])) out.push(u);
  return out;
}

export function spanningTreePartition(g: NodeGraph, nodes: number[], k: number, band: Band, rng: Rng): number[][] {
  if (k <= 1 || nodes.length <= 1) return [nodes];
  if (nodes.length <= k) return nodes.map((v) => [v]);
  const k1 = Math.floor(k / 2);
  const side = split(g, nodes, k1, k, band, rng);
  const set = new Set(side);
  const rest = nodes.filter((v) => !set.has(v));
  return [...spanningTreePartition(g, side, k1, band, rng), ...spanningTreePartition(g, rest, k - k1, band, rng)];
}
