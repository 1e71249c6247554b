/**
 * Contracts compounds into super-nodes: the buildings of a compound (its barrier-connected pieces)
 * become one node when their households fit under `hi`, so no grid ever cuts through them; a
 * compound over `hi` stays as single buildings and is split along its own adjacency.
 */
import type { BuildingGraph } from './building-graph.js';

export interface NodeGraph {
  count: number;
  members: number[][];
  w: number[];
  x: number[];
  y: number[];
  area: number[];
  perim: number[];
  /** Barrier-respecting adjacency between nodes (sorted). */
  adj: number[][];
  /** Shared cell-edge length between nodes (barriers ignored). */
  shared: Map<number, number>[];
}

/**
 * `group(i)` names the unit building i belongs to (compound id, or null for a lone building);
 * `free[i]` false leaves building i out (locked grids).
 */
export function contract(g: BuildingGraph, households: readonly number[], free: readonly boolean[], group: (i: number) => string | null, hi: number): { nodes: NodeGraph; nodeOf: Int32Array } {
  const nodeOf = new Int32Array(g.n).fill(-1);
  const members: number[][] = [];
  const byGroup = new Map<string, number[]>();
  for (let i = 0; i < g.n; i++) {
    if (!free[i]) continue;
    const key = group(i);
    if (key === null) {
      nodeOf[i] = members.length;
      members.push([i]);
    } else {
      let list = byGroup.get(key);
      if (!list) byGroup.set(key, (list = []));
      list.push(i);
    }
  }
  // Sorted group keys keep node numbering independent of Map insertion quirks.
  const inGroup = new Int32Array(g.n).fill(-1);
  [...byGroup.keys()].sort().forEach((key, gi) => {
    const list = byGroup.get(key)!;
    for (const i of list) inGroup[i] = gi;
    const seen = new Set<number>();
    for (const start of list) {
      if (seen.has(start)) continue;
      const comp = [start];
      seen.add(start);
      for (let h = 0; h < comp.length; h++) {
        for (const j of g.adj[comp[h]]) if (inGroup[j] === gi && free[j] && !seen.has(j)) { seen.add(j); comp.push(j); }
      }
      const hh = comp.reduce((s, i) => s + households[i], 0);
      const parts = hh <= hi ? [comp.sort((a, b) => a - b)] : comp.sort((a, b) => a - b).map((i) => [i]);
      for (const part of parts) {
        for (const i of part) nodeOf[i] = members.length;
        members.push(part);
      }
    }
  });
  const count = members.length;
  const nodes: NodeGraph = {
    count, members, w: [], x: [], y: [], area: [], perim: [],
    adj: Array.from({ length: count }, () => []),
    shared: Array.from({ length: count }, () => new Map()),
  };
  for (let v = 0; v < count; v++) {
    const m = members[v];
    nodes.w.push(m.reduce((s, i) => s + households[i], 0));
    nodes.x.push(m.reduce((s, i) => s + g.xy[i][0], 0) / m.length);
    nodes.y.push(m.reduce((s, i) => s + g.xy[i][1], 0) / m.length);
    nodes.area.push(m.reduce((s, i) => s + g.cells.area[i], 0));
    let per = 0;
    const adjSet = new Set<number>();
    for (const i of m) {
      per += g.cells.perimeter[i];
      for (const [j, len] of g.cells.shared[i]) {
        const u = nodeOf[j];
        if (u === v) per -= len; // internal edge, seen from both sides: subtract once per side
        else if (u >= 0) nodes.shared[v].set(u, (nodes.shared[v].get(u) ?? 0) + len);
      }
      for (const j of g.adj[i]) {
        const u = nodeOf[j];
        if (u >= 0 && u !== v) adjSet.add(u);
      }
    }
    nodes.perim.push(per);
    nodes.adj[v] = [...adjSet].sort((a, b) => a - b);
  }
  return { nodes, nodeOf };
}
