/**
 * What an edit will do to the building → grid assignment, predicted in the browser so the tallies
 * (geo/plan/tally.ts) update at once; the server's answer replaces the prediction moments later.
 * The rules are the server's: buildings are never split and, in polygon mode, a building belongs
 * to the grid containing its footprint's centroid. Locked grids neither gain nor lose buildings.
 */
import { booleanPointInPolygon } from '@turf/turf';

type Area = GeoJSON.Polygon | GeoJSON.MultiPolygon;
export type Assignment = ReadonlyMap<string, string>;
export interface Centroid {
  code: string;
  at: [number, number];
}

/** The grid takes the buildings whose centroid its new polygon contains; those it loses go to the grid now containing them. */
export function predictReshape(
  assignment: Assignment,
  centroids: readonly Centroid[],
  grid: string,
  polygon: Area,
  others: ReadonlyMap<string, Area>,
  locked: ReadonlySet<string>,
): Map<string, string> {
  const next = new Map(assignment);
  for (const c of centroids) {
    const cur = assignment.get(c.code);
    if (cur && locked.has(cur)) continue;
    const inside = booleanPointInPolygon(c.at, polygon);
    if (inside && cur !== grid) next.set(c.code, grid);
    else if (!inside && cur === grid) {
      for (const [code, g] of others) {
        if (code !== grid && !locked.has(code) && booleanPointInPolygon(c.at, g)) {
          next.set(c.code, code);
          break;
        }
      }
    }
  }
  return next;
}

/** Every building of `from` grids moves to `into` (merge, delete into a neighbour). */
export function predictMove(assignment: Assignment, from: readonly string[], into: string): Map<string, string> {
  const gone = new Set(from);
  const next = new Map(assignment);
  for (const [b, g] of assignment) if (gone.has(g)) next.set(b, into);
  return next;
}

/** Centre of mass of a footprint's outer ring (area-weighted, as PostGIS ST_Centroid). */
export function footprintCentroid(g: GeoJSON.Geometry): [number, number] | null {
  const ring =
    g.type === 'Polygon' ? g.coordinates[0] : g.type === 'MultiPolygon' ? g.coordinates[0]?.[0] : null;
  if (!ring || ring.length < 3) return null;
  let a = 0, x = 0, y = 0;
  const [ox, oy] = ring[0];
  for (let i = 0; i < ring.length - 1; i++) {
    const [x1, y1] = [ring[i][0] - ox, ring[i][1] - oy];
    const [x2, y2] = [ring[i + 1][0] - ox, ring[i + 1][1] - oy];
    const c = x1 * y2 - x2 * y1;
    a += c;
    x += (x1 + x2) * c;
    y += (y1 + y2) * c;
  }
  if (a === 0) return [ring[0][0], ring[0][1]];
  return [ox + x / (3 * a), oy + y / (3 * a)];
}
