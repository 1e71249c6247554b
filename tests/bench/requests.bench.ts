/**
 * Issue #9 figures: generating the demo year of requests (goal < 1 s), and the p50 of the
 * wall-screen stats, the map layer and the heat endpoints over it.
 */
import type { Database } from '../../server/db/client.js';
import { ensureDemoRequests, requestBuildings } from '../../data/seed-requests.js';
import { generateRequests } from '../../data/generate/requests.js';
import { REQUEST_CATEGORIES } from '../../server/requests/categories.js';
import { fmt, httpGet, percentile, sample, table } from './stats.js';

export async function benchRequests(db: Database, baseUrl: string, seed: number, n = 30) {
  await ensureDemoRequests(db, { seed, log: (m) => console.log(m) });
  const buildings = await requestBuildings(db);
  const gen = await sample(5, async () => generateRequests(buildings, REQUEST_CATEGORIES, { seed, endMs: Date.now() }), 1);
  const rows: string[][] = [['what', 'p50', 'goal']];
  rows.push([`generate a demo year (${buildings.length} buildings)`, fmt(percentile(gen, 50)), '< 1 s']);
  for (const path of ['/api/requests/stats', '/api/requests/layer?status=reported,dispatched,accepted', '/api/requests/heat']) {
    rows.push([path, fmt(percentile(await sample(n, () => httpGet(baseUrl + path)), 50)), '—']);
  }
  console.log(`\n## Resident requests (${db.backend}, ${n} samples)`);
  table(rows);
}
