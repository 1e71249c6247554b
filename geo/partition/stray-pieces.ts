/**
 * Rebalance starts from the current grids, and a current grid may be in pieces (drawn by hand, or
 * made before issue #16, when the partitioner's cells were not the derived polygons' cells). Band
 * repair never makes such a grid worse, but never mends it either, so the plan validator would
 * still call it `disconnected`. Before rebalancing, every piece of a grid but its biggest (most
 * households) joins the neighbouring grid it shares the longest edge with. Each such move lowers
 * the total number of pieces, so this ends. A piece with no neighbouring grid (cut off by barriers
 * and fixed grids on all sides) becomes a grid of its own — as in `fresh`, where such a pocket is
 * a grid of its own and reported.
 */
import type { NodeGraph } from './contract.js';
import { components } from './plan-state.js';

/** Mends `part` (node → part, all ≥ 0) in place; returns the number of parts (new ones appended). */
export function joinStrayPieces(g: NodeGraph, part: Int32Array, parts: number): number {
  for (let changed = true; changed; ) {
    changed = false;
    for (let p = 0; p < parts; p++) {
      const members: number[] = [];
      for (let v = 0; v < g.count; v++) if (part[v] === p) members.push(v);
      const pieces = components(g, members);
      if (pieces.length <= 1) continue;
      const weight = (c: number[]) => c.reduce((s, v) => s + g.w[v], 0);
      const keep = pieces.reduce((best, c) => (weight(c) > weight(best) || (weight(c) === weight(best) && c.length > best.length) ? c : best));
      for (const piece of pieces) {
        if (piece === keep) continue;
        const score = new Map<number, number>();
        for (const v of piece) {
          for (const u of g.adj[v]) {
            const q = part[u];
            if (q === p || q < 0) continue;
            score.set(q, (score.get(q) ?? 0) + (g.shared[v].get(u) ?? 0));
          }
        }
        const to = score.size ? [...score].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0] : parts++;
        for (const v of piece) part[v] = to;
        changed = true;
      }
      if (changed) break;
    }
  }
  return parts;
}
