/**
 * Authoritative validation of a plan in PostGIS (fast enough for every save and the publish
 * check): the same rules and Problem shape as geo/plan/validate.ts, which the planner runs live;
 * tests/integration/plans.test.ts checks that both find the same problems on the demo plan.
 */
import { type Band, DEFAULT_BAND } from '../../geo/band.js';
import type { Problem, ProblemCode } from '../../geo/plan/validate.js';
import type { Sql } from '../db/client.js';
import { OVERLAY_GRID } from './sql-params.js';

interface Row {
  code: ProblemCode;
  grids: string[] | null;
  buildings: string[] | null;
  value: number;
  bbox: [number, number, number, number];
}

/** A real piece, not rounding noise: at least minArea m² and 0.5 m mean width (2·area/perimeter). */
const REAL = (g: string, minArea: number) =>
  `(ST_Area(${g}::geography) >= ${minArea} AND 2 * ST_Area(${g}::geography) / nullif(ST_Perimeter(${g}::geography), 0) >= 0.5)`;

const GRID = OVERLAY_GRID;

const BBOX = (g: string) => `json_build_array(ST_XMin(${g}), ST_YMin(${g}), ST_XMax(${g}), ST_YMax(${g}))`;

function sql(band: Band, minArea: number, minCompactness: number) {
  return `
  WITH g AS (
    SELECT g.id, g.code, g.kind, g.community_id, g.geom,
           coalesce(sum(b.households), 0)::int AS hh
    FROM grids g LEFT JOIN building_grid bg ON bg.grid_id = g.id LEFT JOIN buildings b ON b.id = bg.building_id
    WHERE g.plan_id = $1 GROUP BY g.id),
  scope AS (
    SELECT c.id, c.geom FROM communities c, grid_plans p
    -- The plan's street only (issue #15: streets side by side in one database).
    WHERE p.id = $1 AND c.street_id = p.street_id AND (p.community_id IS NULL OR p.community_id = c.id))
  SELECT CASE WHEN kind = 'dedicated' THEN 'dedicated_listed' WHEN hh < ${band.lo} THEN 'band_under' ELSE 'band_over' END AS code,
         ARRAY[code] AS grids, NULL AS buildings, hh::float8 AS value, ${BBOX('geom')} AS bbox
  FROM g WHERE kind = 'dedicated' OR hh < ${band.lo} OR hh > ${band.hi}
  UNION ALL
  SELECT 'unassigned', NULL, ARRAY[b.code], b.households, ${BBOX('b.centroid')}
  FROM buildings b JOIN scope s ON s.id = b.community_id
  WHERE NOT EXISTS (SELECT 1 FROM building_grid bg WHERE bg.plan_id = $1 AND bg.building_id = b.id)
  UNION ALL
  SELECT 'overlap', ARRAY[a.code, c.code], NULL, sum(ST_Area(x.geom::geography)), ${BBOX('ST_Collect(x.geom)')}
  FROM g a JOIN g c ON a.id < c.id AND ST_Intersects(a.geom, c.geom),
       LATERAL ST_Dump(ST_CollectionExtract(ST_Intersection(a.geom, c.geom, ${GRID}), 3)) AS x
  WHERE ${REAL('x.geom', minArea)}
  GROUP BY a.code, c.code
  UNION ALL
  SELECT 'gap', NULL, NULL, ST_Area(d.geom::geography), ${BBOX('d.geom')}
  FROM scope s, LATERAL ST_Dump(ST_Difference(s.geom,
       coalesce((SELECT ST_Union(geom, ${GRID}) FROM g WHERE g.community_id = s.id), 'SRID=4326;POLYGON EMPTY'::geometry), ${GRID})) AS d
  WHERE ${REAL('d.geom', minArea)}
  UNION ALL
  SELECT 'disconnected', ARRAY[code], NULL, n::float8, ${BBOX('geom')}
  FROM (SELECT code, geom, (SELECT count(*) FROM ST_Dump(g.geom) d WHERE ST_Area(d.geom::geography) >= ${minArea}) AS n,
    -- A community in several pieces (exclaves) may put a grid in as many: only pieces beyond those count.
    (SELECT count(*) FROM communities c, LATERAL ST_Dump(c.geom) p WHERE c.id = g.community_id
       AND ST_Intersects(p.geom, g.geom) AND ST_Area(ST_Intersection(p.geom, g.geom, ${GRID})::geography) >= ${minArea}) AS m FROM g) x
  WHERE n > greatest(m, 1)
  UNION ALL
  SELECT 'outside_community', ARRAY[g.code], NULL, ST_Area(o::geography), ${BBOX('o')}
  FROM g JOIN communities c ON c.id = g.community_id, LATERAL ST_Dump(ST_Difference(g.geom, c.geom, ${GRID})) AS od, LATERAL (SELECT od.geom AS o) oo
  WHERE ${REAL('o', minArea)}
  UNION ALL
  SELECT 'low_compactness', ARRAY[code], NULL, pp, ${BBOX('geom')}
  FROM (SELECT code, geom, 4 * pi() * ST_Area(geom::geography) / nullif(power(ST_Perimeter(geom::geography), 2), 0) AS pp
        FROM g WHERE NOT ST_IsEmpty(geom)) x
  WHERE pp < ${minCompactness}`;
}

const SEVERITY: Record<ProblemCode, Problem['severity']> = {
  band_under: 'error', band_over: 'error', dedicated_listed: 'info', unassigned: 'error', multiple_grids: 'error',
  overlap: 'error', gap: 'error', disconnected: 'error', outside_community: 'error', low_compactness: 'warning',
};

function message(r: Row, band: Band): Problem['message'] {
  const g = r.grids?.join('、') ?? '';
  const v = Math.round(r.value);
  switch (r.code) {
    case 'band_under': return { zh: `${g} 仅 ${v} 户，低于 ${band.lo} 户`, en: `${g} has ${v} households, below ${band.lo}` };
    case 'band_over': return { zh: `${g} 有 ${v} 户，超过 ${band.hi} 户`, en: `${g} has ${v} households, above ${band.hi}` };
    case 'dedicated_listed': return { zh: `${g} 为专属网格，不受户数标准约束`, en: `${g} is a dedicated grid, exempt from the band` };
    case 'unassigned': return { zh: `楼栋 ${r.buildings?.[0]} 不属于任何网格`, en: `building ${r.buildings?.[0]} belongs to no grid` };
    case 'overlap': return { zh: `${g} 重叠 ${v} 平方米`, en: `${g} overlap by ${v} m²` };
    case 'gap': return { zh: `社区内有 ${v} 平方米未划入任何网格`, en: `${v} m² of the community belong to no grid` };
    case 'disconnected': return { zh: `${g} 由 ${v} 块不相连的区域组成`, en: `${g} is in ${v} disconnected pieces` };
    case 'outside_community': return { zh: `${g} 超出所属社区 ${v} 平方米`, en: `${g} extends ${v} m² outside its community` };
    case 'low_compactness': return { zh: `${g} 形状不紧凑（PP=${r.value.toFixed(2)}）`, en: `${g} is not compact (Polsby–Popper ${r.value.toFixed(2)})` };
    default: return { zh: r.code, en: r.code };
  }
}

export async function validatePlanSql(db: Sql, planId: number, band: Band = DEFAULT_BAND, minCompactness = 0.2): Promise<Problem[]> {
  const rows = await db.query<Row>(sql(band, 1, minCompactness), [planId]);
  return rows.map((r) => ({
    code: r.code,
    severity: SEVERITY[r.code],
    gridIds: r.grids ?? [],
    buildingIds: r.buildings ?? [],
    bbox: r.bbox,
    value: r.value,
    message: message(r, band),
  }));
}

/** Differences against another plan (normally the published one): moved buildings, grid changes. */
export async function diffPlans(db: Sql, planId: number, baseId: number) {
  const moved = await db.query<{ building: string; from: string | null; to: string | null; households: number }>(
    `SELECT b.code AS building, go.code AS "from", gn.code AS "to", b.households
     FROM buildings b
     LEFT JOIN building_grid o ON o.building_id = b.id AND o.plan_id = $2 LEFT JOIN grids go ON go.id = o.grid_id
     LEFT JOIN building_grid n ON n.building_id = b.id AND n.plan_id = $1 LEFT JOIN grids gn ON gn.id = n.grid_id
     WHERE go.code IS DISTINCT FROM gn.code ORDER BY b.code`,
    [planId, baseId],
  );
  const grids = await db.query<{ code: string; change: 'added' | 'removed' | 'changed'; geometry: unknown }>(
    `SELECT coalesce(n.code, o.code) AS code,
            CASE WHEN o.id IS NULL THEN 'added' WHEN n.id IS NULL THEN 'removed' ELSE 'changed' END AS change,
            ST_AsGeoJSON(coalesce(n.geom, o.geom), 6)::json AS geometry
     FROM (SELECT * FROM grids WHERE plan_id = $1) n FULL JOIN (SELECT * FROM grids WHERE plan_id = $2) o ON o.code = n.code
     WHERE o.id IS NULL OR n.id IS NULL OR NOT ST_Equals(n.geom, o.geom) OR n.name <> o.name OR n.kind <> o.kind
     ORDER BY 1`,
    [planId, baseId],
  );
  return {
    base: baseId,
    buildingsMoved: moved.length,
    householdsMoved: moved.reduce((s, m) => s + m.households, 0),
    moved,
    grids: {
      added: grids.filter((g) => g.change === 'added').length,
      removed: grids.filter((g) => g.change === 'removed').length,
      changed: grids.filter((g) => g.change === 'changed').length,
      features: { type: 'FeatureCollection', features: grids.map((g) => ({ type: 'Feature', geometry: g.geometry, properties: { code: g.code, change: g.change } })) },
    },
  };
}
