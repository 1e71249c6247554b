/**
 * Aggregates for the wall screen (大屏) in one round trip: the street's figures, every community
 * and every grid of the published plan with their tallies and framing boxes, facility counts per
 * grid and category, and party-member density binned into ~50 m cells.
 *
 * Aggregates only: grid workers appear with masked names (王**) and no phones; households never
 * leave the database except as counts. tests/integration/screen.test.ts checks this.
 */
import { DEFAULT_BAND } from '../../geo/band.js';
import type { ScreenBuilding, ScreenCommunity, ScreenGrid, ScreenSummary } from '../api/screen-types.js';
import { disclosureFor } from '../auth/masking.js';
import type { Sql } from '../db/client.js';
import { PUBLISHED_PLAN_SQL, publishedPlanSql } from './sql-params.js';
import type { StreetRef } from '../services/street-context.js';

/** The response shapes are declared once, in ../api/screen-types.ts (the web reads them too). */
export type { ScreenBuilding, ScreenCommunity, ScreenGrid, ScreenSummary } from '../api/screen-types.js';

/** Size of a party-density cell in degrees (≈ 50 m north–south at the street's latitude). */
export const DENSITY_CELL_DEG = 0.00045;
/**
 * Above this many buildings the cells grow (×2, ×3 …) so a big street still sends a few thousand
 * cells, not tens of thousands (a 100k-building street: 40,547 cells of 50 m → about 2,000 of 250 m).
 */
export const DENSITY_BUILDINGS_PER_CELL_STEP = 5_000;

/**
 * 王小明 → 王**: stricter than the staff masking of auth/masking.ts (张*明) because the wall screen
 * is seen by visitors; the surname alone lets residents recognise "their" worker.
 */
export function surnameOnly(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length === 0) return '*';
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

/** Bounding box rounded to 6 decimals (~0.1 m), as the GeoJSON layers are. */
const bboxSql = (geom: string) =>
  `json_build_array(${['ST_XMin', 'ST_YMin', 'ST_XMax', 'ST_YMax'].map((f) => `round(${f}(${geom})::numeric, 6)::float8`).join(', ')})`;

/**
 * Every figure is rolled up from the buildings: their declared households and residents and the
 * party tallies that triggers keep from the household rows (migration 0010), so a 100k-building
 * street (1.7 M households) is one pass over 100k rows for communities, grids and density cells.
 */
/** The published plan of street `$1` (null: the first published plan, a one-street database). */
const PLAN_OF_STREET = `coalesce(${publishedPlanSql('$1::int')}, CASE WHEN $1::int IS NULL THEN ${PUBLISHED_PLAN_SQL} END)`;

const SUMMARY_SQL = `
WITH sc AS (SELECT id, code, name, short_name, geom FROM communities WHERE $1::int IS NULL OR street_id = $1),
bx AS (
  SELECT b.id, b.community_id, b.households, b.residents, b.centroid, b.party_members AS pm, b.party_centers AS pc
  FROM buildings b JOIN sc ON sc.id = b.community_id),
pl AS (SELECT ${PLAN_OF_STREET} AS id),
cell AS (SELECT greatest(1, ceil(sqrt(count(*) / ${DENSITY_BUILDINGS_PER_CELL_STEP}.0)))::int AS k FROM bx)
SELECT json_build_object(
  'communities', coalesce((SELECT json_agg(x ORDER BY x.code) FROM (
      SELECT c.code, c.name, c.short_name AS "shortName", count(bx.id)::int AS buildings,
        coalesce(sum(bx.households), 0)::int AS households, coalesce(sum(bx.residents), 0)::int AS residents,
        coalesce(sum(bx.pm), 0)::int AS "partyMembers", coalesce(sum(bx.pc), 0)::int AS "partyCenters",
        ${bboxSql('c.geom')} AS bbox
      FROM sc c LEFT JOIN bx ON bx.community_id = c.id GROUP BY c.id, c.code, c.name, c.short_name, c.geom) x), '[]'::json),
  'grids', coalesce((SELECT json_agg(x ORDER BY x.code) FROM (
      SELECT g.code, g.name, c.code AS "communityCode", g.kind, count(bx.id)::int AS buildings,
        coalesce(sum(bx.households), 0)::int AS households, coalesce(sum(bx.residents), 0)::int AS residents,
        coalesce(sum(bx.pm), 0)::int AS "partyMembers", coalesce(sum(bx.pc), 0)::int AS "partyCenters",
        ${bboxSql('g.geom')} AS bbox
      FROM grids g JOIN pl ON pl.id = g.plan_id JOIN communities c ON c.id = g.community_id
      LEFT JOIN building_grid bg ON bg.grid_id = g.id LEFT JOIN bx ON bx.id = bg.building_id
      GROUP BY g.id, c.code) x), '[]'::json),
  'partyDensity', coalesce((SELECT json_agg(json_build_array(
        round(ST_X(cell)::numeric, 6)::float8, round(ST_Y(cell)::numeric, 6)::float8, pm))
      FROM (SELECT ST_SnapToGrid(centroid, (SELECT k FROM cell) * ${DENSITY_CELL_DEG}) AS cell, sum(pm)::int AS pm
            FROM bx WHERE pm > 0 GROUP BY 1) d), '[]'::json),
  'partyDensityCellDeg', (SELECT k FROM cell) * ${DENSITY_CELL_DEG}
)::text AS summary`;

type GridRow = Omit<ScreenGrid, 'workers' | 'status'>;

/** The wall screen's figures of one street (null: the whole database, which then holds no street). */
export async function getScreenSummary(db: Sql, street: StreetRef | null): Promise<ScreenSummary> {
  const { lo, hi } = DEFAULT_BAND;
  const sid = [street?.id ?? null];
  const [[main], workers, facilities] = await Promise.all([
    db.query<{ summary: string }>(SUMMARY_SQL, sid),
    db.query<{ grid: string; name: string; role: 'full_time' | 'auxiliary' }>(
      `SELECT g.code AS grid, w.name, w.role FROM grid_workers w JOIN grids g ON g.id = w.grid_id
       WHERE g.plan_id = ${PLAN_OF_STREET} ORDER BY g.code, w.role DESC, w.id`,
      sid,
    ),
    db.query<ScreenSummary['facilities'][number]>(
      `SELECT c.code AS community, f.category, count(*)::int AS count
       FROM facilities f LEFT JOIN communities c ON c.id = f.community_id
       WHERE $1::int IS NULL OR c.street_id = $1
          OR (c.id IS NULL AND EXISTS (SELECT 1 FROM streets s WHERE s.id = $1 AND ST_Intersects(s.geom, f.geom)))
       GROUP BY c.code, f.category ORDER BY 1, 2`,
      sid,
    ),
  ]);
  const parsed = JSON.parse(main.summary) as {
    communities: ScreenCommunity[];
    grids: GridRow[];
    partyDensity: [number, number, number][];
    partyDensityCellDeg: number;
  };
  const byGrid = new Map<string, ScreenGrid['workers']>();
  for (const w of workers) {
    // The summary is public and cached for every caller: ask what an anonymous caller may see, and
    // where that is a masked name show the stricter surname-only form.
    if (disclosureFor(null, { communityCode: null, gridCode: w.grid }).workerName === 'none') continue;
    const list = byGrid.get(w.grid) ?? [];
    list.push({ masked: surnameOnly(w.name), role: w.role });
    byGrid.set(w.grid, list);
  }
  return {
    generatedAt: new Date().toISOString(),
    band: { lo, hi },
    street: street && { code: street.code, name: street.name },
    communities: parsed.communities,
    grids: parsed.grids.map((g) => ({
      ...g,
      status: g.kind === 'dedicated' ? 'dedicated' : g.households < lo ? 'under' : g.households > hi ? 'over' : 'in',
      workers: byGrid.get(g.code) ?? [],
    })),
    facilities,
    partyDensity: parsed.partyDensity,
    partyDensityCellDeg: parsed.partyDensityCellDeg,
  };
}


/** One building's figures for the screen's building card; `null` when the code is unknown. */
export async function getScreenBuilding(db: Sql, code: string): Promise<ScreenBuilding | null> {
  const [row] = await db.query<ScreenBuilding>(
    `SELECT b.code, b.number, b.name, b.use, b.floors, b.units, b.households, b.residents,
       b.party_members AS "partyMembers", b.party_households AS "partyHouseholds",
       b.party_centers AS "partyCenters", c.code AS "communityCode", g.code AS "gridCode",
       ${bboxSql('b.geom')} AS bbox
     FROM buildings b JOIN communities c ON c.id = b.community_id
     LEFT JOIN building_grid bg ON bg.building_id = b.id AND bg.plan_id = ${publishedPlanSql('c.street_id')}
     LEFT JOIN grids g ON g.id = bg.grid_id
     WHERE b.code = $1`,
    [code],
  );
  return row ?? null;
}
