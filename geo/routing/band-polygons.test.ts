import fc from 'fast-check';
import { area, booleanPointInPolygon, difference, featureCollection, point } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { decodeBandLines, reachedBandLines } from './band-lines.js';
import { bandPolygons, bandPolygonsFromLines, simplifyRing } from './band-polygons.js';
import { corridorPolygon } from './corridor-polygon.js';
import { shortestPaths } from './dijkstra.js';
import { bucketByEdge, pointsWithin } from './edge-buckets.js';
import { distanceTo, slicePolyline, sourcesAt } from './edge-position.js';
import { buildGraph } from './graph.js';
import { contourPolygons } from './marching-squares.js';
import { reachedPieces } from './reached-edges.js';
import { buildEdgeIndex } from './snap.js';
import { at, lattice } from './test-graphs.js';

type Poly = Feature<Polygon | MultiPolygon>;
const symmetricDifference = (a: Poly, b: Poly) =>
  [difference(featureCollection([a, b])), difference(featureCollection([b, a]))].reduce((s, d) => s + (d ? area(d) : 0), 0);

describe('bandPolygons (all bands on one grid)', () => {
  const g = lattice(21, 21, 50);
  const index = buildEdgeIndex(g);

  it('draws each band as the corridor union of its pieces, as one band on its own grid does', () => {
    for (const [x, y] of [[500, 510], [130, 720], [980, 25]]) {
      const start = index.nearest(...at(x, y))!;
      const sp = shortestPaths(g, sourcesAt(g, start), 600);
      const bands = [150, 300, 600].map((b) => reachedPieces(g, sp, b, start));
      const polygons = bandPolygons(g, sp, [150, 300, 600], start, 30);
      bands.forEach((pieces, k) => {
        const own = corridorPolygon(pieces.map((p) => slicePolyline(g, p.edge, p.fromM, p.toM)), 30)!;
        const a = area(polygons[k]!);
        // Same shape up to the raster (10 m cells on differently anchored grids) and the thinning.
        expect(Math.abs(a - area(own)) / area(own)).toBeLessThan(0.01);
        expect(symmetricDifference(polygons[k]!, own) / area(own)).toBeLessThan(0.02);
      });
      expect(area(polygons[0]!)).toBeLessThan(area(polygons[1]!));
      expect(area(polygons[1]!)).toBeLessThan(area(polygons[2]!));
    }
  });

  it('keeps unreached streets outside even when they are close (a compound whose gate is too far)', () => {
    // Street A (y = 0) and street B (y = 100) are joined only 1 km east; from the west end of A,
    // 300 m reach none of B, so B's corridor must stay outside though it is 100 m from A.
    const nodes = [
      { id: 1, position: at(0, 0) }, { id: 2, position: at(1000, 0) },
      { id: 3, position: at(0, 100) }, { id: 4, position: at(1000, 100) },
    ];
    const edges = [
      { id: 1, source: 1, target: 2, lengthM: 1000 },
      { id: 2, source: 3, target: 4, lengthM: 1000 },
      { id: 3, source: 2, target: 4, lengthM: 100 },
    ];
    const h = buildGraph(nodes, edges);
    const start = buildEdgeIndex(h).nearest(...at(0, 0))!;
    const sp = shortestPaths(h, sourcesAt(h, start), 300);
    const [poly] = bandPolygons(h, sp, [300], start, 30);
    expect(booleanPointInPolygon(point(at(150, 0)), poly!)).toBe(true);
    expect(booleanPointInPolygon(point(at(150, 25)), poly!)).toBe(true);
    expect(booleanPointInPolygon(point(at(150, 100)), poly!)).toBe(false);
    expect(booleanPointInPolygon(point(at(150, 70)), poly!)).toBe(false);
    // The reached stretch ends at 300 m, with a round cap of 30 m.
    expect(booleanPointInPolygon(point(at(320, 0)), poly!)).toBe(true);
    expect(booleanPointInPolygon(point(at(340, 0)), poly!)).toBe(false);
  });

  it('answers null for bands that reached nothing', () => {
    expect(bandPolygonsFromLines([[], []], 30, at(0, 0))).toEqual([null, null]);
    const [none, some] = bandPolygonsFromLines([[], [[at(0, 0), at(100, 0)]]], 30, at(0, 0));
    expect(none).toBeNull();
    expect(area(some!)).toBeGreaterThan(0);
  });
});

describe('reachedBandLines (the geometry=lines answer)', () => {
  const g = lattice(11, 11, 100);
  const index = buildEdgeIndex(g);
  const metres = (line: [number, number][]) => line.slice(1).reduce((s, p, k) => s + distanceM(line[k], p), 0);

  it('sends each band what it adds to the one before: the lines of bands 0…k are band k\'s reached pieces', () => {
    fc.assert(
      fc.property(
        fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 1000 })),
        fc.uniqueArray(fc.integer({ min: 1, max: 900 }), { minLength: 1, maxLength: 4 }),
        ([sx, sy], raw) => {
          const budgets = [...raw].sort((a, b) => a - b);
          const start = index.nearest(...at(sx, sy))!;
          const sp = shortestPaths(g, sourcesAt(g, start), budgets[budgets.length - 1]);
          const { lines, networkM } = reachedBandLines(g, sp, budgets, start);
          const decoded = decodeBandLines(JSON.parse(JSON.stringify(lines)) as typeof lines);
          expect(decoded).toHaveLength(budgets.length);
          let sent = 0;
          budgets.forEach((b, k) => {
            const pieces = reachedPieces(g, sp, b, start);
            const expected = pieces.reduce((s, p) => s + (p.toM - p.fromM), 0);
            expect(networkM[k]).toBeCloseTo(expected, 6);
            // The lines drawn so far are as long as the reach (up to the 1e-6° lattice per point).
            sent += decoded[k].reduce((s, l) => s + metres(l), 0);
            expect(Math.abs(sent - expected)).toBeLessThan(0.5 + 0.2 * decoded.slice(0, k + 1).flat().length);
            // Every point of band k's lines lies on band k's reach (with the length above: nothing twice).
            for (const line of decoded[k]) for (const p of line) expect(onPieces(g, pieces, p)).toBe(true);
          });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('draws the same polygons from the decoded JSON as the server does from its own lines', () => {
    const start = index.nearest(...at(430, 270))!;
    const sp = shortestPaths(g, sourcesAt(g, start), 600);
    const server = bandPolygons(g, sp, [200, 400, 600], start, 30);
    const { lines } = reachedBandLines(g, sp, [200, 400, 600], start);
    const wire = JSON.parse(JSON.stringify(lines)) as typeof lines;
    expect(bandPolygonsFromLines(decodeBandLines(wire), 30, wire.origin)).toEqual(server);
  });
});

function distanceM(a: [number, number], b: [number, number]): number {
  const kx = Math.cos((((a[1] + b[1]) / 2) * Math.PI) / 180);
  return Math.hypot((b[0] - a[0]) * kx, b[1] - a[1]) * 111_195.08;
}

/** Whether p lies within 0.3 m of one of the pieces (sliced from the graph). */
function onPieces(g: ReturnType<typeof lattice>, pieces: ReturnType<typeof reachedPieces>, p: [number, number]): boolean {
  return pieces.some((piece) => {
    const line = slicePolyline(g, piece.edge, piece.fromM, piece.toM);
    if (line.length === 1) return distanceM(line[0], p) < 0.3;
    return line.slice(1).some((b, k) => {
      const a = line[k];
      const ab = distanceM(a, b);
      return distanceM(a, p) + distanceM(p, b) - ab < 0.3 || ab === 0 && distanceM(a, p) < 0.3;
    });
  });
}

describe('simplifyRing', () => {
  it('drops collinear vertices and keeps every dropped vertex within the tolerance', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -0.3, max: 0.3, noNaN: true }), { minLength: 40, maxLength: 40 }), (noise) => {
        // A 10×10 square with a vertex every unit, jittered by up to 0.3 across its side.
        const ring: [number, number][] = [];
        for (let k = 0; k < 40; k++) {
          const t = k % 10;
          const n = t === 0 ? 0 : noise[k];
          const corners: [number, number][] = [[t, n], [10 + n, t], [10 - t, 10 + n], [n, 10 - t]];
          ring.push(corners[Math.floor(k / 10)]);
        }
        ring.push([...ring[0]]);
        const thin = simplifyRing(ring, 0.5);
        expect(thin[0]).toEqual(thin[thin.length - 1]);
        expect(thin.length).toBeLessThanOrEqual(ring.length);
        // Every original vertex lies within the tolerance of the thinned ring.
        for (const p of ring) expect(distanceToRing(p, thin)).toBeLessThanOrEqual(0.5 + 1e-9);
      }),
      { numRuns: 50 },
    );
    const straight: [number, number][] = [[0, 0], [1, 0], [2, 0], [3, 0], [3, 1], [3, 2], [2, 2], [1, 2], [0, 2], [0, 1], [0, 0]];
    expect(simplifyRing(straight, 0.01)).toEqual([[0, 0], [3, 0], [3, 2], [0, 2], [0, 0]]);
  });
});

function distanceToRing([px, py]: [number, number], ring: [number, number][]): number {
  let best = Infinity;
  for (let k = 0; k < ring.length - 1; k++) {
    const [ax, ay] = ring[k];
    const [bx, by] = ring[k + 1];
    const dx = bx - ax;
    const dy = by - ay;
    const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy || 1)));
    best = Math.min(best, Math.hypot(ax + t * dx - px, ay + t * dy - py));
  }
  return best;
}

describe('contourPolygons on squared distances', () => {
  it('traces the same rings as on the distances themselves', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ min: 2, max: 18, noNaN: true }), fc.double({ min: 2, max: 18, noNaN: true })), { minLength: 1, maxLength: 6 }), (centres) => {
        const w = 20;
        const h = 20;
        const d = new Float64Array((w + 1) * (h + 1));
        for (let j = 0; j <= h; j++) {
          for (let i = 0; i <= w; i++) d[j * (w + 1) + i] = Math.min(...centres.map(([x, y]) => Math.hypot(i - x, j - y)), 3.5);
        }
        const plain = contourPolygons({ w, h, values: d.map((v) => v - 2.2) });
        const squared = contourPolygons({ w, h, values: d.map((v) => v * v), level: 2.2 * 2.2, squared: true });
        expect(squared.length).toBe(plain.length);
        squared.forEach((rings, k) => rings.forEach((ring, r) => ring.forEach(([x, y], v) => {
          expect(x).toBeCloseTo(plain[k][r][v][0], 9);
          expect(y).toBeCloseTo(plain[k][r][v][1], 9);
        })));
      }),
      { numRuns: 40 },
    );
  });
});

describe('pointsWithin (facilities on reached edges)', () => {
  const g = lattice(11, 11, 100);
  const index = buildEdgeIndex(g);

  it('finds exactly the points a scan of every point finds, nearest first', () => {
    fc.assert(
      fc.property(
        fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 1000 })),
        fc.array(fc.tuple(fc.integer({ min: -50, max: 1050 }), fc.integer({ min: -50, max: 1050 })), { maxLength: 30 }),
        fc.integer({ min: 0, max: 800 }),
        ([sx, sy], pts, budget) => {
          const start = index.nearest(...at(sx, sy))!;
          const positions = pts.map(([x, y], i) => (i % 7 === 6 ? null : index.nearest(...at(x, y))));
          const sp = shortestPaths(g, sourcesAt(g, start), budget);
          const found = pointsWithin(g, sp, bucketByEdge(g.edgeCount, positions), (i) => positions[i]!, budget, start);
          const scan = positions
            .flatMap((p, index) => (p ? [{ index, distanceM: distanceTo(g, sp, p, start) }] : []))
            .filter((x) => x.distanceM <= budget)
            .sort((a, b) => a.distanceM - b.distanceM || a.index - b.index);
          expect(found).toEqual(scan);
        },
      ),
      { numRuns: 60 },
    );
  });
});
