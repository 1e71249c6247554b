/**
 * Generic file writers for downloads: GeoJSON features → zipped Shapefile, sheets → XLSX, rows →
 * CSV, and the Content-Disposition header for a UTF-8 file name. No knowledge of plans or layers:
 * routes shape their data into these inputs (plan export, layer export).
 */
import ExcelJS from 'exceljs';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { type ColumnType, type Kind, shapefileFiles } from '../../data/formats/shapefile-write.js';
import { writeZip } from '../../data/formats/zip-write.js';

/** WGS84 (EPSG:4326) as ESRI WKT, written as the .prj of every shapefile. */
export const WGS84_PRJ =
  'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';

/** A DBF field name: ASCII letter first, then letters, digits or _, at most 10 characters. */
const DBF_NAME = /^[A-Za-z][A-Za-z0-9_]{0,9}$/;
type Family = 'area' | 'line' | 'point';
const FAMILY_KIND: Record<Family, Kind> = { area: 'polygon', line: 'line', point: 'point' };

function familyOf(g: Geometry | null): Family {
  switch (g?.type) {
    case 'Polygon': case 'MultiPolygon': return 'area';
    case 'LineString': case 'MultiLineString': return 'line';
    case 'Point': return 'point';
    default: throw new Error(`a shapefile cannot hold a ${g?.type ?? 'null'} geometry here`);
  }
}

/**
 * A zipped Shapefile (.shp, .shx, .dbf, .prj in WGS84, .cpg "UTF-8") of the features, one layer
 * per geometry family: `<name>.shp` for areas; lines or points alongside as `<name>_line`,
 * `<name>_point` when the collection mixes them. One record per feature (a MultiPolygon or
 * MultiLineString is one multi-part record; rings clockwise outside, counter-clockwise holes).
 * Property names must already be DBF-safe (`^[A-Za-z][A-Za-z0-9_]{0,9}$`) — map long names before
 * calling. DBF columns (data/formats/shapefile-write.ts `inferFields`): whole numbers N(9,0) — an
 * Integer in GDAL/QGIS —, other numbers N(18,d), booleans L, text C(254) in UTF-8 cut on a
 * character boundary; null as empty. `types` (by DBF name) fixes a column's type where the values
 * alone could mislead (a share that is 1 in every row of this file is still a Real column).
 *
 * With no features, `empty` says what the file is of: one shapefile of that kind with those
 * columns and no records (GDAL and QGIS open it as an empty layer).
 *
 * @throws Error on a property name that is not DBF-safe, a geometry other than (Multi)Polygon,
 *   (Multi)LineString or Point, or when there are no features and no `empty`.
 */
export async function featureCollectionToShapefileZip(
  fc: FeatureCollection,
  name: string,
  opts: { types?: Record<string, ColumnType>; empty?: { kind: Kind; columns: readonly string[] } } = {},
): Promise<Buffer> {
  if (fc.features.length === 0) {
    if (!opts.empty) throw new Error('a shapefile with no features needs its geometry kind and columns');
    // A layer with nothing in it (yet) is a valid shapefile of no records, as GDAL writes one.
    const files = shapefileFiles([], { name, kind: opts.empty.kind, encoding: 'utf-8', prj: WGS84_PRJ, types: opts.types, columns: opts.empty.columns, cpg: true });
    return Buffer.from(writeZip(files, { deflate: true }));
  }
  const groups = new Map<Family, Feature[]>();
  for (const f of fc.features) {
    const properties: Record<string, string | number | boolean | null> = {};
    for (const [k, v] of Object.entries(f.properties ?? {})) {
      if (!DBF_NAME.test(k)) throw new Error(`DBF field name "${k}" must be 1–10 ASCII letters, digits or _`);
      properties[k] = typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null ? v : v === undefined ? null : JSON.stringify(v);
    }
    const family = familyOf(f.geometry);
    const list = groups.get(family) ?? [];
    list.push({ type: 'Feature', geometry: f.geometry, properties });
    groups.set(family, list);
  }
  const mixed = groups.size > 1;
  const files = [...groups].flatMap(([family, features]) => shapefileFiles(features, {
    name: mixed && family !== 'area' ? `${name}_${family}` : name,
    kind: FAMILY_KIND[family],
    encoding: 'utf-8',
    prj: WGS84_PRJ,
    types: opts.types,
    cpg: true,
  }));
  return Buffer.from(writeZip(files, { deflate: true }));
}

const wktPoints = (ps: number[][]) => ps.map((p) => `${p[0]} ${p[1]}`).join(', ');
const wktRings = (rs: number[][][]) => rs.map((r) => `(${wktPoints(r)})`).join(', ');

/** A GeoJSON geometry as WKT (OGC 06-103r4), `EMPTY` for null; coordinates as JavaScript prints them. */
export function geometryToWkt(g: Geometry | null): string {
  if (!g) return 'GEOMETRYCOLLECTION EMPTY';
  switch (g.type) {
    case 'Point': return `POINT (${wktPoints([g.coordinates])})`;
    case 'MultiPoint': return g.coordinates.length ? `MULTIPOINT (${g.coordinates.map((p) => `(${wktPoints([p])})`).join(', ')})` : 'MULTIPOINT EMPTY';
    case 'LineString': return g.coordinates.length ? `LINESTRING (${wktPoints(g.coordinates)})` : 'LINESTRING EMPTY';
    case 'MultiLineString': return g.coordinates.length ? `MULTILINESTRING (${wktRings(g.coordinates)})` : 'MULTILINESTRING EMPTY';
    case 'Polygon': return g.coordinates.length ? `POLYGON (${wktRings(g.coordinates)})` : 'POLYGON EMPTY';
    case 'MultiPolygon': return g.coordinates.length ? `MULTIPOLYGON (${g.coordinates.map((p) => `(${wktRings(p)})`).join(', ')})` : 'MULTIPOLYGON EMPTY';
    case 'GeometryCollection': return g.geometries.length ? `GEOMETRYCOLLECTION (${g.geometries.map(geometryToWkt).join(', ')})` : 'GEOMETRYCOLLECTION EMPTY';
  }
}

export interface SheetColumn {
  /** Header text (e.g. 网格编号). */
  header: string;
  /** Property of each row shown in the column. */
  key: string;
  /** Width in characters (a Chinese character counts about 2). */
  width?: number;
}

export interface Sheet {
  name: string;
  columns: SheetColumn[];
  rows: Record<string, unknown>[];
}

/**
 * An XLSX workbook with one worksheet per sheet: a bold, frozen header row and an auto-filter.
 * Sheet names must be at most 31 characters without : \ / ? * [ ] (Excel's rule).
 */
export async function sheetsToXlsx(sheets: Sheet[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'GridAtlas';
  wb.created = new Date();
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = s.columns.map((c) => ({ header: c.header, key: c.key, width: c.width ?? Math.max(10, [...c.header].length * 2 + 2) }));
    ws.getRow(1).font = { bold: true };
    for (const r of s.rows) ws.addRow(r);
    if (s.columns.length > 0) ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: s.columns.length } };
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A CSV cell: quoted when needed; text that a spreadsheet would run as a formula gets a leading '. */
function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * CSV (RFC 4180, CRLF line ends) with a header row from the columns. With `bom` (default) the
 * text starts with a UTF-8 byte-order mark so Excel opens Chinese text correctly.
 */
export function rowsToCsv(columns: Pick<SheetColumn, 'header' | 'key'>[], rows: Record<string, unknown>[], opts: { bom?: boolean } = {}): string {
  const lines = [columns.map((c) => csvCell(c.header)).join(',')];
  for (const r of rows) lines.push(columns.map((c) => csvCell(r[c.key])).join(','));
  return `${opts.bom === false ? '' : '\uFEFF'}${lines.join('\r\n')}\r\n`;
}

/**
 * `Content-Disposition: attachment` for a file name with Chinese text: an ASCII fallback plus the
 * UTF-8 name (RFC 6266 / RFC 5987 `filename*`).
 */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
