/**
 * `npm start`: read config, open (and if empty, seed) the database, serve API + web on one port.
 */
import type { Server as HttpServer } from 'node:http';
import { ensureSeeded, ensureStandards } from '../data/seed.js';
import { refreshScreenFiguresSoon, warmScreenFigures } from './services/screen-figures.js';
import { ensureDemoRequests } from '../data/seed-requests.js';
import { createApp, responseCacheFor } from './app.js';
import { serveApp } from './http/tile-fast-path.js';
import { loadConfig } from './config.js';
import { availabilityFor, gateDatabase } from './db/availability.js';
import { installDriverGuards } from './db/driver-guards.js';
import { Drain } from './lifecycle/drain.js';
import { openDatabase } from './db/open.js';
import { openNative } from './db/client.js';
import { ReplicaRouter, routedDatabase } from './db/replicas.js';
import { ensureFirstAdmin } from './services/first-run.js';
import { openJobQueue } from './services/jobs/open-job-queue.js';
import { WorkerJobs } from './services/worker-jobs.js';

installDriverGuards();
const config = loadConfig();
const t0 = Date.now();
const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite at ${config.dataDir}`;
console.log(`[gridatlas] opening ${where} …`);
const primary = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
// Streaming replicas (DATABASE_REPLICA_URLS): reads of the read routes go there (db/replicas.ts).
const replicas = await Promise.all(config.replicas.urls.map((u) => openNative(u, { max: 8 })));
for (const r of replicas) r.capabilities = primary.capabilities;
const router = replicas.length ? new ReplicaRouter(primary, replicas, { maxLagMs: config.replicas.maxLagMs }) : undefined;
const db = router ? routedDatabase(primary, replicas) : primary;
if (router) console.log(`[gridatlas] ${replicas.length} read replica(s); a replica more than ${config.replicas.maxLagMs} ms behind is skipped`);
console.log(
  `[gridatlas] database ready in ${Date.now() - t0} ms: ${db.backend}, PostGIS ${db.capabilities.postgisVersion}, ` +
    `tiles via ${db.capabilities.asMvt ? 'ST_AsMVT' : 'TypeScript encoder'}`,
);
if (config.seedDemo) {
  const seeded = await ensureSeeded(db, {
    seed: config.seed,
    buildings: config.demoBuildings,
    log: (m) => console.log(`[gridatlas] ${m}`),
  });
  if (seeded) console.log(`[gridatlas] demo street seeded`);
  await ensureDemoRequests(db, { seed: config.seed, log: (m) => console.log(`[gridatlas] ${m}`) });
}
// Facility categories for imports, with or without the demo street (GRIDATLAS_SEED_DEMO=0).
await ensureStandards(db);
const [{ streets }] = await db.query<{ streets: number }>('SELECT count(*)::int AS streets FROM streets');

const firstRun = await ensureFirstAdmin(db, process.env.GRIDATLAS_ADMIN_PASSWORD || undefined).catch(async (err: unknown) => {
  // A weak GRIDATLAS_ADMIN_PASSWORD: say why in one line, not with a stack trace, and do not serve.
  console.error(`[gridatlas] ${(err as Error).message}`);
  await db.close();
  process.exit(1);
});

// The wall screen's slowest figures, stored across restarts: recomputed now, in the background, if
// the data changed since they were stored (an import, a restore), so the first screen finds them ready.
void warmScreenFigures(db).catch((e: unknown) => console.warn(`[gridatlas] wall-screen figures not refreshed: ${String(e)}`));

const availability = availabilityFor(db, (m) => console.warn(`[gridatlas] ${m}`));
// The data version is read before every cached answer, on a connection of its own: a cached tile
// never queues for the pool behind slow queries (PGlite has one connection anyway). Through the
// availability gate: refused at once while the database is down.
const versionDb = config.databaseUrl
  ? routedDatabase(await openNative(config.databaseUrl, { max: 1 }), await Promise.all(config.replicas.urls.map((u) => openNative(u, { max: 1 }))))
  : db;
const cache = responseCacheFor(gateDatabase(versionDb, availability), config);
// After data changes (plan edits, publishes, imports — here or by another process, seen as a new
// data version), the screen's stored figures are recomputed in the background, so a wall screen
// opened next does not wait for them.
cache.onInvalidate(() => refreshScreenFiguresSoon(db));
// Partition jobs: on the PostgreSQL job queue shared by every server (native), or in this process.
const jobs = new WorkerJobs();
const queue = await openJobQueue({ config, db: primary, local: jobs, onDataChanged: () => cache.invalidate() });
console.log(`[gridatlas] partition jobs: ${queue.shared ? `PostgreSQL job queue${config.jobs.work ? ', worked here' : ', left to npm run worker'}` : 'in this process'}`);
const drain = new Drain({ drainMs: config.drainMs, log: (m) => console.log(`[gridatlas] ${m}`) });
const app = createApp({ db, config, cache, availability, lifecycle: drain, jobs, queue, replicas: router });
const server = serveApp(app, { port: config.port, hostname: config.host }, (info) => {
  const base = `http://${info.address}:${info.port}`;
  console.log(`[gridatlas] 社区网格地图 GridAtlas on ${base}/ (${Date.now() - t0} ms)`);
  if (firstRun) {
    console.log('\n  ┌─ 首次启动 / first start ──────────────────────────────────────────');
    console.log(`  │ 管理员 admin: ${firstRun.password ? `password ${firstRun.password}  (shown once — 首次登录须修改 / must be changed at first sign-in)` : 'password from GRIDATLAS_ADMIN_PASSWORD'}`);
    console.log(`  │ 大屏链接 kiosk link for /screen: ${base}${firstRun.kioskPath}`);
    console.log('  └──────────────────────────────────────────────────────────────────\n');
  }
  if (streets === 0) {
    console.log(`[gridatlas] 数据库为空：请以管理员登录后打开 ${base}/setup 导入边界、楼栋…（或 npm run import / setup / partition）`);
    console.log(`[gridatlas] empty database: sign in as admin and open ${base}/setup to bring in boundaries, buildings … (or npm run import / setup / partition)`);
  }
});

drain.attach(server as HttpServer);

/**
 * Graceful stop (lifecycle/drain.ts): keep answering for GRIDATLAS_DRAIN_MS with /api/health
 * saying `draining`, stop listening, finish what was accepted, then close the database and exit 0.
 * A second Ctrl-C (SIGINT) exits at once; a repeated SIGTERM changes nothing.
 */
function shutdown(signal: string) {
  if (drain.draining) {
    if (signal !== 'SIGINT') return;
    console.log('[gridatlas] SIGINT again: exiting now, without draining');
    process.exit(1);
  }
  console.log(`[gridatlas] ${signal}: draining requests and closing`);
  void drain.start().then(async (report) => {
    availability.close();
    router?.close();
    await queue.close();
    if (versionDb !== db) await versionDb.close();
    await db.close();
    console.log(`[gridatlas] closed (${report.totalMs.toFixed(0)} ms after ${signal}${report.forced ? `, ${report.forced} connections cut` : ''})`);
    process.exit(0);
  });
}
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
