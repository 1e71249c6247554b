/**
 * Generic file writers for downloads: GeoJSON features → zipped Shapefile, sheets → XLSX, rows →
 * CSV, and the Content-Disposition header for a UTF-8 file name. No knowledge of plans or layers:
 * routes shape their data into these inputs (plan export, layer export).
 */
import shpwrite from '@mapbox/shp-write';
import ExcelJS from 'exceljs';
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Position } from 'geojson';
import JSZip from 'jszip';

/** WGS84 (EPSG:4326) as ESRI WKT, written as the .prj of every shapefile. */
export const WGS84_PRJ =
  'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';

/** A DBF field name: ASCII letter first, then letters, digits or _, at most 10 characters. */
const DBF_NAME = /^[A-Za-z][A-Za-z0-9_]{0,9}$/;
/** Bytes of a DBF character field (the writer's fixed size). */
const DBF_TEXT_BYTES = 254;

/**
 * A string as the DBF writer needs it for UTF-8 output: one char per byte (the writer copies
 * char codes into bytes), cut to `max` bytes without splitting a character.
 */
export function utf8Bytes(s: string, max = DBF_TEXT_BYTES): string {
  let buf = Buffer.from(s, 'utf8');
  if (buf.length > max) {
    let end = max;
    while (end > 0 && (buf[end] & 0xc0) === 0x80) end--; // back to the start of a character
    buf = buf.subarray(0, end);
  }
  return buf.toString('latin1');
}

/** Twice the signed area of a ring (> 0 counter-clockwise). */
function ringArea(ring: Position[]): number {
  let s = 0;
  for (let i = 0; i + 1 < ring.length; i++) s += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return s;
}

/** Shapefile ring order: outer rings clockwise, holes counter-clockwise. */
function shapefileRings(rings: Position[][]): Position[][] {
  return rings.map((ring, i) => ((i === 0) === ringArea(ring) > 0 ? [...ring].reverse() : ring));
}

/** Polygons become one-part MultiPolygons so that all areas land in one .shp (not two). */
function normalise(g: Geometry): Geometry {
  if (g.type === 'Polygon') return { type: 'MultiPolygon', coordinates: [shapefileRings(g.coordinates)] } satisfies MultiPolygon;
  if (g.type === 'MultiPolygon') return { type: 'MultiPolygon', coordinates: g.coordinates.map(shapefileRings) };
  return g;
}

/**
 * A zipped Shapefile (.shp, .shx, .dbf, .prj in WGS84, .cpg "UTF-8") of the features, one layer
 * per geometry family: `<name>.shp` for areas; lines or points alongside as `<name>_line`,
 * `<name>_point` when the collection mixes them. Property names must already be DBF-safe
 * (`^[A-Za-z][A-Za-z0-9_]{0,9}$`) — map long names before calling; strings are written as UTF-8
 * (up to 254 bytes), numbers and booleans as such, null as empty.
 *
 * @throws Error on a property name that is not DBF-safe, or when there are no features.
 */
export async function featureCollectionToShapefileZip(fc: FeatureCollection, name: string): Promise<Buffer> {
  if (fc.features.length === 0) throw new Error('a shapefile needs at least one feature');
  const features: Feature[] = fc.features.map((f) => {
    const properties: Record<string, string | number | boolean | null> = {};
    for (const [k, v] of Object.entries(f.properties ?? {})) {
      if (!DBF_NAME.test(k)) throw new Error(`DBF field name "${k}" must be 1–10 ASCII letters, digits or _`);
      properties[k] = typeof v === 'string' ? utf8Bytes(v) : typeof v === 'number' || typeof v === 'boolean' || v === null ? v : v === undefined ? null : utf8Bytes(JSON.stringify(v));
    }
    return { type: 'Feature', geometry: normalise(f.geometry), properties };
  });
  const families = new Set(features.map((f) => (f.geometry.type.includes('Polygon') ? 'area' : f.geometry.type.includes('Line') ? 'line' : 'point')));
  const mixed = families.size > 1;
  const zipped = await shpwrite.zip({ type: 'FeatureCollection', features } as FeatureCollection, {
    prj: WGS84_PRJ,
    types: {
      polygon: name, multipolygon: name,
      line: mixed ? `${name}_line` : name, multiline: mixed ? `${name}_line` : name,
      point: mixed ? `${name}_point` : name,
    },
    compression: 'DEFLATE',
    outputType: 'nodebuffer',
  });
  // shp-write writes no .cpg: add one per layer so readers decode the DBF text as UTF-8.
  const zip = await JSZip.loadAsync(zipped as Buffer);
  for (const file of Object.keys(zip.files).filter((f) => f.endsWith('.dbf'))) zip.file(file.replace(/\.dbf$/, '.cpg'), 'UTF-8');
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
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
