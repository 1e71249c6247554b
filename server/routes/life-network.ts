/** `GET /api/life-circle/network`: the walk network's topology check (disconnected pieces) and snapping. */
import type { WalkNetwork } from '../services/walk-network.js';

export function networkReport(net: WalkNetwork) {
  const unroutedBuildings = net.buildings.filter((b) => b.households > 0 && !b.position).map((b) => b.code);
  const unroutedFacilities = net.facilities.filter((f) => !f.position).map((f) => f.code);
  return {
    nodes: net.topology.nodes,
    edges: net.topology.edges,
    components: net.topology.components,
    isolatedNodes: net.topology.isolatedNodes,
    /** The biggest piece first; a healthy network has one. Up to 20 listed. */
    pieces: net.topology.pieces.slice(0, 20).map((p) => ({ ...p, lengthM: Math.round(p.lengthM) })),
    unroutedBuildings,
    unroutedFacilities,
    builtAt: new Date(net.builtAt).toISOString(),
    buildMs: Math.round(net.buildMs),
  };
}
