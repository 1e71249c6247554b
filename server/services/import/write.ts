/**
 * Writing resolved rows, inside the caller's transaction. Each layer updates the rows whose code
 * already exists and inserts the rest, so re-importing the same file changes nothing twice.
 */
import type { Sql } from '../../db/client.js';
import type { BuildingRow, CompoundRow, FacilityRow, HouseholdRow, WalkRow } from '../../../data/import/map-records.js';
import { lineLengthM, nodeKey, splitIntoEdges } from '../../../data/import/walk-graph.js';
import type { Light } from './prepare.js';
import { type Resolved, geomIn } from './resolve.js';
import { STAGED_JSON, stageJson } from './stage.js';

/**
 * The rows' full geometries, from the staged JSON built off the main thread, repaired as the
 * resolve step reported (ST_MakeValid when invalid), in a temporary table for the statements of
 * this transaction. The geometry never passes through the server's JavaScript on the way.
 */
async function stageGeometries(tx: Sql, staged: string | Uint8Array, dim: 1 | 3) {
  await stageJson(tx, staged);
  await tx.query('DROP TABLE IF EXISTS import_geom');
  await tx.query(`CREATE TEMP TABLE import_geom ON COMMIT DROP AS
    SELECT r."row", CASE WHEN ST_IsValid(s.g) THEN s.g ELSE ST_CollectionExtract(ST_MakeValid(s.g), ${dim}) END AS geom
    FROM json_to_recordset(${STAGED_JSON}) AS r("row" int, wkb text) CROSS JOIN LATERAL (SELECT ${geomIn} AS g) s`);
}

const joinGeom = 'JOIN import_geom ig ON ig."row" = r."row"';

export async function writeBuildings(tx: Sql, rows: Light<BuildingRow>[], res: Map<number, Resolved>, staged: string | Uint8Array) {
  const data = rows.filter((r) => res.has(r.row)).map((r) => {
    const x = res.get(r.row)!;
    return { ...r, communityId: x.communityId, compoundId: x.compoundId };
  });
  await stageGeometries(tx, staged, 3);
  const rec = `json_to_recordset($1::json) AS r("row" int, code text, number text, name text, use text, floors int, units int, households int,
    residents int, "builtYear" int, "communityId" int, "compoundId" int)`;
  await tx.query(`
    UPDATE buildings b SET number = r.number, name = r.name, use = r.use, floors = r.floors, units = r.units,
      households = coalesce(r.households, b.households), residents = coalesce(r.residents, b.residents),
      built_year = coalesce(r."builtYear", b.built_year), community_id = r."communityId", compound_id = r."compoundId",
      geom = ST_Multi(ig.geom)
    FROM ${rec} ${joinGeom} WHERE b.code = r.code`, [JSON.stringify(data)]);
  await tx.query(`
    INSERT INTO buildings (code, community_id, compound_id, number, name, use, floors, units, households, residents, built_year, geom)
    SELECT r.code, r."communityId", r."compoundId", r.number, r.name, r.use, r.floors, r.units, coalesce(r.households, 0),
      coalesce(r.residents, 0), r."builtYear", ST_Multi(ig.geom)
    FROM ${rec} ${joinGeom} WHERE NOT EXISTS (SELECT 1 FROM buildings b WHERE b.code = r.code)`, [JSON.stringify(data)]);
}

export async function writeCompounds(tx: Sql, rows: Light<CompoundRow>[], res: Map<number, Resolved>, staged: string | Uint8Array) {
  const data = rows.filter((r) => res.has(r.row)).map((r) => ({ ...r, communityId: res.get(r.row)!.communityId }));
  await stageGeometries(tx, staged, 3);
  const rec = `json_to_recordset($1::json) AS r("row" int, code text, name text, gated boolean, "builtYear" int, "communityId" int)`;
  await tx.query(`
    UPDATE compounds k SET name = r.name, gated = r.gated, built_year = coalesce(r."builtYear", k.built_year),
      community_id = r."communityId", geom = ST_Multi(ig.geom)
    FROM ${rec} ${joinGeom} WHERE k.code = r.code`, [JSON.stringify(data)]);
  await tx.query(`
    INSERT INTO compounds (code, name, community_id, gated, built_year, geom)
    SELECT r.code, r.name, r."communityId", r.gated, r."builtYear", ST_Multi(ig.geom)
    FROM ${rec} ${joinGeom} WHERE NOT EXISTS (SELECT 1 FROM compounds k WHERE k.code = r.code)`, [JSON.stringify(data)]);
}

export async function writeFacilities(tx: Sql, rows: Light<FacilityRow>[], res: Map<number, Resolved>, staged: string | Uint8Array) {
  const data = rows.filter((r) => res.has(r.row)).map((r) => {
    const x = res.get(r.row)!;
    return { ...r, communityId: x.communityId, category: x.category };
  });
  await stageGeometries(tx, staged, 1);
  const rec = `json_to_recordset($1::json) AS r("row" int, code text, name text, category text, address text, "communityId" int)`;
  await tx.query(`
    UPDATE facilities f SET name = r.name, category = r.category, address = r.address, community_id = r."communityId",
      geom = ig.geom
    FROM ${rec} ${joinGeom} WHERE f.code = r.code`, [JSON.stringify(data)]);
  await tx.query(`
    INSERT INTO facilities (code, name, category, community_id, address, geom)
    SELECT r.code, r.name, r.category, r."communityId", r.address, ig.geom
    FROM ${rec} ${joinGeom} WHERE NOT EXISTS (SELECT 1 FROM facilities f WHERE f.code = r.code)`, [JSON.stringify(data)]);
}

/** Roster rows per building unit; the buildings' household and resident totals follow the roster. */
export async function writeHouseholds(tx: Sql, rows: HouseholdRow[], res: Map<number, Resolved>) {
  const data = rows.filter((r) => res.has(r.row)).map((r) => ({ ...r, buildingId: res.get(r.row)!.buildingId }));
  await tx.query(`
    INSERT INTO building_unit_rosters (building_id, unit, households, residents, party_members)
    SELECT r."buildingId", r.unit, r.households, r.residents, r."partyMembers"
    FROM json_to_recordset($1::json) AS r("buildingId" int, unit int, households int, residents int, "partyMembers" int)
    ON CONFLICT (building_id, unit) DO UPDATE SET households = EXCLUDED.households, residents = EXCLUDED.residents,
      party_members = EXCLUDED.party_members, imported_at = now()`, [JSON.stringify(data)]);
  const ids = [...new Set(data.map((d) => d.buildingId))];
  await tx.query(`
    UPDATE buildings b SET households = s.households, residents = s.residents, units = greatest(b.units, s.units)
    FROM (SELECT building_id, sum(households)::int AS households, sum(residents)::int AS residents, max(unit) AS units
          FROM building_unit_rosters WHERE building_id = ANY ($1::int[]) GROUP BY building_id) s
    WHERE b.id = s.building_id`, [ids]);
}

export interface WalkPlan {
  newNodes: Array<{ id: number; lng: number; lat: number }>;
  edges: Array<{ row: number; source: number; target: number; kind: string; name: string | null; lengthM: number; coords: number[][]; existing: number | null }>;
}

/**
 * Works out the walk-network write without writing: lines split at shared vertices, nodes matched
 * to existing nodes at the same position (≈1 cm), edges matched by their two nodes and kind.
 */
export async function planWalk(db: Sql, rows: WalkRow[]): Promise<WalkPlan> {
  const { pieces, nodes } = splitIntoEdges(rows);
  if (pieces.length === 0) return { newNodes: [], edges: [] };
  const xs = [...nodes.values()].map((p) => p[0]);
  const ys = [...nodes.values()].map((p) => p[1]);
  const existing = await db.query<{ id: number; x: number; y: number }>(
    `SELECT id, ST_X(geom) AS x, ST_Y(geom) AS y FROM walk_nodes WHERE geom && ST_MakeEnvelope($1, $2, $3, $4, 4326)`,
    [Math.min(...xs) - 1e-6, Math.min(...ys) - 1e-6, Math.max(...xs) + 1e-6, Math.max(...ys) + 1e-6],
  );
  const idOf = new Map(existing.map((n) => [nodeKey([n.x, n.y]), n.id]));
  const [{ max }] = await db.query<{ max: number }>('SELECT coalesce(max(id), 0)::int AS max FROM walk_nodes');
  let next = max + 1;
  const newNodes: WalkPlan['newNodes'] = [];
  for (const [key, p] of nodes) {
    if (!idOf.has(key)) {
      idOf.set(key, next);
      newNodes.push({ id: next++, lng: p[0], lat: p[1] });
    }
  }
  const pairs = pieces.map((p) => [idOf.get(p.from)!, idOf.get(p.to)!]);
  const known = await db.query<{ id: number; source: number; target: number; kind: string }>(
    `SELECT id, source, target, kind FROM walk_edges WHERE source = ANY ($1::int[]) OR target = ANY ($1::int[])`,
    [[...new Set(pairs.flat())]],
  );
  const edgeKey = (a: number, b: number, kind: string) => `${Math.min(a, b)}:${Math.max(a, b)}:${kind}`;
  const knownBy = new Map(known.map((e) => [edgeKey(e.source, e.target, e.kind), e.id]));
  const edges = pieces.map((p, i) => ({
    row: p.row, source: pairs[i][0], target: pairs[i][1], kind: p.kind, name: p.name,
    lengthM: lineLengthM(p.coords), coords: p.coords, existing: knownBy.get(edgeKey(pairs[i][0], pairs[i][1], p.kind)) ?? null,
  }));
  return { newNodes, edges };
}

export async function writeWalk(tx: Sql, plan: WalkPlan) {
  await tx.query(`INSERT INTO walk_nodes (id, geom) SELECT r.id, ST_SetSRID(ST_MakePoint(r.lng, r.lat), 4326)
    FROM json_to_recordset($1::json) AS r(id int, lng float8, lat float8)`, [JSON.stringify(plan.newNodes)]);
  const data = JSON.stringify(plan.edges.map((e) => ({ ...e, line: JSON.stringify({ type: 'LineString', coordinates: e.coords }), coords: undefined })));
  const rec = `json_to_recordset($1::json) AS r(existing int, source int, target int, kind text, name text, "lengthM" float8, line text)`;
  await tx.query(`UPDATE walk_edges w SET name = r.name, length_m = r."lengthM", source = r.source, target = r.target,
      geom = ST_SetSRID(ST_GeomFromGeoJSON(r.line), 4326)
    FROM ${rec} WHERE w.id = r.existing`, [data]);
  await tx.query(`INSERT INTO walk_edges (source, target, kind, name, length_m, geom)
    SELECT r.source, r.target, r.kind, r.name, r."lengthM", ST_SetSRID(ST_GeomFromGeoJSON(r.line), 4326)
    FROM ${rec} WHERE r.existing IS NULL`, [data]);
}
