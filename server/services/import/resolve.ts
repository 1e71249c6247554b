/**
 * Resolving mapped rows against the database, identically for the dry run and the write:
 * community / compound / building / category names or codes → ids (communities and compounds
 * also spatially, from the geometry), existing rows by code (→ update instead of insert), and
 * geometry validity (invalid → ST_MakeValid, reported; nothing left after repair → rejected).
 */
import type { Sql } from '../../db/client.js';
import type { BuildingRow, CompoundRow, FacilityRow, HouseholdRow } from '../../../data/import/map-records.js';
import type { Light } from './prepare.js';
import { STAGED_JSON } from './stage.js';
import type { RowError } from '../../../data/import/types.js';

export interface Resolved {
  row: number;
  /** Id of the existing row this one updates, or null for an insert. */
  existing: number | null;
  communityId: number | null;
  compoundId?: number | null;
  buildingId?: number;
  category?: string;
  /**
   * GeoJSON text of the geometry for the preview: as stored (repaired when it was invalid), or
   * simplified when it has over PREVIEW_POINTS vertices (the write takes the full geometry from
   * the staged rows, never from this).
   */
  geojson?: string;
  repairedReason?: string | null;
}

export interface Resolution {
  resolved: Map<number, Resolved>;
  errors: RowError[];
  repaired: Array<{ row: number; reason: string }>;
  /** Rows that resolved to a community the caller may not change (the whole import is refused). */
  outOfScope: Array<{ row: number; communityId: number }>;
  /**
   * Rows lying in no community, with their geometry for the preview (GeoJSON text): buildings and
   * compounds (rejected, one error line for them all) and facilities (imported, one warning line).
   */
  outside?: Array<{ row: number; geojson: string | null }>;
  /** Warnings found against the database (facilities in no community), one line each with `count`. */
  warnings?: RowError[];
}

type Err = (zh: string, en: string, field?: string) => void;

/**
 * A row naming a community its geometry lies over COMMUNITY_TOLERANCE_M outside: an error naming
 * both, the named one and the one it lies in (or none). True when it was one.
 */
function farFromNamed(r: ResolveRow, err: Err): boolean {
  if (!r.far) return false;
  const named = r.community_name ?? '';
  err(`社区列写的是“${named}”，但几何在其 ${COMMUNITY_TOLERANCE_M} 米之外，位于${r.lies_in ? `社区“${r.lies_in}”` : '任何社区之外'}`,
    `the community column names "${named}", but the geometry lies over ${COMMUNITY_TOLERANCE_M} m outside it, ${r.lies_in ? `in community "${r.lies_in}"` : 'in no community'}`, 'community');
  return true;
}

/** The staged geometry (hex WKB from the worker, prepare.ts). */
export const geomIn = `ST_SetSRID(ST_GeomFromWKB(decode(r.wkb, 'hex')), 4326)`;
const communityMatch = (col: string) => `(code = ${col} OR name = ${col} OR short_name = ${col})`;
/** How far (m) a row's geometry may lie from the community its `community` column names. */
export const COMMUNITY_TOLERANCE_M = 500;
/**
 * `c.id`: the staged row's community — by the name or code it gives, else the one its point lies
 * in; `c.far` when the named one is over COMMUNITY_TOLERANCE_M from the geometry `geom`, and then
 * `ci.name`, the community its point does lie in (null: none).
 */
const communityJoin = (point: string, geom: string) => `LEFT JOIN LATERAL (SELECT id, name, CASE WHEN g.community IS NULL OR ${geom} IS NULL THEN false
      ELSE NOT ST_DWithin(geom::geography, ${geom}::geography, ${COMMUNITY_TOLERANCE_M}) END AS far
    FROM communities WHERE CASE WHEN g.community IS NULL
      THEN ST_Intersects(geom, ${point}) ELSE ${communityMatch('g.community')} END ORDER BY id LIMIT 1) c ON true
    LEFT JOIN LATERAL (SELECT name FROM communities WHERE c.far AND ST_Intersects(geom, ${point}) ORDER BY id LIMIT 1) ci ON true`;
/** The columns communityJoin adds to a resolve query. */
const communityCols = 'c.id AS community_id, c.name AS community_name, c.far, ci.name AS lies_in';

/** Above this many vertices a preview geometry is simplified (a 1M-vertex outline is 30 MB of text). */
export const PREVIEW_POINTS = 2000;
const previewOf = (g: string) => `CASE WHEN ST_NPoints(${g}) <= ${PREVIEW_POINTS} THEN ${g}
  ELSE ST_Simplify(${g}, greatest(ST_XMax(${g}) - ST_XMin(${g}), ST_YMax(${g}) - ST_YMin(${g})) / 1000, true) END`;

/** Geometry validity + repair columns, for an area (3) or point (1) geometry `g0`. */
const geomCols = `g.valid, CASE WHEN g.valid THEN NULL ELSE ST_IsValidReason(g.g0) END AS reason, ST_IsEmpty(g.g1) AS empty,
  ST_AsGeoJSON(${previewOf('g.g1')}, 7) AS geojson`;

/**
 * The CTE `g`: input rows with `g0` (as given), `valid`, `g1` (repaired when invalid) and `pt`, a
 * point surely inside g1 for spatial look-ups (a centroid of an invalid bow-tie can be anywhere).
 * MATERIALIZED: inlined, the planner re-parsed, re-validated and re-computed `pt` for every
 * community and compound each row was tested against (20,000 buildings: 36 s → see docs/benchmarks.md).
 */
const staged = (columns: string, dim: 1 | 3) => `
  g0 AS (SELECT r.*, ${geomIn} AS g0 FROM json_to_recordset(${STAGED_JSON}) AS r(${columns})),
  v AS MATERIALIZED (SELECT g0.*, ST_IsValid(g0.g0) AS valid FROM g0),
  g1 AS (SELECT v.*, CASE WHEN v.valid THEN v.g0 ELSE ST_CollectionExtract(ST_MakeValid(v.g0), ${dim}) END AS g1 FROM v),
  g AS MATERIALIZED (SELECT g1.*, CASE WHEN ST_IsEmpty(g1.g1) THEN NULL ELSE ST_PointOnSurface(g1.g1) END AS pt FROM g1)`;

interface ResolveRow {
  row: number; valid: boolean; reason: string | null; geojson: string | null; empty?: boolean | null;
  community_id: number | null; community_name?: string | null; far?: boolean | null; lies_in?: string | null; compound_id?: number | null; existing: number | null;
  building_ids?: number[]; category?: string | null;
}

function finish(rows: ResolveRow[], check: (r: ResolveRow, err: Err) => void, allowed: Set<number> | null): Resolution {
  const out: Resolution = { resolved: new Map(), errors: [], repaired: [], outOfScope: [] };
  for (const r of rows) {
    if (allowed && r.community_id !== null && !allowed.has(r.community_id)) out.outOfScope.push({ row: r.row, communityId: r.community_id });
    let failed = false;
    const err: Err = (zh, en, field) => {
      if (!failed) out.errors.push({ row: r.row, field, zh, en });
      failed = true;
    };
    if (r.valid === false) {
      const empty = r.empty ?? true;
      if (empty) err(`几何无效且无法修复（${r.reason}）`, `invalid geometry that cannot be repaired (${r.reason})`, 'geometry');
    }
    check(r, err);
    if (failed) continue;
    if (r.valid === false) out.repaired.push({ row: r.row, reason: r.reason ?? 'invalid' });
    out.resolved.set(r.row, {
      row: r.row, existing: r.existing, communityId: r.community_id, compoundId: r.compound_id ?? null,
      buildingId: r.building_ids?.[0], category: r.category ?? undefined, geojson: r.geojson ?? undefined,
      repairedReason: r.valid === false ? r.reason : null,
    });
  }
  return out;
}

/** The kinds of row summarised by {@link outsideLine}. */
const KIND = {
  building: { zh: '栋楼', en: ['building', 'buildings'] },
  compound: { zh: '个小区', en: ['compound', 'compounds'] },
  facility: { zh: '个设施', en: ['facility', 'facilities'] },
} as const;

/**
 * One line for the rows lying in no community (issue: "wrong CRS?" on every row). Whether it
 * suggests a wrong coordinate system depends on the file as a whole: when the deployment has no
 * community yet, it says to import the boundaries; when most of the file's rows (more than half of
 * those with a geometry) lie in no community — a file in the wrong CRS lands far away as a whole
 * (its extent then meets no community either) — it asks "wrong CRS?"; otherwise the file lands
 * and these rows simply lie beyond the deployment's communities (an extract reaching over a border:
 * Monaco's French side), said plainly. `imported`: facilities go in anyway (a warning).
 */
export async function outsideLine(db: Sql, kind: keyof typeof KIND, rows: number[], total: number, imported: boolean): Promise<RowError | null> {
  if (rows.length === 0) return null;
  const n = rows.length;
  const k = KIND[kind];
  const en = n === 1 ? `1 ${k.en[0]}` : `${n} ${k.en[1]}`;
  const list = rows.slice(0, 10);
  const rowsZh = `（第 ${list.join('、')} 行${n > list.length ? ' …' : ''}）`;
  const rowsEn = ` (row${n === 1 ? '' : 's'} ${list.join(', ')}${n > list.length ? ' …' : ''})`;
  const verbEn = n === 1 ? 'lies' : 'lie';
  const [{ any }] = await db.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM communities) AS any');
  const then = imported ? { zh: '：已导入，但不属于任何社区', en: ': imported, but in no community' } : { zh: '，未导入', en: ': not imported' };
  let zh: string;
  let enText: string;
  if (!any) {
    zh = `系统中还没有社区边界：${n} ${k.zh}不在任何社区内${then.zh}；请先导入边界${rowsZh}`;
    enText = `the deployment has no community boundaries yet: ${en} ${verbEn} in no community${then.en}; import the boundaries first${rowsEn}`;
  } else if (n * 2 > total) {
    zh = `${n} / ${total} ${k.zh}不在任何社区范围内${then.zh}：整个文件没有落在本系统的社区上（坐标系是否选错？）${rowsZh}`;
    enText = `${n} of ${total} ${k.en[1]} lie in no community${then.en} — the file as a whole does not land on the deployment's communities (wrong CRS?)${rowsEn}`;
  } else {
    zh = `${n} ${k.zh}位于本系统所有社区之外${then.zh}${rowsZh}`;
    enText = `${en} ${verbEn} outside every community of the deployment${then.en}${rowsEn}`;
  }
  return { row: rows[0], field: 'geometry', zh, en: enText, count: n, rows: rows.slice(0, 1000) };
}

/** Replaces the rows' own "in no community" errors by one line ({@link outsideLine}). */
async function summariseOutside(db: Sql, kind: 'building' | 'compound', out: Resolution, outside: NonNullable<Resolution['outside']>, total: number) {
  const rows = outside.map((o) => o.row);
  const line = await outsideLine(db, kind, rows, total, false);
  if (!line) return;
  const set = new Set(rows);
  out.errors = [...out.errors.filter((e) => !(set.has(e.row) && e.field === OUTSIDE_FIELD)), line].sort((a, b) => a.row - b.row);
}
/** Marks a row's own "in no community" error until summariseOutside replaces it. */
const OUTSIDE_FIELD = '\u0000outside';

/** Reads the rows' geometries from `import_stage` (stage.ts): call inside the transaction that staged them. */
export async function resolveBuildings(db: Sql, rows: Light<BuildingRow>[], allowed: Set<number> | null): Promise<Resolution> {
  const res = await db.query<ResolveRow>(`
    WITH ${staged('"row" int, code text, community text, compound text, wkb text', 3)}
    SELECT g."row", ${geomCols}, ${communityCols}, k.id AS compound_id, b.id AS existing
    FROM g
    ${communityJoin('g.pt', 'g.g1')}
    LEFT JOIN LATERAL (SELECT id FROM compounds WHERE CASE WHEN g.compound IS NULL THEN ST_Intersects(geom, g.pt)
      ELSE (code = g.compound OR name = g.compound) AND (c.id IS NULL OR community_id = c.id) END ORDER BY id LIMIT 1) k ON true
    LEFT JOIN buildings b ON b.code = g.code
    ORDER BY g."row"`);
  const byRow = new Map(rows.map((r) => [r.row, r]));
  const outside: NonNullable<Resolution['outside']> = [];
  const out = finish(res, (r, err) => {
    const src = byRow.get(r.row)!;
    if (r.community_id === null) {
      if (src.community) err(`社区“${src.community}”不存在`, `community "${src.community}" not found`, 'community');
      else if (r.empty !== true) {
        err('楼栋不在任何社区范围内', 'building lies in no community', OUTSIDE_FIELD);
        outside.push({ row: r.row, geojson: r.geojson });
      }
    } else if (farFromNamed(r, err)) return;
    else if (src.compound && r.compound_id === null) err(`小区“${src.compound}”不存在`, `compound "${src.compound}" not found`, 'compound');
  }, allowed);
  await summariseOutside(db, 'building', out, outside, res.filter((r) => r.empty !== true).length);
  return { ...out, outside };
}

/** Reads the rows' geometries from `import_stage` (stage.ts): call inside the transaction that staged them. */
export async function resolveCompounds(db: Sql, rows: Light<CompoundRow>[], allowed: Set<number> | null): Promise<Resolution> {
  const res = await db.query<ResolveRow>(`
    WITH ${staged('"row" int, code text, community text, wkb text', 3)}
    SELECT g."row", ${geomCols}, ${communityCols}, k.id AS existing
    FROM g
    ${communityJoin('g.pt', 'g.g1')}
    LEFT JOIN compounds k ON k.code = g.code
    ORDER BY g."row"`);
  const byRow = new Map(rows.map((r) => [r.row, r]));
  const outside: NonNullable<Resolution['outside']> = [];
  const out = finish(res, (r, err) => {
    const src = byRow.get(r.row)!;
    if (r.community_id === null) {
      if (src.community) err(`社区“${src.community}”不存在`, `community "${src.community}" not found`, 'community');
      else if (r.empty !== true) {
        err('小区不在任何社区范围内', 'compound lies in no community', OUTSIDE_FIELD);
        outside.push({ row: r.row, geojson: r.geojson });
      }
    } else farFromNamed(r, err);
  }, allowed);
  await summariseOutside(db, 'compound', out, outside, res.filter((r) => r.empty !== true).length);
  return { ...out, outside };
}

/** Reads the rows' geometries from `import_stage` (stage.ts): call inside the transaction that staged them. */
export async function resolveFacilities(db: Sql, rows: Light<FacilityRow>[], allowed: Set<number> | null): Promise<Resolution> {
  const res = await db.query<ResolveRow>(`
    WITH ${staged('"row" int, code text, community text, category text, wkb text', 1)}
    SELECT g."row", ${geomCols}, ${communityCols}, f.id AS existing, fc.code AS category
    FROM g
    ${communityJoin('g.g1', 'g.g1')}
    LEFT JOIN LATERAL (SELECT code FROM facility_categories WHERE code = g.category OR name = g.category OR lower(name_en) = lower(g.category) LIMIT 1) fc ON true
    LEFT JOIN facilities f ON f.code = g.code
    ORDER BY g."row"`);
  const byRow = new Map(rows.map((r) => [r.row, r]));
  const out = finish(res, (r, err) => {
    const src = byRow.get(r.row)!;
    if (!r.category) err(`未知设施类别“${src.category}”`, `unknown facility category "${src.category}"`, 'category');
    if (src.community && r.community_id === null) err(`社区“${src.community}”不存在`, `community "${src.community}" not found`, 'community');
    else farFromNamed(r, err);
  }, allowed);
  // Facilities in no community are imported (the life circle reaches across borders), but set-up
  // status warns about them (facilities_outside_communities): the report warns the same way.
  const outside = res.filter((r) => r.community_id === null && out.resolved.has(r.row)).map((r) => ({ row: r.row, geojson: r.geojson }));
  const line = await outsideLine(db, 'facility', outside.map((o) => o.row), res.filter((r) => r.empty !== true).length, true);
  return { ...out, outside, ...(line ? { warnings: [line] } : {}) };
}

export async function resolveHouseholds(db: Sql, rows: HouseholdRow[], allowed: Set<number> | null): Promise<Resolution> {
  // A roster has one row per unit: resolve each distinct (building, compound, community) once.
  const keyOf = (r: HouseholdRow) => JSON.stringify([r.building, r.compound, r.community]);
  const keys = [...new Set(rows.map(keyOf))];
  const json = JSON.stringify(keys.map((k, i) => {
    const [building, compound, community] = JSON.parse(k);
    return { k: i, building, compound, community };
  }));
  const found = await db.query<{ k: number; ids: number[]; community_id: number }>(`
    WITH g AS (SELECT * FROM json_to_recordset($1::json) AS r(k int, building text, compound text, community text)),
    -- Candidates by code, or by number (as written, or with 号楼/号 appended) within the compound/community given.
    cand AS (
      SELECT g.k, b.id, b.community_id FROM g JOIN buildings b ON b.code = g.building
      UNION
      SELECT g.k, b.id, b.community_id
      FROM g CROSS JOIN LATERAL (VALUES (g.building), (g.building || '号楼'), (g.building || '号')) v(num)
      JOIN buildings b ON b.number = v.num
      JOIN communities c ON c.id = b.community_id LEFT JOIN compounds k ON k.id = b.compound_id
      WHERE (g.compound IS NULL OR k.code = g.compound OR k.name = g.compound)
        AND (g.community IS NULL OR c.code = g.community OR c.name = g.community OR c.short_name = g.community))
    SELECT k, array_agg(id ORDER BY id) AS ids, min(community_id) AS community_id FROM cand GROUP BY k`, [json]);
  const byKey = new Map(found.map((f) => [keys[f.k], f]));
  const ids = [...new Set(found.flatMap((f) => f.ids))];
  const existing = new Set((await db.query<{ b: number; u: number }>(
    'SELECT building_id AS b, unit AS u FROM building_unit_rosters WHERE building_id = ANY ($1::int[])', [ids])).map((e) => `${e.b}:${e.u}`));
  const res: ResolveRow[] = rows.map((r) => {
    const f = byKey.get(keyOf(r));
    return {
      row: r.row, valid: true, reason: null, geojson: null, building_ids: f?.ids ?? [], community_id: f?.community_id ?? null,
      existing: f && existing.has(`${f.ids[0]}:${r.unit}`) ? 1 : null,
    };
  });
  const byRow = new Map(rows.map((r) => [r.row, r]));
  const seen = new Map<string, number>();
  return finish(res, (r, err) => {
    const src = byRow.get(r.row)!;
    const ids = r.building_ids ?? [];
    if (ids.length === 0) err(`楼栋“${src.building}”不存在`, `building "${src.building}" not found`, 'building');
    else if (ids.length > 1) err(`楼栋号“${src.building}”对应 ${ids.length} 栋楼，请补充小区或社区`, `building "${src.building}" matches ${ids.length} buildings: add the compound or community`, 'building');
    else {
      const key = `${ids[0]}:${src.unit}`;
      const first = seen.get(key);
      if (first !== undefined) err(`与第 ${first} 行是同一楼栋单元`, `same building and unit as row ${first}`, 'unit');
      else seen.set(key, r.row);
    }
  }, allowed);
}
