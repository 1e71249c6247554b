/**
 * Latency of the polygon-mode plan edits (reshape, split, drawGrid, renumber — each applied in a
 * transaction that is then rolled back, so every sample edits the same draft) and of the exports.
 */
import type { Database } from '../../server/db/client.js';
import { applyOps, type PlanOp } from '../../server/repos/plan-ops.repo.js';
import { planGeoJson, planRoster, planShapefile } from '../../server/repos/plan-export.repo.js';
import { createDraft, getPlan } from '../../server/repos/plans.repo.js';
import { neighbourPairs, transfer } from '../helpers/plan-edits.js';
import { loadPlanFixture } from '../helpers/plan-fixture.js';
import { fmt, percentile, sample, table } from './stats.js';

class Rollback extends Error {}

export async function benchPlanOps(db: Database, n = 10) {
  const { id } = await db.transaction(async (tx) => createDraft(tx, { from: 'published', name: 'bench draft', streetId: (await tx.query<{ id: number }>('SELECT min(id) AS id FROM streets'))[0].id }));
  try {
    const plan = await getPlan(db, id);
    const { grids } = await loadPlanFixture(db, id);
    const single = new Set(grids.filter((g) => g.geometry.type === 'Polygon' || g.geometry.coordinates.length === 1).map((g) => g.id));
    const pair = neighbourPairs(grids).find((p) => p.a.kind === 'basic' && single.has(p.a.id))!;
    const [grown] = transfer(pair.a, pair.b, pair.at, 80);
    const [[x0, y0, x1, y1]] = (await db.query<{ b: number[] }>(
      `SELECT ARRAY[ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom)] AS b FROM grids WHERE plan_id = $1 AND code = $2`, [id, pair.a.code],
    )).map((r) => r.b);
    const [xm, ym] = [(x0 + x1) / 2, (y0 + y1) / 2];
    const d = 0.001;
    const ops: [string, PlanOp][] = [
      ['reshape (80 m disc taken from a neighbour)', { op: 'reshape', grid: pair.a.code, polygon: grown.geometry as never }],
      ['split (line across the grid)', { op: 'split', grid: pair.a.code, line: { type: 'LineString', coordinates: [[xm, y0 - 1e-3], [xm, y1 + 1e-3]] } }],
      ['drawGrid (200 m square)', { op: 'drawGrid', kind: 'basic', polygon: { type: 'Polygon', coordinates: [[[xm - d, ym - d], [xm + d, ym - d], [xm + d, ym + d], [xm - d, ym + d], [xm - d, ym - d]]] } }],
      ['renumber (whole street)', { op: 'renumber' }],
    ];
    const rows: string[][] = [['what', 'p50', 'p95']];
    for (const [label, op] of ops) {
      const times = await sample(n, () => db.transaction(async (tx) => {
        await applyOps(tx, plan, [op]);
        throw new Rollback();
      }).catch((e: unknown) => { if (!(e instanceof Rollback)) throw e; }), 2);
      rows.push([`PATCH op ${label}, in a transaction`, fmt(percentile(times, 50)), fmt(percentile(times, 95))]);
    }
    for (const [label, run] of [
      ['export geojson', () => planGeoJson(db, id)],
      ['export shp (zip)', () => planShapefile(db, id, 'grids')],
      ['export xlsx roster', () => planRoster(db, id, null)],
    ] as const) {
      const times = await sample(Math.ceil(n / 2), run, 1);
      rows.push([label, fmt(percentile(times, 50)), fmt(percentile(times, 95))]);
    }
    console.log(`\n## Plan edits (polygon mode) and exports — ${db.backend}, ${n} samples`);
    table(rows);
  } finally {
    await db.query('DELETE FROM grid_plans WHERE id = $1', [id]);
  }
}
