/**
 * GeoJSON geometry (already in tile pixels) → MVT 2.1 geometry command integers.
 * Rings get MVT winding: exterior rings positive area by the spec's surveyor formula in tile
 * coordinates (clockwise on screen, y down), holes negative. Degenerate rings and repeated
 * points are dropped; the closing point is never written (ClosePath stands for it).
 */
import type * as GeoJSON from 'geojson';

export const GEOM_POINT = 1;
export const GEOM_LINESTRING = 2;
export const GEOM_POLYGON = 3;

const MOVE_TO = 1;
const LINE_TO = 2;
const CLOSE_PATH = 7;

type Pt = [number, number];

const command = (id: number, count: number) => (count << 3) | (id & 0x7);
const zigzag = (n: number) => (n << 1) ^ (n >> 31);

/** Rounds to integer pixels and removes consecutive duplicates. */
function clean(coords: GeoJSON.Position[]): Pt[] {
  const out: Pt[] = [];
  for (const c of coords) {
    const p: Pt = [Math.round(c[0]), Math.round(c[1])];
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  return out;
}

/** Twice the signed area by the MVT spec's formula (positive = exterior in tile coordinates). */
export function signedArea2(ring: Pt[]): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    sum += ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
  }
  return sum;
}

class Cursor {
  x = 0;
  y = 0;
  readonly out: number[] = [];

  moveTo(points: Pt[]) {
    this.out.push(command(MOVE_TO, points.length));
    this.deltas(points);
  }

  lineTo(points: Pt[]) {
    if (points.length === 0) return;
    this.out.push(command(LINE_TO, points.length));
    this.deltas(points);
  }

  closePath() {
    this.out.push(command(CLOSE_PATH, 1));
  }

  private deltas(points: Pt[]) {
    for (const [x, y] of points) {
      this.out.push(zigzag(x - this.x), zigzag(y - this.y));
      this.x = x;
      this.y = y;
    }
  }
}

function ringPoints(ring: GeoJSON.Position[], exterior: boolean): Pt[] | null {
  const pts = clean(ring);
  if (pts.length > 1 && pts[0][0] === pts[pts.length - 1][0] && pts[0][1] === pts[pts.length - 1][1]) pts.pop();
  if (pts.length < 3) return null;
  const area = signedArea2(pts);
  if (area === 0) return null;
  if (exterior !== area > 0) pts.reverse();
  return pts;
}

function encodePolygons(polygons: GeoJSON.Position[][][], cur: Cursor) {
  for (const polygon of polygons) {
    const outer = polygon[0] ? ringPoints(polygon[0], true) : null;
    if (!outer) continue; // a polygon whose exterior collapsed takes its holes with it
    for (const [i, ring] of polygon.entries()) {
      const pts = i === 0 ? outer : ringPoints(ring, false);
      if (!pts) continue;
      cur.moveTo([pts[0]]);
      cur.lineTo(pts.slice(1));
      cur.closePath();
    }
  }
}

function encodeLines(lines: GeoJSON.Position[][], cur: Cursor) {
  for (const line of lines) {
    const pts = clean(line);
    if (pts.length < 2) continue;
    cur.moveTo([pts[0]]);
    cur.lineTo(pts.slice(1));
  }
}

function encodePoints(points: GeoJSON.Position[], cur: Cursor) {
  const pts = points.map((p): Pt => [Math.round(p[0]), Math.round(p[1])]);
  if (pts.length) cur.moveTo(pts);
}

/**
 * Encodes one geometry. Returns the MVT geometry type and commands, or null when nothing of it
 * survives (empty, collapsed). Geometry collections are not valid MVT features and return null.
 */
export function geometryCommands(g: GeoJSON.Geometry): { type: number; commands: number[] } | null {
  const cur = new Cursor();
  let type: number;
  switch (g.type) {
    case 'Point':
      type = GEOM_POINT;
      if (g.coordinates.length >= 2) encodePoints([g.coordinates], cur);
      break;
    case 'MultiPoint':
      type = GEOM_POINT;
      encodePoints(g.coordinates, cur);
      break;
    case 'LineString':
      type = GEOM_LINESTRING;
      encodeLines([g.coordinates], cur);
      break;
    case 'MultiLineString':
      type = GEOM_LINESTRING;
      encodeLines(g.coordinates, cur);
      break;
    case 'Polygon':
      type = GEOM_POLYGON;
      encodePolygons([g.coordinates], cur);
      break;
    case 'MultiPolygon':
      type = GEOM_POLYGON;
      encodePolygons(g.coordinates, cur);
      break;
    default:
      return null;
  }
  return cur.out.length ? { type, commands: cur.out } : null;
}
