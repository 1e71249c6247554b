/**
 * Polygon-mode edits of a draft plan, all in PostGIS: reshape a grid, split it with a line, draw a
 * new grid, renumber codes. The community stays gap- and overlap-free: land a grid takes comes
 * from its unlocked neighbours, land it gives up goes to the neighbour sharing the longest border.
 * Buildings are never split: each belongs to the grid containing its footprint's centroid, and a
 * building moves only when its grid no longer contains that centroid. Locked grids never change.
 * Geometries travel between statements as hex EWKB (exact); overlays snap-round to OVERLAY_GRID
 * (~0.1 mm). Every geometry write counts the rows it changed (`changed`): on PGlite a GEOS failure
 * inside a write answers "no rows" instead of an error, and the edit must then fail as a whole
 * rather than commit half done (db/client.ts SilentQueryFailure).
 */
import { z } from 'zod';
import { renumberCodes } from '../../geo/plan/renumber.js';
import type { Sql } from '../db/client.js';
import { badRequest } from '../http-error.js';
import { findGrid, lockedError, nextGridCode } from './plan-grids.repo.js';
import { OVERLAY_GRID } from './sql-params.js';
import type { PlanRow } from './plans.repo.js';

const lng = z.number().min(-180).max(180);
const lat = z.number().min(-90).max(90);
const position = z.tuple([lng, lat]).or(z.tuple([lng, lat, z.number()]).transform(([x, y]) => [x, y] as [number, number]));
const ring = z.array(position).min(4).max(20_000).refine((r) => r[0][0] === r.at(-1)![0] && r[0][1] === r.at(-1)![1], 'rings must be closed (first point = last point)');
/** A GeoJSON Polygon or MultiPolygon in WGS84. */
export const areaSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1).max(100) }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(ring).min(1).max(100)).min(1).max(100) }),
]);
/** A GeoJSON LineString in WGS84. */
export const lineSchema = z.object({ type: z.literal('LineString'), coordinates: z.array(position).min(2).max(10_000) });

type AreaInput = z.infer<typeof areaSchema>;

const MULTI = (g: string) => `ST_Multi(ST_CollectionExtract(ST_MakeValid(${g}), 3))`;
const EMPTY = `'SRID=4326;MULTIPOLYGON EMPTY'::geometry`;
const FROM_HEX = (p: string) => `ST_GeomFromEWKB(decode(${p}, 'hex'))`;
/** Throws unless a geometry write changed exactly `expected` rows (see the header). */
function changed(rows: unknown[], expected: number, what: string) {
  if (rows.length !== expected) {
    throw new Error(`geometry write ${what} changed ${rows.length} of ${expected} rows: the edit is rolled back`);
  }
}

/** Pieces below this (m²) are numerical noise. */
const NOISE_M2 = 0.5;

/** The input geometry checked by PostGIS: 400 with the reason when it is not valid. */
async function inputGeometry(tx: Sql, g: unknown, what: string): Promise<string> {
  const [row] = await tx.query<{ hex: string; valid: boolean; reason: string }>(
    `SELECT encode(ST_AsEWKB(x), 'hex') AS hex, ST_IsValid(x) AS valid, ST_IsValidReason(x) AS reason
     FROM (SELECT ST_SetSRID(ST_GeomFromGeoJSON($1), 4326) AS x) q`,
    [JSON.stringify(g)],
  );
  if (!row.valid) throw badRequest('invalid_geometry', `${what}几何无效：${row.reason}`, `the ${what === '多边形' ? 'polygon' : 'line'} is not valid: ${row.reason}`);
  return row.hex;
}

/** `area` ∩ community − locked grids (other than `except`) as hex EWKB; 400 when nothing is left. */
async function usableArea(tx: Sql, planId: number, communityId: number, area: string, except: number | null): Promise<string> {
  const [row] = await tx.query<{ hex: string; m2: number }>(
    `WITH x AS (
       SELECT ${MULTI(`ST_Difference(ST_Intersection(${FROM_HEX('$3')}, c.geom, ${OVERLAY_GRID}),
                coalesce((SELECT ST_Union(geom, ${OVERLAY_GRID}) FROM grids WHERE plan_id = $1 AND community_id = $2 AND locked AND id IS DISTINCT FROM $4), ${EMPTY}),
                ${OVERLAY_GRID})`)} AS g
       FROM communities c WHERE c.id = $2)
     SELECT encode(ST_AsEWKB(g), 'hex') AS hex, coalesce(ST_Area(g::geography), 0) AS m2 FROM x`,
    [planId, communityId, area, except],
  );
  if (!row || row.m2 < 1) {
    throw badRequest('empty_shape', '该形状与社区（除去锁定网格）没有重叠', 'the shape does not cover any of the community outside locked grids');
  }
  return row.hex;
}

/** Unlocked grids of the community (other than `except`) lose whatever `area` covers. */
async function carveOut(tx: Sql, planId: number, communityId: number, area: string, except: number | null) {
  const where = `plan_id = $1 AND community_id = $2 AND NOT locked AND id IS DISTINCT FROM $4 AND ST_Intersects(geom, ${FROM_HEX('$3')})`;
  const params = [planId, communityId, area, except];
  const [{ n }] = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM grids WHERE ${where}`, params);
  const rows = await tx.query(`UPDATE grids SET geom = ${MULTI(`ST_Difference(geom, ${FROM_HEX('$3')}, ${OVERLAY_GRID})`)} WHERE ${where} RETURNING id`, params);
  changed(rows, n, 'carve out');
}

/**
 * Hands each piece of `area` to the unlocked grid (other than `from`) sharing the longest border
 * with it; a piece no such grid touches stays with `from`. Returns what `from` keeps (hex).
 */
async function giveAway(tx: Sql, planId: number, communityId: number, from: number, area: string): Promise<string | null> {
  const pieces = await tx.query<{ hex: string; to: number | null }>(
    `SELECT encode(ST_AsEWKB(p.geom), 'hex') AS hex,
            (SELECT g.id FROM grids g
             WHERE g.plan_id = $1 AND g.community_id = $2 AND NOT g.locked AND g.id <> $3 AND ST_DWithin(g.geom, p.geom, 1e-7)
             ORDER BY ST_Length(ST_Intersection(ST_Boundary(p.geom), ST_Buffer(g.geom, 1e-7))) DESC, g.id LIMIT 1) AS "to"
     FROM ST_Dump(${FROM_HEX('$4')}) p WHERE ST_Area(p.geom::geography) >= ${NOISE_M2}`,
    [planId, communityId, from, area],
  );
  const kept: string[] = [];
  for (const p of pieces) {
    if (p.to === null) kept.push(p.hex);
    else changed(await tx.query(`UPDATE grids SET geom = ${MULTI(`ST_Union(geom, ${FROM_HEX('$2')}, ${OVERLAY_GRID})`)} WHERE id = $1 RETURNING id`, [p.to, p.hex]), 1, 'give away');
  }
  if (kept.length === 0) return null;
  const [{ hex }] = await tx.query<{ hex: string }>(
    `SELECT encode(ST_AsEWKB(ST_Union(${FROM_HEX('h')}, ${OVERLAY_GRID})), 'hex') AS hex FROM jsonb_array_elements_text($1::jsonb) AS h`,
    [JSON.stringify(kept)],
  );
  return hex;
}

/**
 * Buildings of the community follow the polygons: a building whose grid (unlocked) no longer
 * contains its centroid moves to the unlocked grid that does; unassigned buildings join the grid
 * containing their centroid. Returns how many buildings moved.
 */
export async function reassignByCentroid(tx: Sql, planId: number, communityId: number): Promise<number> {
  const moved = await tx.query(
    `WITH target AS (
       SELECT b.id AS building_id, bg.grid_id AS current,
              (SELECT g.id FROM grids g WHERE g.plan_id = $1 AND g.community_id = $2 AND NOT g.locked AND ST_Intersects(g.geom, b.centroid)
               ORDER BY g.id LIMIT 1) AS grid_id
       FROM buildings b
       LEFT JOIN building_grid bg ON bg.building_id = b.id AND bg.plan_id = $1
       LEFT JOIN grids cg ON cg.id = bg.grid_id
       WHERE b.community_id = $2 AND (bg.grid_id IS NULL OR (NOT cg.locked AND NOT ST_Intersects(cg.geom, b.centroid))))
     INSERT INTO building_grid (plan_id, building_id, grid_id)
     SELECT $1, building_id, grid_id FROM target WHERE grid_id IS NOT NULL
     ON CONFLICT (plan_id, building_id) DO UPDATE SET grid_id = EXCLUDED.grid_id
     RETURNING building_id`,
    [planId, communityId],
  );
  return moved.length;
}

async function setShape(tx: Sql, gridId: number, hex: string) {
  changed(await tx.query(`UPDATE grids SET geom = ${MULTI(FROM_HEX('$2'))} WHERE id = $1 RETURNING id`, [gridId, hex]), 1, 'set shape');
}

/**
 * Reshape: the grid becomes `polygon` ∩ its community − locked grids; unlocked neighbours lose
 * the overlap; land the grid gives up goes to the neighbour with the longest shared border.
 */
export async function reshapeGrid(tx: Sql, plan: PlanRow, gridCode: string, polygon: AreaInput) {
  const g = await findGrid(tx, plan, gridCode);
  if (g.locked) throw lockedError(`网格 ${g.code} / grid ${g.code}`);
  const shape = await usableArea(tx, plan.id, g.communityId, await inputGeometry(tx, polygon, '多边形'), g.id);
  await carveOut(tx, plan.id, g.communityId, shape, g.id);
  const [{ hex: released }] = await tx.query<{ hex: string }>(
    `SELECT encode(ST_AsEWKB(ST_Difference(geom, ${FROM_HEX('$2')}, ${OVERLAY_GRID})), 'hex') AS hex FROM grids WHERE id = $1`,
    [g.id, shape],
  );
  const kept = await giveAway(tx, plan.id, g.communityId, g.id, released);
  await setShape(tx, g.id, shape);
  if (kept) changed(await tx.query(`UPDATE grids SET geom = ${MULTI(`ST_Union(geom, ${FROM_HEX('$2')}, ${OVERLAY_GRID})`)} WHERE id = $1 RETURNING id`, [g.id, kept]), 1, 'keep');
  return { grid: g.code, buildingsMoved: await reassignByCentroid(tx, plan.id, g.communityId) };
}

/**
 * Split: cuts the grid with `line`. The side holding the largest piece keeps the code, the other
 * side becomes a new grid (next free code, same kind). 400 unless the line cuts the grid in two.
 */
export async function splitGrid(tx: Sql, plan: PlanRow, gridCode: string, line: z.infer<typeof lineSchema>) {
  const g = await findGrid(tx, plan, gridCode);
  if (g.locked) throw lockedError(`网格 ${g.code} / grid ${g.code}`);
  const cut = await inputGeometry(tx, line, '分割线');
  const pieces = await tx.query<{ hex: string; m2: number; side: number }>(
    `WITH l AS (SELECT ${FROM_HEX('$2')} AS line),
     p AS (SELECT (ST_Dump(ST_CollectionExtract(ST_Split(g.geom, l.line), 3))).geom AS geom, l.line FROM grids g, l WHERE g.id = $1)
     SELECT encode(ST_AsEWKB(geom), 'hex') AS hex, ST_Area(geom::geography) AS m2,
            sign(ST_Area(ST_Intersection(geom, ST_Buffer(line, 0.05, 'side=left')))
               - ST_Area(ST_Intersection(geom, ST_Buffer(line, 0.05, 'side=right'))))::int AS side
     FROM p WHERE ST_Area(geom::geography) >= ${NOISE_M2} ORDER BY 2 DESC`,
    [g.id, cut],
  );
  const [{ parts }] = await tx.query<{ parts: number }>(
    `SELECT count(*)::int AS parts FROM grids g, ST_Dump(g.geom) d WHERE g.id = $1 AND ST_Area(d.geom::geography) >= ${NOISE_M2}`,
    [g.id],
  );
  const keepSide = pieces[0]?.side ?? 0;
  const away = pieces.filter((p, i) => i > 0 && p.side !== 0 && p.side !== keepSide);
  // Cut means: the line cut some part of the grid, and left pieces on both of its sides.
  if (pieces.length <= parts || away.length === 0) {
    throw badRequest('split_no_cut', `分割线没有把网格 ${g.code} 分成两部分：请从网格一侧边界画到另一侧`, `the line does not cut grid ${g.code} in two: draw it across the grid from edge to edge`);
  }
  const newCode = await nextGridCode(tx, plan.id, g.communityId, g.communityCode);
  const awayHex = JSON.stringify(away.map((p) => p.hex));
  const inserted = await tx.query<{ id: number }>(
    `INSERT INTO grids (plan_id, community_id, code, name, kind, dedicated_type, geom)
     SELECT $1, $2, $3, $4, $5, $6, ${MULTI(`ST_Union(${FROM_HEX('h')}, ${OVERLAY_GRID})`)} FROM jsonb_array_elements_text($7::jsonb) AS h
     RETURNING id`,
    [plan.id, g.communityId, newCode, `${g.name}（拆分）`, g.kind, g.dedicatedType, awayHex],
  );
  changed(inserted, 1, 'split off');
  const [created] = inserted;
  const keepHex = JSON.stringify(pieces.filter((p) => !away.includes(p)).map((p) => p.hex));
  const kept = await tx.query(
    `UPDATE grids SET geom = (SELECT ${MULTI(`ST_Union(${FROM_HEX('h')}, ${OVERLAY_GRID})`)} FROM jsonb_array_elements_text($2::jsonb) AS h) WHERE id = $1 RETURNING id`,
    [g.id, keepHex],
  );
  changed(kept, 1, 'split keep');
  await moveIntoByCentroid(tx, plan.id, g.id, created.id);
  return { grid: g.code, newGrid: newCode };
}

/** Buildings of grid `from` whose centroid lies in grid `to` move there. */
async function moveIntoByCentroid(tx: Sql, planId: number, from: number, to: number) {
  await tx.query(
    `UPDATE building_grid bg SET grid_id = $3 FROM buildings b, grids t
     WHERE bg.plan_id = $1 AND bg.grid_id = $2 AND b.id = bg.building_id AND t.id = $3 AND ST_Intersects(t.geom, b.centroid)`,
    [planId, from, to],
  );
}

/** Draw: a new grid carved out of the unlocked grids it covers, clipped to the community it covers most. */
export async function drawGrid(tx: Sql, plan: PlanRow, op: { polygon: AreaInput; kind: 'basic' | 'dedicated'; name?: string }) {
  const area = await inputGeometry(tx, op.polygon, '多边形');
  const [c] = await tx.query<{ id: number; code: string; name: string }>(
    `SELECT c.id, c.code, c.name FROM communities c
     WHERE ST_Intersects(c.geom, ${FROM_HEX('$1')}) AND ($2::int IS NULL OR c.id = $2)
     ORDER BY ST_Area(ST_Intersection(c.geom, ${FROM_HEX('$1')})) DESC LIMIT 1`,
    [area, plan.communityId],
  );
  if (!c) throw badRequest('empty_shape', '该形状不在本方案的社区内', "the shape is not inside this plan's community");
  const shape = await usableArea(tx, plan.id, c.id, area, null);
  await carveOut(tx, plan.id, c.id, shape, null);
  const code = await nextGridCode(tx, plan.id, c.id, c.code);
  const drawn = await tx.query(
    `INSERT INTO grids (plan_id, community_id, code, name, kind, geom) VALUES ($1, $2, $3, $4, $5, ${MULTI(FROM_HEX('$6'))}) RETURNING id`,
    [plan.id, c.id, code, op.name ?? `${c.name}新网格 ${code.slice(-3)}`, op.kind, shape],
  );
  changed(drawn, 1, 'draw');
  return { newGrid: code, buildingsMoved: await reassignByCentroid(tx, plan.id, c.id) };
}

/**
 * Renumber: codes in reading order (rows north→south, west→east in a row) per community of the
 * plan, basic grids first then dedicated; locked grids keep their codes. Returns old → new.
 */
export async function renumberGrids(tx: Sql, plan: PlanRow): Promise<{ renumbered: Record<string, string> }> {
  const rows = await tx.query<{ id: number; code: string; kind: 'basic' | 'dedicated'; locked: boolean; community: string; x: number; y: number; height: number }>(
    `SELECT g.id, g.code, g.kind, g.locked, c.code AS community,
            coalesce(ST_X(ST_PointOnSurface(g.geom)), 0) AS x, coalesce(ST_Y(ST_PointOnSurface(g.geom)), 0) AS y,
            coalesce(ST_YMax(g.geom) - ST_YMin(g.geom), 0) AS height
     FROM grids g JOIN communities c ON c.id = g.community_id
     WHERE g.plan_id = $1 AND ($2::int IS NULL OR g.community_id = $2) ORDER BY g.code`,
    [plan.id, plan.communityId],
  );
  const mapping = new Map<string, string>();
  for (const community of new Set(rows.map((r) => r.community))) {
    const mine = rows.filter((r) => r.community === community).map((r) => ({ ...r, id: String(r.id), anchor: [r.x, r.y] as [number, number] }));
    for (const [from, to] of renumberCodes(community, mine)) mapping.set(from, to);
  }
  if (mapping.size > 0) {
    const pairs = JSON.stringify([...mapping].map(([from, to]) => ({ from, to })));
    // Two steps, so that swapping codes never meets the (plan, code) uniqueness half-way.
    await tx.query(
      `UPDATE grids SET code = '~' || code WHERE plan_id = $1 AND code IN (SELECT p->>'from' FROM jsonb_array_elements($2::jsonb) p)`,
      [plan.id, pairs],
    );
    await tx.query(
      `UPDATE grids g SET code = p->>'to' FROM jsonb_array_elements($2::jsonb) p WHERE g.plan_id = $1 AND g.code = '~' || (p->>'from')`,
      [plan.id, pairs],
    );
  }
  return { renumbered: Object.fromEntries(mapping) };
}
