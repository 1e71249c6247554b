/**
 * One import, dry or real: read the file, settle the CRS and the column mapping, map every record
 * to a row (or a per-row error), resolve rows against the database, and — unless it is a dry run —
 * write everything in ONE transaction. The dry run and the write share every step but the last,
 * so the preview shows exactly what will be written.
 */
import type { Feature, FeatureCollection } from 'geojson';
import { type CrsGuess, type CrsId, type SourceHint, describeCrs, detectCrs, parseCrs, toWgs84Fn } from '../../../geo/crs/index.js';
import { TARGET_FIELDS, headersKey, missingRequired, suggestMapping } from '../../../data/import/columns.js';
import { type BuildingRow, type CompoundRow, type FacilityRow, type HouseholdRow, type LayerRow, type WalkRow, mapRecords, samplePositions } from '../../../data/import/map-records.js';
import { readImportFile } from '../../../data/import/read-file.js';
import type { ColumnMapping, ImportLayer, ParsedFile, RowError } from '../../../data/import/types.js';
import type { Database, Sql } from '../../db/client.js';
import { rememberMapping, rememberedMapping } from '../../repos/import-mappings.repo.js';
import { type Resolution, resolveBuildings, resolveCompounds, resolveFacilities, resolveHouseholds } from './resolve.js';
import { type WalkPlan, planWalk, writeBuildings, writeCompounds, writeFacilities, writeHouseholds, writeWalk } from './write.js';

export class ImportRequestError extends Error {
  constructor(readonly code: string, readonly zh: string, readonly en: string, readonly detail?: unknown) {
    super(`${zh} / ${en}`);
  }
}

export interface ImportInput {
  filename: string;
  bytes: Uint8Array;
  layer: ImportLayer;
  crs?: string;
  mapping?: ColumnMapping;
  hint?: SourceHint;
  dryRun: boolean;
  /** Community ids the caller may change; null = the whole street. */
  allowedCommunities: Set<number> | null;
  actor: string | null;
}

export interface ImportResult {
  layer: ImportLayer;
  dryRun: boolean;
  written: boolean;
  format: ParsedFile['format'];
  encoding?: string;
  columns: string[];
  fields: (typeof TARGET_FIELDS)[ImportLayer];
  mapping: ColumnMapping;
  mappingSource: 'request' | 'remembered' | 'suggested';
  crs: { used: CrsId | null; label: string | null; declared?: string; guess: CrsGuess | null };
  counts: { records: number; rows: number; valid: number; errors: number; inserts: number; updates: number; repaired: number; nodes?: number; skipped?: number };
  errors: RowError[];
  /** OSM only: objects of the layer's kind left out of `records` (e.g. a multipolygon whose ring does not close), with why. */
  skipped?: Array<{ osmId: string; zh: string; en: string }>;
  repaired: Array<{ row: number; reason: string }>;
  preview: FeatureCollection;
  ms: number;
}

const MAX_ERRORS = 1000;
const MAX_PREVIEW = 3000;

/** A source hint from the file name: 高德/amap/gcj → GCJ-02, 百度/baidu/bd09 → BD-09. */
export function hintFromName(filename: string): SourceHint {
  const n = filename.toLowerCase();
  if (/gcj|amap|gaode|高德|腾讯|tencent/.test(n)) return 'amap';
  if (/bd09|baidu|百度/.test(n)) return 'baidu';
  return undefined;
}

function settleCrs(file: ParsedFile, mapping: ColumnMapping, input: ImportInput): ImportResult['crs'] {
  const hasPositions = file.records.some((r) => r.geometry) || (!!mapping.lng && !!mapping.lat);
  if (!hasPositions) return { used: null, label: null, guess: null };
  if (input.crs) {
    const id = parseCrs(input.crs);
    if (!id) throw new ImportRequestError('invalid_crs', `未知坐标系“${input.crs}”`, `unknown CRS "${input.crs}"`);
    return { used: id, label: describeCrs(id).zh, guess: null };
  }
  if (file.alreadyWgs84) return { used: 'EPSG:4326', label: describeCrs('EPSG:4326').zh, declared: 'shapefile .prj', guess: null };
  const declared = file.declaredCrs ? parseCrs(file.declaredCrs) : null;
  if (declared) return { used: declared, label: describeCrs(declared).zh, declared: file.declaredCrs, guess: null };
  const guess = detectCrs(samplePositions(file, mapping), { hint: input.hint ?? (file.sourceHint === 'osm' ? 'osm' : hintFromName(input.filename)) });
  if (guess.confirm && !input.dryRun) {
    throw new ImportRequestError('crs_required', `请确认坐标系（建议：${guess.crs ?? '无法判断'}）：${guess.reason.zh}`,
      `confirm the coordinate system (suggested: ${guess.crs ?? 'none'}): ${guess.reason.en}`, guess);
  }
  return { used: guess.crs, label: guess.crs ? describeCrs(guess.crs).zh : null, guess };
}

async function settleMapping(db: Sql, file: ParsedFile, input: ImportInput): Promise<{ mapping: ColumnMapping; source: ImportResult['mappingSource'] }> {
  if (input.mapping) {
    const unknown = Object.values(input.mapping).filter((c) => c && !file.columns.includes(c));
    if (unknown.length) throw new ImportRequestError('invalid_mapping', `映射中的列不存在：${unknown.join('、')}`, `mapped columns not in the file: ${unknown.join(', ')}`);
    return { mapping: Object.fromEntries(Object.entries(input.mapping).filter(([, c]) => !!c)), source: 'request' };
  }
  const remembered = await rememberedMapping(db, input.layer, headersKey(file.columns));
  if (remembered) return { mapping: remembered, source: 'remembered' };
  return { mapping: suggestMapping(input.layer, file.columns), source: 'suggested' };
}

async function resolve(db: Sql, layer: ImportLayer, rows: LayerRow[], allowed: Set<number> | null): Promise<Resolution> {
  switch (layer) {
    case 'buildings': return resolveBuildings(db, rows as BuildingRow[], allowed);
    case 'compounds': return resolveCompounds(db, rows as CompoundRow[], allowed);
    case 'facilities': return resolveFacilities(db, rows as FacilityRow[], allowed);
    case 'households': return resolveHouseholds(db, rows as HouseholdRow[], allowed);
    case 'walk': return { resolved: new Map(), errors: [], repaired: [], outOfScope: [] };
  }
}

function previewOf(layer: ImportLayer, rows: LayerRow[], res: Resolution, walk: WalkPlan | null): FeatureCollection {
  const features: Feature[] = [];
  if (walk) {
    for (const e of walk.edges.slice(0, MAX_PREVIEW)) {
      features.push({ type: 'Feature', geometry: { type: 'LineString', coordinates: e.coords }, properties: { row: e.row, kind: e.kind, name: e.name, update: e.existing !== null } });
    }
    return { type: 'FeatureCollection', features };
  }
  if (layer === 'households') return { type: 'FeatureCollection', features };
  for (const r of rows as Array<BuildingRow | FacilityRow | CompoundRow>) {
    const x = res.resolved.get(r.row);
    if (!x || features.length >= MAX_PREVIEW) continue;
    features.push({
      type: 'Feature',
      geometry: x.geojson ? JSON.parse(x.geojson) : r.geometry,
      properties: { row: r.row, code: r.code, name: r.name, update: x.existing !== null, repaired: !!x.repairedReason },
    });
  }
  return { type: 'FeatureCollection', features };
}

/**
 * A community-scoped caller's file reaching into other communities is refused as a whole (403):
 * importing the rows that happen to be theirs would silently drop part of a file meant as one.
 */
async function outOfScope(db: Sql, rows: Resolution['outOfScope']): Promise<ImportRequestError> {
  const ids = [...new Set(rows.map((r) => r.communityId))];
  const names = (await db.query<{ name: string }>('SELECT name FROM communities WHERE id = ANY ($1::int[]) ORDER BY id', [ids])).map((c) => c.name);
  const shown = rows.slice(0, 10).map((r) => r.row);
  const more = rows.length > shown.length ? ` …（共 ${rows.length} 行）` : '';
  const moreEn = rows.length > shown.length ? ` … (${rows.length} rows)` : '';
  return new ImportRequestError('out_of_scope',
    `文件中有 ${rows.length} 行属于您无权管理的社区（${names.join('、')}）：第 ${shown.join('、')} 行${more}。整个文件未导入`,
    `${rows.length} row(s) of the file lie in communities you are not responsible for (${names.join(', ')}): row ${shown.join(', ')}${moreEn}. Nothing was imported`,
    { rows: rows.slice(0, MAX_ERRORS) });
}

/** Imports at least this big refresh the statistics of the tables they wrote. */
const ANALYZE_AFTER_ROWS = 1_000;
const ANALYZE_TABLES: Record<ImportInput['layer'], string> = {
  buildings: 'buildings',
  compounds: 'compounds',
  facilities: 'facilities',
  households: 'building_unit_rosters, buildings',
  walk: 'walk_nodes, walk_edges',
};

export async function runImport(db: Database, input: ImportInput): Promise<ImportResult> {
  const t0 = Date.now();
  if (input.layer === 'walk' && input.allowedCommunities) {
    throw new ImportRequestError('out_of_scope', '步行网络跨社区，只有街道级管理员或规划员可以导入', 'the walk network spans communities: only street-wide admins and planners may import it');
  }
  const file = await readImportFile(input.filename, input.bytes, input.layer);
  const { mapping, source } = await settleMapping(db, file, input);
  const hasGeometry = file.records.some((r) => r.geometry);
  const missing = missingRequired(input.layer, mapping, hasGeometry);
  const crs = settleCrs(file, mapping, input);
  const result: ImportResult = {
    layer: input.layer, dryRun: input.dryRun, written: false, format: file.format, encoding: file.encoding,
    columns: file.columns, fields: TARGET_FIELDS[input.layer], mapping, mappingSource: source, crs,
    counts: { records: file.records.length, rows: 0, valid: 0, errors: 0, inserts: 0, updates: 0, repaired: 0 },
    errors: [], repaired: [], preview: { type: 'FeatureCollection', features: [] }, ms: 0,
  };
  if (missing.length) {
    if (!input.dryRun) {
      throw new ImportRequestError('mapping_incomplete', `缺少必填字段的列映射：${missing.map((m) => m.zh).join('、')}`,
        `no column mapped for required fields: ${missing.map((m) => m.en).join(', ')}`);
    }
    result.errors = missing.map((m) => ({ row: 0, field: m.key, zh: `请为“${m.zh}”选择一列`, en: `choose a column for "${m.en}"` }));
    result.counts.errors = result.errors.length;
    result.ms = Date.now() - t0;
    return result;
  }
  const toWgs84 = crs.used ? toWgs84Fn(crs.used) : (p: [number, number]) => p;
  const swap = crs.guess?.swapAxes ? (p: [number, number]) => toWgs84([p[1], p[0]]) : toWgs84;
  const mapped = mapRecords(input.layer, file, mapping, swap);
  const res = await resolve(db, input.layer, mapped.rows, input.allowedCommunities);
  if (res.outOfScope.length > 0) throw await outOfScope(db, res.outOfScope);
  const walk = input.layer === 'walk' ? await planWalk(db, mapped.rows as WalkRow[]) : null;

  const errors = [...mapped.errors, ...res.errors].sort((a, b) => a.row - b.row);
  const validRows = walk ? walk.edges.length : res.resolved.size;
  const updates = walk ? walk.edges.filter((e) => e.existing !== null).length : [...res.resolved.values()].filter((r) => r.existing !== null).length;
  result.counts = {
    records: file.records.length, rows: mapped.rows.length + mapped.errors.length, valid: validRows,
    errors: errors.length, inserts: validRows - updates, updates, repaired: res.repaired.length,
    ...(walk ? { nodes: walk.newNodes.length } : {}),
    ...(file.skipped ? { skipped: file.skipped.length } : {}),
  };
  if (file.skipped) result.skipped = file.skipped.slice(0, MAX_ERRORS);
  result.errors = errors.slice(0, MAX_ERRORS);
  result.repaired = res.repaired;
  result.preview = previewOf(input.layer, mapped.rows, res, walk);

  if (!input.dryRun) {
    await db.transaction(async (tx) => {
      switch (input.layer) {
        case 'buildings': await writeBuildings(tx, mapped.rows as BuildingRow[], res.resolved); break;
        case 'compounds': await writeCompounds(tx, mapped.rows as CompoundRow[], res.resolved); break;
        case 'facilities': await writeFacilities(tx, mapped.rows as FacilityRow[], res.resolved); break;
        case 'households': await writeHouseholds(tx, mapped.rows as HouseholdRow[], res.resolved); break;
        case 'walk': await writeWalk(tx, walk!); break;
      }
      if (source === 'request') await rememberMapping(tx, input.layer, headersKey(file.columns), mapping, input.actor);
    });
    result.written = true;
    // A big import changes the tables' shape: refresh the planner's statistics now rather than
    // when autovacuum gets to it (stale ones made grid tiles take minutes on a 100k street).
    if (mapped.rows.length >= ANALYZE_AFTER_ROWS) await db.query(`ANALYZE ${ANALYZE_TABLES[input.layer]}`);
  }
  result.ms = Date.now() - t0;
  return result;
}
