/**
 * `npm start`: read config, open (and if empty, seed) the database, serve API + web on one port.
 */
import { serve } from '@hono/node-server';
import { ensureSeeded } from '../data/seed.js';
import { refreshScreenFiguresSoon, warmScreenFigures } from './services/screen-figures.js';
import { ResponseCache } from './services/response-cache.js';
import { ensureDemoRequests } from '../data/seed-requests.js';
import { createApp } from './app.js';
import { loadConfig } from './config.js';
import { installDriverGuards } from './db/driver-guards.js';
import { openDatabase } from './db/open.js';
import { ensureFirstAdmin } from './services/first-run.js';

installDriverGuards();
const config = loadConfig();
const t0 = Date.now();
const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite at ${config.dataDir}`;
console.log(`[gridatlas] opening ${where} …`);
const db = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
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

const firstRun = await ensureFirstAdmin(db, process.env.GRIDATLAS_ADMIN_PASSWORD || undefined).catch(async (err: unknown) => {
  // A weak GRIDATLAS_ADMIN_PASSWORD: say why in one line, not with a stack trace, and do not serve.
  console.error(`[gridatlas] ${(err as Error).message}`);
  await db.close();
  process.exit(1);
});

// The wall screen's slowest figures, stored across restarts: recomputed now, in the background, if
// the data changed since they were stored (an import, a restore), so the first screen finds them ready.
void warmScreenFigures(db).catch((e: unknown) => console.warn(`[gridatlas] wall-screen figures not refreshed: ${String(e)}`));

const cache = new ResponseCache(config.cacheMb * 1024 * 1024);
// After the app changes data (plan edits, publishes, imports), the screen's stored figures are
// recomputed in the background, so a wall screen opened next does not wait for them.
cache.onInvalidate(() => refreshScreenFiguresSoon(db));
const app = createApp({ db, config, cache });
let closing = false;
/** Responses in flight, so shutdown can ask keep-alive clients to close after their answer. */
const inflight = new Set<import('node:http').ServerResponse>();
const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
  const base = `http://${info.address}:${info.port}`;
  console.log(`[gridatlas] 社区网格地图 GridAtlas on ${base}/ (${Date.now() - t0} ms)`);
  if (firstRun) {
    console.log('\n  ┌─ 首次启动 / first start ──────────────────────────────────────────');
    console.log(`  │ 管理员 admin: ${firstRun.password ? `password ${firstRun.password}  (shown once — 首次登录须修改 / must be changed at first sign-in)` : 'password from GRIDATLAS_ADMIN_PASSWORD'}`);
    console.log(`  │ 大屏链接 kiosk link for /screen: ${base}${firstRun.kioskPath}`);
    console.log('  └──────────────────────────────────────────────────────────────────\n');
  }
});

/**
 * Graceful shutdown: stop accepting connections, let in-flight requests finish (idle keep-alive
 * sockets are closed at once), then close the database. After 10 s remaining sockets are cut.
 */
server.on('request', (_req: unknown, res: import('node:http').ServerResponse) => {
  if (closing) res.setHeader('Connection', 'close');
  inflight.add(res);
  res.on('close', () => inflight.delete(res));
});

function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  console.log(`[gridatlas] ${signal}: draining requests and closing`);
  const http = server as import('node:http').Server;
  for (const res of inflight) if (!res.headersSent) res.setHeader('Connection', 'close');
  const force = setTimeout(() => http.closeAllConnections?.(), 10_000);
  force.unref();
  http.close(() => {
    void db.close().finally(() => {
      console.log('[gridatlas] closed');
      process.exit(0);
    });
  });
  http.closeIdleConnections?.();
}
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
