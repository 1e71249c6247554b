/**
 * Reads an uploaded file into source records, by its name and content: GeoJSON, a zipped
 * shapefile, CSV (UTF-8 or GBK/GB18030), XLSX (first sheet) or OpenStreetMap (XML or PBF).
 */
import type ExcelJS from 'exceljs';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import proj4 from 'proj4';
import { parseDbf, parseShp } from 'shpjs';
import { decodeEchartsFeatures, isEchartsCompressed } from './echarts-geojson.js';
import { decodeHighmapsFeatures, highmapsTransforms, unwrapHighmapsScript } from './highmaps-geojson.js';
import { epsgOfPrj } from '../../geo/crs/epsg.js';
import './epsg-index.js'; // registers every EPSG code (epsg-index) with geo/crs
import { TABLE_LIMITS, cellTooLong, parseCsv, tableTooWide } from './csv.js';
import { decodeText } from './decode-text.js';
import { ImportFileError } from './errors.js';
import { OsmLevelsProblem, osmBoundaryRecords } from './osm-boundaries.js';
import { parseOsmPbf } from './osm-pbf.js';
import { type OsmData, type OsmFeatureKind, osmRecords, parseOsmXml } from './osm-xml.js';
import type { FileFormat, ImportLayer, ParsedFile, SourceRecord } from './types.js';
import { readZip, vetZip } from './zip.js';
import { WKT_COLUMNS, parseWkt } from './wkt.js';

export { ImportFileError };

export function formatOf(filename: string): FileFormat | null {
  const name = filename.toLowerCase();
  // .js: Highcharts Maps files as projects keep them (`Highcharts.maps["…"] = {…}`, highmaps-geojson.ts).
  if (name.endsWith('.geojson') || name.endsWith('.json') || name.endsWith('.js')) return 'geojson';
  if (name.endsWith('.zip')) return 'shapefile';
  if (name.endsWith('.csv') || name.endsWith('.txt')) return 'csv';
  if (name.endsWith('.xlsx')) return 'xlsx';
  if (name.endsWith('.osm.pbf') || name.endsWith('.pbf')) return 'osm-pbf';
  if (name.endsWith('.osm') || name.endsWith('.xml')) return 'osm';
  return null;
}

const OSM_KIND: Partial<Record<ImportLayer, OsmFeatureKind>> = { buildings: 'building', walk: 'walk', facilities: 'facility' };

function columnsOf(records: SourceRecord[]): string[] {
  const seen = new Set<string>();
  for (const r of records) for (const k of Object.keys(r.props)) seen.add(k);
  return [...seen];
}

function fromFeatures(features: Feature[], startRow = 1): SourceRecord[] {
  // A feature may be anything in a hand-made file: its geometry's shape is checked per row later.
  return features.map((f, i) => {
    const props = f && typeof f.properties === 'object' && !Array.isArray(f.properties) ? f.properties : {};
    return { row: startRow + i, props: { ...props }, geometry: ((f && typeof f === 'object' ? f.geometry : null) as Geometry) ?? null };
  });
}

function readGeoJson(bytes: Uint8Array): ParsedFile {
  let doc: unknown;
  try {
    const text = decodeText(bytes).text;
    doc = JSON.parse(/^\s*[{[]/.test(text) ? text : unwrapHighmapsScript(text));
  } catch {
    throw new ImportFileError('GeoJSON 无法解析（不是有效的 JSON）', 'GeoJSON could not be parsed (invalid JSON)');
  }
  const d = doc as Partial<FeatureCollection> & { crs?: { properties?: { name?: string } } };
  let features: Feature[];
  if (d?.type === 'FeatureCollection' && Array.isArray(d.features)) features = d.features;
  else if ((doc as Feature)?.type === 'Feature') features = [doc as Feature];
  else throw new ImportFileError('GeoJSON 必须是 FeatureCollection 或 Feature', 'GeoJSON must be a FeatureCollection or a Feature');
  const echarts = isEchartsCompressed(doc);
  // ECharts' compressed map files: rings are encoded strings (echarts-geojson.ts); the old ones
  // keep the division code only in the feature's `id`, offered as an `id` column.
  if (echarts) decodeEchartsFeatures(features, (doc as { UTF8Scale?: unknown }).UTF8Scale);
  // Highcharts Maps files: positions in the chart's projected units (`hc-transform`), undone to
  // longitude/latitude; their `crs` member names that projection, not what the positions now are.
  const highmaps = highmapsTransforms(doc);
  if (highmaps) {
    try {
      decodeHighmapsFeatures(features, highmaps);
    } catch (e) {
      throw new ImportFileError(`Highcharts 地图文件的 hc-transform 无法换算：${(e as Error).message}`, `the hc-transform of the Highcharts map file cannot be converted: ${(e as Error).message}`);
    }
  }
  const records = fromFeatures(features);
  if (echarts) {
    for (const [i, r] of records.entries()) {
      const id = (features[i] as { id?: unknown } | null)?.id;
      if (r.props.id === undefined && (typeof id === 'string' || typeof id === 'number')) r.props.id = id;
    }
  }
  // Property names are a GeoJSON file's columns: held to the same width as a table's (csv.ts).
  const columns = columnsOf(records);
  if (columns.length > TABLE_LIMITS.maxColumns) throw tableTooWide(columns.length);
  return { format: 'geojson', columns, records, declaredCrs: highmaps ? undefined : d.crs?.properties?.name };
}

const hasReplacement = (rows: Record<string, unknown>[]) => rows.some((r) => Object.values(r).some((v) => typeof v === 'string' && v.includes('\uFFFD')));

/**
 * What a .prj declares: `EPSG:<n>` when it matches an EPSG system (epsgOfPrj), `prj` when only
 * proj4 can read it (converted with the .prj itself), undefined when nothing can.
 */
function declaredOfPrj(prj: string): string | undefined {
  const code = epsgOfPrj(prj);
  if (code !== null) return `EPSG:${code}`;
  try {
    proj4(prj);
    return 'prj';
  } catch {
    return undefined;
  }
}

/** One shapefile of an archive: its parts by extension (.shp, .dbf, .prj, .cpg), found by a shared base name. */
interface ShapefileParts { base: string; shp: Uint8Array; dbf?: Uint8Array; prj?: Uint8Array; cpg?: Uint8Array }

/**
 * The shapefiles of an archive, each with ITS OWN .dbf/.prj/.cpg (same path and base name, any
 * case) — never the first .dbf of the archive, which paired one layer's geometries with another's
 * attributes when a zip held two. macOS metadata (`__MACOSX/`, `._x.shp`) is left out.
 */
function shapefilesOf(entries: Map<string, Uint8Array>): ShapefileParts[] {
  const groups = new Map<string, Partial<Record<'shp' | 'dbf' | 'prj' | 'cpg', Uint8Array>> & { base: string }>();
  for (const [name, data] of entries) {
    const file = name.split('/').pop() ?? name;
    if (name.includes('__MACOSX') || file.startsWith('._')) continue;
    const m = /^(.*)\.(shp|dbf|prj|cpg)$/i.exec(name);
    if (!m) continue;
    const key = m[1].toLowerCase();
    const g = groups.get(key) ?? { base: m[1].split('/').pop() ?? m[1] };
    g[m[2].toLowerCase() as 'shp' | 'dbf' | 'prj' | 'cpg'] = data;
    groups.set(key, g);
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b))
    .filter((e): e is [string, ShapefileParts] => e[1].shp !== undefined).map(([, g]) => g);
}

/**
 * A .dbf header whose record count, header length and record length fit the file. The parser
 * (parsedbf) trusts them: a 100-byte .dbf declaring 4,294,967,295 records (or records of 0 bytes)
 * had it build empty rows for minutes until the heap ran out, past the request's deadline.
 */
function checkDbf(dbf: Uint8Array, base: string) {
  const bad = (zh: string, en: string) => new ImportFileError(`${base}.dbf ${zh}`, `${base}.dbf ${en}`);
  if (dbf.length < 33) throw bad('太短，不是 dBASE 文件', 'is too short to be a dBASE file');
  const view = new DataView(dbf.buffer, dbf.byteOffset, dbf.byteLength);
  const records = view.getUint32(4, true);
  const headerLen = view.getUint16(8, true);
  const recLen = view.getUint16(10, true);
  if (headerLen < 33 || headerLen > dbf.length) throw bad(`的文件头长度 ${headerLen} 字节与文件（${dbf.length} 字节）不符`, `declares a header of ${headerLen} bytes in a file of ${dbf.length}`);
  if (records > 0 && (recLen < 1 || records > Math.floor((dbf.length - headerLen) / recLen))) {
    throw bad(`声明 ${records} 条记录、每条 ${recLen} 字节，但文件只有 ${dbf.length} 字节（文件已截断或文件头有误）`,
      `declares ${records} records of ${recLen} bytes but the file has only ${dbf.length} bytes (truncated, or a wrong header)`);
  }
}

function readOneShapefile(part: ShapefileParts) {
  const prj = part.prj ? new TextDecoder().decode(part.prj).trim() : undefined;
  const toView = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
  // Positions stay in the file's own system: the import converts them (prepare.ts), so a `crs`
  // chosen by the user applies to what the file holds, not to a conversion already made.
  const geoms = parseShp(toView(part.shp) as never) as unknown as Geometry[];
  let props: Record<string, unknown>[] = [];
  let encoding = 'utf-8';
  if (part.dbf) {
    checkDbf(part.dbf, part.base);
    const cpg = part.cpg ? new TextDecoder().decode(part.cpg).trim() : undefined;
    props = parseDbf(toView(part.dbf) as never, cpg as never) as unknown as Record<string, unknown>[];
    encoding = cpg ?? 'utf-8';
    if (!cpg && hasReplacement(props)) {
      props = parseDbf(toView(part.dbf) as never, 'gb18030' as never) as unknown as Record<string, unknown>[];
      encoding = 'gb18030';
    }
  }
  return { prj, declared: prj ? declaredOfPrj(prj) : undefined, geoms, props, encoding };
}

/**
 * A zipped shapefile — or several (a delivery of 区县.shp, 街道.shp, 社区.shp in one zip): every
 * one is read, in name order, rows numbered on across them, each record carrying the name of its
 * shapefile (`shapefile`) when there are several. Several shapefiles must share one coordinate
 * system (their .prj), else the archive is refused naming them (import them one by one).
 */
function readShapefile(bytes: Uint8Array): ParsedFile {
  const parts = shapefilesOf(readZip(bytes));
  if (parts.length === 0) throw new ImportFileError('压缩包中没有 .shp 文件', 'no .shp file in the archive');
  const read = parts.map((p) => ({ base: p.base, ...readOneShapefile(p) }));
  const crsOf = (r: (typeof read)[number]) => r.declared === 'prj' ? `prj:${r.prj}` : r.declared ?? '';
  if (new Set(read.map(crsOf)).size > 1) {
    const list = read.map((r) => `${r.base}.shp（${r.declared === 'prj' ? r.prj?.slice(0, 40) : r.declared ?? '无 .prj / no .prj'}）`).join('、');
    throw new ImportFileError(`压缩包中的 ${read.length} 个 Shapefile 坐标系不同，请分别导入：${list}`,
      `the ${read.length} shapefiles in the archive have different coordinate systems — import them one by one: ${list}`);
  }
  const several = read.length > 1;
  const records: SourceRecord[] = [];
  for (const r of read) {
    for (const [i, g] of r.geoms.entries()) {
      records.push({ row: records.length + 1, props: { ...(r.props[i] ?? {}), ...(several ? { shapefile: r.base } : {}) }, geometry: g ?? null });
    }
  }
  const encodings = [...new Set(read.filter((r) => r.props.length > 0).map((r) => r.encoding))];
  return {
    format: 'shapefile',
    encoding: encodings.length ? encodings.join(', ') : 'utf-8',
    columns: columnsOf(records),
    records,
    declaredCrs: read[0].declared,
    prj: read[0].prj,
  };
}

function tableRecords(table: unknown[][]): { columns: string[]; records: SourceRecord[] } {
  if (table.length === 0) throw new ImportFileError('表格是空的', 'the table is empty');
  // The CSV reader stops at these limits as it reads; a workbook's sheet is held to them here.
  // A workbook's shared strings let one 30,000-character cell be repeated in every row for a few
  // bytes each (a 700 KB .xlsx read as 900 million characters: 40 s and 2 GB): the whole table's text
  // is held to what the largest CSV upload could hold.
  let chars = 0;
  for (const [i, cells] of table.entries()) {
    if (cells.length > TABLE_LIMITS.maxColumns) throw tableTooWide(cells.length);
    for (const [j, v] of cells.entries()) {
      if (typeof v !== 'string') continue;
      if (v.length > TABLE_LIMITS.maxCell) throw cellTooLong(i + 1, j + 1);
      chars += v.length;
    }
    if (chars > TABLE_LIMITS.maxChars) {
      throw new ImportFileError(`表格的文字超过 ${TABLE_LIMITS.maxChars / 1e6} 百万字符的上限（至第 ${i + 1} 行）`,
        `the table's text is over the limit of ${TABLE_LIMITS.maxChars / 1e6} million characters (by row ${i + 1})`, 'too_large');
    }
  }
  const columns = table[0].map((c, i) => (String(c ?? '').trim() || `列${i + 1}`));
  const records = table.slice(1).map((cells, i) => ({
    row: i + 2,
    props: Object.fromEntries(columns.map((c, j) => [c, cells[j] ?? null])),
    geometry: null as Geometry | null,
  }));
  return { columns, records: withWktGeometry(columns, records) };
}

/**
 * A table's geometry column: the first column named like WKT_COLUMNS whose non-empty cells all
 * parse as WKT becomes each record's geometry (a cell left empty: no geometry, reported per row).
 */
function withWktGeometry(columns: string[], records: SourceRecord[]): SourceRecord[] {
  const col = columns.find((c) => WKT_COLUMNS.includes(c.toLowerCase()) && records.every((r) => {
    const v = r.props[c];
    return v === null || v === '' || parseWkt(v) !== null;
  }) && records.some((r) => r.props[c]));
  if (!col) return records;
  return records.map((r) => ({ ...r, geometry: parseWkt(r.props[col]) }));
}

function readCsv(bytes: Uint8Array): ParsedFile {
  const { text, encoding } = decodeText(bytes);
  return { format: 'csv', encoding, ...tableRecords(parseCsv(text.replace(/^\uFEFF/, ''))) };
}

function cellValue(v: ExcelJS.CellValue): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'object') return v;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if ('result' in v) return (v as ExcelJS.CellFormulaValue).result ?? null;
  if ('richText' in v) return (v as ExcelJS.CellRichTextValue).richText.map((t) => t.text).join('');
  if ('text' in v) return (v as ExcelJS.CellHyperlinkValue).text;
  return String(v);
}

async function readXlsx(bytes: Uint8Array): Promise<ParsedFile> {
  // An .xlsx is a zip that ExcelJS (JSZip) would inflate without any bound: vet it first — entry
  // count, declared sizes and ratios, and a bounded inflation proving no entry exceeds its
  // declared size — so what ExcelJS then inflates is known to fit the limits.
  readZip(bytes);
  // Loaded on use: ExcelJS takes ~1 s to load, which every import worker would otherwise pay.
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.Workbook();
  try {
    await wb.xlsx.load(Buffer.from(bytes) as never);
  } catch {
    throw new ImportFileError('XLSX 文件无法读取', 'the XLSX file could not be read');
  }
  const sheet = wb.worksheets[0];
  if (!sheet) throw new ImportFileError('工作簿没有工作表', 'the workbook has no sheet');
  const table: unknown[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const cells: unknown[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = cellValue(cell.value);
    });
    table.push(cells);
  });
  return { format: 'xlsx', ...tableRecords(table) };
}

/** Options of a read that only some formats use. */
export interface ReadOptions {
  /** OSM boundaries: the admin_levels that become district, street and community (else chosen, osm-boundaries.ts). */
  osmLevels?: number[];
  /** OSM boundaries: the deployment has streets, so a file of communities alone can go in under them. */
  streetsExist?: boolean;
}

function readOsm(bytes: Uint8Array, layer: ImportLayer, format: 'osm' | 'osm-pbf', opts: ReadOptions): ParsedFile {
  const kind = OSM_KIND[layer];
  if (!kind && layer !== 'boundaries') throw new ImportFileError(`OSM 文件不能导入到图层 ${layer}（可选：楼栋、设施、步行网络、边界）`, `an OSM file cannot be imported as ${layer} (buildings, facilities, walk or boundaries)`);
  const data: OsmData = format === 'osm-pbf' ? parseOsmPbf(bytes) : parseOsmXml(decodeText(bytes).text);
  if (data.nodes.size === 0) throw new ImportFileError('OSM 文件中没有节点', 'no nodes in the OSM file');
  if (!kind) {
    try {
      const { records, skipped } = osmBoundaryRecords(data, { levels: opts.osmLevels, streetsExist: opts.streetsExist });
      return { format, columns: columnsOf(records), records, declaredCrs: 'EPSG:4326', sourceHint: 'osm', skipped };
    } catch (e) {
      if (e instanceof OsmLevelsProblem) throw new ImportFileError(e.zh, e.en);
      throw e;
    }
  }
  const { records, skipped } = osmRecords(data, kind);
  return { format, columns: columnsOf(records), records, declaredCrs: 'EPSG:4326', sourceHint: 'osm', skipped };
}

/**
 * The checks that need no parsing, cheap enough for the request thread: an archive's central
 * directory (entry count, declared sizes, ratios), so a zip bomb is refused before any work.
 */
export function vetUpload(filename: string, bytes: Uint8Array): void {
  const format = formatOf(filename);
  if (format !== 'shapefile' && format !== 'xlsx') return;
  try {
    vetZip(bytes);
  } catch (e) {
    if (e instanceof ImportFileError) throw e;
    throw new ImportFileError(`ZIP 文件无法读取：${reasonOf(e)}`, `the ZIP archive could not be read: ${reasonOf(e)}`);
  }
}

/** Short text of a parser's exception, for the user (no stack, bounded length). */
function reasonOf(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.replace(/\s+/g, ' ').slice(0, 200) || (e as Error)?.name || 'unknown error';
}

function readAs(format: FileFormat | null, bytes: Uint8Array, layer: ImportLayer, opts: ReadOptions): ParsedFile | Promise<ParsedFile> {
  switch (format) {
    case 'geojson':
      return readGeoJson(bytes);
    case 'shapefile':
      return readShapefile(bytes);
    case 'csv':
      return readCsv(bytes);
    case 'xlsx':
      return readXlsx(bytes);
    case 'osm':
    case 'osm-pbf':
      return readOsm(bytes, layer, format, opts);
    default:
      throw new ImportFileError('不支持的文件类型（支持 .geojson .json .js（Highcharts 地图） .zip .csv .xlsx .osm .osm.pbf）', 'unsupported file type (.geojson .json .js (Highcharts map) .zip .csv .xlsx .osm .osm.pbf)');
  }
}

/**
 * Reads a file for a target layer. The one boundary between the parsers and the rest: whatever a
 * parser throws on the user's bytes (shpjs "I don't know shp type 0", a truncated .dbf, a bad
 * workbook, a stack overflow on absurd nesting …) becomes an ImportFileError naming the reason,
 * i.e. `400 invalid_file`, never a 500.
 */
export async function readImportFile(filename: string, bytes: Uint8Array, layer: ImportLayer, opts: ReadOptions = {}): Promise<ParsedFile> {
  const format = formatOf(filename);
  try {
    return await readAs(format, bytes, layer, opts);
  } catch (e) {
    if (e instanceof ImportFileError) throw e;
    const reason = reasonOf(e);
    throw new ImportFileError(`文件无法解析（${format ?? filename}）：${reason}`, `the file could not be parsed (${format ?? filename}): ${reason}`);
  }
}
