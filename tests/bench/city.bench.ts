/**
 * Issue #15 part 5: `npm run bench -- city [--districts 4] [--streets 25] [--buildings 10000]
 * [--seed S] [--minutes M] [--keep] [--reuse] [--sections server,grids,screens]` — a generated city (data/generate/city.ts) seeded into a fresh native
 * PostGIS database of its own (`<DATABASE_URL's database>_city`, dropped at the end unless
 * `--keep`), then: seed time and rows/s; the server (a child process, server/main.ts) — start,
 * background warm-up, memory after warm-up and peak; tile p50/p95 at z12–z16 for buildings and
 * grids, endpoint vs the bare ST_AsMVT query alternating; per-street `/api/stats?street=` and
 * `/api/screen/summary?street=`; the street and district wall screens' first render.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { type City, generateCity } from '../../data/generate/city.js';
import { seedCity } from '../../data/seed-city.js';
import type { Database } from '../../server/db/client.js';
import { openDatabase } from '../../server/db/open.js';
import { benchCityGridTiles, benchCityServer } from './city-endpoints.bench.js';
import { benchCityScreens } from './city-screens.bench.js';
import { loadAvg, spawnServer } from './city-server.js';
import { table } from './stats.js';

/** The bench's server port (the cityscale engineer's; override with GRIDATLAS_BENCH_PORT). */
const PORT = Number(process.env.GRIDATLAS_BENCH_PORT ?? 8806);

/** `<DATABASE_URL's database>_city` (or GRIDATLAS_BENCH_CITY_URL); null without DATABASE_URL. */
export function cityDatabaseUrl(): string | null {
  if (process.env.GRIDATLAS_BENCH_CITY_URL) return process.env.GRIDATLAS_BENCH_CITY_URL;
  if (!process.env.DATABASE_URL) return null;
  const u = new URL(process.env.DATABASE_URL);
  u.pathname = `/${u.pathname.slice(1) || 'postgres'}_city`;
  return u.toString();
}

/** Drops (when `create` is false) or re-creates the city database from scratch, PostGIS enabled. */
async function adminDatabase(url: string, create: boolean) {
  const name = new URL(url).pathname.slice(1).replace(/"/g, '');
  const adminUrl = new URL(url);
  adminUrl.pathname = '/postgres';
  const admin = await openDatabase({ url: adminUrl.toString() });
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    if (create) await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.close();
  }
}

/** Streets in the city database, or -1 when it does not exist. */
async function streetCount(url: string): Promise<number> {
  const name = new URL(url).pathname.slice(1);
  const adminUrl = new URL(url);
  adminUrl.pathname = '/postgres';
  const admin = await openDatabase({ url: adminUrl.toString() });
  const [row] = await admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_database WHERE datname = $1`, [name]).finally(() => admin.close());
  if (row.n === 0) return -1;
  const db = await openDatabase({ url });
  const [s] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM streets').finally(() => db.close());
  return s.n;
}

/** Seeds the city (no street started after `until`), prints what it took; returns the streets seeded. */
async function printSeed(db: Database, city: City, until?: number): Promise<number> {
  const r = await seedCity(db, city, (m) => {
    const n = Number(/^(\d+)\//.exec(m)?.[1] ?? 0);
    if (n % 10 === 1 || n === city.plan.length) console.log(`  ${m}`);
  }, { until });
  const tenth = Math.max(1, Math.floor(r.streetMs.length / 10));
  const avg = (xs: number[]) => Math.round(xs.reduce((s, x) => s + x, 0) / xs.length);
  const [{ size }] = await db.query<{ size: string }>(`SELECT pg_size_pretty(pg_database_size(current_database())) AS size`);
  console.log(`\n## Seed (data/seed-city.ts: seedStreet per street, JSON chunks, one transaction per street; then ANALYZE)`);
  table([
    ['streets', 'buildings', 'households', 'rows', 'generate', 'seed', 'rows/s', 'buildings/s', 'first 10% streets', 'last 10% streets', 'ANALYZE', 'database size'],
    [String(r.streets), String(r.buildings), String(r.households), String(r.rows), `${(r.generateMs / 1000).toFixed(1)} s`,
      `${(r.seedMs / 1000).toFixed(1)} s`, String(Math.round(r.rows / (r.seedMs / 1000))), String(Math.round(r.buildings / (r.seedMs / 1000))),
      `${avg(r.streetMs.slice(0, tenth))} ms/street`, `${avg(r.streetMs.slice(-tenth))} ms/street`, `${(r.analyzeMs / 1000).toFixed(1)} s`, size],
  ]);
  return r.streets;
}

/** Runs the whole city bench; prints loudly and returns when there is no native database. */
export async function benchCity(argv: string[]) {
  const { values } = parseArgs({
    args: argv, allowPositionals: true, strict: false,
    options: { districts: { type: 'string' }, streets: { type: 'string' }, buildings: { type: 'string' }, seed: { type: 'string' }, keep: { type: 'boolean' }, reuse: { type: 'boolean' },
      minutes: { type: 'string' }, sections: { type: 'string' } },
  });
  const url = cityDatabaseUrl();
  if (!url) {
    console.log('\n!!! NOT RUN: the city bench needs native PostgreSQL + PostGIS: set DATABASE_URL (it creates <db>_city) !!!');
    return;
  }
  const planned = generateCity({
    districts: Number(values.districts ?? 4),
    streetsPerDistrict: Number(values.streets ?? 25),
    buildingsPerStreet: Number(values.buildings ?? 10_000),
    seed: Number(values.seed ?? 20240601),
  });
  const loads: string[] = [`start ${loadAvg()}`];
  console.log(`\n# City scale (issue #15): ${planned.districts.length} districts × ${planned.plan.length / planned.districts.length} streets × ` +
    `${planned.buildingsPerStreet} buildings planned — ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GB RAM, load average ${loadAvg()}`);
  // --reuse: measure again on a city a previous `--keep` run left (same options), without seeding.
  const existing = values.reuse === true ? await streetCount(url) : -1;
  if (existing <= 0) await adminDatabase(url, true);
  const db = await openDatabase({ url });
  try {
    let seeded = existing;
    if (existing > 0) console.log(`(--reuse: the city database of a previous run, ${existing} streets, not seeded again)`);
    else {
      // --minutes M: no street started after M minutes of seeding; the rest is measured on what fits.
      const until = values.minutes ? Date.now() + Number(values.minutes) * 60_000 : undefined;
      seeded = await printSeed(db, planned, until);
      loads.push(`after seed ${loadAvg()}`);
    }
    const plan = planned.plan.slice(0, seeded);
    const city: City = { ...planned, plan, districts: planned.districts.filter((d) => plan.some((s) => s.districtCode === d.code)) };
    if (seeded < planned.plan.length) console.log(`\n!!! ONLY ${seeded} of ${planned.plan.length} streets seeded in the time given: the figures below are for those !!!`);
    const spawn = (cacheMb: number) => spawnServer({ databaseUrl: url, port: PORT, cacheMb, log: (l) => /warn|error|refreshed/i.test(l) && console.log(`  server: ${l}`) });
    // One section failing (a timeout on a city too big) must not lose the others' figures.
    // --sections screens: only those (e.g. again with another checkout's server, GRIDATLAS_BENCH_SERVER_DIR).
    const wanted = String(values.sections ?? 'server,grids,screens').split(',');
    const sections = [['server', benchCityServer], ['grids', benchCityGridTiles], ['screens', benchCityScreens]] as const;
    for (const [name, section] of sections) {
      if (!wanted.includes(name)) continue;
      await section(db, city, spawn, loads).catch((e: unknown) => console.log(`\n!!! ${name} section FAILED: ${String(e)} !!!`));
    }
    console.log(`\nload average (1 / 5 / 15 min) during the run: ${loads.join('; ')}`);
  } finally {
    await db.close();
    if (!values.keep) await adminDatabase(url, false);
  }
}
