/** Small graphs for the routing tests (not shipped code paths). */
import { type GraphEdgeInput, type GraphNodeInput, type RoutingGraph, buildGraph } from './graph.js';

const LNG0 = 121.38;
const LAT0 = 37.55;
const M_LNG = 1 / (111_195 * Math.cos((LAT0 * Math.PI) / 180));
const M_LAT = 1 / 111_195;

/** A node at local metres (x east, y north). */
export const at = (x: number, y: number): [number, number] => [LNG0 + x * M_LNG, LAT0 + y * M_LAT];

/** A w×h lattice of streets with `spacing` metres between nodes; node id = 1 + j*w + i. */
export function lattice(w: number, h: number, spacing = 100): RoutingGraph {
  const nodes: GraphNodeInput[] = [];
  const edges: GraphEdgeInput[] = [];
  for (let j = 0; j < h; j++) for (let i = 0; i < w; i++) nodes.push({ id: 1 + j * w + i, position: at(i * spacing, j * spacing) });
  for (let j = 0; j < h; j++) {
    for (let i = 0; i < w; i++) {
      const id = 1 + j * w + i;
      if (i + 1 < w) edges.push({ id: edges.length + 1, source: id, target: id + 1, lengthM: spacing });
      if (j + 1 < h) edges.push({ id: edges.length + 1, source: id, target: id + w, lengthM: spacing });
    }
  }
  return buildGraph(nodes, edges);
}
