/**
 * The walk network in memory, in compact typed arrays: node positions, edges with their lengths and
 * polyline geometry, and a CSR (compressed sparse row) adjacency so Dijkstra walks neighbours
 * without allocating. Undirected: every edge appears in the adjacency of both ends.
 *
 * Nodes are addressed by a dense index 0…n-1; `nodeIds` maps an index back to the id the database
 * uses (walk_nodes.id), `indexOfNode` the other way.
 */
export type LngLat = [number, number];

export interface GraphNodeInput { id: number; position: LngLat }
export interface GraphEdgeInput {
  id: number;
  source: number;
  target: number;
  lengthM: number;
  /** Polyline from source to target; two points for a straight edge. Defaults to the node positions. */
  line?: LngLat[];
  kind?: string;
}

export interface RoutingGraph {
  readonly nodeCount: number;
  readonly edgeCount: number;
  /** Database id of node index i. */
  readonly nodeIds: Int32Array;
  readonly nodeLng: Float64Array;
  readonly nodeLat: Float64Array;
  readonly edgeIds: Int32Array;
  readonly edgeSource: Int32Array;
  readonly edgeTarget: Int32Array;
  readonly edgeLength: Float64Array;
  /** Edge kind index into {@link kinds} (e.g. 'path', 'gate'). */
  readonly edgeKind: Uint8Array;
  readonly kinds: readonly string[];
  /** Edge e's polyline is coords[2*geomStart[e] … 2*geomStart[e+1]) as lng,lat pairs. */
  readonly geomStart: Int32Array;
  readonly coords: Float64Array;
  /** CSR adjacency: the neighbours of node i are adjNode[adjStart[i] … adjStart[i+1]) via adjEdge. */
  readonly adjStart: Int32Array;
  readonly adjNode: Int32Array;
  readonly adjEdge: Int32Array;
  indexOfNode(id: number): number;
}

/** Builds the in-memory graph. Throws on an edge naming an unknown node or a negative length. */
export function buildGraph(nodes: readonly GraphNodeInput[], edges: readonly GraphEdgeInput[]): RoutingGraph {
  const b = new GraphBuilder();
  for (const node of nodes) b.addNode(node.id, node.position[0], node.position[1]);
  const flat: number[] = [];
  for (const edge of edges) {
    flat.length = 0;
    for (const [lng, lat] of edge.line ?? []) flat.push(lng, lat);
    b.addEdge(edge.id, edge.source, edge.target, edge.lengthM, edge.kind ?? '', flat);
  }
  return b.build();
}

/**
 * The graph assembled row by row into growing typed arrays (issue #15: a city's 2.3 million walk
 * edges, streamed from the database, never exist as 2.3 million objects). Nodes first, then
 * edges; {@link build} checks the edges' nodes and makes the adjacency.
 */
export class GraphBuilder {
  private nodeIds = new Int32Array(1024);
  private nodeLng = new Float64Array(1024);
  private nodeLat = new Float64Array(1024);
  private n = 0;
  private edgeIds = new Int32Array(1024);
  /** Node ids until {@link build} turns them into indices. */
  private edgeSource = new Int32Array(1024);
  private edgeTarget = new Int32Array(1024);
  private edgeLength = new Float64Array(1024);
  private edgeKind = new Uint8Array(1024);
  private geomStart = new Int32Array(1025);
  private coords = new Float64Array(4096);
  private m = 0;
  private points = 0;
  private readonly kinds: string[] = [];

  addNode(id: number, lng: number, lat: number) {
    if (this.n === this.nodeIds.length) {
      this.nodeIds = grow(this.nodeIds);
      this.nodeLng = grow(this.nodeLng);
      this.nodeLat = grow(this.nodeLat);
    }
    this.nodeIds[this.n] = id;
    this.nodeLng[this.n] = lng;
    this.nodeLat[this.n] = lat;
    this.n++;
  }

  /** `line`: the polyline as flat lng, lat pairs from source to target; empty = straight between the nodes. */
  addEdge(id: number, source: number, target: number, lengthM: number, kind: string, line: ArrayLike<number>) {
    if (!(lengthM >= 0)) throw new Error(`edge ${id} has an invalid length ${lengthM}`);
    const e = this.m;
    if (e === this.edgeIds.length) {
      this.edgeIds = grow(this.edgeIds);
      this.edgeSource = grow(this.edgeSource);
      this.edgeTarget = grow(this.edgeTarget);
      this.edgeLength = grow(this.edgeLength);
      this.edgeKind = grow(this.edgeKind);
      this.geomStart = grow(this.geomStart);
    }
    this.edgeIds[e] = id;
    this.edgeSource[e] = source;
    this.edgeTarget[e] = target;
    this.edgeLength[e] = lengthM;
    let k = this.kinds.indexOf(kind);
    if (k < 0) k = this.kinds.push(kind) - 1;
    this.edgeKind[e] = k;
    this.geomStart[e] = this.points;
    // A straight edge gets its nodes' positions in build(), when all nodes are known: 2 points now.
    const count = line.length >= 2 ? line.length >> 1 : 2;
    while (2 * (this.points + count) > this.coords.length) this.coords = grow(this.coords);
    if (line.length >= 2) for (let q = 0; q < 2 * count; q++) this.coords[2 * this.points + q] = line[q];
    else this.coords[2 * this.points] = NaN;
    this.points += count;
    this.m++;
  }

  build(): RoutingGraph {
    const { n, m } = this;
    const nodeIds = this.nodeIds.slice(0, n);
    const nodeLng = this.nodeLng.slice(0, n);
    const nodeLat = this.nodeLat.slice(0, n);
    const index = new Map<number, number>();
    for (let i = 0; i < n; i++) index.set(nodeIds[i], i);
    const idx = (id: number) => {
      const i = index.get(id);
      if (i === undefined) throw new Error(`edge names unknown node ${id}`);
      return i;
    };
    const edgeSource = this.edgeSource.slice(0, m);
    const edgeTarget = this.edgeTarget.slice(0, m);
    const geomStart = this.geomStart.slice(0, m + 1);
    geomStart[m] = this.points;
    const coords = this.coords.slice(0, 2 * this.points);
    const degree = new Int32Array(n + 1);
    for (let e = 0; e < m; e++) {
      const s = (edgeSource[e] = idx(edgeSource[e]));
      const t = (edgeTarget[e] = idx(edgeTarget[e]));
      const p = geomStart[e];
      if (Number.isNaN(coords[2 * p])) {
        coords.set([nodeLng[s], nodeLat[s], nodeLng[t], nodeLat[t]], 2 * p);
      }
      degree[s]++;
      if (t !== s) degree[t]++;
    }

    const adjStart = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) adjStart[i + 1] = adjStart[i] + degree[i];
    const fill = adjStart.slice(0, n);
    const adjNode = new Int32Array(adjStart[n]);
    const adjEdge = new Int32Array(adjStart[n]);
    for (let e = 0; e < m; e++) {
      const s = edgeSource[e];
      const t = edgeTarget[e];
      adjNode[fill[s]] = t;
      adjEdge[fill[s]++] = e;
      if (t === s) continue;
      adjNode[fill[t]] = s;
      adjEdge[fill[t]++] = e;
    }

    return {
      nodeCount: n, edgeCount: m, nodeIds, nodeLng, nodeLat, edgeIds: this.edgeIds.slice(0, m), edgeSource, edgeTarget,
      edgeLength: this.edgeLength.slice(0, m), edgeKind: this.edgeKind.slice(0, m), kinds: [...this.kinds], geomStart, coords,
      adjStart, adjNode, adjEdge,
      indexOfNode: (id) => index.get(id) ?? -1,
    };
  }
}

/** The same array, twice as long. */
function grow<T extends Int32Array | Float64Array | Uint8Array>(a: T): T {
  const b = new (a.constructor as new (n: number) => T)(a.length * 2);
  b.set(a);
  return b;
}

/** The polyline of edge e as [lng, lat] positions from its source to its target. */
export function edgeLine(g: RoutingGraph, e: number): LngLat[] {
  const out: LngLat[] = [];
  for (let p = g.geomStart[e]; p < g.geomStart[e + 1]; p++) out.push([g.coords[2 * p], g.coords[2 * p + 1]]);
  return out;
}
