/**
 * Realistic planner edits for tests and benchmarks: move a disc of land around a point of the
 * border two grids share from one to the other, as a reshape does (the pair stays gap- and
 * overlap-free).
 */
import { circle, difference, feature, featureCollection, intersect, union } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import type { Area, PlanGrid } from '../../geo/plan/validate.js';

const key = (p: Position) => `${p[0].toFixed(7)},${p[1].toFixed(7)}`;
const vertices = (g: Area): Position[] => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates).flat(2);

/** Pairs of grids of one community sharing at least one vertex, with one shared vertex each. */
export function neighbourPairs(grids: readonly PlanGrid[]): { a: PlanGrid; b: PlanGrid; at: Position }[] {
  const out: { a: PlanGrid; b: PlanGrid; at: Position }[] = [];
  const index = grids.map((g) => new Map(vertices(g.geometry).map((p) => [key(p), p])));
  for (let i = 0; i < grids.length; i++) {
    for (let j = i + 1; j < grids.length; j++) {
      if (grids[i].communityId !== grids[j].communityId) continue;
      const shared = [...index[i].keys()].filter((k) => index[j].has(k));
      if (shared.length >= 3) out.push({ a: grids[i], b: grids[j], at: index[i].get(shared[Math.floor(shared.length / 2)])! });
    }
  }
  return out;
}

const geom = (x: Feature<Polygon | MultiPolygon> | null): Area => x?.geometry ?? { type: 'MultiPolygon', coordinates: [] };

/** `a` takes the part of `b` within `radius` metres of `at`: the two reshaped grids. */
export function transfer(a: PlanGrid, b: PlanGrid, at: Position, radius = 40): [PlanGrid, PlanGrid] {
  const disc = circle(at, radius, { units: 'meters', steps: 16 });
  const taken = intersect(featureCollection([disc, feature(b.geometry)]));
  const grown = taken ? union(featureCollection([feature(a.geometry), taken])) : feature(a.geometry);
  const shrunk = difference(featureCollection([feature(b.geometry), disc]));
  return [{ ...a, geometry: geom(grown) }, { ...b, geometry: geom(shrunk) }];
}
