/**
 * Marching squares on a scalar field sampled at grid points: the closed contour rings of
 * `value < 0`, oriented the GeoJSON way (outer rings counter-clockwise, holes clockwise) and
 * assembled into polygons. Works in the grid's own coordinates; the caller maps points out.
 *
 * The field must be ≥ 0 on its border row/column so every ring closes inside the grid.
 */

/**
 * Values at (w+1)×(h+1) grid points, row-major: value(i, j) = values[j * (w + 1) + i]. Inside is
 * `value < level` (level 0 by default). With `squared`, the values are squared distances and the
 * contour is the one of their square roots at √level: crossings are interpolated on the distances,
 * but only the grid points next to a crossing pay for a square root.
 */
export interface ScalarGrid {
  w: number;
  h: number;
  values: Float32Array | Float64Array;
  level?: number;
  squared?: boolean;
  /** Only cells [i0, i1) × [j0, j1) are examined (the rest must be outside); default: all. */
  window?: { i0: number; i1: number; j0: number; j1: number };
}

export type Ring = [number, number][];
/** A polygon as an outer ring followed by its holes. */
export type PolygonRings = Ring[];

export function contourPolygons(grid: ScalarGrid): PolygonRings[] {
  const rings = traceRings(grid);
  const outers: { ring: Ring; area: number; holes: Ring[] }[] = [];
  const holes: Ring[] = [];
  for (const r of rings) {
    const a = signedArea(r);
    if (a > 0) outers.push({ ring: r, area: a, holes: [] });
    else if (a < 0) holes.push(r);
  }
  outers.sort((x, y) => x.area - y.area);
  for (const h of holes) {
    // The smallest outer ring containing a hole's vertex is the one it belongs to.
    const owner = outers.find((o) => pointInRing(h[0], o.ring));
    owner?.holes.push(h);
  }
  return outers.map((o) => [o.ring, ...o.holes]);
}

/**
 * Ring tracing with flat typed arrays: a crossing is keyed by the grid edge it lies on
 * (2·(j·stride + i) + 0 for the horizontal edge right of point (i, j), + 1 for the vertical one
 * above it), `next[key]` links each crossing to the following one of its ring (-1: none), and a
 * crossing's position is interpolated from the grid when the ring is read out.
 */
function traceRings({ w, h, values, level = 0, squared = false, window }: ScalarGrid): Ring[] {
  const stride = w + 1;
  const { i0, i1, j0, j1 } = window ?? { i0: 0, i1: w, j0: 0, j1: h };
  const next = new Int32Array(2 * stride * (h + 1)).fill(-1);
  const linked: number[] = [];
  const link = (from: number, to: number) => {
    next[from] = to;
    linked.push(from);
  };
  const key = (i: number, j: number, vertical: 0 | 1) => 2 * (j * stride + i) + vertical;
  // The four cell sides counter-clockwise from the bottom: bottom, right, top, left.
  const sides = new Int32Array(4);
  const xs = new Int32Array(4);
  const entries = new Uint8Array(4);
  const inside = [false, false, false, false];
  const field = (v: number) => (squared ? Math.sqrt(v) - Math.sqrt(level) : v - level);
  for (let j = j0; j < j1; j++) {
    const row = j * stride;
    for (let i = i0; i < i1; i++) {
      const v0 = values[row + i];
      const v1 = values[row + i + 1];
      const v2 = values[row + stride + i + 1];
      const v3 = values[row + stride + i];
      const a0 = v0 < level;
      if (a0 === v1 < level && a0 === v2 < level && a0 === v3 < level) continue;
      inside[0] = a0;
      inside[1] = v1 < level;
      inside[2] = v2 < level;
      inside[3] = v3 < level;
      sides[0] = key(i, j, 0);
      sides[1] = key(i + 1, j, 1);
      sides[2] = key(i, j + 1, 0);
      sides[3] = key(i, j, 1);
      // Crossings in counter-clockwise order around the cell; entry = outside → inside.
      let n = 0;
      for (let k = 0; k < 4; k++) {
        const l = (k + 1) & 3;
        if (inside[k] === inside[l]) continue;
        xs[n] = sides[k];
        entries[n] = inside[k] ? 0 : 1;
        n++;
      }
      if (n === 2) {
        if (entries[0]) link(xs[1], xs[0]);
        else link(xs[0], xs[1]);
        continue;
      }
      // Saddle: the centre decides whether the two inside corners connect.
      const centreInside = (field(v0) + field(v1) + field(v2) + field(v3)) / 4 < 0;
      for (let k = 0; k < 4; k++) {
        if (entries[k]) continue;
        link(xs[k], centreInside ? xs[(k + 1) % 4] : xs[(k + 3) % 4]);
      }
    }
  }
  const point = (k: number): [number, number] => {
    const vertical = k & 1;
    const o = k >> 1;
    const i = o % stride;
    const j = (o - i) / stride;
    const va = field(values[o]);
    const vb = field(values[vertical ? o + stride : o + 1]);
    const t = va / (va - vb);
    return vertical ? [i, j + t] : [i + t, j];
  };
  const rings: Ring[] = [];
  for (const start of linked) {
    if (next[start] < 0) continue;
    const ring: Ring = [];
    let k = start;
    while (next[k] >= 0) {
      ring.push(point(k));
      const n = next[k];
      next[k] = -1;
      k = n;
    }
    if (ring.length >= 3) {
      ring.push([ring[0][0], ring[0][1]]);
      rings.push(ring);
    }
  }
  return rings;
}

export function signedArea(ring: Ring): number {
  let a = 0;
  for (let k = 0; k < ring.length - 1; k++) a += ring[k][0] * ring[k + 1][1] - ring[k + 1][0] * ring[k][1];
  return a / 2;
}

/** Ray-casting point-in-ring test in the ring's plane (any [x, y] positions: lng/lat, metres). */
export function pointInRing(p: readonly number[], ring: readonly (readonly number[])[]): boolean {
  let inside = false;
  for (let a = 0, b = ring.length - 1; a < ring.length; b = a++) {
    const [xa, ya] = ring[a];
    const [xb, yb] = ring[b];
    if (ya > p[1] !== yb > p[1] && p[0] < ((xb - xa) * (p[1] - ya)) / (yb - ya) + xa) inside = !inside;
  }
  return inside;
}
