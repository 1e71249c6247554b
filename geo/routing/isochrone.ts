/**
 * Isochrone polygons: for each band (e.g. 5/10/15 minutes at 60 m/min) the reached pieces of the
 * network, with a walking corridor around them in a local metric plane, unioned
 * ({@link corridorPolygon}). The shape follows the streets — a gated compound with no reachable gate
 * stays outside.
 */
import { corridorPolygon } from './corridor-polygon.js';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { DijkstraWorkspace, type ShortestPaths, shortestPaths } from './dijkstra.js';
import { type EdgePosition, slicePolyline, sourcesAt } from './edge-position.js';
import type { LngLat, RoutingGraph } from './graph.js';
import { type EdgePiece, reachedPieces } from './reached-edges.js';

export interface IsochroneBand {
  minutes: number;
  distanceM: number;
  /** Null when nothing is reachable (cannot happen for a snapped start, kept for safety). */
  polygon: Feature<Polygon | MultiPolygon> | null;
  /** Walk-network metres inside the band (a size measure independent of the corridor width). */
  networkM: number;
}

export interface IsochroneOptions {
  minutes: readonly number[];
  /** Walking speed, metres per minute (planning practice: ~60). */
  speedMPerMin: number;
  /** Half-width of the corridor around reached streets (metres). */
  corridorM?: number;
}

/** Runs one Dijkstra to the largest band and cuts every band from it. */
export function isochrone(
  g: RoutingGraph,
  start: EdgePosition,
  opts: IsochroneOptions,
  ws?: DijkstraWorkspace,
): { bands: IsochroneBand[]; paths: ShortestPaths } {
  const distances = opts.minutes.map((m) => m * opts.speedMPerMin);
  const cutoff = Math.max(...distances);
  const paths = shortestPaths(g, sourcesAt(g, start), cutoff, ws ?? new DijkstraWorkspace(g));
  const bands = opts.minutes.map((minutes, i) => {
    const pieces = reachedPieces(g, paths, distances[i], start);
    return { minutes, distanceM: distances[i], polygon: piecesPolygon(g, pieces, opts.corridorM ?? 30), networkM: piecesLength(pieces) };
  });
  return { bands, paths };
}

export function piecesLength(pieces: readonly EdgePiece[]): number {
  return pieces.reduce((s, p) => s + (p.toM - p.fromM), 0);
}

/** The union of corridors of `corridorM` around the pieces. */
export function piecesPolygon(g: RoutingGraph, pieces: readonly EdgePiece[], corridorM: number): Feature<Polygon | MultiPolygon> | null {
  const lines: LngLat[][] = pieces.map((p) => slicePolyline(g, p.edge, p.fromM, p.toM));
  return corridorPolygon(lines, corridorM);
}
