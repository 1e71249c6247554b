/**
 * A plan as downloadable files: GeoJSON of the grids with tallies, a zipped Shapefile of the same,
 * and an XLSX roster (sheet 网格: one row per grid with its workers; sheet 楼栋: grid → buildings).
 * Grid workers' names are shown per grid as server/auth/masking.ts `disclosureFor` allows the caller
 * for that grid (in clear only within the caller's scope); phones are never exported.
 */
import type { FeatureCollection, MultiPolygon } from 'geojson';
import { bandStatus, DEFAULT_BAND } from '../../geo/band.js';
import { disclosureFor, showName } from '../auth/masking.js';
import type { Principal } from '../auth/principal.js';
import type { Sql } from '../db/client.js';
import { type Sheet, featureCollectionToShapefileZip, sheetsToXlsx } from '../services/export-formats.js';

/** Party reach and load per grid code (issue #20), computed by services/party-reach.ts `planGridReach`. */
export type GridExtras = ReadonlyMap<string, { reachedHouseholds: number; reachShare: number; load: number }>;
const NO_EXTRAS = { reachedHouseholds: null, reachShare: null, load: null };

export type ExportFormat = 'geojson' | 'shp' | 'xlsx';

interface GridRow {
  code: string;
  name: string;
  communityCode: string;
  communityName: string;
  kind: 'basic' | 'dedicated';
  dedicatedType: string | null;
  locked: boolean;
  households: number;
  residents: number;
  partyMembers: number;
  partyCenters: number;
  buildings: number;
  workers: string[] | null;
  geometry: MultiPolygon;
}

const STATUS_ZH = { under: '低于标准', in: '符合标准', over: '超出标准', dedicated: '专属网格' } as const;
const KIND_ZH = { basic: '基础网格', dedicated: '专属网格' } as const;

async function gridRows(db: Sql, planId: number): Promise<GridRow[]> {
  return db.query<GridRow>(
    `SELECT g.code, g.name, c.code AS "communityCode", c.name AS "communityName", g.kind, g.dedicated_type AS "dedicatedType", g.locked,
            coalesce(a.households, 0)::int AS households, coalesce(a.residents, 0)::int AS residents, coalesce(a.buildings, 0)::int AS buildings,
            coalesce(p.party_members, 0)::int AS "partyMembers", coalesce(p.party_centers, 0)::int AS "partyCenters",
            (SELECT array_agg(w.name ORDER BY w.role DESC, w.id) FROM grid_workers w WHERE w.grid_id = g.id) AS workers,
            ST_AsGeoJSON(ST_ForcePolygonCCW(g.geom), 7)::json AS geometry -- RFC 7946 right-hand rule
     FROM grids g JOIN communities c ON c.id = g.community_id
     LEFT JOIN LATERAL (SELECT count(*) AS buildings, sum(b.households) AS households, sum(b.residents) AS residents
                        FROM building_grid bg JOIN buildings b ON b.id = bg.building_id WHERE bg.grid_id = g.id) a ON true
     LEFT JOIN LATERAL (SELECT sum(h.party_members) AS party_members, count(*) FILTER (WHERE h.is_party_center) AS party_centers
                        FROM building_grid bg JOIN households h ON h.building_id = bg.building_id WHERE bg.grid_id = g.id) p ON true
     WHERE g.plan_id = $1 ORDER BY g.code`,
    [planId],
  );
}

function buildingRows(db: Sql, planId: number) {
  return db.query<{ grid: string; code: string; name: string; households: number; residents: number; partyMembers: number }>(
    `SELECT g.code AS grid, b.code, coalesce(b.name, b.number) AS name, b.households, b.residents,
            coalesce((SELECT sum(h.party_members) FROM households h WHERE h.building_id = b.id), 0)::int AS "partyMembers"
     FROM building_grid bg JOIN grids g ON g.id = bg.grid_id JOIN buildings b ON b.id = bg.building_id
     WHERE bg.plan_id = $1 ORDER BY g.code, b.code`,
    [planId],
  );
}

const status = (g: GridRow) => bandStatus(g.households, g.kind, DEFAULT_BAND);

/** GeoJSON FeatureCollection of the plan's grids with their tallies (no personal data). */
export async function planGeoJson(db: Sql, planId: number, extras: GridExtras = new Map()): Promise<FeatureCollection<MultiPolygon>> {
  return {
    type: 'FeatureCollection',
    features: (await gridRows(db, planId)).map((g) => ({
      type: 'Feature',
      geometry: g.geometry,
      properties: {
        code: g.code, name: g.name, communityCode: g.communityCode, communityName: g.communityName, kind: g.kind, dedicatedType: g.dedicatedType,
        locked: g.locked, buildings: g.buildings, households: g.households, residents: g.residents, partyMembers: g.partyMembers,
        partyCenters: g.partyCenters, workers: g.workers?.length ?? 0, deviation: g.households - DEFAULT_BAND.target, status: status(g),
        ...(extras.get(g.code) ?? NO_EXTRAS),
      },
    })),
  };
}

/** The plan shapefile's DBF columns, in order (what planShapefile writes for each grid). */
const PLAN_SHP_COLUMNS = [
  'code', 'name', 'community', 'kind', 'ded_type', 'buildings', 'households', 'residents', 'party_mem',
  'party_ctr', 'workers', 'deviation', 'status', 'reach_hh', 'reach_shr', 'load',
] as const;

/** Zipped Shapefile of the grids; DBF fields of at most 10 characters (listed in docs/api.md). */
export async function planShapefile(db: Sql, planId: number, layer: string, extras: GridExtras = new Map()): Promise<Buffer> {
  const fc = await planGeoJson(db, planId, extras);
  return featureCollectionToShapefileZip({
    type: 'FeatureCollection',
    features: fc.features.map((f) => {
      const p = f.properties!;
      return {
        ...f,
        properties: {
          code: p.code, name: p.name, community: p.communityName, kind: p.kind, ded_type: p.dedicatedType,
          buildings: p.buildings, households: p.households, residents: p.residents, party_mem: p.partyMembers,
          party_ctr: p.partyCenters, workers: p.workers, deviation: p.deviation, status: p.status,
          reach_hh: p.reachedHouseholds, reach_shr: p.reachShare, load: p.load,
        },
      };
    }),
  }, layer, {
    // A new draft with no grids yet: a shapefile of the same columns and no records.
    empty: { kind: 'polygon', columns: PLAN_SHP_COLUMNS },
    // A share and a weighted load are fractions even when a plan's values all happen to be whole.
    types: {
      buildings: 'integer', households: 'integer', residents: 'integer', party_mem: 'integer', party_ctr: 'integer',
      workers: 'integer', deviation: 'integer', reach_hh: 'integer', reach_shr: 'number', load: 'number',
    },
  });
}

/** A grid's workers as `who` may see them: in clear in their scope, masked (张*明) elsewhere. */
function workerNames(who: Principal | null, g: GridRow): string {
  const level = disclosureFor(who, { communityCode: g.communityCode, gridCode: g.code }).workerName;
  return (g.workers ?? []).map((n) => showName(level, n)).filter((n) => n !== null).join('、');
}

/** XLSX roster: sheet 网格 (grids with tallies and workers), sheet 楼栋 (grid → buildings). */
export async function planRoster(db: Sql, planId: number, who: Principal | null, extras: GridExtras = new Map()): Promise<Buffer> {
  const grids = await gridRows(db, planId);
  const sheets: Sheet[] = [
    {
      name: '网格',
      columns: [
        { header: '社区', key: 'community', width: 16 }, { header: '网格编号', key: 'code', width: 18 }, { header: '网格名称', key: 'name', width: 28 },
        { header: '类型', key: 'kind' }, { header: '户数', key: 'households' }, { header: '人口', key: 'residents' },
        { header: '党员数', key: 'partyMembers' }, { header: '党员中心户', key: 'partyCenters', width: 12 }, { header: '楼栋数', key: 'buildings' },
        { header: '户数状态', key: 'status', width: 12 }, { header: '网格员', key: 'workers', width: 24 },
        { header: '党员联系户数', key: 'reachedHouseholds', width: 14 }, { header: '党员联系覆盖率', key: 'reachShare', width: 14 },
        { header: '负荷', key: 'load' },
      ],
      rows: grids.map((g) => ({
        community: g.communityName, code: g.code, name: g.name, kind: KIND_ZH[g.kind], households: g.households, residents: g.residents,
        partyMembers: g.partyMembers, partyCenters: g.partyCenters, buildings: g.buildings, status: STATUS_ZH[status(g)],
        workers: workerNames(who, g), ...(extras.get(g.code) ?? NO_EXTRAS),
      })),
    },
    {
      name: '楼栋',
      columns: [
        { header: '网格编号', key: 'grid', width: 18 }, { header: '楼栋编号', key: 'code', width: 22 }, { header: '楼栋名称', key: 'name', width: 20 },
        { header: '户数', key: 'households' }, { header: '人口', key: 'residents' }, { header: '党员数', key: 'partyMembers' },
      ],
      rows: await buildingRows(db, planId),
    },
  ];
  return sheetsToXlsx(sheets);
}
