/**
 * Marching squares on a scalar field sampled at grid points: the closed contour rings of
 * `value < 0`, oriented the GeoJSON way (outer rings counter-clockwise, holes clockwise) and
 * assembled into polygons. Works in the grid's own coordinates; the caller maps points out.
 *
 * The field must be ≥ 0 on its border row/column so every ring closes inside the grid.
 */

/** Values at (w+1)×(h+1) grid points, row-major: value(i, j) = values[j * (w + 1) + i]. */
export interface ScalarGrid { w: number; h: number; values: Float32Array | Float64Array }

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

function traceRings({ w, h, values }: ScalarGrid): Ring[] {
  const stride = w + 1;
  const v = (i: number, j: number) => values[j * stride + i];
  const next = new Map<number, number>();
  const point = new Map<number, [number, number]>();
  // Crossing on the grid edge from corner A to corner B; key identifies the edge uniquely.
  const crossing = (ia: number, ja: number, ib: number, jb: number): number => {
    const horizontal = ja === jb;
    const i0 = Math.min(ia, ib);
    const j0 = Math.min(ja, jb);
    const key = 2 * (j0 * stride + i0) + (horizontal ? 0 : 1);
    if (!point.has(key)) {
      const va = v(ia, ja);
      const vb = v(ib, jb);
      const t = va / (va - vb);
      point.set(key, [ia + t * (ib - ia), ja + t * (jb - ja)]);
    }
    return key;
  };
  const ci = [0, 1, 1, 0];
  const cj = [0, 0, 1, 1];
  for (let j = 0; j < h; j++) {
    for (let i = 0; i < w; i++) {
      const inside = [v(i, j) < 0, v(i + 1, j) < 0, v(i + 1, j + 1) < 0, v(i, j + 1) < 0];
      if (inside[0] === inside[1] && inside[1] === inside[2] && inside[2] === inside[3]) continue;
      // Crossings in counter-clockwise order around the cell; entry = outside → inside.
      const xs: { key: number; entry: boolean }[] = [];
      for (let k = 0; k < 4; k++) {
        const l = (k + 1) % 4;
        if (inside[k] === inside[l]) continue;
        xs.push({ key: crossing(i + ci[k], j + cj[k], i + ci[l], j + cj[l]), entry: !inside[k] });
      }
      const n = xs.length;
      if (n === 2) {
        const exit = xs[0].entry ? xs[1] : xs[0];
        const entry = xs[0].entry ? xs[0] : xs[1];
        next.set(exit.key, entry.key);
        continue;
      }
      // Saddle: the centre decides whether the two inside corners connect.
      const centreInside = (v(i, j) + v(i + 1, j) + v(i + 1, j + 1) + v(i, j + 1)) / 4 < 0;
      for (let k = 0; k < 4; k++) {
        if (xs[k].entry) continue;
        const to = centreInside ? xs[(k + 1) % 4] : xs[(k + 3) % 4];
        next.set(xs[k].key, to.key);
      }
    }
  }
  const rings: Ring[] = [];
  for (const start of next.keys()) {
    if (!point.has(start) || !next.has(start)) continue;
    const ring: Ring = [];
    let k = start;
    while (next.has(k)) {
      ring.push(point.get(k)!);
      const n = next.get(k)!;
      next.delete(k);
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

export function pointInRing(p: [number, number], ring: Ring): boolean {
  let inside = false;
  for (let a = 0, b = ring.length - 1; a < ring.length; b = a++) {
    const [xa, ya] = ring[a];
    const [xb, yb] = ring[b];
    if (ya > p[1] !== yb > p[1] && p[0] < ((xb - xa) * (p[1] - ya)) / (yb - ya) + xa) inside = !inside;
  }
  return inside;
}
