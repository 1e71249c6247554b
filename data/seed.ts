/**
 * Writes a StreetDataset to PostGIS in one transaction (all or nothing). Rows travel as JSON
 * chunks (`json_to_recordset`), which is fast on both native PostgreSQL and PGlite. Grid polygons
 * are derived in PostGIS: Voronoi cells of the building centroids, clipped to the community and
 * dissolved per grid — a gap-free, overlap-free tessellation of every community.
 */
import type { Database, Sql } from '../server/db/client.js';
import { deriveGridPolygons } from '../server/repos/grid-geometry.repo.js';
import { warmScreenFigures } from '../server/services/screen-figures.js';
import { DEFAULT_SEED, generateStreet } from './generate/index.js';
import { FACILITY_CATEGORIES } from './generate/demo-street.js';
import type { StreetDataset } from './generate/types.js';

const CHUNK = 4000;

async function insertJson(tx: Sql, rows: unknown[], sql: string) {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await tx.query(sql, [JSON.stringify(rows.slice(i, i + CHUNK))]);
  }
}

const polygonSql = (col: string) => `ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(json_build_object('type','Polygon','coordinates',${col})::text), 4326))`;
const pointSql = (col: string) => `ST_SetSRID(ST_GeomFromGeoJSON(json_build_object('type','Point','coordinates',${col})::text), 4326)`;
const lineSql = (col: string) => `ST_SetSRID(ST_GeomFromGeoJSON(json_build_object('type','LineString','coordinates',${col})::text), 4326)`;

/**
 * Districts the generated streets lie in (a street's code starts with its district's 6 digits;
 * /work/shared/data/communities.csv). The seed records the district without an outline: a real
 * one comes with a boundary import (layer `boundaries`).
 */
const DISTRICT_NAMES: Record<string, string> = { '370602': '芝罘区', '370611': '福山区', '370612': '牟平区', '370613': '莱山区' };

export async function seedStreet(db: Database, ds: StreetDataset): Promise<{ planId: number }> {
  return db.transaction(async (tx) => {
    const districtCode = ds.street.code.slice(0, 6);
    const [district] = await tx.query<{ id: number }>(
      `INSERT INTO districts (code, name) VALUES ($1, $2) ON CONFLICT (code) DO UPDATE SET name = districts.name RETURNING id`,
      [districtCode, DISTRICT_NAMES[districtCode] ?? districtCode],
    );
    const [street] = await tx.query<{ id: number }>(
      `INSERT INTO streets (code, name, geom, district_id) VALUES ($1, $2, ${polygonSql('$3::json')}, $4) RETURNING id`,
      [ds.street.code, ds.street.name, JSON.stringify(ds.street.polygon), district.id],
    );
    await insertJson(tx, ds.communities, `
      INSERT INTO communities (code, name, short_name, street_id, geom)
      SELECT r.code, r.name, r."shortName", ${street.id}, ${polygonSql('r.polygon')}
      FROM json_to_recordset($1::json) AS r(code text, name text, "shortName" text, polygon json)`);
    await insertJson(tx, ds.compounds, `
      INSERT INTO compounds (code, name, community_id, gated, built_year, geom)
      SELECT r.code, r.name, c.id, r.gated, r."builtYear", ${polygonSql('r.polygon')}
      FROM json_to_recordset($1::json) AS r(code text, name text, "communityCode" text, gated boolean, "builtYear" int, polygon json)
      JOIN communities c ON c.code = r."communityCode"`);
    await insertJson(tx, ds.buildings, `
      INSERT INTO buildings (code, community_id, compound_id, number, name, use, floors, units, households, residents, built_year, shops, geom)
      SELECT r.code, c.id, k.id, r.number, r.name, r.use, r.floors, r.units, r.households, r.residents, r."builtYear", coalesce(r.shops, 0), ${polygonSql('r.footprint')}
      FROM json_to_recordset($1::json) AS r(code text, "communityCode" text, "compoundCode" text, number text, name text, use text,
        floors int, units int, households int, residents int, "builtYear" int, shops int, footprint json)
      JOIN communities c ON c.code = r."communityCode" LEFT JOIN compounds k ON k.code = r."compoundCode"`);
    await insertJson(tx, ds.households, `
      INSERT INTO households (building_id, unit, room, size, party_members, is_party_center, tags, head_name, head_phone)
      SELECT b.id, r.unit, r.room, r.size, r."partyMembers", r."isPartyCenter",
             ARRAY(SELECT json_array_elements_text(r.tags)), r."headName", r."headPhone"
      FROM json_to_recordset($1::json) AS r("buildingCode" text, unit int, room text, size int, "partyMembers" int,
        "isPartyCenter" boolean, tags json, "headName" text, "headPhone" text)
      JOIN buildings b ON b.code = r."buildingCode"`);
    await insertJson(tx, ds.categories, `
      INSERT INTO facility_categories (code, name, name_en, level, color, sort)
      SELECT r.code, r.name, r."nameEn", r.level, r.color, r.sort
      FROM json_to_recordset($1::json) AS r(code text, name text, "nameEn" text, level text, color text, sort int)
      ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, name_en = EXCLUDED.name_en, level = EXCLUDED.level,
        color = EXCLUDED.color, sort = EXCLUDED.sort`);
    await insertJson(tx, ds.facilities, `
      INSERT INTO facilities (code, name, category, community_id, address, geom)
      SELECT r.code, r.name, r.category, c.id, r.address, ${pointSql('r.position')}
      FROM json_to_recordset($1::json) AS r(code text, name text, category text, "communityCode" text, address text, position json)
      LEFT JOIN communities c ON c.code = r."communityCode"`);
    await insertJson(tx, ds.walkNodes, `
      INSERT INTO walk_nodes (id, geom) SELECT r.id, ${pointSql('r.position')}
      FROM json_to_recordset($1::json) AS r(id int, position json)`);
    await insertJson(tx, ds.walkEdges, `
      INSERT INTO walk_edges (source, target, kind, name, length_m, geom)
      SELECT r.source, r.target, r.kind, r.name, r."lengthM", ${lineSql('r.line')}
      FROM json_to_recordset($1::json) AS r(source int, target int, kind text, name text, "lengthM" float8, line json)`);
    const planId = await insertPlan(tx, street.id, ds);
    return { planId };
  });
}

async function insertPlan(tx: Sql, streetId: number, ds: StreetDataset): Promise<number> {
  const [plan] = await tx.query<{ id: number }>(
    `INSERT INTO grid_plans (name, status, version, street_id, published_at) VALUES ($1, 'published', 1, $2, now()) RETURNING id`,
    [ds.plan.name, streetId],
  );
  await insertJson(tx, ds.plan.grids, `
    INSERT INTO grids (plan_id, community_id, code, name, kind, dedicated_type, geom)
    SELECT ${plan.id}, c.id, r.code, r.name, r.kind, r."dedicatedType", 'SRID=4326;MULTIPOLYGON EMPTY'::geometry
    FROM json_to_recordset($1::json) AS r(code text, name text, "communityCode" text, kind text, "dedicatedType" text)
    JOIN communities c ON c.code = r."communityCode"`);
  const workers = ds.plan.grids.flatMap((g) => g.workers.map((w) => ({ ...w, grid: g.code })));
  await insertJson(tx, workers, `
    INSERT INTO grid_workers (grid_id, name, phone, role)
    SELECT g.id, r.name, r.phone, r.role FROM json_to_recordset($1::json) AS r(grid text, name text, phone text, role text)
    JOIN grids g ON g.code = r.grid AND g.plan_id = ${plan.id}`);
  const members = ds.plan.grids.flatMap((g) => g.buildingCodes.map((b) => ({ grid: g.code, building: b })));
  await insertJson(tx, members, `
    INSERT INTO building_grid (plan_id, building_id, grid_id)
    SELECT ${plan.id}, b.id, g.id FROM json_to_recordset($1::json) AS r(grid text, building text)
    JOIN grids g ON g.code = r.grid AND g.plan_id = ${plan.id} JOIN buildings b ON b.code = r.building`);
  // This street's communities only: with several streets in the database, deriving every
  // community's cells would redo all earlier streets each time (a city's seed grew quadratically).
  // Fresh statistics for the plan's memberships (just written, in this transaction): with other
  // streets' plans in the table and none of this one's counted, the planner took this plan's rows
  // for 1 and nested-looped them against every building (137 s for the 8th 10k-building street).
  await tx.query('ANALYZE building_grid');
  const communities = await tx.query<{ id: number }>('SELECT id FROM communities WHERE street_id = $1', [streetId]);
  await deriveGridPolygons(tx, plan.id, communities.map((c) => c.id));
  return plan.id;
}

/**
 * The standards every deployment needs before its first import, also without the demo street
 * (`GRIDATLAS_SEED_DEMO=0`): the facility categories of data/standards/facility-categories.json
 * (facilities are imported by category). Adds missing ones only; a category changed in the
 * database stays as it is. Returns how many were added.
 */
export async function ensureStandards(db: Sql): Promise<number> {
  // Only when some are missing: even an INSERT that adds nothing would bump the data version.
  const present = new Set((await db.query<{ code: string }>('SELECT code FROM facility_categories')).map((r) => r.code));
  const missing = FACILITY_CATEGORIES.filter((c) => !present.has(c.code));
  if (missing.length === 0) return 0;
  const rows = await db.query<{ code: string }>(`
    INSERT INTO facility_categories (code, name, name_en, level, color, sort)
    SELECT r.code, r.name, r."nameEn", r.level, r.color, r.sort
    FROM json_to_recordset($1::json) AS r(code text, name text, "nameEn" text, level text, color text, sort int)
    ON CONFLICT (code) DO NOTHING RETURNING code`, [JSON.stringify(missing)]);
  return rows.length;
}

/** Seeds the demo street when the database has no street yet. Returns whether it seeded. */
export async function ensureSeeded(
  db: Database,
  opts: { seed?: number; buildings?: number; log?: (msg: string) => void } = {},
): Promise<boolean> {
  const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM streets');
  if ((row?.n ?? 0) > 0) return false;
  const t0 = Date.now();
  const ds = generateStreet({ seed: opts.seed ?? DEFAULT_SEED, buildings: opts.buildings });
  opts.log?.(`generated demo street (${ds.buildings.length} buildings, ${ds.households.length} households) in ${Date.now() - t0} ms`);
  const t1 = Date.now();
  await seedStreet(db, ds);
  // Fresh statistics: without them the planner takes the just-filled tables for empty ones and
  // picks plans that seq-scan households once per grid (a 100k street's grid tile went from
  // minutes to 2 s). Autovacuum would get there, but only after the first visitors.
  await db.query('ANALYZE');
  opts.log?.(`seeded in ${Date.now() - t1} ms`);
  // The wall screen's summary and life-circle figure take seconds on a big street (the latter
  // routes the whole walk network); computed now and stored with the version of the data they
  // came from, the first screen finds them ready.
  const warm = await warmScreenFigures(db);
  const share = warm.lifeCircleShare === null ? '—' : `${(warm.lifeCircleShare * 100).toFixed(1)}%`;
  opts.log?.(`wall-screen figures (life-circle coverage ${share}) computed and stored in ${warm.ms} ms`);
  return true;
}

/** Empties every data table (not the migration record), restarting ids. */
export async function resetData(db: Database) {
  await db.query(`TRUNCATE building_grid, grid_workers, grids, grid_plans, walk_edges, walk_nodes, facilities,
    facility_categories, households, buildings, compounds, communities, streets, districts RESTART IDENTITY CASCADE`);
}
