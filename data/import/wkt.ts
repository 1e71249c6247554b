/**
 * Well-known text geometries (POINT, LINESTRING, POLYGON and their MULTI forms), as found in a
 * CSV or spreadsheet column exported from a GIS ("WKT", "geom", "the_geom"). Tables have no
 * geometry of their own, so a column whose values all read as WKT becomes the records' geometry
 * (read-file.ts) and every layer with geometries accepts CSV/XLSX that way.
 */
import type { Geometry } from 'geojson';

/** Header names that hold WKT, compared in lower case. */
export const WKT_COLUMNS = ['wkt', 'geom', 'geometry', 'the_geom', 'shape', '几何', '空间信息'];

type Nested = number[] | Nested[];

const TYPES: Record<string, { type: Geometry['type']; depth: number }> = {
  POINT: { type: 'Point', depth: 1 },
  LINESTRING: { type: 'LineString', depth: 2 },
  POLYGON: { type: 'Polygon', depth: 3 },
  MULTIPOINT: { type: 'MultiPoint', depth: 2 },
  MULTILINESTRING: { type: 'MultiLineString', depth: 3 },
  MULTIPOLYGON: { type: 'MultiPolygon', depth: 4 },
};

/** Parses `( … )` lists of coordinate tuples; a tuple is space-separated numbers (Z/M dropped). */
function parseList(text: string, at: { i: number }): Nested {
  const skip = () => { while (/\s/.test(text[at.i] ?? '')) at.i++; };
  skip();
  if (text[at.i] !== '(') throw new Error('expected (');
  at.i++;
  const items: Nested[] = [];
  for (;;) {
    skip();
    if (text[at.i] === '(') items.push(parseList(text, at));
    else {
      const m = /^[-+0-9.eE]+(\s+[-+0-9.eE]+)+/.exec(text.slice(at.i));
      if (!m) throw new Error('expected a coordinate');
      const nums = m[0].trim().split(/\s+/).map(Number);
      if (nums.some((n) => !Number.isFinite(n))) throw new Error('not a number');
      items.push(nums.slice(0, 2));
      at.i += m[0].length;
    }
    skip();
    if (text[at.i] === ',') { at.i++; continue; }
    if (text[at.i] === ')') { at.i++; return items as Nested; }
    throw new Error('expected , or )');
  }
}

const depthOf = (n: unknown): number => (Array.isArray(n) ? 1 + (typeof n[0] === 'number' ? 0 : depthOf(n[0])) : 0);

/** The geometry of a WKT string (an optional `SRID=…;` prefix is ignored), or null when it is not WKT. */
export function parseWkt(value: unknown): Geometry | null {
  if (typeof value !== 'string') return null;
  const text = value.trim().replace(/^SRID=\d+;/i, '');
  const head = /^([A-Za-z]+)\s*(?:Z|M|ZM)?\s*/.exec(text);
  const spec = head ? TYPES[head[1].toUpperCase()] : undefined;
  if (!head || !spec) return null;
  try {
    const at = { i: head[0].length };
    let coords = parseList(text, at);
    if (text.slice(at.i).trim()) return null;
    if (spec.type === 'Point') coords = (coords as number[][])[0];
    // MULTIPOINT (1 2, 3 4) and MULTIPOINT ((1 2), (3 4)) are both valid.
    if (spec.type === 'MultiPoint') coords = (coords as Nested[]).map((c) => (depthOf(c) === 2 ? (c as number[][])[0] : c)) as Nested;
    if (depthOf(coords) !== spec.depth) return null;
    return { type: spec.type, coordinates: coords } as Geometry;
  } catch {
    return null;
  }
}
