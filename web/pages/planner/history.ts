/**
 * Undo / redo for the planner. Every saved edit is kept with the ops that made it and a snapshot
 * of the community's grids (code, name, kind, lock, geometry) and building assignment from just
 * before it. Redo re-sends the ops. Undo sends, in one PATCH (one transaction), the ops that take
 * the plan back to the snapshot:
 * - assignment-only edits (click, brush, compound): `assign` the moved buildings back, grouped by
 *   their previous grid (the server regenerates the grid polygons from the assignment);
 * - geometric edits (reshape, split, draw, merge, delete): `deleteGrid` the grids the edit
 *   created (into an unlocked grid that existed before), `addGrid` back the grids it removed under
 *   their old codes, then `reshape` every unlocked grid of the community back to its old polygon
 *   (all of them, not only the changed ones: a structural op makes the server regenerate the
 *   community's polygons first); buildings follow their centroids again; locks are restored last.
 *   Old polygons tile the community, so after the last reshape every grid has its old shape.
 * Renumbering changes every code, so it is not undoable: it clears the history (the UI says so).
 */
import type { PlanOp, PlanPolygon } from './plan-api';

export interface GridSnap {
  code: string;
  name: string;
  kind: 'basic' | 'dedicated';
  communityCode: string;
  locked: boolean;
  geometry: PlanPolygon | null;
}

export interface Snapshot {
  grids: GridSnap[];
  assignment: ReadonlyMap<string, string>;
}

export interface HistoryEntry {
  ops: PlanOp[];
  geometric: boolean;
  before: Snapshot;
}

const GEOMETRIC = new Set(['reshape', 'split', 'drawGrid', 'merge', 'deleteGrid', 'addGrid']);
export const isGeometric = (ops: readonly PlanOp[]) => ops.some((o) => GEOMETRIC.has(o.op));

const sameGeometry = (a: PlanPolygon | null, b: PlanPolygon | null) => JSON.stringify(a) === JSON.stringify(b);

const isEmpty = (g: PlanPolygon) => g.coordinates.length === 0;

/** A multipolygon of one part is sent as a polygon. */
function simplest(g: PlanPolygon): PlanPolygon {
  return g.type === 'MultiPolygon' && g.coordinates.length === 1 ? { type: 'Polygon', coordinates: g.coordinates[0] } : g;
}

/** The ops that turn `now` back into `before` (see the file comment). */
export function restoreOps(before: Snapshot, now: Snapshot, geometric: boolean): PlanOp[] {
  const ops: PlanOp[] = [];
  const old = new Map(before.grids.map((g) => [g.code, g]));
  const cur = new Map(now.grids.map((g) => [g.code, g]));
  if (geometric) {
    const survivor = before.grids.find((g) => cur.has(g.code) && !g.locked && !cur.get(g.code)!.locked)?.code;
    for (const g of now.grids) if (!old.has(g.code)) ops.push(survivor ? { op: 'deleteGrid', grid: g.code, into: survivor } : { op: 'deleteGrid', grid: g.code });
    for (const g of before.grids) {
      if (!cur.has(g.code)) ops.push({ op: 'addGrid', community: g.communityCode, name: g.name, kind: g.kind, code: g.code });
    }
    const structural = ops.length > 0;
    for (const g of before.grids) {
      const c = cur.get(g.code);
      if (!g.geometry || g.locked || c?.locked || isEmpty(g.geometry)) continue;
      if (structural || !c || !sameGeometry(c.geometry, g.geometry)) ops.push({ op: 'reshape', grid: g.code, polygon: simplest(g.geometry) });
    }
  } else {
    const back = new Map<string, string[]>();
    for (const [b, g] of before.assignment) {
      if (now.assignment.get(b) !== g) back.set(g, [...(back.get(g) ?? []), b]);
    }
    for (const [grid, buildings] of back) ops.push({ op: 'assign', grid, buildings });
  }
  for (const g of before.grids) {
    const c = cur.get(g.code);
    if (c ? c.locked !== g.locked : g.locked) ops.push({ op: 'lock', grid: g.code, locked: g.locked });
  }
  return ops;
}
