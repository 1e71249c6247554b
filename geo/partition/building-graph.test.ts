/**
 * The partitioner's cells are the derived grid polygons' cells (issue #16): the server builds the
 * Voronoi diagram of the centroids in degrees (ST_VoronoiPolygons on SRID 4326), so neighbours are
 * decided there, while lengths and areas are metres; a shared edge counts only inside the community.
 */
import { describe, expect, it } from 'vitest';
import { buildGraph } from './building-graph.js';
import type { LngLat, PartitionBuilding } from './types.js';

const D = 1e-4; // ~11 m of latitude

const building = (id: string, centroid: LngLat): PartitionBuilding => ({ id, households: 10, residents: 20, centroid, compound: null });
const box = (x0: number, y0: number, x1: number, y1: number): LngLat[][] => [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]];

describe('buildGraph — cells as the server derives them', () => {
  it('decides neighbours in degrees, as PostGIS does, not in local metres (60° N: x shrinks by half)', () => {
    // A rhombus in degrees: the east–west diagonal (2 units) is longer than the north–south one
    // (1.8), so in degrees north and south are the Voronoi neighbours; in metres (x halved) it
    // would be east and west.
    const [lng, lat] = [10, 60];
    const bs = [
      building('w', [lng - D, lat]),
      building('e', [lng + D, lat]),
      building('n', [lng, lat + 0.9 * D]),
      building('s', [lng, lat - 0.9 * D]),
    ];
    const g = buildGraph(bs, box(lng - 5 * D, lat - 5 * D, lng + 5 * D, lat + 5 * D), []);
    expect(g.adj[2]).toContain(3);
    expect(g.adj[0]).not.toContain(1);
    // Lengths are metres: the n–s edge runs east–west between the two circumcentres.
    expect(g.cells.shared[2].get(3)).toBeGreaterThan(0);
    expect(g.cells.shared[2].get(3)).toBeLessThan(2 * D * 111_320 * Math.cos((lat * Math.PI) / 180));
  });

  it('counts a shared edge only where it runs inside a concave community', () => {
    // A U open to the north (3×3 units, notch 1 wide from y = 1 up): the bisector of a building in
    // the bar and one in the notch's mouth runs across both arms and the notch. The northern cell
    // is the two arm tops (two pieces); it touches the southern cell along the arms only (2 units),
    // and its outline is the two arm tops' outlines — nothing along the notch, which is outside.
    const u: LngLat[][] = [[[0, 0], [3 * D, 0], [3 * D, 3 * D], [2 * D, 3 * D], [2 * D, D], [D, D], [D, 3 * D], [0, 3 * D], [0, 0]]];
    const g = buildGraph([building('south', [1.5 * D, 0.5 * D]), building('north', [1.5 * D, 2.5 * D])], u, []);
    const [ux, uy] = [D * 111_320, D * 110_540];
    expect(g.cells.shared[0].get(1)! / (2 * ux)).toBeCloseTo(1, 3);
    expect(g.cells.perimeter[1] / (4 * ux + 6 * uy)).toBeCloseTo(1, 3);
    // The southern cell: bar and arm bottoms (3 + 1 + 1 + 1 across, 1.5 + 1.5 + 0.5 + 0.5 up).
    expect(g.cells.perimeter[0] / (6 * ux + 4 * uy)).toBeCloseTo(1, 3);
    // The cells still cover the community: their areas add up to its area (7 unit squares).
    expect((g.cells.area[0] + g.cells.area[1]) / (ux * uy)).toBeCloseTo(7, 3);
  });
});
