/**
 * The figures behind `GET /api/setup/status` (issue #15.3): what one street holds at each set-up
 * step — boundaries, buildings, households, facilities, walk network, grid plans — and what is
 * wrong with it. Read-only; every figure is one SQL aggregate over the street's rows.
 */
import { MIN_DWELLING_M2 } from '../../data/generate/rosters.js';
import type { Sql } from '../db/client.js';

/** A building farther than this (m) from every walkable edge cannot be routed well. */
export const WALK_REACH_M = 200;

export interface BoundaryFigures {
  districts: number; streets: number; communities: number; streetOutline: boolean;
  district: { code: string; name: string } | null;
}

export async function boundaryFigures(db: Sql, streetId: number | null): Promise<BoundaryFigures> {
  const [row] = await db.query<BoundaryFigures & { districtCode: string | null; districtName: string | null }>(`
    SELECT (SELECT count(*)::int FROM districts) AS districts, (SELECT count(*)::int FROM streets) AS streets,
      (SELECT count(*)::int FROM communities WHERE street_id = $1) AS communities,
      coalesce((SELECT geom IS NOT NULL FROM streets WHERE id = $1), false) AS "streetOutline",
      (SELECT d.code FROM streets s JOIN districts d ON d.id = s.district_id WHERE s.id = $1) AS "districtCode",
      (SELECT d.name FROM streets s JOIN districts d ON d.id = s.district_id WHERE s.id = $1) AS "districtName"`, [streetId]);
  const { districtCode, districtName, ...rest } = row;
  return { ...rest, district: districtCode ? { code: districtCode, name: districtName ?? districtCode } : null };
}

export interface BuildingFigures {
  buildings: number; residential: number; nonResidential: number;
  /** Buildings whose inner point lies outside their own community's outline (e.g. after a boundary change). */
  outsideCommunity: number;
  communitiesWithoutBuildings: number;
  households: number; residents: number; partyMembers: number;
  buildingsWithHouseholds: number;
  /** Residential buildings big enough to be dwellings (≥ MIN_DWELLING_M2) with no household. */
  dwellingsWithoutHouseholds: number;
}

export async function buildingFigures(db: Sql, streetId: number): Promise<BuildingFigures> {
  const [row] = await db.query<BuildingFigures>(`
    WITH c AS (SELECT id, geom FROM communities WHERE street_id = $1),
    b AS (SELECT b.*, c.geom AS cgeom FROM buildings b JOIN c ON c.id = b.community_id)
    SELECT count(*)::int AS buildings,
      (count(*) FILTER (WHERE use = 'residential'))::int AS residential,
      (count(*) FILTER (WHERE use <> 'residential'))::int AS "nonResidential",
      (count(*) FILTER (WHERE NOT ST_Intersects(cgeom, ST_PointOnSurface(geom))))::int AS "outsideCommunity",
      (SELECT count(*)::int FROM c WHERE NOT EXISTS (SELECT 1 FROM buildings x WHERE x.community_id = c.id)) AS "communitiesWithoutBuildings",
      coalesce(sum(households), 0)::int AS households, coalesce(sum(residents), 0)::int AS residents,
      coalesce(sum(party_members), 0)::int AS "partyMembers",
      (count(*) FILTER (WHERE households > 0))::int AS "buildingsWithHouseholds",
      (count(*) FILTER (WHERE use = 'residential' AND households = 0 AND ST_Area(geom::geography) >= ${MIN_DWELLING_M2}))::int AS "dwellingsWithoutHouseholds"
    FROM b`, [streetId]);
  return row;
}

export interface FacilityFigures { facilities: number; categories: number; outsideEveryCommunity: number }

export async function facilityFigures(db: Sql, streetId: number): Promise<FacilityFigures> {
  const [row] = await db.query<FacilityFigures>(`
    SELECT count(*)::int AS facilities, count(DISTINCT f.category)::int AS categories,
      (SELECT count(*)::int FROM facilities x WHERE x.community_id IS NULL) AS "outsideEveryCommunity"
    FROM facilities f JOIN communities c ON c.id = f.community_id WHERE c.street_id = $1`, [streetId]);
  return row;
}

export interface WalkFigures {
  /** Edges and nodes within the street's extent. */
  edges: number; nodes: number; lengthKm: number;
  /** Connected pieces of those edges; the biggest piece's share of their length. */
  components: number; largestShare: number;
  buildingsFarFromNetwork: number;
}

/** Walk network over the street's extent (its outline's box, or its communities'). */
export async function walkFigures(db: Sql, streetId: number): Promise<WalkFigures> {
  const extent = `(SELECT coalesce((SELECT ST_Envelope(geom) FROM streets WHERE id = $1 AND geom IS NOT NULL),
    (SELECT ST_Envelope(ST_Collect(geom)) FROM communities WHERE street_id = $1)))`;
  const edges = await db.query<{ source: number; target: number; length_m: number }>(
    `SELECT source, target, length_m FROM walk_edges WHERE geom && ${extent}`, [streetId]);
  const [far] = await db.query<{ n: number }>(`
    SELECT count(*)::int AS n FROM buildings b JOIN communities c ON c.id = b.community_id
    WHERE c.street_id = $1 AND NOT EXISTS (SELECT 1 FROM walk_edges e
      WHERE e.geom && ST_Expand(b.centroid, 0.005) AND ST_DWithin(e.geom::geography, b.centroid::geography, ${WALK_REACH_M}))`, [streetId]);
  const pieces = components(edges);
  const total = edges.reduce((s, e) => s + Number(e.length_m), 0);
  return {
    edges: edges.length, nodes: pieces.nodes, lengthKm: Math.round(total / 100) / 10,
    components: pieces.lengths.length, largestShare: total > 0 ? Math.round((Math.max(...pieces.lengths) / total) * 1000) / 1000 : 0,
    buildingsFarFromNetwork: far.n,
  };
}

/** Union–find over edge endpoints: the nodes touched and the length of every connected piece. */
function components(edges: Array<{ source: number; target: number; length_m: number }>): { nodes: number; lengths: number[] } {
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    while (parent.get(x) !== r) {
      const next = parent.get(x)!;
      parent.set(x, r);
      x = next;
    }
    return r;
  };
  for (const e of edges) {
    for (const n of [e.source, e.target]) if (!parent.has(n)) parent.set(n, n);
    const [a, b] = [find(e.source), find(e.target)];
    if (a !== b) parent.set(a, b);
  }
  const lengths = new Map<number, number>();
  for (const e of edges) lengths.set(find(e.source), (lengths.get(find(e.source)) ?? 0) + Number(e.length_m));
  return { nodes: parent.size, lengths: [...lengths.values()] };
}

export interface PlanFigures {
  plan: number; name: string; status: string; updatedAt: string;
  grids: number; basic: number; inBand: number; under: number; over: number;
  /** Buildings of the street in no grid of the plan. */
  unassigned: number;
  /** Communities of the street with buildings but no grid in the plan. */
  communitiesWithoutGrids: number;
}

/** The street's published plan, or its newest draft (`which`); null when there is none. */
export async function planFigures(db: Sql, streetId: number, which: 'published' | 'draft', band: { lo: number; hi: number }): Promise<PlanFigures | null> {
  const [plan] = await db.query<{ id: number; name: string; status: string; updatedAt: string }>(
    `SELECT id, name, status, updated_at AS "updatedAt" FROM grid_plans WHERE street_id = $1 AND status = $2 ORDER BY id DESC LIMIT 1`,
    [streetId, which]);
  if (!plan) return null;
  const [row] = await db.query<Omit<PlanFigures, 'plan' | 'name' | 'status' | 'updatedAt'>>(`
    WITH c AS (SELECT id FROM communities WHERE street_id = $1),
    g AS (SELECT g.id, g.kind, g.community_id, coalesce(sum(b.households), 0) AS hh FROM grids g
          LEFT JOIN building_grid bg ON bg.grid_id = g.id LEFT JOIN buildings b ON b.id = bg.building_id
          WHERE g.plan_id = $2 AND g.community_id IN (SELECT id FROM c) GROUP BY g.id)
    SELECT (SELECT count(*)::int FROM g) AS grids, (SELECT count(*)::int FROM g WHERE kind = 'basic') AS basic,
      (SELECT count(*)::int FROM g WHERE kind = 'basic' AND hh BETWEEN $3 AND $4) AS "inBand",
      (SELECT count(*)::int FROM g WHERE kind = 'basic' AND hh < $3) AS under,
      (SELECT count(*)::int FROM g WHERE kind = 'basic' AND hh > $4) AS over,
      (SELECT count(*)::int FROM buildings b WHERE b.community_id IN (SELECT id FROM c)
        AND NOT EXISTS (SELECT 1 FROM building_grid bg WHERE bg.plan_id = $2 AND bg.building_id = b.id)) AS unassigned,
      (SELECT count(*)::int FROM c WHERE EXISTS (SELECT 1 FROM buildings b WHERE b.community_id = c.id)
        AND NOT EXISTS (SELECT 1 FROM g WHERE g.community_id = c.id)) AS "communitiesWithoutGrids"`,
  [streetId, plan.id, band.lo, band.hi]);
  return { plan: plan.id, name: plan.name, status: plan.status, updatedAt: plan.updatedAt, ...row };
}
