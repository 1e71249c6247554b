/**
 * GeoJSON geometry → hex WKB (little-endian, 2D), for sending big geometries to PostGIS: a 1M-vertex
 * outline is one 32 MB hex token that PostgreSQL's JSON parser skips over and ST_GeomFromWKB reads
 * as raw doubles, instead of 25 MB of JSON numbers that both the JSON and the GeoJSON parser must
 * tokenise (seconds each on a loaded machine).
 */
import type { Geometry, Position } from 'geojson';

const CODE: Record<Geometry['type'], number> = {
  Point: 1, LineString: 2, Polygon: 3, MultiPoint: 4, MultiLineString: 5, MultiPolygon: 6, GeometryCollection: 7,
};

function size(g: Geometry): number {
  const pts = (n: number) => 4 + 16 * n;
  switch (g.type) {
    case 'Point': return 5 + 16;
    case 'LineString': return 5 + pts(g.coordinates.length);
    case 'Polygon': return 5 + 4 + g.coordinates.reduce((s, r) => s + pts(r.length), 0);
    case 'MultiPoint': return 5 + 4 + g.coordinates.length * 21;
    case 'MultiLineString': return 5 + 4 + g.coordinates.reduce((s, l) => s + 5 + pts(l.length), 0);
    case 'MultiPolygon': return 5 + 4 + g.coordinates.reduce((s, p) => s + size({ type: 'Polygon', coordinates: p }), 0);
    case 'GeometryCollection': return 5 + 4 + g.geometries.reduce((s, x) => s + size(x), 0);
  }
}

class Writer {
  readonly view: DataView;
  pos = 0;
  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  head(type: number) {
    this.view.setUint8(this.pos, 1);
    this.view.setUint32(this.pos + 1, type, true);
    this.pos += 5;
  }
  u32(n: number) {
    this.view.setUint32(this.pos, n, true);
    this.pos += 4;
  }
  point(p: Position) {
    this.view.setFloat64(this.pos, p[0], true);
    this.view.setFloat64(this.pos + 8, p[1], true);
    this.pos += 16;
  }
  points(ps: Position[]) {
    this.u32(ps.length);
    for (const p of ps) this.point(p);
  }
}

function write(w: Writer, g: Geometry): void {
  w.head(CODE[g.type]);
  switch (g.type) {
    case 'Point': return w.point(g.coordinates);
    case 'LineString': return w.points(g.coordinates);
    case 'Polygon':
      w.u32(g.coordinates.length);
      for (const r of g.coordinates) w.points(r);
      return;
    case 'MultiPoint':
      w.u32(g.coordinates.length);
      for (const p of g.coordinates) write(w, { type: 'Point', coordinates: p });
      return;
    case 'MultiLineString':
      w.u32(g.coordinates.length);
      for (const l of g.coordinates) write(w, { type: 'LineString', coordinates: l });
      return;
    case 'MultiPolygon':
      w.u32(g.coordinates.length);
      for (const p of g.coordinates) write(w, { type: 'Polygon', coordinates: p });
      return;
    case 'GeometryCollection':
      w.u32(g.geometries.length);
      for (const x of g.geometries) write(w, x);
  }
}

/** Hex WKB of a 2D geometry whose positions are all finite (checked by geometry.ts beforehand). */
export function toWkbHex(g: Geometry): string {
  const bytes = new Uint8Array(size(g));
  write(new Writer(bytes), g);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
