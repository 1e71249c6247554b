/**
 * The district wall screen's figures (issue #15.4): every street of one district (or of every
 * district) side by side — households, grids in and out of the 300–400 band, open and overdue
 * resident requests, the life-circle share the street screen last stored, and a simplified
 * outline for the district map.
 *
 * One SQL pass grouped by street (never a query per street): buildings, the published plan's grids
 * and open requests are each rolled up per street in a CTE and joined to the streets once.
 * Aggregates only: no names, phones or addresses.
 */
import { DEFAULT_BAND } from '../../geo/band.js';
import type { BBox } from '../api/screen-types.js';
import type { DistrictScreen, DistrictScreenDistrict, DistrictStreet } from '../api/district-screen-types.js';
import type { Sql } from '../db/client.js';

export type { DistrictScreen, DistrictScreenDistrict, DistrictStreet } from '../api/district-screen-types.js';

/** Which streets a caller asks for: one district (6-digit code), and/or only these streets. */
export interface DistrictFilter {
  district?: string;
  /** Street codes the caller may see; undefined: every street. */
  streets?: readonly string[];
}

/** Simplification tolerance of the outlines in degrees (~20 m): a tile's map, not a survey. */
const OUTLINE_TOLERANCE = 0.0002;

const bbox = (g: string) =>
  `CASE WHEN ${g} IS NULL THEN NULL ELSE json_build_array(${['ST_XMin', 'ST_YMin', 'ST_XMax', 'ST_YMax']
    .map((f) => `round(${f}(${g})::numeric, 6)::float8`).join(', ')}) END`;

/**
 * $1 district code or null, $2 street codes or null, $3 band low, $4 band high, $5 now.
 * The street's geometry may be missing (a street known by code only): its communities' union frames it.
 */
const DISTRICT_SQL = `
WITH st AS (
  SELECT s.id, s.code, s.name, coalesce(d.code, left(s.code, 6)) AS district_code, d.name AS district_name, s.geom
  FROM streets s LEFT JOIN districts d ON d.id = s.district_id
  WHERE ($1::text IS NULL OR coalesce(d.code, left(s.code, 6)) = $1::text) AND ($2::text[] IS NULL OR s.code = ANY($2::text[]))),
cm AS (
  SELECT c.street_id, count(*)::int AS communities, ST_Union(c.geom) AS geom
  FROM communities c JOIN st ON st.id = c.street_id GROUP BY c.street_id),
bs AS (
  SELECT c.street_id, count(b.id)::int AS buildings, coalesce(sum(b.households), 0)::int AS households,
    coalesce(sum(b.residents), 0)::int AS residents
  FROM buildings b JOIN communities c ON c.id = b.community_id JOIN st ON st.id = c.street_id GROUP BY c.street_id),
gh AS (
  SELECT p.street_id, g.kind, coalesce(sum(b.households), 0) AS households
  FROM grid_plans p JOIN st ON st.id = p.street_id JOIN grids g ON g.plan_id = p.id
  LEFT JOIN building_grid bg ON bg.grid_id = g.id LEFT JOIN buildings b ON b.id = bg.building_id
  WHERE p.status = 'published' GROUP BY p.street_id, g.id),
gs AS (
  SELECT street_id, count(*)::int AS grids,
    count(*) FILTER (WHERE kind <> 'dedicated' AND households < $3)::int AS under,
    count(*) FILTER (WHERE kind <> 'dedicated' AND households > $4)::int AS over,
    count(*) FILTER (WHERE kind <> 'dedicated' AND households BETWEEN $3 AND $4)::int AS in_band
  FROM gh GROUP BY street_id),
rq AS (
  SELECT r.street_id, count(*)::int AS open, count(*) FILTER (WHERE r.due_at < $5::timestamptz)::int AS overdue
  FROM requests r JOIN st ON st.id = r.street_id
  WHERE r.status IN ('reported', 'dispatched', 'accepted') GROUP BY r.street_id)
SELECT st.code, st.name, st.district_code AS "districtCode", st.district_name AS "districtName",
  coalesce(cm.communities, 0) AS communities, coalesce(bs.buildings, 0) AS buildings,
  coalesce(bs.households, 0) AS households, coalesce(bs.residents, 0) AS residents,
  coalesce(gs.grids, 0) AS grids, coalesce(gs.under, 0) AS "underGrids", coalesce(gs.over, 0) AS "overGrids",
  coalesce(gs.in_band, 0) AS "inBandGrids", coalesce(rq.open, 0) AS "openRequests", coalesce(rq.overdue, 0) AS "overdueRequests",
  ${bbox('coalesce(st.geom, cm.geom)')} AS bbox,
  ST_AsGeoJSON(ST_SimplifyPreserveTopology(coalesce(st.geom, cm.geom), ${OUTLINE_TOLERANCE}), 6)::json AS outline
FROM st LEFT JOIN cm ON cm.street_id = st.id LEFT JOIN bs ON bs.street_id = st.id
  LEFT JOIN gs ON gs.street_id = st.id LEFT JOIN rq ON rq.street_id = st.id
ORDER BY st.district_code NULLS LAST, st.code`;

type StreetRow = Omit<DistrictStreet, 'inBandShare' | 'lifeCircleShare'> & { districtCode: string | null; districtName: string | null };

/**
 * The stored 10-minute life-circle figures (coverage-summary.ts), newest first: one per standard
 * (streets with their own standard have their own row), each with per-community tallies.
 */
const LIFE_SQL = `SELECT value->'communities' AS communities FROM derived_figures WHERE key LIKE 'coverage-summary/10/%' ORDER BY computed_at DESC`;

/**
 * Households and covered households per street, summed from the stored per-community tallies
 * (a community's street is its code's first 9 digits; the newest figure that has a community wins).
 */
async function lifeCircleTallies(db: Sql): Promise<Map<string, [number, number]>> {
  const rows = await db.query<{ communities: Record<string, number[]> | null }>(LIFE_SQL);
  const seen = new Set<string>();
  const byStreet = new Map<string, [number, number]>();
  for (const row of rows) {
    for (const [community, t] of Object.entries(row.communities ?? {})) {
      if (seen.has(community)) continue;
      seen.add(community);
      const street = community.slice(0, 9);
      const acc = byStreet.get(street) ?? [0, 0];
      byStreet.set(street, [acc[0] + (t[0] ?? 0), acc[1] + (t[1] ?? 0)]);
    }
  }
  return byStreet;
}

const share = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 10000) / 10000);

/** The box around several boxes (null when none). */
function unionBox(boxes: (BBox | null)[]): BBox | null {
  const bs = boxes.filter((b): b is BBox => b !== null);
  if (bs.length === 0) return null;
  return [Math.min(...bs.map((b) => b[0])), Math.min(...bs.map((b) => b[1])), Math.max(...bs.map((b) => b[2])), Math.max(...bs.map((b) => b[3]))];
}

/** The district screen's figures for the streets `filter` selects, grouped by district. */
export async function getDistrictScreen(db: Sql, filter: DistrictFilter, nowMs = Date.now()): Promise<DistrictScreen> {
  const { lo, hi } = DEFAULT_BAND;
  const [rows, life] = await Promise.all([
    db.query<StreetRow>(DISTRICT_SQL, [filter.district ?? null, filter.streets ? [...filter.streets] : null, lo, hi, new Date(nowMs).toISOString()]),
    lifeCircleTallies(db),
  ]);
  const districts = new Map<string, DistrictScreenDistrict>();
  for (const { districtCode, districtName, ...r } of rows) {
    const key = districtCode ?? '';
    let d = districts.get(key);
    if (!d) districts.set(key, (d = { code: districtCode, name: districtName, streets: [], bbox: null }));
    const basic = r.underGrids + r.overGrids + r.inBandGrids;
    const lc = life.get(r.code);
    d.streets.push({ ...r, inBandShare: share(r.inBandGrids, basic), lifeCircleShare: lc ? share(lc[1], lc[0]) : null });
  }
  for (const d of districts.values()) d.bbox = unionBox(d.streets.map((s) => s.bbox));
  return { generatedAt: new Date(nowMs).toISOString(), band: { lo, hi }, districts: [...districts.values()] };
}

/** Whether a district with this code is recorded, or a street's code starts with it (a street known without its district row). */
export async function districtExists(db: Sql, code: string): Promise<boolean> {
  const rows = await db.query('SELECT 1 FROM districts WHERE code = $1 UNION ALL SELECT 1 FROM streets WHERE left(code, 6) = $1 LIMIT 1', [code]);
  return rows.length > 0;
}
