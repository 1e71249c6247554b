/**
 * Edit operations on a draft plan, applied in one transaction. Buildings are never split: the
 * planner assigns whole buildings (click, lasso or whole compound) and the grid polygons are
 * regenerated from the assignment (Voronoi cells, gap- and overlap-free), so the map and the
 * tallies always agree. Locked grids refuse any change.
 */
import { z } from 'zod';
import type { Sql } from '../db/client.js';
import { HttpError, badRequest } from '../http-error.js';
import { deriveGridPolygons } from './grid-geometry.repo.js';
import { type GridRef, findGrid, lockedError, nextGridCode } from './plan-grids.repo.js';
import { areaSchema, drawGrid, lineSchema, renumberGrids, reshapeGrid, splitGrid } from './plan-polygon-ops.repo.js';
import type { PlanRow } from './plans.repo.js';

const code = z.string().min(1).max(64).regex(/^[\w-]+$/, 'codes use letters, digits, - and _');
const name = z.string().trim().min(1).max(80);

export const planOpSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('rename'), name }),
  z.object({
    op: z.literal('assign'),
    grid: code,
    buildings: z.array(code).max(5000).default([]),
    compounds: z.array(code).max(200).default([]),
  }),
  z.object({ op: z.literal('lock'), grid: code, locked: z.boolean() }),
  z.object({ op: z.literal('renameGrid'), grid: code, name }),
  z.object({
    op: z.literal('addGrid'),
    community: z.string().regex(/^\d{12}$/),
    name,
    kind: z.enum(['basic', 'dedicated']).default('basic'),
    dedicatedType: z.enum(['school', 'market', 'hospital', 'office', 'commercial']).optional(),
    code: code.optional(),
  }),
  z.object({ op: z.literal('deleteGrid'), grid: code, into: code.optional() }),
  z.object({ op: z.literal('merge'), grids: z.array(code).min(2).max(20) }),
  // Polygon mode (plan-polygon-ops.repo.ts): shapes drawn by the planner, buildings follow by centroid.
  z.object({ op: z.literal('reshape'), grid: code, polygon: areaSchema }),
  z.object({ op: z.literal('split'), grid: code, line: lineSchema }),
  z.object({ op: z.literal('drawGrid'), polygon: areaSchema, kind: z.enum(['basic', 'dedicated']).default('basic'), name: name.optional() }),
  z.object({ op: z.literal('renumber') }),
]);
export const planEditSchema = z.object({ ops: z.array(planOpSchema).min(1).max(100) });
export type PlanOp = z.infer<typeof planOpSchema>;

const grid = findGrid;
const locked = lockedError;

/** Moves buildings into `target`; refuses buildings of another community or of locked grids. */
async function moveBuildings(tx: Sql, plan: PlanRow, target: GridRef, buildingIds: number[]) {
  if (target.locked) throw locked(target.code);
  if (buildingIds.length === 0) return;
  const ids = JSON.stringify(buildingIds);
  const [bad] = await tx.query<{ code: string; reason: string }>(
    `SELECT b.code, CASE WHEN b.community_id <> $3 THEN 'community' ELSE 'locked' END AS reason
     FROM buildings b LEFT JOIN building_grid bg ON bg.building_id = b.id AND bg.plan_id = $1
     LEFT JOIN grids g ON g.id = bg.grid_id
     WHERE b.id IN (SELECT jsonb_array_elements_text($2::jsonb)::int)
       AND (b.community_id <> $3 OR (g.locked AND g.id <> $4)) LIMIT 1`,
    [plan.id, ids, target.communityId, target.id],
  );
  if (bad?.reason === 'community') {
    throw badRequest('wrong_community', `楼栋 ${bad.code} 不属于网格 ${target.code} 所在社区`, `building ${bad.code} is not in grid ${target.code}'s community`);
  }
  if (bad) throw locked(`楼栋 ${bad.code} 所在网格 / the grid of building ${bad.code}`);
  await tx.query(
    `INSERT INTO building_grid (plan_id, building_id, grid_id)
     SELECT $1, id::int, $3 FROM jsonb_array_elements_text($2::jsonb) AS id
     ON CONFLICT (plan_id, building_id) DO UPDATE SET grid_id = EXCLUDED.grid_id`,
    [plan.id, ids, target.id],
  );
}

async function buildingIds(tx: Sql, codes: string[], compounds: string[]): Promise<number[]> {
  const rows = await tx.query<{ id: number; code: string }>(
    `SELECT b.id, b.code FROM buildings b LEFT JOIN compounds k ON k.id = b.compound_id
     WHERE b.code IN (SELECT jsonb_array_elements_text($1::jsonb)) OR k.code IN (SELECT jsonb_array_elements_text($2::jsonb))`,
    [JSON.stringify(codes), JSON.stringify(compounds)],
  );
  const found = new Set(rows.map((r) => r.code));
  const missing = codes.find((c) => !found.has(c));
  if (missing) throw badRequest('unknown_building', `楼栋 ${missing} 不存在`, `building ${missing} not found`);
  return rows.map((r) => r.id);
}

async function gridBuildings(tx: Sql, gridId: number): Promise<number[]> {
  return (await tx.query<{ id: number }>('SELECT building_id AS id FROM building_grid WHERE grid_id = $1', [gridId])).map((r) => r.id);
}

/** What an operation reports back (new codes, renumbering), one entry per op in order. */
export type OpResult = Record<string, unknown> | null;

/**
 * Applies the operations in order. Paint-mode ops regenerate their communities' Voronoi polygons
 * once at the end; a polygon-mode op first settles pending regeneration of its community, so that
 * a batch means the same as the ops one by one.
 */
export async function applyOps(tx: Sql, plan: PlanRow, ops: PlanOp[]): Promise<OpResult[]> {
  const touched = new Set<number>();
  const results: OpResult[] = [];
  const settle = async (communityId: number | null) => {
    const ids = [...touched].filter((id) => communityId === null || id === communityId);
    if (ids.length > 0) await deriveGridPolygons(tx, plan.id, ids);
    for (const id of ids) touched.delete(id);
  };
  for (const op of ops) {
    let result: OpResult = null;
    switch (op.op) {
      case 'reshape':
        await settle((await grid(tx, plan, op.grid)).communityId);
        result = await reshapeGrid(tx, plan, op.grid, op.polygon);
        break;
      case 'split':
        await settle((await grid(tx, plan, op.grid)).communityId);
        result = await splitGrid(tx, plan, op.grid, op.line);
        break;
      case 'drawGrid':
        await settle(null);
        result = await drawGrid(tx, plan, op);
        break;
      case 'renumber':
        result = await renumberGrids(tx, plan);
        break;
      case 'rename':
        await tx.query('UPDATE grid_plans SET name = $2 WHERE id = $1', [plan.id, op.name]);
        break;
      case 'assign': {
        if (op.buildings.length + op.compounds.length === 0) throw badRequest('invalid_input', '请指定楼栋或小区', 'name buildings or compounds to assign');
        const target = await grid(tx, plan, op.grid);
        await moveBuildings(tx, plan, target, await buildingIds(tx, op.buildings, op.compounds));
        touched.add(target.communityId);
        break;
      }
      case 'lock': {
        const g = await grid(tx, plan, op.grid);
        await tx.query('UPDATE grids SET locked = $2 WHERE id = $1', [g.id, op.locked]);
        break;
      }
      case 'renameGrid': {
        const g = await grid(tx, plan, op.grid);
        if (g.locked) throw locked(g.code);
        await tx.query('UPDATE grids SET name = $2 WHERE id = $1', [g.id, op.name]);
        break;
      }
      case 'addGrid':
        touched.add(await addGrid(tx, plan, op));
        break;
      case 'deleteGrid': {
        const g = await grid(tx, plan, op.grid);
        if (g.locked) throw locked(g.code);
        const members = await gridBuildings(tx, g.id);
        if (members.length > 0 && !op.into) {
          throw new HttpError(409, 'grid_not_empty', `网格 ${g.code} 还有 ${members.length} 栋楼，请指定并入的网格`, `grid ${g.code} still has ${members.length} buildings; say which grid takes them (into)`);
        }
        if (op.into) await moveBuildings(tx, plan, await grid(tx, plan, op.into), members);
        await tx.query('DELETE FROM grids WHERE id = $1', [g.id]);
        touched.add(g.communityId);
        break;
      }
      case 'merge': {
        const [keep, ...rest] = await Promise.all(op.grids.map((c) => grid(tx, plan, c)));
        for (const g of rest) {
          if (g.locked) throw locked(g.code);
          await moveBuildings(tx, plan, keep, await gridBuildings(tx, g.id));
          await tx.query('DELETE FROM grids WHERE id = $1', [g.id]);
        }
        touched.add(keep.communityId);
        break;
      }
    }
    results.push(result);
  }
  await settle(null);
  return results;
}

async function addGrid(tx: Sql, plan: PlanRow, op: Extract<PlanOp, { op: 'addGrid' }>): Promise<number> {
  const [c] = await tx.query<{ id: number }>('SELECT id FROM communities WHERE code = $1', [op.community]);
  if (!c) throw badRequest('unknown_community', `社区 ${op.community} 不存在`, `community ${op.community} not found`);
  if (plan.communityId !== null && c.id !== plan.communityId) {
    throw badRequest('out_of_plan_scope', '新网格不在本方案的社区内', "the new grid is outside this plan's community");
  }
  const gridCode = op.code ?? (await nextGridCode(tx, plan.id, c.id, op.community));
  const [clash] = await tx.query('SELECT 1 FROM grids WHERE plan_id = $1 AND code = $2', [plan.id, gridCode]);
  if (clash) throw new HttpError(409, 'duplicate_code', `网格编号 ${gridCode} 已存在`, `grid code ${gridCode} already exists`);
  await tx.query(
    `INSERT INTO grids (plan_id, community_id, code, name, kind, dedicated_type, geom)
     VALUES ($1, $2, $3, $4, $5, $6, 'SRID=4326;MULTIPOLYGON EMPTY'::geometry)`,
    [plan.id, c.id, gridCode, op.name, op.kind, op.dedicatedType ?? null],
  );
  return c.id;
}
