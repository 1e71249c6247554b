/**
 * The walk network in memory, loaded from PostGIS once and kept until the data changes.
 *
 * Every request asks {@link walkNetwork}; it compares the signature of the network, facilities,
 * buildings and published plan with the one the cached graph was built from and rebuilds only when
 * they differ — so an import or edit by any process is seen by the next request. The signature's
 * aggregates run only when the data version changed (currentNetworkSignature): an isochrone
 * otherwise pays one one-row read for it. Facilities and buildings are snapped to the network
 * once per build: a building in a gated compound snaps to the compound's own paths (it is entered
 * only through its gates), everything else to the nearest walkable edge.
 */
import type { Database } from '../db/client.js';
import {
  type EdgeBuckets, type EdgeIndex, type EdgePosition, type RoutingGraph, type Snap, type TopologyReport,
  DijkstraWorkspace, bucketByEdge, buildEdgeIndex, checkTopology,
} from '../../geo/routing/index.js';
import { type BuildingRow, type FacilityRow, loadNetwork, versionedNetworkSignature } from '../repos/walk-network.repo.js';

/** A facility or building further than this from every walkable edge is left unrouted. */
export const MAX_SNAP_M = 300;

export interface NetFacility extends FacilityRow { position: Snap | null }
export interface NetBuilding extends BuildingRow { position: Snap | null }

export interface WalkNetwork {
  signature: string;
  graph: RoutingGraph;
  index: EdgeIndex;
  facilities: NetFacility[];
  buildings: NetBuilding[];
  topology: TopologyReport;
  builtAt: number;
  buildMs: number;
  /** Facilities (indices into `facilities`) by the edge they are snapped to. */
  facilitiesByEdge: EdgeBuckets;
  /** One reusable Dijkstra workspace (requests run one at a time on Node's single thread). */
  ws: DijkstraWorkspace;
}

const cache = new WeakMap<Database, { signature: string; network: Promise<WalkNetwork> }>();

export async function walkNetwork(db: Database): Promise<WalkNetwork> {
  return (await versionedWalkNetwork(db)).network;
}

/**
 * {@link walkNetwork} with the data version it was found current at — one one-row read while the
 * data is unchanged — so a caller can key other data-derived values (the standard, the category
 * list) by the same version without a second read.
 */
export async function versionedWalkNetwork(db: Database, readVersion?: () => Promise<string>): Promise<{ version: string; network: WalkNetwork }> {
  const { version, signature } = await versionedNetworkSignature(db, readVersion);
  const hit = cache.get(db);
  if (hit && hit.signature === signature) return { version, network: await hit.network };
  const network = build(db, signature);
  cache.set(db, { signature, network });
  network.catch(() => cache.delete(db));
  return { version, network: await network };
}

async function build(db: Database, signature: string): Promise<WalkNetwork> {
  const t0 = performance.now();
  const rows = await loadNetwork(db);
  const { graph } = rows;
  const index = buildEdgeIndex(graph);
  const pathKind = graph.kinds.indexOf('path');
  const insideCompound = (e: number) => graph.edgeKind[e] === pathKind;
  // The rows themselves get their position (no second copy of a city's million buildings).
  const facilities: NetFacility[] = rows.facilities.map((f) => Object.assign(f, { position: index.nearest(Number(f.lng), Number(f.lat), MAX_SNAP_M) }));
  const buildings: NetBuilding[] = rows.buildings.map((b) => {
    const [lng, lat] = [Number(b.lng), Number(b.lat)];
    const position = (b.gated && pathKind >= 0 ? index.nearest(lng, lat, MAX_SNAP_M, insideCompound) : null) ?? index.nearest(lng, lat, MAX_SNAP_M);
    return Object.assign(b, { households: Number(b.households), position });
  });
  return {
    signature, graph, index, facilities, buildings, topology: checkTopology(graph),
    facilitiesByEdge: bucketByEdge(graph.edgeCount, facilities.map((f) => f.position)),
    builtAt: Date.now(), buildMs: performance.now() - t0, ws: new DijkstraWorkspace(graph),
  };
}

export const hasPosition = <T extends { position: Snap | null }>(x: T): x is T & { position: Snap } => x.position !== null;
export type { EdgePosition };
