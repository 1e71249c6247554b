/**
 * GeoJSON geometry (already in tile pixels, y down) → MVT 2.1 geometry command integers
 * (spec §4.3). Kept apart from the protobuf writer so the geometry rules can be tested on the
 * raw command stream.
 *
 * Rules, chosen so any decoder (MapLibre, @mapbox/vector-tile, GDAL) reads the same shapes:
 * - coordinates are rounded to integers; points with a non-finite coordinate are dropped;
 * - repeated consecutive points are dropped (the spec forbids zero-length LineTo);
 * - lines with fewer than 2 distinct points are dropped;
 * - polygon rings: the closing point is never written (ClosePath stands for it); rings with fewer
 *   than 3 points or zero area are dropped; exterior rings are written with positive area by the
 *   spec's surveyor formula in tile coordinates (clockwise on screen), holes with negative area,
 *   whatever the input winding; a polygon whose exterior ring is dropped loses its holes too;
 * - GeometryCollections keep only their parts of the highest dimension that survive (polygons,
 *   else lines, else points), as PostGIS `ST_AsMVTGeom` does, because an MVT feature has exactly
 *   one geometry type.
 */
import type * as GeoJSON from 'geojson';

/** MVT `GeomType` enum values (spec §4.3.4). */
export const GEOM_POINT = 1;
export const GEOM_LINESTRING = 2;
export const GEOM_POLYGON = 3;

export type MvtGeomType = typeof GEOM_POINT | typeof GEOM_LINESTRING | typeof GEOM_POLYGON;

/** One feature's encoded geometry: its type and the packed command/parameter integers. */
export interface EncodedGeometry {
  type: MvtGeomType;
  commands: number[];
}

/**
 * Largest |coordinate| accepted. Parameter integers are zigzag-encoded 32-bit values, so the delta
 * between two coordinates must fit in a signed 32-bit integer; ±2^30 guarantees that. Clipped tile
 * geometry is a few thousand pixels, so anything beyond this is a caller bug, not data to mangle.
 */
export const MAX_TILE_COORD = 2 ** 30 - 1;

const MOVE_TO = 1;
const LINE_TO = 2;
const CLOSE_PATH = 7;

type Pt = [number, number];

/** Command integer: id in the low 3 bits, repeat count above (spec §4.3.1). */
export const commandInteger = (id: number, count: number): number => count * 8 + (id & 0x7);

/** Zigzag encoding of a parameter integer (spec §4.3.2), in plain arithmetic so it never wraps. */
export const zigzag = (n: number): number => (n < 0 ? -2 * n - 1 : 2 * n);

function toPoint(c: GeoJSON.Position): Pt | null {
  const x = Math.round(c[0]);
  const y = Math.round(c[1]);
  if (!Number.isFinite(x) || !Number.isFinite(y)) return null;
  if (Math.abs(x) > MAX_TILE_COORD || Math.abs(y) > MAX_TILE_COORD) {
    throw new RangeError(`MVT coordinate (${c[0]}, ${c[1]}) is outside ±${MAX_TILE_COORD}; clip to the tile first`);
  }
  return [x + 0, y + 0]; // + 0 turns -0 into 0
}

/** Rounds to integer pixels and removes consecutive duplicates. */
function clean(coords: GeoJSON.Position[]): Pt[] {
  const out: Pt[] = [];
  for (const c of coords) {
    const p = toPoint(c);
    if (!p) continue;
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  return out;
}

/**
 * Twice the signed area of a ring by the MVT spec's surveyor formula, Σ (x_i·y_{i+1} − x_{i+1}·y_i),
 * in tile coordinates: positive means exterior ring (clockwise on screen with y down), negative a
 * hole. The ring may or may not repeat its first point. Computed relative to the first point to
 * keep the products small.
 */
export function signedArea2(ring: readonly (readonly [number, number])[]): number {
  if (ring.length < 3) return 0;
  const [x0, y0] = ring[0];
  let sum = 0;
  for (let i = 1; i < ring.length - 1; i++) {
    const ax = ring[i][0] - x0;
    const ay = ring[i][1] - y0;
    const bx = ring[i + 1][0] - x0;
    const by = ring[i + 1][1] - y0;
    sum += ax * by - bx * ay;
  }
  return sum;
}

/** Writes commands with the cursor the spec describes: every parameter is relative to it. */
class Cursor {
  private x = 0;
  private y = 0;
  readonly out: number[] = [];

  moveTo(points: Pt[]) {
    this.out.push(commandInteger(MOVE_TO, points.length));
    this.deltas(points);
  }

  lineTo(points: Pt[]) {
    this.out.push(commandInteger(LINE_TO, points.length));
    this.deltas(points);
  }

  /** ClosePath does not move the cursor (spec §4.3.3.3). */
  closePath() {
    this.out.push(commandInteger(CLOSE_PATH, 1));
  }

  private deltas(points: Pt[]) {
    for (const [x, y] of points) {
      this.out.push(zigzag(x - this.x), zigzag(y - this.y));
      this.x = x;
      this.y = y;
    }
  }
}

/** A ring's distinct points in MVT winding, without the closing point; null if degenerate. */
function ringPoints(ring: GeoJSON.Position[], exterior: boolean): Pt[] | null {
  const pts = clean(ring);
  while (pts.length > 1 && pts[0][0] === pts[pts.length - 1][0] && pts[0][1] === pts[pts.length - 1][1]) pts.pop();
  if (pts.length < 3) return null;
  const area = signedArea2(pts);
  if (area === 0) return null;
  if (exterior !== area > 0) pts.reverse();
  return pts;
}

function encodePolygons(polygons: GeoJSON.Position[][][], cur: Cursor) {
  for (const polygon of polygons) {
    if (!polygon.length) continue;
    const outer = ringPoints(polygon[0], true);
    if (!outer) continue; // a polygon whose exterior collapsed takes its holes with it
    const rings = [outer];
    for (const hole of polygon.slice(1)) {
      const pts = ringPoints(hole, false);
      if (pts) rings.push(pts);
    }
    for (const pts of rings) {
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
  const pts = points.filter((p) => p.length >= 2).map(toPoint).filter((p): p is Pt => p !== null);
  if (pts.length) cur.moveTo(pts);
}

/** The parts of a geometry (collections flattened, recursively) grouped by dimension. */
function partsByDimension(g: GeoJSON.Geometry) {
  const parts = { points: [] as GeoJSON.Position[], lines: [] as GeoJSON.Position[][], polygons: [] as GeoJSON.Position[][][] };
  const visit = (g: GeoJSON.Geometry) => {
    switch (g.type) {
      case 'Point':
        parts.points.push(g.coordinates);
        break;
      case 'MultiPoint':
        parts.points.push(...g.coordinates);
        break;
      case 'LineString':
        parts.lines.push(g.coordinates);
        break;
      case 'MultiLineString':
        parts.lines.push(...g.coordinates);
        break;
      case 'Polygon':
        parts.polygons.push(g.coordinates);
        break;
      case 'MultiPolygon':
        parts.polygons.push(...g.coordinates);
        break;
      case 'GeometryCollection':
        for (const child of g.geometries ?? []) visit(child);
        break;
    }
  };
  visit(g);
  return parts;
}

/**
 * Encodes one geometry into MVT commands. Returns null when nothing of it survives the rules
 * above (empty, collapsed, non-finite), so the caller drops the feature.
 *
 * @throws RangeError when a coordinate exceeds {@link MAX_TILE_COORD} (geometry was not clipped).
 */
export function geometryCommands(g: GeoJSON.Geometry | null | undefined): EncodedGeometry | null {
  if (!g) return null;
  const parts = partsByDimension(g);
  const tries: [MvtGeomType, (cur: Cursor) => void][] = [
    [GEOM_POLYGON, (cur) => encodePolygons(parts.polygons, cur)],
    [GEOM_LINESTRING, (cur) => encodeLines(parts.lines, cur)],
    [GEOM_POINT, (cur) => encodePoints(parts.points, cur)],
  ];
  for (const [type, encode] of tries) {
    const cur = new Cursor();
    encode(cur);
    if (cur.out.length) return { type, commands: cur.out };
  }
  return null;
}
