/**
 * Delaunay neighbours of planar points (Bowyer–Watson). Two sites are Delaunay neighbours exactly
 * when their Voronoi cells share an edge, so this is where building adjacency starts.
 * Simple O(n²) insertion — communities hold a few hundred buildings; the partitioner calls it once
 * per community. Coincident points are nudged apart by a millimetre so every site gets a cell.
 */
import type { XY } from './project.js';

interface Tri {
  a: number;
  b: number;
  c: number;
  cx: number;
  cy: number;
  r2: number;
  alive: boolean;
}

function circum(p: XY[], a: number, b: number, c: number): Tri {
  const [ax, ay] = p[a];
  const [bx, by] = p[b];
  const [cx, cy] = p[c];
  const d = 2 * (ax * (by - cy) + bx * (cy - ay) + cx * (ay - by));
  if (Math.abs(d) < 1e-12) return { a, b, c, cx: 0, cy: 0, r2: Infinity, alive: true };
  const a2 = ax * ax + ay * ay;
  const b2 = bx * bx + by * by;
  const c2 = cx * cx + cy * cy;
  const ux = (a2 * (by - cy) + b2 * (cy - ay) + c2 * (ay - by)) / d;
  const uy = (a2 * (cx - bx) + b2 * (ax - cx) + c2 * (bx - ax)) / d;
  return { a, b, c, cx: ux, cy: uy, r2: (ax - ux) ** 2 + (ay - uy) ** 2, alive: true };
}

/** Nudges coincident points apart (deterministically) so the triangulation sees distinct sites. */
export function separatePoints(points: readonly XY[]): XY[] {
  const seen = new Set<string>();
  return points.map((p, i) => {
    let q: XY = [p[0], p[1]];
    for (let k = 1; seen.has(`${q[0]},${q[1]}`); k++) q = [p[0] + 0.001 * k * Math.cos(i + k), p[1] + 0.001 * k * Math.sin(i + k)];
    seen.add(`${q[0]},${q[1]}`);
    return q;
  });
}

/** Neighbour lists (sorted, symmetric) of the Delaunay triangulation of distinct points. */
export function delaunayNeighbours(points: readonly XY[]): number[][] {
  const n = points.length;
  const nbr: Set<number>[] = Array.from({ length: n }, () => new Set());
  if (n < 2) return nbr.map(() => []);
  if (n === 2) return [[1], [0]];
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const [x, y] of points) {
    minX = Math.min(minX, x); minY = Math.min(minY, y); maxX = Math.max(maxX, x); maxY = Math.max(maxY, y);
  }
  const span = Math.max(maxX - minX, maxY - minY, 1) * 100;
  const mx = (minX + maxX) / 2;
  const my = (minY + maxY) / 2;
  const p: XY[] = [...points, [mx - span, my - span], [mx + span, my - span], [mx, my + span]];
  let tris: Tri[] = [circum(p, n, n + 1, n + 2)];
  // Insert in x order: the cavity search then mostly meets recent triangles first.
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => p[i][0] - p[j][0] || p[i][1] - p[j][1]);
  for (const i of order) {
    const [x, y] = p[i];
    const edges = new Map<number, [number, number]>();
    const key = (u: number, v: number) => (u < v ? u * (n + 3) + v : v * (n + 3) + u);
    const toggle = (u: number, v: number) => {
      const k = key(u, v);
      if (edges.has(k)) edges.delete(k);
      else edges.set(k, [u, v]);
    };
    for (const t of tris) {
      if ((x - t.cx) ** 2 + (y - t.cy) ** 2 < t.r2 * (1 + 1e-12)) {
        t.alive = false;
        toggle(t.a, t.b);
        toggle(t.b, t.c);
        toggle(t.c, t.a);
      }
    }
    tris = tris.filter((t) => t.alive);
    for (const [u, v] of edges.values()) tris.push(circum(p, u, v, i));
  }
  for (const t of tris) {
    for (const [u, v] of [[t.a, t.b], [t.b, t.c], [t.c, t.a]]) {
      if (u < n && v < n) {
        nbr[u].add(v);
        nbr[v].add(u);
      }
    }
  }
  return nbr.map((s) => [...s].sort((a, b) => a - b));
}
