/**
 * One import, dry or real: read the file, settle the CRS and the column mapping, map every record
 * to a row (or a per-row error), resolve rows against the database, and — unless it is a dry run —
 * write everything in ONE transaction. The dry run and the write share every step but the last,
 * so the preview shows exactly what will be written.
 */
import type { Feature, FeatureCollection } from 'geojson';
import { TARGET_FIELDS, headersKey } from '../../../data/import/columns.js';
import type { BoundaryRow, BuildingRow, CompoundRow, FacilityRow, HouseholdRow, WalkRow } from '../../../data/import/map-records.js';
import type { ColumnMapping, ImportLayer, ParsedFile, RowError } from '../../../data/import/types.js';
import { UNSAFE_TEXT } from '../../../data/import/values.js';
import type { Database, Sql } from '../../db/client.js';
import { rememberMapping, rememberedMappings } from '../../repos/import-mappings.repo.js';
import { ImportRequestError } from './import-errors.js';
import { type CrsSettled, type Light, type LightRow, type PrepareRequest, type Prepared, type Progress, prepareImport } from './prepare.js';
import { stageJson } from './stage.js';
import { type BoundaryReport, applyBoundaries, previewBoundaries } from './boundaries.js';
import { type Resolution, resolveBuildings, resolveCompounds, resolveFacilities, resolveHouseholds } from './resolve.js';
import { type WalkPlan, planWalk, writeBuildings, writeCompounds, writeFacilities, writeHouseholds, writeWalk } from './write.js';

export { ImportRequestError };
export { hintFromName } from './prepare.js';

/** What to import: the file and its reading options as for `prepare` (the worker), and who asks. */
export interface ImportInput extends Omit<PrepareRequest, 'remembered'> {
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
  crs: CrsSettled;
  counts: { records: number; rows: number; valid: number; errors: number; warnings: number; inserts: number; updates: number; repaired: number; nodes?: number; skipped?: number; partial?: number };
  errors: RowError[];
  /** Optional values that did not parse, left empty or rounded (`field` is the file's column), of rows that are imported. */
  warnings: RowError[];
  /**
   * OSM only: objects of the layer's kind left out of `records` (e.g. a multipolygon whose ring does
   * not close), with why; `kept: true` for one imported without the parts missing from the extract
   * (counted in `counts.partial`, not in `counts.skipped`).
   */
  skipped?: Array<{ osmId: string; zh: string; en: string; kept?: boolean; count?: number }>;
  repaired: Array<{ row: number; reason: string }>;
  /**
   * Rows lying in no community, shown in the preview with `outside: true`: buildings and compounds
   * (not imported: one error line with `count`), facilities (imported: one warning line with `count`).
   */
  outside?: { count: number; rows: number[] };
  preview: FeatureCollection;
  /** Boundaries only: per boundary new/updated/unchanged, buildings moved or left in no community, plan_outdated. */
  boundaries?: BoundaryReport;
  ms: number;
}

const MAX_ERRORS = 1000;

/** Boundaries: the report and the outlines by level (boundaries.ts), from the dry run's rolled-back transaction. */
interface BoundaryOutcome { boundaries?: BoundaryReport; preview?: Feature[] }
const MAX_PREVIEW = 3000;

/** Resolves the rows; layers with geometries read them from the staged JSON, sent in pieces in one transaction. */
async function resolve(db: Database, layer: ImportLayer, rows: LightRow[], allowed: Set<number> | null, staged: string | Uint8Array | null, report: BoundaryOutcome): Promise<Resolution> {
  const inStage = (fn: (tx: Sql) => Promise<Resolution>) => db.transaction(async (tx) => {
    await stageJson(tx, staged ?? '[]');
    return fn(tx);
  });
  switch (layer) {
    case 'buildings': return inStage((tx) => resolveBuildings(tx, rows as Light<BuildingRow>[], allowed));
    case 'compounds': return inStage((tx) => resolveCompounds(tx, rows as Light<CompoundRow>[], allowed));
    case 'facilities': return inStage((tx) => resolveFacilities(tx, rows as Light<FacilityRow>[], allowed));
    case 'households': return resolveHouseholds(db, rows as HouseholdRow[], allowed);
    case 'walk': return { resolved: new Map(), errors: [], repaired: [], outOfScope: [] };
    case 'boundaries': {
      const { res, report: r, preview } = await previewBoundaries(db, rows as Light<BoundaryRow>[], staged ?? '[]');
      report.boundaries = r;
      report.preview = preview;
      return res;
    }
  }
}

function previewOf(layer: ImportLayer, rows: LightRow[], res: Resolution, walk: WalkPlan | null, boundaries: Feature[] | undefined): FeatureCollection {
  const features: Feature[] = [];
  if (boundaries) return { type: 'FeatureCollection', features: boundaries };
  if (walk) {
    for (const e of walk.edges.slice(0, MAX_PREVIEW)) {
      features.push({ type: 'Feature', geometry: { type: 'LineString', coordinates: e.coords }, properties: { row: e.row, kind: e.kind, name: e.name, update: e.existing !== null } });
    }
    return { type: 'FeatureCollection', features };
  }
  if (layer === 'households') return { type: 'FeatureCollection', features };
  const outsideRows = new Set((res.outside ?? []).map((o) => o.row));
  for (const r of rows as Array<Light<BuildingRow | FacilityRow | CompoundRow>>) {
    const x = res.resolved.get(r.row);
    if (!x?.geojson || features.length >= MAX_PREVIEW) continue;
    features.push({
      type: 'Feature',
      geometry: JSON.parse(x.geojson), // bounded: simplified past PREVIEW_POINTS vertices (resolve.ts)
      // Facilities in no community are imported, and drawn as outside too.
      properties: { row: r.row, code: r.code, name: r.name, update: x.existing !== null, repaired: !!x.repairedReason, ...(outsideRows.has(r.row) ? { outside: true } : {}) },
    });
  }
  // Where the rows in no community are, so the user sees whether the CRS or the boundaries are wrong.
  const byRow = new Map((rows as Array<Light<BuildingRow | CompoundRow>>).map((r) => [r.row, r]));
  for (const o of res.outside ?? []) {
    if (!o.geojson || features.length >= MAX_PREVIEW || res.resolved.has(o.row)) continue;
    const src = byRow.get(o.row);
    features.push({ type: 'Feature', geometry: JSON.parse(o.geojson), properties: { row: o.row, code: src?.code ?? null, name: src?.name ?? null, outside: true } });
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
  boundaries: 'districts, streets, communities, buildings, compounds',
};

/**
 * What the CPU-heavy half needs (prepare.ts): the request, after the checks that need the
 * database or the caller — the walk network's scope, the layer's remembered mappings.
 */
export async function importRequest(db: Sql, input: ImportInput): Promise<PrepareRequest> {
  if (input.layer === 'walk' && input.allowedCommunities) {
    throw new ImportRequestError('out_of_scope', '步行网络跨社区，只有街道级管理员或规划员可以导入', 'the walk network spans communities: only street-wide admins and planners may import it');
  }
  if (input.layer === 'boundaries' && input.allowedCommunities) {
    throw new ImportRequestError('out_of_scope', '区县、街道、社区边界是全街道范围的数据，只有街道级管理员或规划员可以导入', 'district, street and community boundaries are street-wide: only street-wide admins and planners may import them');
  }
  return {
    filename: input.filename, bytes: input.bytes, layer: input.layer, crs: input.crs, mapping: input.mapping, hint: input.hint,
    dryRun: input.dryRun, osmLevels: input.osmLevels,
    streetsExist: input.layer === 'boundaries' ? (await db.query<{ e: boolean }>('SELECT EXISTS (SELECT 1 FROM streets) AS e'))[0].e : undefined,
    remembered: input.mapping ? {} : await rememberedMappings(db, input.layer),
  };
}

/** One import in this thread (the CLI, benches); the server runs `prepareImport` in a worker. */
export async function runImport(db: Database, input: ImportInput): Promise<ImportResult> {
  const t0 = Date.now();
  return completeImport(db, input, await prepareImport(await importRequest(db, input)), t0);
}

/**
 * The database half, on the main thread: resolve the prepared rows against PostGIS (the staged
 * geometries go to the database as one opaque string), then — unless a dry run — write them in
 * ONE transaction.
 */
export async function completeImport(db: Database, input: ImportInput, file: Prepared, t0 = Date.now(), progress: Progress = () => {}): Promise<ImportResult> {
  const { mapping, mappingSource: source, crs, missing } = file;
  const result: ImportResult = {
    layer: input.layer, dryRun: input.dryRun, written: false, format: file.format, encoding: file.encoding,
    columns: file.columns, fields: TARGET_FIELDS[input.layer], mapping, mappingSource: source, crs,
    counts: { records: file.records, rows: 0, valid: 0, errors: 0, warnings: 0, inserts: 0, updates: 0, repaired: 0 },
    errors: [], warnings: [], repaired: [], preview: { type: 'FeatureCollection', features: [] }, ms: 0,
  };
  if (missing.length) {
    if (!input.dryRun) {
      // Name the file's columns, so the mapping can be chosen (the page's picker, the CLI's --mapping).
      const cols = file.columns.slice(0, 30).join(', ') + (file.columns.length > 30 ? ' …' : '');
      throw new ImportRequestError('mapping_incomplete', `缺少必填字段的列映射：${missing.map((m) => m.zh).join('、')}（文件中的列：${cols}）`,
        `no column mapped for required fields: ${missing.map((m) => m.en).join(', ')} (the file's columns: ${cols}; map them, e.g. mapping={"${missing[0].key}":"<column>"})`);
    }
    result.errors = missing.map((m) => ({ row: 0, field: m.key, zh: `请为“${m.zh}”选择一列`, en: `choose a column for "${m.en}"` }));
    result.counts.errors = result.errors.length;
    result.ms = Date.now() - t0;
    return result;
  }
  progress(0.9, `checking:${file.rows.length}`);
  const report: BoundaryOutcome = {};
  const res = await resolve(db, input.layer, file.rows, input.allowedCommunities, file.staged, report);
  if (report.boundaries) result.boundaries = report.boundaries;
  if (res.outOfScope.length > 0) throw await outOfScope(db, res.outOfScope);
  const walk = input.layer === 'walk' ? await planWalk(db, file.rows as WalkRow[]) : null;

  const errors = [...file.errors, ...res.errors].sort((a, b) => a.row - b.row);
  const rejected = new Set(res.errors.flatMap((e) => e.rows ?? [e.row]));
  const warnings = [...file.warnings.filter((w) => !rejected.has(w.row)), ...(res.warnings ?? [])].sort((a, b) => a.row - b.row);
  // A line for many rows (rows in no community) counts as that many.
  const lines = (list: RowError[]) => list.reduce((n, e) => n + (e.count ?? 1), 0);
  const validRows = walk ? walk.edges.length : res.resolved.size;
  const updates = walk ? walk.edges.filter((e) => e.existing !== null).length : [...res.resolved.values()].filter((r) => r.existing !== null).length;
  result.counts = {
    records: file.records, rows: file.rows.length + file.errors.length, valid: validRows,
    errors: lines(errors), warnings: lines(warnings), inserts: validRows - updates, updates, repaired: res.repaired.length,
    ...(walk ? { nodes: walk.newNodes.length } : {}),
    ...(file.skipped ? { skipped: file.skipped.filter((x) => !x.kept).reduce((n, x) => n + (x.count ?? 1), 0), partial: file.skipped.filter((x) => x.kept).length } : {}),
  };
  if (file.skipped) result.skipped = file.skipped.slice(0, MAX_ERRORS);
  result.errors = errors.slice(0, MAX_ERRORS);
  result.warnings = warnings.slice(0, MAX_ERRORS);
  result.repaired = res.repaired;
  if (res.outside) result.outside = { count: res.outside.length, rows: res.outside.slice(0, MAX_ERRORS).map((o) => o.row) };
  result.preview = previewOf(input.layer, file.rows, res, walk, report.preview);

  if (!input.dryRun) {
    progress(0.95, `writing:${validRows}`);
    const staged = file.staged ?? '[]';
    await db.transaction(async (tx) => {
      switch (input.layer) {
        case 'buildings': await writeBuildings(tx, file.rows as Light<BuildingRow>[], res.resolved, staged); break;
        case 'compounds': await writeCompounds(tx, file.rows as Light<CompoundRow>[], res.resolved, staged); break;
        case 'facilities': await writeFacilities(tx, file.rows as Light<FacilityRow>[], res.resolved, staged); break;
        case 'households': await writeHouseholds(tx, file.rows as HouseholdRow[], res.resolved); break;
        case 'walk': await writeWalk(tx, walk!); break;
        case 'boundaries': {
          const applied = await applyBoundaries(tx, file.rows as Light<BoundaryRow>[], staged);
          result.boundaries = applied.report;
          result.preview = { type: 'FeatureCollection', features: applied.preview };
          break;
        }
      }
      // A file's header row with a NUL (which PostgreSQL cannot store) or another control character
      // is not kept as a key to remember: it failed the whole import with a message naming nothing.
      // (Each header is tested, not the key: the key joins them with U+001F, itself a control character.)
      const headers = headersKey(file.columns);
      if (source === 'request' && !file.columns.some((c) => UNSAFE_TEXT.test(c))) await rememberMapping(tx, input.layer, headers, mapping, input.actor);
    });
    result.written = true;
    // A big import changes the tables' shape: refresh the planner's statistics now rather than
    // when autovacuum gets to it (stale ones made grid tiles take minutes on a 100k street).
    if (file.rows.length >= ANALYZE_AFTER_ROWS) await db.query(`ANALYZE ${ANALYZE_TABLES[input.layer]}`);
  }
  result.ms = Date.now() - t0;
  return result;
}
