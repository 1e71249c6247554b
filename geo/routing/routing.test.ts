import fc from 'fast-check';
import { area } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { distancesToNearest, networkDistance } from './coverage.js';
import { corridorPolygon } from './corridor-polygon.js';
import { shortestPaths } from './dijkstra.js';
import { buildGraph, type GraphEdgeInput } from './graph.js';
import { isochrone } from './isochrone.js';
import { nearestTargets } from './nearest.js';
import { greedySites } from './site-selection.js';
import { buildEdgeIndex } from './snap.js';
import { at, lattice } from './test-graphs.js';
import { checkTopology } from './topology.js';

/** Random connected graph: a spanning chain plus extra random edges with random lengths. */
const randomGraph = fc
  .record({
    n: fc.integer({ min: 2, max: 25 }),
    extra: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.double({ min: 0, max: 500, noNaN: true })), { maxLength: 40 }),
    chain: fc.array(fc.double({ min: 0, max: 500, noNaN: true }), { minLength: 25, maxLength: 25 }),
  })
  .map(({ n, extra, chain }) => {
    const nodes = Array.from({ length: n }, (_, i) => ({ id: 10 + i, position: at(i * 37, (i * 53) % 200) }));
    const edges: GraphEdgeInput[] = [];
    for (let i = 1; i < n; i++) edges.push({ id: edges.length + 1, source: 10 + i - 1, target: 10 + i, lengthM: chain[i] });
    for (const [a, b, len] of extra) edges.push({ id: edges.length + 1, source: 10 + (a % n), target: 10 + (b % n), lengthM: len });
    return buildGraph(nodes, edges);
  });

/** Floyd–Warshall: the brute-force reference. */
function allPairs(g: ReturnType<typeof lattice>): number[][] {
  const n = g.nodeCount;
  const d = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 0 : Infinity)));
  for (let e = 0; e < g.edgeCount; e++) {
    const [s, t, len] = [g.edgeSource[e], g.edgeTarget[e], g.edgeLength[e]];
    d[s][t] = Math.min(d[s][t], len);
    d[t][s] = Math.min(d[t][s], len);
  }
  for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (d[i][k] + d[k][j] < d[i][j]) d[i][j] = d[i][k] + d[k][j];
  return d;
}

describe('Dijkstra', () => {
  it('matches Floyd–Warshall, is symmetric and obeys the triangle inequality', () => {
    fc.assert(
      fc.property(randomGraph, (g) => {
        const ref = allPairs(g);
        const d = Array.from({ length: g.nodeCount }, (_, i) => Array.from(shortestPaths(g, [{ node: i, distance: 0 }]).dist));
        const bad: string[] = [];
        for (let i = 0; i < g.nodeCount; i++) {
          for (let j = 0; j < g.nodeCount; j++) {
            if (Math.abs(d[i][j] - ref[i][j]) > 1e-6) bad.push(`d(${i},${j}) ${d[i][j]} ≠ ${ref[i][j]}`);
            if (Math.abs(d[i][j] - d[j][i]) > 1e-6) bad.push(`asymmetric ${i},${j}`);
            for (let k = 0; k < g.nodeCount; k++) if (d[i][k] > d[i][j] + d[j][k] + 1e-6) bad.push(`triangle ${i},${j},${k}`);
          }
        }
        expect(bad).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it('respects the cutoff: settles exactly the nodes within it, with their true distances', () => {
    fc.assert(
      fc.property(randomGraph, fc.nat(), fc.double({ min: 0, max: 800, noNaN: true }), (g, s, cutoff) => {
        const src = s % g.nodeCount;
        const full = shortestPaths(g, [{ node: src, distance: 0 }]).dist.slice();
        const cut = shortestPaths(g, [{ node: src, distance: 0 }], cutoff);
        for (let v = 0; v < g.nodeCount; v++) {
          if (full[v] <= cutoff) expect(cut.dist[v]).toBeCloseTo(full[v], 9);
          else expect(cut.dist[v]).toBe(Infinity);
        }
        expect([...cut.settled].every((v) => cut.dist[v] <= cutoff)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('multi-source distance is the minimum over the single sources', () => {
    fc.assert(
      fc.property(randomGraph, fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), (g, raw) => {
        const srcs = raw.map((r) => r % g.nodeCount);
        const multi = shortestPaths(g, srcs.map((node) => ({ node, distance: 0 }))).dist.slice();
        const singles = srcs.map((node) => shortestPaths(g, [{ node, distance: 0 }]).dist.slice());
        for (let v = 0; v < g.nodeCount; v++) expect(multi[v]).toBeCloseTo(Math.min(...singles.map((d) => d[v])), 9);
      }),
    );
  });
});

describe('snapping', () => {
  const g = lattice(5, 5, 100);
  const index = buildEdgeIndex(g);

  it('finds the nearest edge and the offset along it', () => {
    const s = index.nearest(...at(130, 8))!;
    expect(s.distanceM).toBeCloseTo(8, 0);
    expect(g.edgeIds[s.edge]).toBeGreaterThan(0);
    expect(Math.abs(s.offsetM - 30) < 0.5 || Math.abs(s.offsetM - 70) < 0.5).toBe(true);
  });

  it('agrees with a brute-force search, and refuses points beyond the limit', () => {
    fc.assert(
      fc.property(fc.double({ min: -300, max: 700, noNaN: true }), fc.double({ min: -300, max: 700, noNaN: true }), (x, y) => {
        const s = index.nearest(...at(x, y))!;
        const cx = Math.min(400, Math.max(0, x));
        const cy = Math.min(400, Math.max(0, y));
        // Nearest lattice line: distance to the nearest vertical or horizontal street.
        const toV = Math.hypot(Math.min(...[0, 100, 200, 300, 400].map((v) => Math.abs(cx - v))), cy - y) + Math.abs(cx - x);
        const toH = Math.hypot(Math.min(...[0, 100, 200, 300, 400].map((v) => Math.abs(cy - v))), cx - x) + Math.abs(cy - y);
        const inside = x >= 0 && x <= 400 && y >= 0 && y <= 400;
        if (inside) expect(s.distanceM).toBeCloseTo(Math.min(toV, toH), 1);
        expect(index.nearest(...at(x, y), s.distanceM - 1)).toBeNull();
      }),
    );
  });
});

describe('isochrone, nearest, coverage', () => {
  const g = lattice(21, 21, 50); // 1 km × 1 km
  const index = buildEdgeIndex(g);
  const start = index.nearest(...at(500, 510))!;

  it('builds nested band polygons from the reached streets, not circles', () => {
    const { bands } = isochrone(g, start, { minutes: [2, 5], speedMPerMin: 60 });
    const [small, big] = bands.map((b) => area(b.polygon!));
    expect(small).toBeLessThan(big);
    // On a street lattice the reachable set is a diamond: area ≈ 2·r² (+ corridor), far below π·r².
    expect(big).toBeLessThan(Math.PI * 300 * 300 * 0.85);
    expect(big).toBeGreaterThan(2 * 300 * 300 * 0.9);
    expect(bands[1].networkM).toBeGreaterThan(bands[0].networkM);
  });

  it('corridor polygon of one straight line has the area of a stadium', () => {
    const poly = corridorPolygon([[at(0, 0), at(200, 0)]], 20)!;
    expect(area(poly)).toBeCloseTo(2 * 20 * 200 + Math.PI * 400, -2);
  });

  it('the k nearest are sorted, exact and routed from start to target', () => {
    const targets = [at(900, 900), at(520, 500), at(0, 0), at(500, 800)].map((p, i) => ({ i, position: index.nearest(...p)! }));
    const hits = nearestTargets(g, start, targets, 3, { firstCutoffM: 100 });
    expect(hits.map((h) => h.target.i)).toEqual([1, 3, 0]);
    for (const h of hits) expect(h.distanceM).toBeCloseTo(networkDistance(g, start, h.target.position), 6);
    const line = hits[0].route;
    expect(line[0][0]).toBeCloseTo(start.point[0], 6);
    expect(line[line.length - 1][0]).toBeCloseTo(targets[1].position.point[0], 6);
  });

  it('coverage from all facilities at once equals the nearest single-facility distance', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 1000 })), { minLength: 1, maxLength: 5 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 1000 })), { minLength: 1, maxLength: 8 }),
        (fs, ps) => {
          const facilities = fs.map(([x, y]) => index.nearest(...at(x, y))!);
          const places = ps.map(([x, y]) => index.nearest(...at(x, y))!);
          const { distance } = distancesToNearest(g, facilities, places, 500);
          places.forEach((p, k) => {
            const ref = Math.min(...facilities.map((f) => networkDistance(g, f, p)));
            if (ref <= 500) expect(distance[k]).toBeCloseTo(ref, 6);
            else expect(distance[k]).toBe(Infinity);
          });
        },
      ),
      { numRuns: 40 },
    );
  });

  it('greedy sites pick the heaviest cluster first and never count a place twice', () => {
    const places = [
      ...[at(100, 100), at(120, 100), at(100, 150)].map((p) => ({ position: index.nearest(...p)!, weight: 100 })),
      ...[at(900, 900)].map((p) => ({ position: index.nearest(...p)!, weight: 50 })),
    ];
    const candidates = Array.from({ length: g.nodeCount }, (_, node) => ({ node }));
    const picked = greedySites(g, places, candidates, 300, 3);
    expect(picked.map((p) => p.gain)).toEqual([300, 50]);
    expect(new Set(picked.flatMap((p) => p.places)).size).toBe(4);
  });
});

describe('topology', () => {
  it('reports disconnected pieces, the biggest first', () => {
    const g = buildGraph(
      [1, 2, 3, 4, 5, 6].map((id) => ({ id, position: at(id * 10, 0) })),
      [{ id: 1, source: 1, target: 2, lengthM: 10 }, { id: 2, source: 2, target: 3, lengthM: 10 }, { id: 3, source: 4, target: 5, lengthM: 10 }],
    );
    const r = checkTopology(g);
    expect(r.components).toBe(3);
    expect(r.isolatedNodes).toBe(1);
    expect(r.pieces.map((p) => p.nodes)).toEqual([3, 2, 1]);
    expect(checkTopology(lattice(3, 3)).components).toBe(1);
  });
});
