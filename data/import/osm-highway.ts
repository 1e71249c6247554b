/**
 * highway=* → walk-edge kind: the one table both the OSM importer and GIS walk-layer imports use, so a
 * value read from an OSM extract and the same value in a Shapefile/GeoJSON `kind` column mean the same.
 */

export type WalkEdgeKind = 'arterial' | 'secondary' | 'local' | 'footway' | 'path';

/** highway=* values a pedestrian can walk along, and the walk-edge kind each becomes. */
export const WALKABLE_HIGHWAYS: Record<string, WalkEdgeKind> = {
  primary: 'arterial', trunk: 'arterial', secondary: 'secondary', tertiary: 'secondary',
  residential: 'local', unclassified: 'local', living_street: 'local', service: 'path',
  pedestrian: 'footway', footway: 'footway', steps: 'footway', path: 'path', track: 'path', cycleway: 'path',
};

/**
 * The walk-edge kind of a highway=* value, or null when not walkable. A `*_link` (primary_link …
 * tertiary_link, motorway_link) is classified like its parent class, as OSM defines links: so
 * `primary_link` is arterial and `motorway_link`, like motorway, is not walkable.
 */
export function walkKindOfHighway(highway: unknown): WalkEdgeKind | null {
  if (typeof highway !== 'string') return null;
  const parent = highway.endsWith('_link') ? highway.slice(0, -'_link'.length) : highway;
  return Object.hasOwn(WALKABLE_HIGHWAYS, parent) ? WALKABLE_HIGHWAYS[parent] : null;
}
