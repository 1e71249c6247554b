/**
 * Seeds a generated city (data/generate/city.ts): its districts with their names, then each street
 * through {@link seedStreet} (one transaction per street, so a failure leaves whole streets only),
 * then `ANALYZE`. One street is in memory at a time.
 */
import type { Database } from '../server/db/client.js';
import type { City } from './generate/city.js';
import type { StreetDataset } from './generate/types.js';
import { seedStreet } from './seed.js';

export interface CitySeedReport {
  streets: number;
  buildings: number;
  households: number;
  /** Every row written (communities … building-grid memberships). */
  rows: number;
  generateMs: number;
  seedMs: number;
  analyzeMs: number;
  /** Seeding time of each street, in order (to see whether it grows with the tables). */
  streetMs: number[];
}

/** Street counts after which the seed refreshes the planner's statistics. */
const ANALYZE_AFTER = new Set([1, 3, 10, 30]);

/** Rows {@link seedStreet} writes for a dataset. */
export function rowsOf(ds: StreetDataset): number {
  const grids = ds.plan.grids;
  return 1 + ds.communities.length + ds.compounds.length + ds.buildings.length + ds.households.length +
    ds.facilities.length + ds.walkNodes.length + ds.walkEdges.length + grids.length +
    grids.reduce((n, g) => n + g.workers.length + g.buildingCodes.length, 0);
}

/**
 * Writes the city into `db` (which should hold no street of the city yet). `log` hears about each
 * street as it is written; `opts.until` stops before the next street once that time has passed
 * (the report says how many streets were written).
 */
export async function seedCity(
  db: Database, city: City, log?: (msg: string) => void, opts: { until?: number } = {},
): Promise<CitySeedReport> {
  for (const d of city.districts) {
    await db.query(`INSERT INTO districts (code, name) VALUES ($1, $2) ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name`, [d.code, d.name]);
  }
  const report: CitySeedReport = { streets: 0, buildings: 0, households: 0, rows: 0, generateMs: 0, seedMs: 0, analyzeMs: 0, streetMs: [] };
  const streets = city.streets();
  // `until` (a Date.now() time): no street is started after it — the largest city that fits.
  while (opts.until === undefined || Date.now() < opts.until) {
    const t0 = performance.now();
    const next = streets.next();
    if (next.done) break;
    const ds = next.value;
    const t1 = performance.now();
    await seedStreet(db, ds);
    const ms = performance.now() - t1;
    report.generateMs += t1 - t0;
    report.seedMs += ms;
    report.streetMs.push(ms);
    report.streets++;
    report.buildings += ds.buildings.length;
    report.households += ds.households.length;
    report.rows += rowsOf(ds);
    // Statistics while the tables grow, so each street's joins keep using the code indexes.
    if (ANALYZE_AFTER.has(report.streets)) await db.query('ANALYZE');
    log?.(`${report.streets}/${city.plan.length} ${ds.street.code} ${ds.street.name}: ${ds.buildings.length} buildings, ` +
      `${ds.households.length} households, generated in ${Math.round(t1 - t0)} ms, seeded in ${Math.round(ms)} ms`);
  }
  const t2 = performance.now();
  // Fresh statistics (see ensureSeeded): without them the planner takes the filled tables for empty ones.
  await db.query('ANALYZE');
  report.analyzeMs = performance.now() - t2;
  return report;
}
