/**
 * Isochrone polygons: for each band (e.g. 5/10/15 minutes at 60 m/min) the reached pieces of the
 * network, with a walking corridor around them in a local metric plane, unioned — all bands on one
 * grid ({@link bandPolygons}). The shape follows the streets — a gated compound with no reachable
 * gate stays outside.
 */
import { bandPolygons } from './band-polygons.js';
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
  // Bands in increasing budget (the caller's order is kept in the answer).
  const order = distances.map((_, i) => i).sort((a, b) => distances[a] - distances[b]);
  const pieces = order.map((i) => reachedPieces(g, paths, distances[i], start));
  const polygons = bandPolygons(g, pieces, opts.corridorM ?? 30);
  const bands: IsochroneBand[] = [];
  order.forEach((i, k) => {
    bands[i] = { minutes: opts.minutes[i], distanceM: distances[i], polygon: polygons[k], networkM: piecesLength(pieces[k]) };
  });
  return { bands, paths };
}

export function piecesLength(pieces: readonly EdgePiece[]): number {
  return pieces.reduce((s, p) => s + (p.toM - p.fromM), 0);
}

/** The union of corridors of `corridorM` around the pieces (one band on its own grid). */
export function piecesPolygon(g: RoutingGraph, pieces: readonly EdgePiece[], corridorM: number): Feature<Polygon | MultiPolygon> | null {
  const lines: LngLat[][] = pieces.map((p) => slicePolyline(g, p.edge, p.fromM, p.toM));
  return corridorPolygon(lines, corridorM);
}
