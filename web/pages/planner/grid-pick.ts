/** Picking grids for the planner's tools by their bounding boxes: the grid a split line crosses, and
 * the neighbours a deleted grid can go into. */
import { bboxOf } from './planner-map';

export type GridFeature = GeoJSON.Feature<GeoJSON.Geometry, { code: string; locked?: boolean; kind: string }>;

/** The grid whose box contains the middle of the drawn line (when no grid is selected). */
export function gridAtLine(grids: GridFeature[], line: GeoJSON.LineString): string | null {
  const c = line.coordinates;
  const [x, y] = c.length === 2 ? [(c[0][0] + c[1][0]) / 2, (c[0][1] + c[1][1]) / 2] : c[Math.floor(c.length / 2)];
  const hit = grids.find((g) => {
    const b = bboxOf({ type: 'FeatureCollection', features: [g] });
    return b && x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3];
  });
  return hit?.properties.code ?? null;
}

/** Other unlocked grids ordered by the distance between box centres (the nearest first). */
export function nearestGrids(grids: GridFeature[], code: string): string[] {
  const centre = (g: GridFeature) => {
    const b = bboxOf({ type: 'FeatureCollection', features: [g] });
    return b ? [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2] : [0, 0];
  };
  const me = grids.find((g) => g.properties.code === code);
  if (!me) return [];
  const [x, y] = centre(me);
  return grids
    .filter((g) => g.properties.code !== code && !g.properties.locked)
    .map((g) => {
      const [a, b] = centre(g);
      return { code: g.properties.code, d: Math.hypot(a - x, b - y) };
    })
    .sort((a, b) => a.d - b.d)
    .map((g) => g.code);
}
