/**
 * Database side of the partitioner (issue #5): reads a community of a plan as a partitioner input
 * and writes a partition result as a new draft plan (a copy of the source plan with the
 * community's buildings reassigned and its grid polygons derived again).
 */
import type { LngLat, PartitionInput, PartitionResult } from '../../geo/partition/index.js';
import { type Spread, spreadOf } from '../../geo/party/load.js';
import type { Sql } from '../db/client.js';
import { notFound } from '../http-error.js';
import { audit } from './audit.repo.js';
import { deriveGridPolygons, mendGridFragments } from './grid-geometry.repo.js';
import { createDraft, getPlan } from './plans.repo.js';

interface BuildingRow {
  id: string;
  households: number;
  residents: number;
  lng: number;
  lat: number;
  compound: string | null;
  grid: string | null;
  fixed: boolean;
}

/** The partitioner's input for `community` in plan `planId` (dedicated and locked grids stay fixed). */
export async function loadPartitionInput(db: Sql, planId: number, community: string): Promise<Omit<PartitionInput, 'mode' | 'seed'>> {
  const [c] = await db.query<{ id: number; boundary: string }>(
    'SELECT id, ST_AsGeoJSON(geom) AS boundary FROM communities WHERE code = $1',
    [community],
  );
  if (!c) throw notFound(`社区 ${community} 不存在`, `community ${community} not found`);
  const rows = await db.query<BuildingRow>(
    `SELECT b.code AS id, b.households, b.residents, ST_X(b.centroid) AS lng, ST_Y(b.centroid) AS lat,
            cp.code AS compound, g.code AS grid, coalesce(g.kind = 'dedicated' OR g.locked, false) AS fixed
     FROM buildings b
     LEFT JOIN compounds cp ON cp.id = b.compound_id
     LEFT JOIN building_grid bg ON bg.building_id = b.id AND bg.plan_id = $1
     LEFT JOIN grids g ON g.id = bg.grid_id
     WHERE b.community_id = $2 ORDER BY b.code`,
    [planId, c.id],
  );
  const barriers = await db.query<{ line: string }>(
    `SELECT ST_AsGeoJSON(e.geom) AS line FROM walk_edges e JOIN communities c ON c.id = $1
     WHERE e.kind = 'arterial' AND ST_Intersects(e.geom, c.geom) ORDER BY e.id`,
    [c.id],
  );
  const geom = JSON.parse(c.boundary) as { type: string; coordinates: unknown };
  const polygons = (geom.type === 'MultiPolygon' ? geom.coordinates : [geom.coordinates]) as LngLat[][][];
  // The largest polygon's rings (a community is one piece; a stray sliver must not win).
  const ringArea = (r: LngLat[]) => Math.abs(r.reduce((s, p, i) => s + p[0] * r[(i + 1) % r.length][1] - r[(i + 1) % r.length][0] * p[1], 0));
  const boundary = polygons.slice().sort((a, b) => ringArea(b[0]) - ringArea(a[0]))[0] ?? [];
  const locked = new Map<string, string[]>();
  const current: Record<string, string> = {};
  for (const r of rows) {
    if (r.grid && r.fixed) locked.set(r.grid, [...(locked.get(r.grid) ?? []), r.id]);
    else if (r.grid) current[r.id] = r.grid;
  }
  return {
    buildings: rows.map((r) => ({ id: r.id, households: r.households, residents: r.residents, centroid: [r.lng, r.lat], compound: r.compound })),
    boundary,
    barriers: barriers.map((b) => (JSON.parse(b.line) as { coordinates: LngLat[] }).coordinates),
    locked: [...locked].map(([id, buildings]) => ({ id, buildings })),
    current,
  };
}

/**
 * The partitioner's inputs for a community in several pieces (exclaves: real boundaries, issue #15):
 * one per piece holding buildings, with that piece as the boundary and the buildings whose centroid
 * lies in it (a building in no piece goes with the nearest), so no piece's buildings fall outside
 * the partitioner's boundary. A community in one piece gives the one input of {@link loadPartitionInput}.
 */
export async function loadPartitionInputs(db: Sql, planId: number, community: string): Promise<Array<Omit<PartitionInput, 'mode' | 'seed'>>> {
  const whole = await loadPartitionInput(db, planId, community);
  const pieces = await db.query<{ piece: number; rings: string }>(
    `SELECT p.path[1] AS piece, ST_AsGeoJSON(p.geom) AS rings FROM communities c, LATERAL ST_Dump(c.geom) p WHERE c.code = $1 ORDER BY 1`, [community]);
  if (pieces.length < 2) return [whole];
  const home = await db.query<{ id: string; piece: number }>(`
    SELECT b.code AS id, (SELECT p.path[1] FROM LATERAL ST_Dump(c.geom) p ORDER BY p.geom <-> b.centroid, p.path[1] LIMIT 1) AS piece
    FROM buildings b JOIN communities c ON c.id = b.community_id WHERE c.code = $1`, [community]);
  const pieceOf = new Map(home.map((h) => [h.id, h.piece]));
  return pieces.map(({ piece, rings }) => {
    const ids = new Set(whole.buildings.filter((b) => pieceOf.get(b.id) === piece).map((b) => b.id));
    return {
      ...whole,
      buildings: whole.buildings.filter((b) => ids.has(b.id)),
      boundary: (JSON.parse(rings) as { coordinates: LngLat[][] }).coordinates,
      locked: (whole.locked ?? []).map((g) => ({ ...g, buildings: g.buildings.filter((b) => ids.has(b)) })).filter((g) => g.buildings.length > 0),
      current: Object.fromEntries(Object.entries(whole.current ?? {}).filter(([b]) => ids.has(b))),
    };
  }).filter((input) => input.buildings.length > 0);
}

export interface PartitionWriteSummary {
  plan: number;
  community: string;
  grids: number;
  inBand: number;
  moved: number;
  meanPolsbyPopper: number;
  /** Spread of load between the new basic grids (issue #20): mean, min, max, max/min, coefficient of variation. */
  load: Spread;
  infeasible: PartitionResult['infeasible'];
}

/**
 * Writes `result` for `community` into draft `draftId` (a copy of the plan the input was read
 * from): new grids for the partitioner's new ones, every building reassigned, basic grids left
 * empty removed, the community's grid polygons derived again (pieces cut off mended, grid-geometry.repo.ts).
 */
export async function applyPartition(tx: Sql, draftId: number, community: { id: number; code: string }, result: PartitionResult): Promise<void> {
  const existing = await tx.query<{ id: number; code: string }>('SELECT id, code FROM grids WHERE plan_id = $1', [draftId]);
  const idOf = new Map(existing.map((g) => [g.code, g.id]));
  const assignments: { building: string; grid: number }[] = [];
  let n = 0;
  for (const g of result.grids) {
    if (g.locked) continue;
    let gridId = idOf.get(g.id);
    if (gridId === undefined) {
      let code: string;
      do code = `${community.code}-A${String(++n).padStart(2, '0')}`;
      while (idOf.has(code));
      const [row] = await tx.query<{ id: number }>(
        `INSERT INTO grids (plan_id, community_id, code, name, kind, locked, geom)
         VALUES ($1, $2, $3, $4, 'basic', false, 'SRID=4326;MULTIPOLYGON EMPTY'::geometry) RETURNING id`,
        [draftId, community.id, code, `自动网格${n}`],
      );
      gridId = row.id;
      idOf.set(code, gridId);
    }
    for (const b of g.buildings) assignments.push({ building: b, grid: gridId });
  }
  await tx.query(
    `INSERT INTO building_grid (plan_id, building_id, grid_id)
     SELECT $1, b.id, (x->>'grid')::int FROM jsonb_array_elements($2::jsonb) x JOIN buildings b ON b.code = x->>'building'
     ON CONFLICT (plan_id, building_id) DO UPDATE SET grid_id = EXCLUDED.grid_id`,
    [draftId, JSON.stringify(assignments)],
  );
  // Basic grids of the community the partition emptied are gone in the draft.
  await tx.query(
    `DELETE FROM grids g WHERE g.plan_id = $1 AND g.community_id = $2 AND g.kind = 'basic' AND NOT g.locked
     AND NOT EXISTS (SELECT 1 FROM building_grid bg WHERE bg.grid_id = g.id)`,
    [draftId, community.id],
  );
  await deriveGridPolygons(tx, draftId, [community.id]);
  await mendGridFragments(tx, draftId, [community.id]);
}

/** The summary of a partition written to plan `plan`. */
export function partitionSummary(plan: number, community: string, result: PartitionResult): PartitionWriteSummary {
  const s = result.stats;
  return {
    plan, community, grids: s.grids, inBand: s.inBand, moved: s.moved,
    meanPolsbyPopper: Math.round(s.meanPolsbyPopper * 1000) / 1000,
    load: spreadOf(result.grids.filter((g) => !g.locked).map((g) => g.load)),
    infeasible: result.infeasible,
  };
}

/**
 * The new draft's name, after what it holds. One community partitioned on a copy of a plan:
 * "<community>自动划分（重新划分|调整）". A street-wide draft that continues a chain of partitions
 * (the set-up page partitions community by community, each run on the draft the previous one
 * wrote): "<street>自动划分（N个社区）" — the communities partitioned along the chain (read back
 * from the audit log's plan_partition entries: `from` → the plan it started from), not the last one.
 */
async function partitionDraftName(tx: Sql, sourceId: number, streetId: number, scope: string | null, communityName: string, community: string, mode: string): Promise<string> {
  const one = `${communityName}自动划分（${mode === 'fresh' ? '重新划分' : '调整'}）`.slice(0, 80);
  if (scope !== null) return one;
  const chain = await tx.query<{ codes: string[] }>(`
    WITH RECURSIVE chain(plan, depth) AS (
      SELECT $1::text, 0
      UNION ALL
      SELECT a.detail->>'from', c.depth + 1 FROM chain c
      JOIN LATERAL (SELECT detail FROM audit_log WHERE action = 'plan_partition' AND target_type = 'plan' AND target_id = c.plan ORDER BY id DESC LIMIT 1) a ON true
      WHERE c.depth < 500 AND a.detail->>'from' IS NOT NULL)
    SELECT coalesce(array_agg(DISTINCT x) FILTER (WHERE x IS NOT NULL), '{}') AS codes FROM chain c
    JOIN audit_log a ON a.action = 'plan_partition' AND a.target_type = 'plan' AND a.target_id = c.plan
    CROSS JOIN LATERAL (SELECT a.detail->>'community' UNION ALL SELECT jsonb_array_elements_text(coalesce(a.detail->'communities', '[]'))) AS v(x)`, [String(sourceId)]);
  const codes = new Set([...(chain[0]?.codes ?? []), community]);
  if (codes.size <= 1) return one;
  const [street] = await tx.query<{ name: string }>('SELECT name FROM streets WHERE id = $1', [streetId]);
  return `${street?.name ?? ''}自动划分（${codes.size}个社区）`.slice(0, 80);
}

/** Writes `result` as a new draft copied from `sourceId`; returns the new plan's summary. */
export async function writePartitionDraft(
  tx: Sql,
  opts: {
    sourceId: number; community: string; result: PartitionResult; mode: string; seed: number; actor: string; userId: number | null;
    /** 'households' or 'load' (issue #20); recorded in the audit entry. */
    objective?: string;
    /** The draft's own community (a community plan), or null for a street-wide draft. */
    scope: string | null;
  },
): Promise<PartitionWriteSummary> {
  const source = await getPlan(tx, opts.sourceId);
  const [c] = await tx.query<{ id: number; name: string }>('SELECT id, name FROM communities WHERE code = $1', [opts.community]);
  if (!c) throw notFound(`社区 ${opts.community} 不存在`, `community ${opts.community} not found`);
  const name = await partitionDraftName(tx, opts.sourceId, source.streetId, opts.scope, c.name, opts.community, opts.mode);
  const draft = await createDraft(tx, { name, communityCode: opts.scope ?? undefined, from: opts.sourceId, streetId: source.streetId });
  await applyPartition(tx, draft.id, { id: c.id, code: opts.community }, opts.result);
  const s = opts.result.stats;
  await audit(tx, {
    actor: opts.actor, userId: opts.userId, action: 'plan_partition', targetType: 'plan', targetId: String(draft.id),
    detail: { from: opts.sourceId, community: opts.community, mode: opts.mode, seed: opts.seed, objective: opts.objective ?? 'households', grids: s.grids, inBand: s.inBand, moved: s.moved },
  });
  return partitionSummary(draft.id, opts.community, opts.result);
}
