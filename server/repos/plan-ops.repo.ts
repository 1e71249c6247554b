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
]);
export const planEditSchema = z.object({ ops: z.array(planOpSchema).min(1).max(100) });
export type PlanOp = z.infer<typeof planOpSchema>;

interface GridRef {
  id: number;
  code: string;
  communityId: number;
  locked: boolean;
}

async function grid(tx: Sql, plan: PlanRow, gridCode: string): Promise<GridRef> {
  const [g] = await tx.query<GridRef>(
    `SELECT id, code, community_id AS "communityId", locked FROM grids WHERE plan_id = $1 AND code = $2`,
    [plan.id, gridCode],
  );
  if (!g) throw badRequest('unknown_grid', `方案中没有网格 ${gridCode}`, `no grid ${gridCode} in this plan`);
  if (plan.communityId !== null && g.communityId !== plan.communityId) {
    throw badRequest('out_of_plan_scope', `网格 ${gridCode} 不在本方案的社区内`, `grid ${gridCode} is outside this plan's community`);
  }
  return g;
}

const locked = (what: string) =>
  new HttpError(409, 'locked', `${what} 已锁定，不能修改`, `${what} is locked and cannot change`);

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

/** Applies the operations; returns the communities whose grid polygons must be regenerated. */
export async function applyOps(tx: Sql, plan: PlanRow, ops: PlanOp[]): Promise<Set<number>> {
  const touched = new Set<number>();
  for (const op of ops) {
    switch (op.op) {
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
  }
  for (const id of touched) await deriveGridPolygons(tx, plan.id, [id]);
  return touched;
}

async function addGrid(tx: Sql, plan: PlanRow, op: Extract<PlanOp, { op: 'addGrid' }>): Promise<number> {
  const [c] = await tx.query<{ id: number }>('SELECT id FROM communities WHERE code = $1', [op.community]);
  if (!c) throw badRequest('unknown_community', `社区 ${op.community} 不存在`, `community ${op.community} not found`);
  if (plan.communityId !== null && c.id !== plan.communityId) {
    throw badRequest('out_of_plan_scope', '新网格不在本方案的社区内', "the new grid is outside this plan's community");
  }
  const [{ next }] = await tx.query<{ next: number }>(
    `SELECT coalesce(max(substring(code from '-(\\d+)$')::int), 0) + 1 AS next FROM grids WHERE plan_id = $1 AND community_id = $2`,
    [plan.id, c.id],
  );
  const gridCode = op.code ?? `${op.community}-${String(next).padStart(3, '0')}`;
  const [clash] = await tx.query('SELECT 1 FROM grids WHERE plan_id = $1 AND code = $2', [plan.id, gridCode]);
  if (clash) throw new HttpError(409, 'duplicate_code', `网格编号 ${gridCode} 已存在`, `grid code ${gridCode} already exists`);
  await tx.query(
    `INSERT INTO grids (plan_id, community_id, code, name, kind, dedicated_type, geom)
     VALUES ($1, $2, $3, $4, $5, $6, 'SRID=4326;MULTIPOLYGON EMPTY'::geometry)`,
    [plan.id, c.id, gridCode, op.name, op.kind, op.dedicatedType ?? null],
  );
  return c.id;
}
