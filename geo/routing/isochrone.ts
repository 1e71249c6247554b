/**
 * Isochrone polygons: for each band (e.g. 5/10/15 minutes at 60 m/min) the reached pieces of the
 * network, with a walking corridor around them in a local metric plane, unioned — all bands on one
 * grid ({@link bandPolygonsFromLines}), from the compact lines the `geometry=lines` answer sends
 * ({@link reachedBandLines}). The shape follows the streets — a gated compound with no reachable
 * gate stays outside.
 */
import { type BandLines, decodeBandLines, reachedBandLines } from './band-lines.js';
import { bandPolygonsFromLines } from './band-polygons.js';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { DijkstraWorkspace, type ShortestPaths, shortestPaths } from './dijkstra.js';
import { type EdgePosition, sourcesAt } from './edge-position.js';
import type { RoutingGraph } from './graph.js';

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
  /** false: leave the polygons to the client (`geometry=lines`); `lines` is enough to draw them. */
  polygons?: boolean;
}

/** The walking corridor's half-width around reached streets (metres). */
export const ISOCHRONE_CORRIDOR_M = 30;

/** Runs one Dijkstra to the largest band and cuts every band from it. */
export function isochrone(
  g: RoutingGraph,
  start: EdgePosition,
  opts: IsochroneOptions,
  ws?: DijkstraWorkspace,
): { bands: IsochroneBand[]; paths: ShortestPaths; lines: BandLines; order: number[] } {
  const distances = opts.minutes.map((m) => m * opts.speedMPerMin);
  const cutoff = Math.max(...distances);
  const paths = shortestPaths(g, sourcesAt(g, start), cutoff, ws ?? new DijkstraWorkspace(g));
  // Bands in increasing budget (the caller's order is kept in `bands`; `lines` and `order` go up).
  const order = distances.map((_, i) => i).sort((a, b) => distances[a] - distances[b]);
  const { lines, networkM } = reachedBandLines(g, paths, order.map((i) => distances[i]), start);
  const corridorM = opts.corridorM ?? ISOCHRONE_CORRIDOR_M;
  const polygons = opts.polygons === false ? order.map(() => null) : bandPolygonsFromLines(decodeBandLines(lines), corridorM, lines.origin);
  const bands: IsochroneBand[] = [];
  order.forEach((i, k) => {
    bands[i] = { minutes: opts.minutes[i], distanceM: distances[i], polygon: polygons[k], networkM: networkM[k] };
  });
  return { bands, paths, lines, order };
}
