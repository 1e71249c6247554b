/**
 * Writes a shapefile (.shp/.shx/.dbf/.prj/.cpg) as a zip, with attribute text in a chosen encoding —
 * GBK for the desktop GIS tools common in Chinese offices, or UTF-8 with a .cpg saying so.
 * One geometry kind per file: Point, PolyLine or Polygon (outer rings clockwise, holes counter-
 * clockwise, as the format requires). Used by data/samples; small and dependency-free.
 */
import iconv from 'iconv-lite';
import type { Feature, Position } from 'geojson';
import { writeZip } from './zip-write.js';

export type Kind = 'point' | 'line' | 'polygon';
const SHAPE_TYPE: Record<Kind, number> = { point: 1, line: 3, polygon: 5 };

/** A DBF column: C text, N number (0 decimals and ≤ 9 wide reads as an integer in GDAL/QGIS), L logical (T/F). */
export interface DbfField { name: string; type: 'C' | 'N' | 'L'; length: number; decimals?: number }

const signedArea = (r: Position[]) => r.reduce((s, p, i) => s + (i ? (r[i - 1][0] * p[1] - p[0] * r[i - 1][1]) : 0), 0) / 2;

function partsOf(f: Feature, kind: Kind): Position[][] {
  const g = f.geometry;
  if (kind === 'point') return g.type === 'Point' ? [[g.coordinates]] : [];
  if (kind === 'line') return g.type === 'LineString' ? [g.coordinates] : g.type === 'MultiLineString' ? g.coordinates : [];
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
  return polys.flatMap((rings) => rings.map((r, i) => {
    const cw = signedArea(r) < 0;
    return (i === 0) === cw ? r : [...r].reverse();
  }));
}

function shpAndShx(features: Feature[], kind: Kind): { shp: Uint8Array; shx: Uint8Array } {
  const records = features.map((f) => {
    const parts = partsOf(f, kind);
    const pts = parts.flat();
    const size = kind === 'point' ? 20 : 44 + 4 * parts.length + 16 * pts.length;
    const v = new DataView(new ArrayBuffer(size));
    v.setInt32(0, SHAPE_TYPE[kind], true);
    if (kind === 'point') {
      v.setFloat64(4, pts[0][0], true);
      v.setFloat64(12, pts[0][1], true);
    } else {
      const xs = pts.map((p) => p[0]);
      const ys = pts.map((p) => p[1]);
      [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)].forEach((b, i) => v.setFloat64(4 + 8 * i, b, true));
      v.setInt32(36, parts.length, true);
      v.setInt32(40, pts.length, true);
      let start = 0;
      parts.forEach((part, i) => {
        v.setInt32(44 + 4 * i, start, true);
        start += part.length;
      });
      const base = 44 + 4 * parts.length;
      pts.forEach((p, i) => {
        v.setFloat64(base + 16 * i, p[0], true);
        v.setFloat64(base + 16 * i + 8, p[1], true);
      });
    }
    return new Uint8Array(v.buffer);
  });
  const all = features.flatMap((f) => partsOf(f, kind).flat());
  const bbox = all.length
    ? [Math.min(...all.map((p) => p[0])), Math.min(...all.map((p) => p[1])), Math.max(...all.map((p) => p[0])), Math.max(...all.map((p) => p[1]))]
    : [0, 0, 0, 0];
  const header = (lengthBytes: number) => {
    const h = new DataView(new ArrayBuffer(100));
    h.setInt32(0, 9994, false);
    h.setInt32(24, lengthBytes / 2, false);
    h.setInt32(28, 1000, true);
    h.setInt32(32, SHAPE_TYPE[kind], true);
    bbox.forEach((b, i) => h.setFloat64(36 + 8 * i, b, true));
    return new Uint8Array(h.buffer);
  };
  const shpLen = 100 + records.reduce((s, r) => s + 8 + r.length, 0);
  const shp = new Uint8Array(shpLen);
  const shx = new Uint8Array(100 + 8 * records.length);
  shp.set(header(shpLen), 0);
  shx.set(header(shx.length), 0);
  let off = 100;
  records.forEach((r, i) => {
    const rh = new DataView(shp.buffer, off, 8);
    rh.setInt32(0, i + 1, false);
    rh.setInt32(4, r.length / 2, false);
    shp.set(r, off + 8);
    const xh = new DataView(shx.buffer, 100 + 8 * i, 8);
    xh.setInt32(0, off / 2, false);
    xh.setInt32(4, r.length / 2, false);
    off += 8 + r.length;
  });
  return { shp, shx };
}

function encodeFit(s: string, max: number, encoding: string): Uint8Array {
  let out = iconv.encode(s, encoding);
  let chars = [...s];
  while (out.length > max) {
    chars = chars.slice(0, -1);
    out = iconv.encode(chars.join(''), encoding);
  }
  return out;
}

function dbf(features: Feature[], fields: DbfField[], encoding: string): Uint8Array {
  const recordLen = 1 + fields.reduce((s, f) => s + f.length, 0);
  const headerLen = 32 + 32 * fields.length + 1;
  const out = new Uint8Array(headerLen + recordLen * features.length + 1);
  const v = new DataView(out.buffer);
  const now = new Date();
  v.setUint8(0, 0x03);
  v.setUint8(1, now.getUTCFullYear() - 1900);
  v.setUint8(2, now.getUTCMonth() + 1);
  v.setUint8(3, now.getUTCDate());
  v.setUint32(4, features.length, true);
  v.setUint16(8, headerLen, true);
  v.setUint16(10, recordLen, true);
  v.setUint8(29, /gb|936/i.test(encoding) ? 0x4d : 0x00); // language driver: 936 GBK
  fields.forEach((f, i) => {
    out.set(encodeFit(f.name, 10, encoding), 32 + 32 * i);
    v.setUint8(32 + 32 * i + 11, f.type.charCodeAt(0));
    v.setUint8(32 + 32 * i + 16, f.length);
    v.setUint8(32 + 32 * i + 17, f.decimals ?? 0);
  });
  v.setUint8(headerLen - 1, 0x0d);
  features.forEach((feat, r) => {
    let p = headerLen + r * recordLen;
    out[p++] = 0x20;
    for (const f of fields) {
      out.fill(0x20, p, p + f.length);
      const value = feat.properties?.[f.name];
      if (f.type === 'L') {
        out[p] = value === true ? 0x54 : value === false ? 0x46 : 0x3f; // T, F, ? (not set)
      } else if (value !== null && value !== undefined && value !== '') {
        if (f.type === 'N') {
          const s = typeof value === 'number' ? value.toFixed(f.decimals ?? 0) : String(value);
          const b = iconv.encode(s.slice(-f.length), 'ascii');
          out.set(b, p + f.length - b.length);
        } else {
          out.set(encodeFit(String(value), f.length, encoding), p);
        }
      }
      p += f.length;
    }
  });
  out[out.length - 1] = 0x1a;
  return out;
}

/** Decimal places of a number as JavaScript prints it (1.25 → 2; 1e-7 → 7). */
function decimalsOf(x: number): number {
  const m = /^-?\d*(?:\.(\d+))?(?:e-(\d+))?$/.exec(String(x));
  return m ? (m[1]?.length ?? 0) + Number(m[2] ?? 0) : 6;
}

/** What a column holds, when the caller knows it (e.g. from the database) rather than from the values. */
export type ColumnType = 'integer' | 'number' | 'boolean' | 'string';

/**
 * Fields for a set of features: booleans L(1); whole numbers N(9, 0) — an Integer in GDAL/QGIS —
 * or N(18, 0) when wider; other numbers N(18, d) with as many decimals as the values need (1–6);
 * everything else (and a column with only nulls) C(254). `types` overrides the guess per column, so
 * a ratio that happens to be 1 everywhere is still a Real column (N(18, ≥1)).
 */
export function inferFields(features: Feature[], types: Record<string, ColumnType> = {}, columns: readonly string[] = []): DbfField[] {
  // `columns` first (so a file with no features still has them), then any other property seen.
  const names = new Set<string>(columns);
  for (const f of features) for (const k of Object.keys(f.properties ?? {})) names.add(k);
  return [...names].map((name) => {
    const values = features.map((f) => f.properties?.[name]).filter((x) => x !== null && x !== undefined);
    const nums = values.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
    const numeric = values.length > 0 && nums.length === values.length;
    const type = types[name] ?? (values.length && values.every((x) => typeof x === 'boolean') ? 'boolean'
      : numeric && nums.every((x) => Number.isInteger(x)) ? 'integer' : numeric ? 'number' : 'string');
    if (type === 'boolean') return { name, type: 'L' as const, length: 1 };
    if (type === 'integer') return { name, type: 'N' as const, length: nums.every((x) => String(Math.round(x)).length <= 9) ? 9 : 18, decimals: 0 };
    if (type === 'number') return { name, type: 'N' as const, length: 18, decimals: Math.min(6, Math.max(1, ...nums.map(decimalsOf))) };
    return { name, type: 'C' as const, length: 254 };
  });
}

export interface ShapefileOptions {
  name: string;
  kind: Kind;
  encoding?: 'gbk' | 'utf-8';
  prj?: string;
  fields?: DbfField[];
  /** Column types known to the caller (else guessed from the values); ignored with `fields`. */
  types?: Record<string, ColumnType>;
  /** Columns to write even when no feature has them (a file with no records); ignored with `fields`. */
  columns?: readonly string[];
  cpg?: boolean;
}

/** The files of one shapefile (.shp, .shx, .dbf and, as asked, .prj and .cpg), to be zipped with others. */
export function shapefileFiles(features: Feature[], opts: ShapefileOptions): Array<{ name: string; data: Uint8Array }> {
  const encoding = opts.encoding ?? 'utf-8';
  const { shp, shx } = shpAndShx(features, opts.kind);
  const files = [
    { name: `${opts.name}.shp`, data: shp },
    { name: `${opts.name}.shx`, data: shx },
    { name: `${opts.name}.dbf`, data: dbf(features, opts.fields ?? inferFields(features, opts.types, opts.columns), encoding) },
  ];
  if (opts.prj) files.push({ name: `${opts.name}.prj`, data: new TextEncoder().encode(opts.prj) });
  if (opts.cpg ?? encoding === 'utf-8') files.push({ name: `${opts.name}.cpg`, data: new TextEncoder().encode(encoding === 'gbk' ? 'GBK' : 'UTF-8') });
  return files;
}

export function writeShapefileZip(features: Feature[], opts: ShapefileOptions): Uint8Array {
  return writeZip(shapefileFiles(features, opts));
}
