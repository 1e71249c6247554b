/**
 * Issue #20: `npm run bench -- party`.
 * 1. Party reach of a whole street: the endpoint `GET /api/party-reach` (HTTP, walk network in
 *    memory, suggestions included) against the bare pgRouting query for the same reach
 *    (pgr_drivingDistance from the centres' nodes with the same cutoff), alternating, on the demo
 *    street and on a generated 100k-building street in a database of its own.
 * 2. Load spread between the demo street's basic grids: household-only vs load-balanced partitioning
 *    of every community (fresh, same seed), max/min and coefficient of variation.
 * Prints the machine's load average with the figures.
 */
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { ensureDemoRequests } from '../../data/seed-requests.js';
import { ensureSeeded } from '../../data/seed.js';
import { partitionEach } from '../../geo/partition/pieces.js';
import { spreadOf } from '../../geo/party/load.js';
import { createApp } from '../../server/app.js';
import type { Config } from '../../server/config.js';
import type { Database } from '../../server/db/client.js';
import { openDatabase } from '../../server/db/open.js';
import { loadPartitionInputs } from '../../server/repos/partition.repo.js';
import { communityLoads } from '../../server/services/party-reach.js';
import { ensureDatabase } from './screen.bench.js';
import { fmt, httpGet, percentile, sampleAlternating, table } from './stats.js';

const loadAvg = () => os.loadavg().map((l) => l.toFixed(2)).join(' / ');

/** The 100k-building street's own database: GRIDATLAS_BENCH_PARTY_100K_URL, else DATABASE_URL's name + `_party100k`. */
function party100kUrl(): string | null {
  if (process.env.GRIDATLAS_BENCH_PARTY_100K_URL) return process.env.GRIDATLAS_BENCH_PARTY_100K_URL;
  if (!process.env.DATABASE_URL) return null;
  const u = new URL(process.env.DATABASE_URL);
  u.pathname = `/${u.pathname.slice(1) || 'postgres'}_party100k`;
  return u.toString();
}

async function reachRow(db: Database, config: Config, label: string, n: number): Promise<string[]> {
  // A cold walk network of a 100k-building street takes a while to load on a busy machine.
  const app = createApp({ db, config: { ...config, cacheMb: 0, requestTimeoutMs: 600_000 } });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const [street] = await db.query<{ code: string }>('SELECT code FROM streets ORDER BY id LIMIT 1');
    const url = `${base}/api/party-reach?street=${street.code}`;
    const t0 = performance.now();
    const res = await fetch(url);
    if (!res.ok) throw new Error(`${url} → ${res.status} ${await res.text()}`);
    const first = (await res.json()) as { households: number; reachedHouseholds: number; share: number; centres: unknown[]; distanceM: number };
    const coldMs = performance.now() - t0;
    // The bare query: every walk node within the distance of a centre building's nearest node, as
    // ONE pgr_drivingDistance from a virtual source tied to all those nodes by zero-length edges
    // (pgr_drivingDistance with an array of starts runs one search per start: on the 100k street
    // its thousands of starts outgrew the statement timeout and the server's memory).
    const centreNodes = (await db.query<{ id: number }>(
      `SELECT DISTINCT n.id FROM buildings b JOIN LATERAL (SELECT id FROM walk_nodes ORDER BY geom <-> b.centroid LIMIT 1) n ON true
       WHERE b.party_centers > 0`)).map((r) => r.id);
    const edgesSql = `SELECT id, source, target, length_m AS cost FROM walk_edges
      UNION ALL SELECT -n, -1, n, 0 FROM unnest('{${centreNodes.join(',')}}'::bigint[]) AS n`;
    const bare = () => db.query(
      'SELECT count(*) FROM pgr_drivingDistance($1::text, -1::bigint, $2::float8, directed => false)',
      [edgesSql, first.distanceM],
    );
    const hasPgr = db.backend === 'postgis' && (await db.query(`SELECT 1 FROM pg_extension WHERE extname = 'pgrouting'`)).length > 0;
    const [ours, theirs] = await sampleAlternating(n, () => httpGet(url), hasPgr ? bare : async () => null, 2);
    return [
      label, `${first.households.toLocaleString('en')} hh, ${first.centres.length} centre bldgs, ${(first.share * 100).toFixed(1)}% reached @ ${first.distanceM} m`,
      fmt(coldMs), fmt(percentile(ours, 50)), hasPgr ? fmt(percentile(theirs, 50)) : 'n/a (no pgRouting)',
    ];
  } finally {
    server.close();
  }
}

async function loadSpreadRows(db: Database): Promise<string[][]> {
  const plan = (await db.query<{ id: number; street_id: number }>(`SELECT id, street_id FROM grid_plans WHERE status = 'published' ORDER BY id LIMIT 1`))[0];
  const communities = await db.query<{ code: string }>('SELECT code FROM communities WHERE street_id = $1 ORDER BY code', [plan.street_id]);
  const runs = { households: [] as number[], load: [] as number[] };
  const inBand = { households: 0, load: 0 };
  const contiguous = { households: true, load: true };
  let ms = { households: 0, load: 0 };
  for (const { code } of communities) {
    const loads = await communityLoads(db, plan.street_id, code);
    const inputs = (await loadPartitionInputs(db, plan.id, code)).map((i) => ({
      ...i, mode: 'fresh' as const, seed: 1, buildings: i.buildings.map((b) => ({ ...b, load: loads.get(b.id) ?? b.households })),
    }));
    for (const objective of ['households', 'load'] as const) {
      const t0 = performance.now();
      const r = partitionEach(inputs.map((i) => ({ ...i, objective })));
      ms = { ...ms, [objective]: ms[objective] + performance.now() - t0 };
      const basic = r.grids.filter((g) => !g.locked);
      runs[objective].push(...basic.map((g) => g.load));
      inBand[objective] += basic.filter((g) => g.status === 'in').length;
      contiguous[objective] &&= basic.every((g) => g.contiguous);
    }
  }
  return (['households', 'load'] as const).map((o) => {
    const s = spreadOf(runs[o]);
    return [o === 'households' ? 'household-only (default)' : 'load-balanced (objective "load")', String(s.count), `${inBand[o]}/${s.count}`, String(contiguous[o]),
      s.mean.toFixed(1), `${s.min.toFixed(1)}–${s.max.toFixed(1)}`, s.ratio.toFixed(3), s.cv.toFixed(4), fmt(ms[o])];
  });
}

export async function benchParty(db: Database, config: Config, n = 20) {
  await ensureDemoRequests(db, { seed: config.seed });
  console.log(`\n## Party reach and grid load (issue #20) — ${db.backend}, ${n} alternating samples; load average before: ${loadAvg()}`);
  console.log('\nLoad spread between the demo street\'s basic grids (every community partitioned fresh, seed 1, street weights):');
  table([['partitioning', 'grids', 'in band', 'contiguous', 'mean load', 'min–max', 'max/min', 'CV', 'partition time'], ...(await loadSpreadRows(db))]);
  console.log(`load average after the partitions: ${loadAvg()}`);
  const rows: string[][] = [['street', 'figures', 'first call (cold network)', 'GET /api/party-reach p50', 'bare pgr_drivingDistance (virtual source) p50']];
  rows.push(await reachRow(db, config, 'demo street', n));
  table(rows);
  const url = party100kUrl();
  if (!url) {
    rows.push(['100k-building street', 'NOT RUN: needs native PostGIS (set DATABASE_URL)', '', '', '']);
  } else {
    await ensureDatabase(url);
    const big = await openDatabase({ url });
    await ensureSeeded(big, { seed: config.seed, buildings: 100_000, log: (m) => console.log(`100k street: ${m}`) });
    await big.query('CREATE EXTENSION IF NOT EXISTS pgrouting').catch(() => undefined);
    await db.query('CREATE EXTENSION IF NOT EXISTS pgrouting').catch(() => undefined);
    const [{ b }] = await big.query<{ b: number }>('SELECT count(*)::int AS b FROM buildings');
    const row = await reachRow(big, config, `generated street (${b.toLocaleString('en')} buildings)`, Math.max(5, Math.floor(n / 4)));
    table([rows[0], row]);
    await big.close();
  }
  console.log(`load average after: ${loadAvg()}`);
}
