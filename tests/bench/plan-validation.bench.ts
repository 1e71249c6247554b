/**
 * Issue #4 bar: live validation in the planner within 100 ms of an edit. Times the full
 * geo/plan/validatePlan on the demo plan against PlanValidator.update for edits that reshape two
 * neighbouring grids (a disc of land moved across their shared border), in paint and polygon mode.
 * CPU time is shown too: on a busy machine wall-clock time mostly measures the other processes.
 */
import { validatePlan } from '../../geo/plan/validate.js';
import { PlanValidator } from '../../geo/plan/validator.js';
import type { Database } from '../../server/db/client.js';
import { neighbourPairs, transfer } from '../helpers/plan-edits.js';
import { loadPlanFixture } from '../helpers/plan-fixture.js';
import { fmt, percentile, table } from './stats.js';

export async function benchPlanValidation(db: Database, edits = 30) {
  const [{ id }] = await db.query<{ id: number }>(`SELECT id FROM grid_plans WHERE status = 'published' ORDER BY id DESC LIMIT 1`);
  const { communities, grids, buildings, assignment } = await loadPlanFixture(db, id);
  const pairs = neighbourPairs(grids);
  const step = Math.max(1, Math.floor(pairs.length / edits));
  const changes = pairs.filter((_, i) => i % step === 0).slice(0, edits).map((p) => transfer(p.a, p.b, p.at));
  const rows: string[][] = [['what', 'p50', 'p95', 'CPU p50', 'goal']];
  for (const mode of ['paint', 'polygon'] as const) {
    const opts = mode === 'paint' ? { assignment } : {};
    const full: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      validatePlan(communities, grids, buildings, opts);
      full.push(performance.now() - t);
    }
    let t = performance.now();
    const v = new PlanValidator(communities, grids, buildings, opts);
    const build = performance.now() - t;
    const times: number[] = [];
    const cpu: number[] = [];
    for (const c of changes) {
      t = performance.now();
      const u = process.cpuUsage();
      v.update({ grids: c });
      const used = process.cpuUsage(u);
      times.push(performance.now() - t);
      cpu.push((used.user + used.system) / 1000);
    }
    rows.push([`validatePlan, whole plan (${mode})`, fmt(percentile(full, 50)), fmt(percentile(full, 95)), '', '—']);
    rows.push([`new PlanValidator (${mode})`, fmt(build), fmt(build), '', '—']);
    rows.push([`PlanValidator.update, 2 grids reshaped (${mode})`, fmt(percentile(times, 50)), fmt(percentile(times, 95)), fmt(percentile(cpu, 50)), '< 100 ms']);
  }
  console.log(`\n## Plan validation in geo/ — demo plan (${grids.length} grids, ${buildings.length} buildings), ${changes.length} edits`);
  table(rows);
}
