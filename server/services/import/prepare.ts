/**
 * The CPU-heavy half of an import, pure (no database, no server state) so it can run in a worker
 * thread (import-worker.ts): read the upload, settle the column mapping and the CRS, map every
 * record to a row of the layer (or a row error), and serialise the geometries for PostGIS here,
 * so the main thread never parses, walks, clones or stringifies a big geometry (issue #14.3).
 */
import type { Geometry } from 'geojson';
import proj4 from 'proj4';
import { type CrsGuess, type SourceHint, describeCrs, detectCrs, nameOfWkt, parseCrs, toWgs84Fn } from '../../../geo/crs/index.js';
import { headersKey, missingRequired, suggestMapping, type TargetField } from '../../../data/import/columns.js';
import { ImportFileError } from '../../../data/import/errors.js';
import { type LayerRow, mapRecords, samplePositions } from '../../../data/import/map-records.js';
import { readImportFile } from '../../../data/import/read-file.js';
import { toWkbHex } from '../../../data/import/wkb.js';
import type { ColumnMapping, ImportLayer, ParsedFile, RowError } from '../../../data/import/types.js';
import { ImportRequestError } from './import-errors.js';

export interface PrepareRequest {
  filename: string;
  bytes: Uint8Array;
  layer: ImportLayer;
  crs?: string;
  mapping?: ColumnMapping;
  hint?: SourceHint;
  dryRun: boolean;
  /** OSM boundaries: admin_levels for district, street, community (`osmLevels=2,6,8`); else chosen by the reader. */
  osmLevels?: number[];
  /** Boundaries: the deployment has streets (a file of communities alone goes in under them). */
  streetsExist?: boolean;
  /** Remembered mappings of the layer, by headersKey (read from the database beforehand). */
  remembered: Record<string, ColumnMapping>;
}

export interface CrsSettled {
  used: ReturnType<typeof parseCrs>;
  /** The system used, by name: e.g. `ETRS89 / TM35FIN(E,N)（EPSG:3067）`, or a .prj's own name when it matches no EPSG code. */
  label: string | null;
  declared?: string;
  /** A shapefile's .prj: its own name and the EPSG code it matches (null: none; then the .prj itself converts). */
  prj?: { name: string; epsg: number | null };
  guess: CrsGuess | null;
}

/** A row as the main thread sees it: its geometry stays in `staged`, as text. */
export type Light<R> = R extends { geometry: unknown } ? Omit<R, 'geometry'> : R;
export type LightRow = Light<LayerRow>;

export interface Prepared {
  format: ParsedFile['format'];
  encoding?: string;
  columns: string[];
  records: number;
  skipped?: ParsedFile['skipped'];
  mapping: ColumnMapping;
  mappingSource: 'request' | 'remembered' | 'suggested';
  crs: CrsSettled;
  missing: TargetField[];
  rows: LightRow[];
  errors: RowError[];
  /** Optional values that did not parse (left empty or rounded), per row: the rows are kept. */
  warnings: RowError[];
  /**
   * JSON array `[{row, code, community, compound, category, wkb}]` of the rows with a geometry (as
   * hex WKB, wkb.ts), for PostGIS (validity, repair, spatial look-ups, the write); null for layers
   * without one. A string when prepared in this thread; UTF-8 bytes when it comes from the worker
   * (transferred, not copied: a 32 MB string message took ~0.1 s to receive on the main thread).
   */
  staged: string | Uint8Array | null;
}

/** Progress of one import: 0…1 and a stage `key:detail` — reading:<bytes>, parsed:<records>, mapping:<done>/<total>, staging:<rows>, checking:<rows>, writing:<rows>. */
export type Progress = (fraction: number, stage: string) => void;

/** A source hint from the file name: 高德/amap/gcj → GCJ-02, 百度/baidu/bd09 → BD-09. */
export function hintFromName(filename: string): SourceHint {
  const n = filename.toLowerCase();
  if (/gcj|amap|gaode|高德|腾讯|tencent/.test(n)) return 'amap';
  if (/bd09|baidu|百度/.test(n)) return 'baidu';
  return undefined;
}

/**
 * DataV boundary files (Aliyun areas_v3, `adcode` + `parent: {adcode}`) are GCJ-02: suggest it.
 * Still only a suggestion — lng/lat cannot prove it, so a write without `crs` asks to confirm.
 */
function dataVHint(file: ParsedFile): SourceHint {
  const first = file.records[0]?.props;
  return first && 'adcode' in first && typeof first.parent === 'object' && first.parent !== null ? 'amap' : undefined;
}

function settleMapping(file: ParsedFile, req: PrepareRequest): { mapping: ColumnMapping; source: Prepared['mappingSource'] } {
  if (req.mapping) {
    const unknown = Object.values(req.mapping).filter((c) => c && !file.columns.includes(c));
    if (unknown.length) throw new ImportRequestError('invalid_mapping', `映射中的列不存在：${unknown.join('、')}`, `mapped columns not in the file: ${unknown.join(', ')}`);
    return { mapping: Object.fromEntries(Object.entries(req.mapping).filter(([, c]) => !!c)), source: 'request' };
  }
  const remembered = req.remembered[headersKey(file.columns)];
  if (remembered) return { mapping: remembered, source: 'remembered' };
  return { mapping: suggestMapping(req.layer, file.columns), source: 'suggested' };
}

/** `declaredCrs` of a .prj that proj4 reads but that matches no EPSG code (read-file.ts). */
const PRJ_ONLY = 'prj';

/** Converter of a .prj that matches no EPSG code, by proj4 from its own WKT. */
function prjToWgs84(prj: string): (p: [number, number]) => [number, number] {
  const c = proj4(prj);
  return (p) => c.inverse(p) as [number, number];
}

function settleCrs(file: ParsedFile, mapping: ColumnMapping, req: PrepareRequest): CrsSettled {
  const hasPositions = file.records.some((r) => r.geometry) || (!!mapping.lng && !!mapping.lat);
  if (!hasPositions) return { used: null, label: null, guess: null };
  const prj = file.prj ? { name: nameOfWkt(file.prj), epsg: file.declaredCrs?.startsWith('EPSG:') ? Number(file.declaredCrs.slice(5)) : null } : undefined;
  const withPrj = <T extends object>(x: T) => (prj ? { ...x, prj } : x);
  if (req.crs) {
    const id = parseCrs(req.crs);
    if (!id) throw new ImportRequestError('invalid_crs', `未知坐标系“${req.crs}”（可用任何 EPSG 代码，如 EPSG:3067）`, `unknown CRS "${req.crs}" (any EPSG code works, e.g. EPSG:3067)`);
    return withPrj({ used: id, label: describeCrs(id).zh, guess: null });
  }
  if (file.declaredCrs === PRJ_ONLY && prj) return { used: null, label: prj.name || 'shapefile .prj', declared: 'shapefile .prj', prj, guess: null };
  const declared = file.declaredCrs ? parseCrs(file.declaredCrs) : null;
  if (declared) return withPrj({ used: declared, label: describeCrs(declared).zh, declared: prj ? 'shapefile .prj' : file.declaredCrs, guess: null });
  const hint = req.hint ?? (file.sourceHint === 'osm' ? 'osm' : hintFromName(req.filename) ?? dataVHint(file));
  const guess = detectCrs(samplePositions(file, mapping), { hint });
  if (guess.confirm && !req.dryRun) {
    throw new ImportRequestError('crs_required', `请确认坐标系（建议：${guess.crs ?? '无法判断'}）：${guess.reason.zh}`,
      `confirm the coordinate system (suggested: ${guess.crs ?? 'none'}): ${guess.reason.en}`, guess);
  }
  return { used: guess.crs, label: guess.crs ? describeCrs(guess.crs).zh : null, guess };
}

/** Splits mapped rows into light rows and the staged geometry JSON. */
function stage(rows: LayerRow[]): { rows: LightRow[]; staged: string | null } {
  if (!rows.some((r) => 'geometry' in r)) return { rows: rows as LightRow[], staged: null };
  const staged: unknown[] = [];
  const light = rows.map((r) => {
    const { geometry, ...rest } = r as LayerRow & { geometry: unknown; code?: string; community?: string | null; compound?: string | null; category?: string };
    staged.push({ row: r.row, code: rest.code, community: rest.community, compound: rest.compound, category: rest.category, wkb: toWkbHex(geometry as Geometry) });
    return rest as LightRow;
  });
  return { rows: light, staged: JSON.stringify(staged) };
}

export async function prepareImport(req: PrepareRequest, progress: Progress = () => {}): Promise<Prepared> {
  progress(0.02, `reading:${req.bytes.length}`);
  const file = await readImportFile(req.filename, req.bytes, req.layer, { osmLevels: req.osmLevels, streetsExist: req.streetsExist });
  progress(0.5, `parsed:${file.records.length}`);
  try {
    const { mapping, source } = settleMapping(file, req);
    const missing = missingRequired(req.layer, mapping, file.records.some((r) => r.geometry));
    const crs = settleCrs(file, mapping, req);
    const base = {
      format: file.format, encoding: file.encoding, columns: file.columns, records: file.records.length, skipped: file.skipped,
      mapping, mappingSource: source, crs, missing,
    };
    if (missing.length) return { ...base, rows: [], errors: [], warnings: [], staged: null };
    const toWgs84 = crs.used ? toWgs84Fn(crs.used) : crs.declared && file.prj ? prjToWgs84(file.prj) : (p: [number, number]) => p;
    const swap = crs.guess?.swapAxes ? (p: [number, number]) => toWgs84([p[1], p[0]]) : toWgs84;
    const mapped = mapRecords(req.layer, file, mapping, swap, (done) => progress(0.5 + 0.3 * (done / Math.max(1, file.records.length)), `mapping:${done}/${file.records.length}`));
    progress(0.85, `staging:${mapped.rows.length}`);
    return { ...base, ...stage(mapped.rows), errors: mapped.errors, warnings: mapped.warnings };
  } catch (e) {
    if (e instanceof ImportRequestError || e instanceof ImportFileError) throw e;
    // Whatever else the user's records make the mapping throw is still their file's fault.
    const reason = e instanceof Error ? e.message.slice(0, 200) : String(e);
    throw new ImportFileError(`文件内容无法处理：${reason}`, `the file's content could not be processed: ${reason}`);
  }
}
