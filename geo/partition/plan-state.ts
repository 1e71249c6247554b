/**
 * A partition of the node graph into parts, with per-part households, area and perimeter kept up
 * to date under single-node moves — so band, contiguity and Polsby–Popper checks are cheap.
 */
import type { NodeGraph } from './contract.js';

export class PlanState {
  readonly part: Int32Array;
  w: number[] = [];
  area: number[] = [];
  perim: number[] = [];
  size: number[] = [];

  constructor(readonly g: NodeGraph, assignment: ArrayLike<number>, parts: number) {
    this.part = Int32Array.from(assignment);
    for (let p = 0; p < parts; p++) this.addPart();
    for (let v = 0; v < g.count; v++) {
      const p = this.part[v];
      if (p < 0) continue;
      this.w[p] += g.w[v];
      this.area[p] += g.area[v];
      this.size[p]++;
    }
    for (let v = 0; v < g.count; v++) {
      const p = this.part[v];
      if (p >= 0) this.perim[p] += g.perim[v] - this.sharedWith(v, p);
    }
  }

  get parts(): number {
    return this.w.length;
  }

  addPart(): number {
    this.w.push(0);
    this.area.push(0);
    this.perim.push(0);
    this.size.push(0);
    return this.w.length - 1;
  }

  /** Shared edge length between node v and the other nodes of part p. */
  sharedWith(v: number, p: number): number {
    let s = 0;
    for (const [u, len] of this.g.shared[v]) if (u !== v && this.part[u] === p) s += len;
    return s;
  }

  /** Perimeters of (from, to) after moving v from its part to `to`. */
  perimAfterMove(v: number, to: number): [number, number] {
    const from = this.part[v];
    return [this.perim[from] - this.g.perim[v] + 2 * this.sharedWith(v, from), this.perim[to] + this.g.perim[v] - 2 * this.sharedWith(v, to)];
  }

  move(v: number, to: number): void {
    const from = this.part[v];
    if (from === to) return;
    const [pf, pt] = this.perimAfterMove(v, to);
    this.perim[from] = pf;
    this.perim[to] = pt;
    this.w[from] -= this.g.w[v];
    this.w[to] += this.g.w[v];
    this.area[from] -= this.g.area[v];
    this.area[to] += this.g.area[v];
    this.size[from]--;
    this.size[to]++;
    this.part[v] = to;
  }

  pp(p: number): number {
    return ppOf(this.area[p], this.perim[p]);
  }

  nodesOf(p: number): number[] {
    const out: number[] = [];
    for (let v = 0; v < this.g.count; v++) if (this.part[v] === p) out.push(v);
    return out;
  }

  /**
   * May node `without` leave part p without cutting it? True when p keeps a node and all of
   * `without`'s neighbours in p stay connected to each other inside p (so a part that was already
   * in pieces — a current grid across a barrier — never gets more pieces).
   */
  connectedWithout(p: number, without: number): boolean {
    if (this.size[p] - 1 <= 0) return false;
    const targets = new Set<number>();
    for (const u of this.g.adj[without]) if (this.part[u] === p) targets.add(u);
    if (targets.size <= 1) return true;
    const [start] = targets;
    const seen = new Set<number>([start, without]);
    const stack = [start];
    let found = 1;
    while (stack.length) {
      const v = stack.pop()!;
      for (const u of this.g.adj[v]) {
        if (this.part[u] === p && !seen.has(u)) {
          seen.add(u);
          if (targets.has(u) && ++found === targets.size) return true;
          stack.push(u);
        }
      }
    }
    return false;
  }

  /** Parts adjacent to node v other than its own. */
  neighbourParts(v: number): number[] {
    const out: number[] = [];
    for (const u of this.g.adj[v]) {
      const q = this.part[u];
      if (q >= 0 && q !== this.part[v] && !out.includes(q)) out.push(q);
    }
    return out;
  }
}

export function ppOf(area: number, perim: number): number {
  return perim > 0 ? (4 * Math.PI * area) / (perim * perim) : 0;
}

/** Connected components of a node subset (adjacency restricted to the subset). */
export function components(g: NodeGraph, nodes: readonly number[]): number[][] {
  const inSet = new Set(nodes);
  const seen = new Set<number>();
  const out: number[][] = [];
  for (const s of nodes) {
    if (seen.has(s)) continue;
    const comp = [s];
    seen.add(s);
    for (let h = 0; h < comp.length; h++) for (const u of g.adj[comp[h]]) if (inSet.has(u) && !seen.has(u)) { seen.add(u); comp.push(u); }
    out.push(comp.sort((a, b) => a - b));
  }
  return out;
}
