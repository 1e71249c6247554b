/**
 * The `boundaries` layer (issue #15.2): districts, streets and communities, written level by level
 * (districts first, so a street finds the district the same file brings). A boundary whose code
 * exists is updated in place — same id, since grids, plans, buildings and compounds point at it.
 * A community whose outline changed re-derives which buildings and compounds belong to it.
 *
 * The dry run runs exactly the same statements in a transaction that is rolled back, so what it
 * reports (new / updated / unchanged, buildings that would move or end up in no community) is what
 * the write will do, parents deduced within the same file included.
 */
import type { Feature, Geometry } from 'geojson';
import type { BoundaryLevel, BoundaryRow } from '../../../data/import/map-records.js';
import type { RowError } from '../../../data/import/types.js';
import type { Database, Sql } from '../../db/client.js';
import type { Light } from './prepare.js';
import type { Resolution } from './resolve.js';
import { PREVIEW_POINTS, geomIn } from './resolve.js';
import { autoCode } from '../../../data/import/osm-boundaries.js';
import { STAGED_JSON, stageJson } from './stage.js';
import { rederiveMembership, type Membership } from './boundary-membership.js';

/** How far (metres) a community may reach beyond its street's outline (digitising slop). */
export const COMMUNITY_SLACK_M = 500;

export interface BoundaryEntry {
  row: number; code: string; name: string; level: BoundaryLevel; id: number;
  status: 'new' | 'updated' | 'unchanged';
  parent: string | null;
  /** How the parent was found: named in the file, the code's prefix, or the largest overlap. */
  parentBy: 'file' | 'code' | 'containment' | null;
  /**
   * Where the code came from: the file; `assigned` — a community without one, under the street
   * that contains it, its street's code + 3 digits from the OSM relation id or its name (as OSM
   * communities get theirs); `name` — the code of the street's community of the same name (a re-import).
   */
  codeBy: 'file' | 'assigned' | 'name';
}

export interface BoundaryReport {
  boundaries: BoundaryEntry[];
  counts: { new: number; updated: number; unchanged: number };
  membership: Membership;
}

const TABLE: Record<BoundaryLevel, string> = { district: 'districts', street: 'streets', community: 'communities' };
const PARENT: Record<BoundaryLevel, { table: string; column: string; length: number } | null> = {
  district: null,
  street: { table: 'districts', column: 'district_id', length: 6 },
  community: { table: 'streets', column: 'street_id', length: 9 },
};
const LEVELS: BoundaryLevel[] = ['district', 'street', 'community'];

/** Rows of the file with their repaired outline, in `import_boundaries` (dropped at commit). */
async function stageBoundaries(tx: Sql, rows: Light<BoundaryRow>[], staged: string | Uint8Array) {
  await stageJson(tx, staged);
  await tx.query('DROP TABLE IF EXISTS import_boundaries');
  await tx.query(`CREATE TEMP TABLE import_boundaries ON COMMIT DROP AS
    WITH s AS (SELECT r."row", ${geomIn} AS g0 FROM json_to_recordset(${STAGED_JSON}) AS r("row" int, wkb text)),
    v AS (SELECT s.*, ST_IsValid(g0) AS valid FROM s)
    SELECT a."row", a.code, a.key, a.name, a.level, a.parent, v.valid, CASE WHEN v.valid THEN NULL ELSE ST_IsValidReason(v.g0) END AS reason,
      ST_Multi(CASE WHEN v.valid THEN v.g0 ELSE ST_CollectionExtract(ST_MakeValid(v.g0), 3) END) AS geom
    FROM json_to_recordset($1::json) AS a("row" int, code text, key text, name text, level text, parent text) JOIN v ON v."row" = a."row"`,
  [JSON.stringify(rows)]);
}

interface LevelRow { row: number; code: string | null; name: string; parent: string | null; empty: boolean; reason: string | null;
  given_id: number | null; code_id: number | null; code_parent: string | null; near_id: number | null; near_code: string | null;
  outside: boolean | null; existing: number | null; same: boolean | null }

/** Resolves and writes one level; rows with an error are left out (and so are their children's parents). */
async function writeLevel(tx: Sql, level: BoundaryLevel, rows: Light<BoundaryRow>[], out: Resolution, report: BoundaryEntry[]) {
  const mine = rows.filter((r) => r.level === level);
  if (mine.length === 0) return;
  const p = PARENT[level];
  const t = TABLE[level];
  const parentCols = p ? `
      (SELECT id FROM ${p.table} WHERE code = b.parent) AS given_id,
      (SELECT id FROM ${p.table} WHERE code = left(b.code, ${p.length})) AS code_id, left(b.code, ${p.length}) AS code_parent,
      near.id AS near_id, near.code AS near_code` : 'NULL::int AS given_id, NULL::int AS code_id, NULL AS code_parent, NULL::int AS near_id, NULL AS near_code';
  const nearJoin = p ? `LEFT JOIN LATERAL (SELECT id, code FROM ${p.table} x WHERE x.geom && b.geom AND ST_Intersects(x.geom, b.geom)
      ORDER BY ST_Area(ST_Intersection(x.geom, b.geom)) DESC, id LIMIT 1) near ON NOT ST_IsEmpty(b.geom)` : '';
  const found = await tx.query<LevelRow>(`
    SELECT b."row", b.code, b.name, b.parent, ST_IsEmpty(b.geom) AS empty, b.reason, ${parentCols},
      e.id AS existing, (e.name = b.name AND e.geom IS NOT NULL AND ST_Equals(e.geom, b.geom)) AS same, NULL::boolean AS outside
    FROM import_boundaries b ${nearJoin} LEFT JOIN ${t} e ON e.code = b.code
    WHERE b.level = $1 ORDER BY b."row"`, [level]);
  const write: Array<{ row: number; parentId: number | null }> = [];
  for (const r of found) {
    const err = (zh: string, en: string, field?: string) => out.errors.push({ row: r.row, field, zh, en } satisfies RowError);
    if (r.empty) { err(`几何无效且无法修复（${r.reason}）`, `invalid geometry that cannot be repaired (${r.reason})`, 'geometry'); continue; }
    if (r.code === null) continue; // a community without a code in no street (codeCommunities said so)
    let parentId: number | null = null;
    let parentBy: BoundaryEntry['parentBy'] = null;
    let parentCode: string | null = null;
    if (p && r.parent !== null) {
      if (r.given_id === null) { err(`上级“${r.parent}”不存在`, `parent "${r.parent}" not found`, 'parent'); continue; }
      [parentId, parentBy, parentCode] = [r.given_id, 'file', r.parent];
    } else if (p && r.code_id !== null) [parentId, parentBy, parentCode] = [r.code_id, 'code', r.code_parent];
    else if (p && r.near_id !== null) [parentId, parentBy, parentCode] = [r.near_id, 'containment', r.near_code];
    else if (p) { err(`找不到上级：${r.code_parent} 不存在，也没有与之重叠的${level === 'street' ? '区县' : '街道'}`, `parent not found: ${r.code_parent} does not exist and no ${p.table.slice(0, -1)} overlaps it`, 'parent'); continue; }
    if (r.reason) out.repaired.push({ row: r.row, reason: r.reason });
    write.push({ row: r.row, parentId });
    const changedParent = p && r.existing !== null ? await sameParent(tx, t, p.column, r.existing, parentId) : true;
    report.push({ row: r.row, code: r.code!, name: r.name, level, id: r.existing ?? 0, parent: parentCode, parentBy, codeBy: 'file',
      status: r.existing === null ? 'new' : r.same && changedParent ? 'unchanged' : 'updated' });
  }
  if (level === 'community') await refuseOutside(tx, write, out, report);
  const ok = new Set(report.filter((e) => e.level === level).map((e) => e.row));
  const data = JSON.stringify(write.filter((w) => ok.has(w.row)));
  const src = `json_to_recordset($1::json) AS w("row" int, "parentId" int) JOIN import_boundaries b ON b."row" = w."row"`;
  const extra = level === 'community' ? `, short_name = ${shortName('b.name')}` : '';
  const parentSet = p ? `, ${p.column} = w."parentId"` : '';
  await tx.query(`UPDATE ${t} e SET name = b.name, geom = b.geom${parentSet}${extra} FROM ${src}
    WHERE e.code = b.code AND NOT (e.name = b.name AND e.geom IS NOT NULL AND ST_Equals(e.geom, b.geom)${p ? ` AND e.${p.column} IS NOT DISTINCT FROM w."parentId"` : ''})`, [data]);
  await tx.query(`INSERT INTO ${t} (code, name, geom${p ? `, ${p.column}` : ''}${level === 'community' ? ', short_name' : ''})
    SELECT b.code, b.name, b.geom${p ? ', w."parentId"' : ''}${level === 'community' ? `, ${shortName('b.name')}` : ''} FROM ${src}
    WHERE NOT EXISTS (SELECT 1 FROM ${t} e WHERE e.code = b.code)`, [data]);
  const ids = await tx.query<{ row: number; id: number }>(`SELECT b."row", e.id FROM import_boundaries b JOIN ${t} e ON e.code = b.code WHERE b.level = $1`, [level]);
  const idOf = new Map(ids.map((x) => [x.row, x.id]));
  for (const e of report) if (e.level === level) e.id = idOf.get(e.row) ?? e.id;
}

/** True when the existing row already has this parent (an unchanged row keeps its status). */
async function sameParent(tx: Sql, table: string, column: string, id: number, parentId: number | null) {
  const [r] = await tx.query<{ same: boolean }>(`SELECT ${column} IS NOT DISTINCT FROM $2::int AS same FROM ${table} WHERE id = $1`, [id, parentId]);
  return r.same;
}

/** 社区居民委员会 → 社区: the short name the map labels use. */
const shortName = (col: string) => `coalesce(nullif(regexp_replace(${col}, '(居民委员会|村民委员会|居委会|村委会)$', ''), ''), ${col})`;

/** A community reaching more than COMMUNITY_SLACK_M beyond its street's outline is refused (wrong parent or CRS). */
async function refuseOutside(tx: Sql, write: Array<{ row: number; parentId: number | null }>, out: Resolution, report: BoundaryEntry[]) {
  if (write.length === 0) return;
  const far = await tx.query<{ row: number; code: string; street: string }>(`
    SELECT b."row", b.code, s.code AS street
    FROM json_to_recordset($1::json) AS w("row" int, "parentId" int) JOIN import_boundaries b ON b."row" = w."row"
    JOIN streets s ON s.id = w."parentId"
    WHERE s.geom IS NOT NULL AND NOT ST_CoveredBy(b.geom, ST_Buffer(s.geom::geography, ${COMMUNITY_SLACK_M})::geometry)`, [JSON.stringify(write)]);
  for (const f of far) {
    out.errors.push({ row: f.row, field: 'geometry', zh: `社区 ${f.code} 超出所属街道 ${f.street} 的范围 ${COMMUNITY_SLACK_M} 米以上`, en: `community ${f.code} reaches more than ${COMMUNITY_SLACK_M} m beyond its street ${f.street}` });
    const i = report.findIndex((e) => e.row === f.row);
    if (i >= 0) report.splice(i, 1);
  }
}

/**
 * Communities the file gives no code (a file of communities alone: OSM quartiers, a GeoJSON or
 * Shapefile without a code column): each goes under the street that contains it — the one its
 * point surely inside lies in, else the one it overlaps most — and is coded there: the code of
 * that street's community of the same name when there is one (a re-import updates it in place),
 * else the street's code + 3 digits from its OSM relation id or its name (autoCode, as the OSM
 * reader codes communities), the next free number on a collision. A row inside no street is a row
 * error. Returns how each row's code was found.
 */
async function codeCommunities(tx: Sql, out: Resolution): Promise<Map<number, 'assigned' | 'name'>> {
  const rows = await tx.query<{ row: number; key: string; street_code: string | null; same_name: string | null; empty: boolean }>(`
    SELECT b."row", b.key, s.code AS street_code, ST_IsEmpty(b.geom) AS empty,
      (SELECT c.code FROM communities c WHERE c.street_id = s.id AND (c.name = b.name OR c.short_name = b.name) ORDER BY c.id LIMIT 1) AS same_name
    FROM import_boundaries b
    LEFT JOIN LATERAL (SELECT x.id, x.code FROM streets x WHERE x.geom && b.geom AND ST_Intersects(x.geom, b.geom)
      ORDER BY ST_Intersects(x.geom, ST_PointOnSurface(b.geom)) DESC, ST_Area(ST_Intersection(x.geom, b.geom)) DESC, x.id LIMIT 1) s ON NOT ST_IsEmpty(b.geom)
    WHERE b.level = 'community' AND b.code IS NULL ORDER BY b."row"`);
  const how = new Map<number, 'assigned' | 'name'>();
  if (rows.length === 0) return how;
  const streets = [...new Set(rows.map((r) => r.street_code).filter((c): c is string => c !== null))];
  const taken = new Set((await tx.query<{ code: string }>(`
    SELECT code FROM communities WHERE left(code, 9) = ANY ($1::text[])
    UNION SELECT code FROM import_boundaries WHERE code IS NOT NULL`, [streets])).map((c) => c.code));
  const codes: Array<{ row: number; code: string }> = [];
  // "Wrong CRS?" only when most of these communities lie in no street (the file misses them as a whole).
  const lost = rows.filter((r) => !r.empty && r.street_code === null).length;
  const misplaced = lost * 2 > rows.filter((r) => !r.empty).length;
  // In key order (the relation id, as the OSM reader does), so a collision goes the same way every time.
  const byKey = [...rows].sort((a, b) => (BigInt(a.key) < BigInt(b.key) ? -1 : BigInt(a.key) > BigInt(b.key) ? 1 : a.row - b.row));
  for (const r of byKey) {
    if (r.empty) continue; // writeLevel reports the geometry
    if (r.street_code === null) {
      out.errors.push({ row: r.row, field: 'geometry', zh: `没有区划代码的社区须位于系统中已有的某个街道内，此社区不在任何街道范围内${misplaced ? '（坐标系是否选错？）' : ''}`,
        en: `a community without a code goes in under the existing street that contains it, and this one lies in no street of the deployment${misplaced ? ' (wrong CRS?)' : ''}` });
      continue;
    }
    const reuse = r.same_name !== null && !codes.some((c) => c.code === r.same_name);
    const code = reuse ? r.same_name! : autoCode(r.key, r.street_code, 3, taken);
    taken.add(code);
    codes.push({ row: r.row, code });
    how.set(r.row, reuse ? 'name' : 'assigned');
  }
  await tx.query(`UPDATE import_boundaries b SET code = c.code FROM json_to_recordset($1::json) AS c("row" int, code text) WHERE b."row" = c."row"`, [JSON.stringify(codes)]);
  return how;
}

/** Colours of the preview by level (docs/api.md, *Boundaries*: `preview`). */
async function previewFeatures(tx: Sql, entries: BoundaryEntry[], errors: RowError[]): Promise<Feature[]> {
  const ok = entries.map((e) => ({ row: e.row, code: e.code, level: e.level, status: e.status, parent: e.parent }));
  const rejected = [...new Set(errors.map((e) => e.row))].filter((r) => !entries.some((e) => e.row === r));
  const g = `ST_Multi(b.geom)`;
  const shown = await tx.query<{ row: number; code: string | null; name: string; level: string; status: string | null; parent: string | null; geojson: string; repaired: boolean }>(`
    SELECT b."row", coalesce(e.code, b.code) AS code, b.name, b.level, e.status, e.parent, b.reason IS NOT NULL AS repaired,
      ST_AsGeoJSON(CASE WHEN ST_NPoints(${g}) <= ${PREVIEW_POINTS} THEN ${g}
        ELSE ST_Simplify(${g}, greatest(ST_XMax(${g}) - ST_XMin(${g}), ST_YMax(${g}) - ST_YMin(${g})) / 1000, true) END, 7) AS geojson
    FROM import_boundaries b LEFT JOIN json_to_recordset($1::json) AS e("row" int, code text, level text, status text, parent text) ON e."row" = b."row"
    WHERE NOT ST_IsEmpty(b.geom) AND (e."row" IS NOT NULL OR b."row" = ANY ($2::int[]))
    ORDER BY array_position(ARRAY['district', 'street', 'community'], b.level), b."row" LIMIT 3000`, [JSON.stringify(ok), rejected]);
  return shown.map((s) => ({
    type: 'Feature', geometry: JSON.parse(s.geojson) as Geometry,
    properties: { row: s.row, code: s.code, name: s.name, level: s.level, status: s.status, parent: s.parent, update: s.status !== null && s.status !== 'new', repaired: s.repaired, error: s.status === null },
  }));
}

/** Applies the boundary rows in `tx`; returns the per-row resolution and the report. */
export async function applyBoundaries(tx: Sql, rows: Light<BoundaryRow>[], staged: string | Uint8Array): Promise<{ res: Resolution; report: BoundaryReport; preview: Feature[] }> {
  await stageBoundaries(tx, rows, staged);
  const res: Resolution = { resolved: new Map(), errors: [], repaired: [], outOfScope: [] };
  const entries: BoundaryEntry[] = [];
  let coded = new Map<number, 'assigned' | 'name'>();
  for (const level of LEVELS) {
    if (level === 'community') coded = await codeCommunities(tx, res);
    await writeLevel(tx, level, rows, res, entries);
  }
  for (const e of entries) {
    const how = coded.get(e.row);
    if (how) [e.codeBy, e.parentBy] = [how, 'containment'];
  }
  const preview = await previewFeatures(tx, entries, res.errors);
  const changed = entries.filter((e) => e.level === 'community' && e.status !== 'unchanged').map((e) => e.id);
  const membership = await rederiveMembership(tx, changed);
  for (const e of entries) res.resolved.set(e.row, { row: e.row, existing: e.status === 'new' ? null : e.id, communityId: null });
  res.errors.sort((a, b) => a.row - b.row);
  const count = (s: BoundaryEntry['status']) => entries.filter((e) => e.status === s).length;
  return { res, preview, report: { boundaries: entries.sort((a, b) => a.row - b.row), counts: { new: count('new'), updated: count('updated'), unchanged: count('unchanged') }, membership } };
}

class DryRun extends Error {
  constructor(readonly value: { res: Resolution; report: BoundaryReport; preview: Feature[] }) { super('dry run'); }
}

/** The dry run: every statement of the write, in a transaction rolled back at the end. */
export async function previewBoundaries(db: Database, rows: Light<BoundaryRow>[], staged: string | Uint8Array) {
  try {
    await db.transaction(async (tx) => { throw new DryRun(await applyBoundaries(tx, rows, staged)); });
  } catch (e) {
    if (e instanceof DryRun) return e.value;
    throw e;
  }
  throw new Error('unreachable');
}
