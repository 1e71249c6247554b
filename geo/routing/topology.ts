/**
 * Topology check of the walk network: connected components (union–find), so an import that left a
 * footway or a compound unconnected is reported instead of silently making places unreachable.
 */
import type { RoutingGraph } from './graph.js';

export interface NetworkPiece {
  nodes: number;
  edges: number;
  /** Total length of the piece's edges (metres). */
  lengthM: number;
  /** Database ids of up to 20 of its nodes, for locating it. */
  sampleNodeIds: number[];
  /** [minLng, minLat, maxLng, maxLat] of its nodes. */
  bbox: [number, number, number, number];
}

export interface TopologyReport {
  nodes: number;
  edges: number;
  components: number;
  /** Nodes no edge touches. */
  isolatedNodes: number;
  /** The biggest piece first; a healthy network has exactly one. */
  pieces: NetworkPiece[];
}

export function checkTopology(g: RoutingGraph): TopologyReport {
  const parent = new Int32Array(g.nodeCount);
  for (let i = 0; i < g.nodeCount; i++) parent[i] = i;
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  };
  for (let e = 0; e < g.edgeCount; e++) {
    const a = find(g.edgeSource[e]);
    const b = find(g.edgeTarget[e]);
    if (a !== b) parent[a] = b;
  }
  const pieces = new Map<number, NetworkPiece>();
  const pieceOf = (root: number) => {
    let p = pieces.get(root);
    if (!p) pieces.set(root, (p = { nodes: 0, edges: 0, lengthM: 0, sampleNodeIds: [], bbox: [Infinity, Infinity, -Infinity, -Infinity] }));
    return p;
  };
  let isolated = 0;
  for (let i = 0; i < g.nodeCount; i++) {
    if (g.adjStart[i] === g.adjStart[i + 1]) isolated++;
    const p = pieceOf(find(i));
    p.nodes++;
    if (p.sampleNodeIds.length < 20) p.sampleNodeIds.push(g.nodeIds[i]);
    p.bbox = [Math.min(p.bbox[0], g.nodeLng[i]), Math.min(p.bbox[1], g.nodeLat[i]), Math.max(p.bbox[2], g.nodeLng[i]), Math.max(p.bbox[3], g.nodeLat[i])];
  }
  for (let e = 0; e < g.edgeCount; e++) {
    const p = pieceOf(find(g.edgeSource[e]));
    p.edges++;
    p.lengthM += g.edgeLength[e];
  }
  const list = [...pieces.values()].sort((a, b) => b.nodes - a.nodes || b.lengthM - a.lengthM);
  return { nodes: g.nodeCount, edges: g.edgeCount, components: list.length, isolatedNodes: isolated, pieces: list };
}
