/**
 * `rebalance` mode: start from the current grids and fix only what is out of band, moving as few
 * buildings as possible.
 * 1. single boundary moves / short chains that lower the households out of band (repair.ts);
 * 2. a grid still over the band that could hold two or more in-band grids is bisected;
 *    a grid still under is merged with the neighbour that needs the fewest moves — whole when
 *    the union fits, else the union is re-cut;
 * 3. repair again;
 * 4. a grid still out of band has its neighbourhood re-cut: it and the grids around it (one ring,
 *    then two, three) are bisected afresh into as many grids as their households need, kept
 *    only when fewer households end out of band;
 * then (index.ts) compactness moves among the touched grids only, never moving more buildings.
 */
import type { Band } from '../band.js';
import { chooseK, violation, weightFeasible } from './band-math.js';
import { bisect } from './bisect.js';
import { PlanState } from './plan-state.js';
import { repairBand, totalViolation } from './repair.js';

export function rebalanceFix(s: PlanState, band: Band, tick: () => void): void {
  repairBand(s, band, () => true, tick);
  for (let p = 0; p < s.parts; p++) {
    if (s.size[p] === 0 || violation(s.w[p], band) === 0) continue;
    tick();
    if (s.w[p] > band.hi) {
      const k = chooseK(s.w[p], band);
      if (k < 2) continue;
      const pieces = bisect(s.g, s.nodesOf(p), k, band, tick).sort((a, b) => b.length - a.length);
      for (const piece of pieces.slice(1)) {
        const q = s.addPart();
        for (const v of piece) s.move(v, q);
      }
    } else {
      // Merge with the neighbour whose union can be in band and costs the fewest moved buildings.
      const nodes = s.nodesOf(p);
      const nbrs = new Set<number>();
      for (const v of nodes) for (const q of s.neighbourParts(v)) nbrs.add(q);
      let best: { q: number; cost: number } | null = null;
      for (const q of [...nbrs].sort((a, b) => a - b)) {
        const w = s.w[p] + s.w[q];
        const k = chooseK(w, band);
        if (!weightFeasible(w, k, band)) continue;
        const cost = k === 1 ? nodes.reduce((t, v) => t + s.g.members[v].length, 0) : s.size[p] + s.size[q];
        if (!best || cost < best.cost) best = { q, cost };
      }
      if (!best) continue;
      const union = [...nodes, ...s.nodesOf(best.q)].sort((a, b) => a - b);
      const k = chooseK(s.w[p] + s.w[best.q], band);
      if (k === 1) {
        for (const v of nodes) s.move(v, best.q);
        continue;
      }
      const pieces = bisect(s.g, union, k, band, tick);
      // The piece overlapping q most keeps q's id, the next p's; more pieces get new parts.
      const overlap = (piece: number[], r: number) => piece.filter((v) => s.part[v] === r).length;
      pieces.sort((a, b) => overlap(b, best.q) - overlap(a, best.q));
      const ids = [best.q, p];
      pieces.forEach((piece, i) => {
        const id = i < ids.length ? ids[i] : s.addPart();
        for (const v of piece) s.move(v, id);
      });
    }
  }
  repairBand(s, band, () => true, tick);
  for (let p = 0; p < s.parts; p++) {
    if (s.size[p] === 0 || violation(s.w[p], band) === 0) continue;
    for (let rings = 1; rings <= 3; rings++) {
      tick();
      if (recutNeighbourhood(s, p, rings, band, tick)) break;
    }
  }
}

/** Re-cuts part p and the parts within `rings` steps of it; keeps the result only if it is better. */
function recutNeighbourhood(s: PlanState, p: number, rings: number, band: Band, tick: () => void): boolean {
  const region = new Set<number>([p]);
  for (let r = 0; r < rings; r++) {
    for (const q of [...region]) for (const v of s.nodesOf(q)) for (const o of s.neighbourParts(v)) region.add(o);
  }
  const ids = [...region].sort((a, b) => a - b);
  const nodes = ids.flatMap((q) => s.nodesOf(q)).sort((a, b) => a - b);
  const w = nodes.reduce((t, v) => t + s.g.w[v], 0);
  const k = chooseK(w, band);
  const before = totalViolation(s, band);
  const saved = nodes.map((v) => s.part[v]);
  const pieces = bisect(s.g, nodes, k, band, tick);
  // Pieces keep the id of the old part they overlap most (greedy), others get new parts.
  const pairs: { i: number; q: number; n: number }[] = [];
  pieces.forEach((piece, i) => {
    for (const q of ids) pairs.push({ i, q, n: piece.filter((v) => s.part[v] === q).length });
  });
  pairs.sort((a, b) => b.n - a.n || a.i - b.i || a.q - b.q);
  const idOf = new Map<number, number>();
  const used = new Set<number>();
  for (const { i, q } of pairs) if (!idOf.has(i) && !used.has(q)) { idOf.set(i, q); used.add(q); }
  const added: number[] = [];
  pieces.forEach((piece, i) => {
    let id = idOf.get(i);
    if (id === undefined) { id = s.addPart(); added.push(id); }
    for (const v of piece) s.move(v, id);
  });
  const inRegion = new Set(nodes);
  repairBand(s, band, (v) => inRegion.has(v), tick);
  if (totalViolation(s, band) < before) return true;
  nodes.forEach((v, i) => s.move(v, saved[i]));
  return false;
}
