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
  const n = nodes.length;
  const m = edges.length;
  const nodeIds = new Int32Array(n);
  const nodeLng = new Float64Array(n);
  const nodeLat = new Float64Array(n);
  const index = new Map<number, number>();
  nodes.forEach((node, i) => {
    nodeIds[i] = node.id;
    nodeLng[i] = node.position[0];
    nodeLat[i] = node.position[1];
    index.set(node.id, i);
  });
  const idx = (id: number) => {
    const i = index.get(id);
    if (i === undefined) throw new Error(`edge names unknown node ${id}`);
    return i;
  };

  const edgeIds = new Int32Array(m);
  const edgeSource = new Int32Array(m);
  const edgeTarget = new Int32Array(m);
  const edgeLength = new Float64Array(m);
  const edgeKind = new Uint8Array(m);
  const kinds: string[] = [];
  const geomStart = new Int32Array(m + 1);
  let points = 0;
  for (let e = 0; e < m; e++) points += edges[e].line?.length ?? 2;
  const coords = new Float64Array(points * 2);
  const degree = new Int32Array(n + 1);
  let p = 0;
  for (let e = 0; e < m; e++) {
    const edge = edges[e];
    if (!(edge.lengthM >= 0)) throw new Error(`edge ${edge.id} has an invalid length ${edge.lengthM}`);
    const s = idx(edge.source);
    const t = idx(edge.target);
    edgeIds[e] = edge.id;
    edgeSource[e] = s;
    edgeTarget[e] = t;
    edgeLength[e] = edge.lengthM;
    const kind = edge.kind ?? '';
    let k = kinds.indexOf(kind);
    if (k < 0) k = kinds.push(kind) - 1;
    edgeKind[e] = k;
    geomStart[e] = p;
    const line = edge.line ?? [[nodeLng[s], nodeLat[s]], [nodeLng[t], nodeLat[t]]];
    for (const [lng, lat] of line) {
      coords[2 * p] = lng;
      coords[2 * p + 1] = lat;
      p++;
    }
    degree[s]++;
    if (t !== s) degree[t]++;
  }
  geomStart[m] = p;

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
    nodeCount: n, edgeCount: m, nodeIds, nodeLng, nodeLat, edgeIds, edgeSource, edgeTarget, edgeLength,
    edgeKind, kinds, geomStart, coords, adjStart, adjNode, adjEdge,
    indexOfNode: (id) => index.get(id) ?? -1,
  };
}

/** The polyline of edge e as [lng, lat] positions from its source to its target. */
export function edgeLine(g: RoutingGraph, e: number): LngLat[] {
  const out: LngLat[] = [];
  for (let p = g.geomStart[e]; p < g.geomStart[e + 1]; p++) out.push([g.coords[2 * p], g.coords[2 * p + 1]]);
  return out;
}
