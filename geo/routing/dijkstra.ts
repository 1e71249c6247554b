/**
 * Dijkstra on the undirected walk graph with a distance cutoff and several sources.
 *
 * A source is a node with a starting distance (a point snapped partway along an edge starts at both
 * ends of that edge, each at its distance along the edge). Nodes farther than the cutoff are never
 * settled, so the work is proportional to the reached part of the network, not to the whole street —
 * the reason one isochrone on a 200k-edge network costs about as much as on the demo street.
 */
import type { RoutingGraph } from './graph.js';
import { MinHeap } from './heap.js';

export interface Source { node: number; distance: number }

export interface ShortestPaths {
  /** Network distance of every node from the nearest source; Infinity when beyond the cutoff. */
  dist: Float64Array;
  /** The edge by which each node was reached (-1 for sources and unreached nodes). */
  predEdge: Int32Array;
  /** Index of the source each node was reached from (-1 when unreached) — the "nearest facility". */
  origin: Int32Array;
  /** Settled nodes in order of distance (all with dist ≤ cutoff). */
  settled: Int32Array;
  cutoff: number;
}

/** Reusable buffers, so repeated runs on a big graph do not allocate per call. */
export class DijkstraWorkspace {
  readonly dist: Float64Array;
  readonly predEdge: Int32Array;
  readonly origin: Int32Array;
  readonly heap = new MinHeap(4096);
  private touched: Int32Array;
  private touchedCount = 0;

  constructor(readonly graph: RoutingGraph) {
    this.dist = new Float64Array(graph.nodeCount).fill(Infinity);
    this.predEdge = new Int32Array(graph.nodeCount).fill(-1);
    this.origin = new Int32Array(graph.nodeCount).fill(-1);
    this.touched = new Int32Array(1024);
  }

  /** Resets only the entries the previous run touched. */
  reset(): void {
    for (let i = 0; i < this.touchedCount; i++) {
      const v = this.touched[i];
      this.dist[v] = Infinity;
      this.predEdge[v] = -1;
      this.origin[v] = -1;
    }
    this.touchedCount = 0;
    this.heap.size = 0;
  }

  touch(v: number): void {
    if (this.touchedCount === this.touched.length) {
      const t = new Int32Array(this.touched.length * 2);
      t.set(this.touched);
      this.touched = t;
    }
    this.touched[this.touchedCount++] = v;
  }
}

/**
 * Shortest network distances from `sources` up to `cutoff` metres (inclusive).
 * With a workspace the returned arrays are the workspace's own (valid until its next run).
 */
export function shortestPaths(
  graph: RoutingGraph,
  sources: readonly Source[],
  cutoff = Infinity,
  ws: DijkstraWorkspace = new DijkstraWorkspace(graph),
): ShortestPaths {
  ws.reset();
  const { dist, predEdge, origin, heap } = ws;
  const { adjStart, adjNode, adjEdge, edgeLength } = graph;
  sources.forEach((s, k) => {
    if (s.node < 0 || s.node >= graph.nodeCount) throw new Error(`source node ${s.node} out of range`);
    if (!(s.distance >= 0)) throw new Error(`source distance ${s.distance} must be ≥ 0`);
    if (s.distance > cutoff || s.distance >= dist[s.node]) return;
    if (dist[s.node] === Infinity) ws.touch(s.node);
    dist[s.node] = s.distance;
    origin[s.node] = k;
    predEdge[s.node] = -1;
    heap.push(s.node, s.distance);
  });
  const settled: number[] = [];
  while (heap.size > 0) {
    const d = heap.peekKey();
    const u = heap.pop();
    // A stale entry (the node was reached more cheaply since): keys are pushed only when strictly
    // smaller, so the entry whose key equals dist[u] is the one live entry.
    if (d > dist[u]) continue;
    settled.push(u);
    for (let a = adjStart[u], end = adjStart[u + 1]; a < end; a++) {
      const v = adjNode[a];
      const nd = d + edgeLength[adjEdge[a]];
      if (nd > cutoff || nd >= dist[v]) continue;
      if (dist[v] === Infinity) ws.touch(v);
      dist[v] = nd;
      predEdge[v] = adjEdge[a];
      origin[v] = origin[u];
      heap.push(v, nd);
    }
  }
  return { dist, predEdge, origin, settled: Int32Array.from(settled), cutoff };
}
