/**
 * An isochrone's reached network as compact lines (issue #17): for each band, the stretches of
 * street first reached within its budget — band k's reach minus band k−1's — as integer
 * coordinates. This is what `GET /api/isochrone?geometry=lines` sends and what every band polygon
 * is drawn from ({@link bandPolygonsFromLines}), on the server for the default polygon answer and
 * in the browser for the lines answer: both run the same code on the same integers, so the two
 * answers draw the same shape to the bit.
 *
 * Encoding ({@link BandLines}): coordinates on a lattice of 1/`scale` degrees (scale 1e6 ≈ 0.1 m,
 * far under the 10 m grid the polygons are drawn on). A line is one flat array
 * `[x0, y0, dx1, dy1, dx2, dy2, …]`: the first point counted from `origin`, every next one from the
 * point before (small numbers: a few characters each in JSON). A line of one point is a stretch of
 * zero length (a start exactly at a dead end): its corridor is a disc.
 *
 * What is reached of an edge within budget B (as {@link reachedPieces} has it): from each end
 * reached at distance d, the first B − d metres; on the start's own edge, B metres either way of
 * the start. One pass over the edges at the settled nodes computes every band at once — no pieces,
 * maps or sliced polylines in between (this is the whole server-side work of the lines answer
 * after Dijkstra).
 */
import type { ShortestPaths } from './dijkstra.js';
import { type EdgePosition, slicePolyline } from './edge-position.js';
import type { LngLat, RoutingGraph } from './graph.js';

/** Lattice units per degree. */
export const LINE_SCALE = 1e6;

export interface BandLines {
  /** Origin of the integer coordinates, in degrees (a lattice point). */
  origin: [number, number];
  /** Lattice units per degree. */
  scale: number;
  /** Per band, in increasing budget: the lines first reached in that band. */
  bands: number[][][];
}

/**
 * The lines each band adds (budgets in increasing order, each ≤ the paths' cutoff), encoded about
 * the start's point on its edge, and each band's network length in metres (what it reaches in
 * all, by the edges' stored lengths).
 *
 * Written without closures in the loops: under tsx (esbuild's keepNames) every closure created
 * is also named by a defineProperty call, which took half of this function's time.
 */
export function reachedBandLines(
  g: RoutingGraph,
  sp: ShortestPaths,
  budgets: readonly number[],
  start: EdgePosition,
): { lines: BandLines; networkM: number[] } {
  const [origin] = slicePolyline(g, start.edge, start.offsetM, start.offsetM);
  const w: Walk = {
    g, sp, budgets, start,
    ox: Math.round(origin[0] * LINE_SCALE),
    oy: Math.round(origin[1] * LINE_SCALE),
    kx: Math.cos((origin[1] * Math.PI) / 180),
    bands: budgets.map(() => []),
    networkM: budgets.map(() => 0),
    seen: edgeMarks(g),
    cur: new Float64Array(6),
    prev: new Float64Array(6),
    added: new Float64Array(12),
  };
  const maxBudget = budgets[budgets.length - 1] ?? 0;
  for (const u of sp.settled) {
    if (sp.dist[u] > maxBudget) break;
    for (let a = g.adjStart[u]; a < g.adjStart[u + 1]; a++) visitEdge(w, g.adjEdge[a]);
  }
  // The start's own edge is reached from the start even when neither end is.
  visitEdge(w, start.edge);
  return { lines: { origin: [w.ox / LINE_SCALE, w.oy / LINE_SCALE], scale: LINE_SCALE, bands: w.bands }, networkM: w.networkM };
}

/** The state of one {@link reachedBandLines} call. */
interface Walk {
  g: RoutingGraph;
  sp: ShortestPaths;
  budgets: readonly number[];
  start: EdgePosition;
  /** Origin on the lattice, and metres of longitude per metre of latitude there. */
  ox: number;
  oy: number;
  kx: number;
  bands: number[][][];
  networkM: number[];
  /** Edges visited in this call: those whose mark is the call's number. */
  seen: { marks: Uint32Array; call: number };
  /** Reached ranges of the edge, this band's and the previous band's ([from, to] pairs), and what this band adds. */
  cur: Float64Array;
  prev: Float64Array;
  added: Float64Array;
}

/** Adds what each band reaches of edge e (once per edge). */
function visitEdge(w: Walk, e: number) {
  if (w.seen.marks[e] === w.seen.call) return;
  w.seen.marks[e] = w.seen.call;
  const { g, sp, budgets, added } = w;
  const len = g.edgeLength[e];
  const dS = sp.dist[g.edgeSource[e]];
  const dT = sp.dist[g.edgeTarget[e]];
  const startAt = w.start.edge === e ? w.start.offsetM : -1;
  let { cur, prev } = w;
  let nPrev = 0;
  for (let k = 0; k < budgets.length; k++) {
    const B = budgets[k];
    const nCur = reachedRanges(len, B - dS, B - dT, startAt, B, cur);
    for (let r = 0; r < nCur; r += 2) w.networkM[k] += cur[r + 1] - cur[r];
    const nAdded = subtractRanges(cur, nCur, prev, nPrev, added);
    for (let r = 0; r < nAdded; r += 2) w.bands[k].push(encodeStretch(w, e, added[r], added[r + 1]));
    [cur, prev] = [prev, cur];
    nPrev = nCur;
  }
}

/** The stretch [a, b] metres of edge e as one encoded line (positions planar-proportional). */
function encodeStretch({ g, ox, oy, kx }: Walk, e: number, a: number, b: number): number[] {
  const c = g.coords;
  const s0 = g.geomStart[e];
  const s1 = g.geomStart[e + 1];
  let total = 0;
  for (let p = s0; p < s1 - 1; p++) total += planar(c, p, kx);
  const len = g.edgeLength[e];
  const scale = len > 0 && total > 0 ? total / len : 0;
  const from = a * scale;
  const to = b * scale;
  const line: number[] = [];
  let px = ox;
  let py = oy;
  if (s1 - s0 === 1 || scale === 0) {
    line.push(Math.round(c[2 * s0] * LINE_SCALE) - ox, Math.round(c[2 * s0 + 1] * LINE_SCALE) - oy);
    return line;
  }
  let acc = 0;
  for (let p = s0; p < s1 - 1; p++) {
    const ax = c[2 * p], ay = c[2 * p + 1], bx = c[2 * p + 2], by = c[2 * p + 3];
    const s = planar(c, p, kx);
    const next = acc + s;
    // The segment [acc, next] meets [from, to]: the stretch's first point (on the first such
    // segment), then the segment's end or the stretch's, whichever comes first.
    if (next >= from && acc <= to) {
      for (let end = line.length === 0 ? 0 : 1; end < 2; end++) {
        const t = s === 0 ? 0 : end === 0 ? Math.max(0, (from - acc) / s) : Math.min(1, (to - acc) / s);
        const x = Math.round((ax + t * (bx - ax)) * LINE_SCALE);
        const y = Math.round((ay + t * (by - ay)) * LINE_SCALE);
        // Repeated lattice points add nothing (but a line keeps its first point).
        if (line.length > 0 && x === px && y === py) continue;
        line.push(x - px, y - py);
        px = x;
        py = y;
      }
    }
    acc = next;
    if (acc >= to) break;
  }
  return line;
}

/**
 * The reached ranges of an edge of length `len` into `out` (sorted, merged [from, to] pairs): the
 * first `fromSource` metres, the last `fromTarget` metres (each when ≥ 0), and `budget` metres
 * either way of `startAt` when the start lies on this edge (startAt ≥ 0). They come in increasing
 * start order: the source end, the start's, the target end. Returns how many numbers were written.
 */
function reachedRanges(len: number, fromSource: number, fromTarget: number, startAt: number, budget: number, out: Float64Array): number {
  let n = 0;
  if (fromSource >= 0) n = mergeRange(out, n, 0, Math.min(len, fromSource));
  if (startAt >= 0) n = mergeRange(out, n, Math.max(0, startAt - budget), Math.min(len, startAt + budget));
  if (fromTarget >= 0) n = mergeRange(out, n, Math.max(0, len - fromTarget), len);
  return n;
}

/** Appends [a, b] to the n numbers of `out`, merged with the last range if they meet; the new n. */
function mergeRange(out: Float64Array, n: number, a: number, b: number): number {
  if (n > 0 && a <= out[n - 1]) {
    out[n - 1] = Math.max(out[n - 1], b);
    return n;
  }
  out[n] = a;
  out[n + 1] = b;
  return n + 2;
}

/**
 * The parts of the ranges `cur` not covered by `prev` into `out`, and how many numbers that is
 * (both sorted, merged [from, to] pairs; `prev` ⊆ `cur`). A zero-length range not covered counts (a node reached at the budget).
 */
function subtractRanges(cur: Float64Array, nCur: number, prev: Float64Array, nPrev: number, out: Float64Array): number {
  let n = 0;
  for (let r = 0; r < nCur; r += 2) {
    let a = cur[r];
    const b = cur[r + 1];
    let covered = false;
    for (let q = 0; q < nPrev && !covered; q += 2) {
      const pa = prev[q];
      const pb = prev[q + 1];
      if (pb < a || pa > b) continue;
      if (pa > a) {
        out[n++] = a;
        out[n++] = pa;
      }
      if (pb >= b) covered = true;
      else a = pb;
    }
    if (!covered) {
      out[n++] = a;
      out[n++] = b;
    }
  }
  return n;
}

/** Length of segment p → p+1 of `c` in degrees of latitude (longitude scaled by kx); no Math.hypot, which is several times slower. */
function planar(c: Float64Array, p: number, kx: number): number {
  const dx = (c[2 * p + 2] - c[2 * p]) * kx;
  const dy = c[2 * p + 3] - c[2 * p + 1];
  return Math.sqrt(dx * dx + dy * dy);
}

/** One mark per edge of the graph, kept with it, and a new call number (no per-call set of visited edges). */
const marksByGraph = new WeakMap<RoutingGraph, { marks: Uint32Array; call: number }>();
function edgeMarks(g: RoutingGraph): { marks: Uint32Array; call: number } {
  let m = marksByGraph.get(g);
  if (!m || m.call >= 0xfffffffe) marksByGraph.set(g, (m = { marks: new Uint32Array(g.edgeCount), call: 0 }));
  m.call++;
  return m;
}

/** The lines of each band in degrees. */
export function decodeBandLines({ origin, scale, bands }: BandLines): LngLat[][][] {
  const ox = Math.round(origin[0] * scale);
  const oy = Math.round(origin[1] * scale);
  return bands.map((lines) =>
    lines.map((flat) => {
      const line: LngLat[] = [];
      let x = ox;
      let y = oy;
      for (let k = 0; k + 1 < flat.length; k += 2) {
        x += flat[k];
        y += flat[k + 1];
        line.push([x / scale, y / scale]);
      }
      return line;
    }),
  );
}
