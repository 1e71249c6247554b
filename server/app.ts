/**
 * Builds the Hono app from route modules. No `listen` here: tests call `app.request()` in-process
 * and server/main.ts attaches it to a port.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { compress } from 'hono/compress';
import { bodyLimit } from 'hono/body-limit';
import { timeout } from 'hono/timeout';
import { type Context, Hono } from 'hono';
import type { Config } from './config.js';
import type { Database } from './db/client.js';
import { type DatabaseAvailability, availabilityFor, availabilityGate, gateDatabase } from './db/availability.js';
import { errorBody, handleError } from './http-error.js';
import { type AppEnv, accessMiddleware, sessionMiddleware } from './auth/middleware.js';
import { clientMiddleware } from './auth/client-address.js';
import { adminRoutes, kioskRoutes } from './routes/admin.route.js';
import { authRoutes } from './routes/auth.route.js';
import { healthRoutes } from './routes/health.route.js';
import { householdRoutes } from './routes/households.route.js';
import { isochroneRoutes } from './routes/isochrone.route.js';
import { coverageRoutes } from './routes/coverage.route.js';
import { lifeCircleRoutes } from './routes/life-circle.route.js';
import { partitionRoutes } from './routes/partition.route.js';
import { planRoutes } from './routes/plans.route.js';
import { requestRoutes } from './routes/requests.route.js';
import { reportLinkRoutes, residentRoutes } from './routes/resident.route.js';
import { workerRoutes } from './routes/worker.route.js';
import { importRoutes } from './routes/import.route.js';
import { exportRoutes } from './routes/export.route.js';
import { ogcRoutes } from './routes/ogc.route.js';
import { layerRoutes } from './routes/layers.route.js';
import { screenRoutes } from './routes/screen.route.js';
import { districtScreenRoutes } from './routes/district-screen.route.js';
import { setupRoutes } from './routes/setup.route.js';
import { statsRoutes } from './routes/stats.route.js';
import { tileRoutes } from './routes/tiles.route.js';
import { territoryRoutes } from './routes/territory.route.js';
import { partyReachRoutes } from './routes/party-reach.route.js';
import { ResponseCache } from './services/response-cache.js';
import { dataVersionETags } from './services/etag.js';
import { WorkerJobs } from './services/worker-jobs.js';
import { type JobQueue, MemoryJobQueue } from './services/jobs/job-queue.js';
import { type DataVersionReader, dataVersionReader } from './services/data-version-reader.js';
import { type ReplicaRouter, currentReplica } from './db/replicas.js';
import { API_BODY_LIMIT, IMPORT_PATH, IMPORT_TIMEOUT_MS, apiCacheControl, requestTimedOut, securityHeaders, tooLarge } from './security.js';

export interface AppDeps {
  /** The database behind the availability gate: refuses at once while it is known to be down. */
  db: Database;
  config: Config;
  /** Answers kept under the data version; services that change data also invalidate it at once. */
  cache: ResponseCache;
  availability: DatabaseAvailability;
  /** Set by server/main.ts: true once a stop signal came (`/api/health` then answers 503). */
  lifecycle?: { readonly draining: boolean };
  /** Background jobs in worker threads of this process (imports; the partition queue's threads). */
  jobs: WorkerJobs;
  /** Partition jobs: in this process (default) or on the PostgreSQL job queue (issue #19). */
  queue: JobQueue;
  /** Read replicas, when configured (db/replicas.ts); the tile fast path reads through them too. */
  replicas?: ReplicaRouter;
}

export interface AppInput {
  db: Database;
  config: Config;
  /** Made by {@link responseCacheFor} when not given. */
  cache?: ResponseCache;
  /** One gate per database; created here when not given. */
  availability?: DatabaseAvailability;
  lifecycle?: { readonly draining: boolean };
  /** This process's worker threads; created here when not given. */
  jobs?: WorkerJobs;
  /** The partition job queue; by default in this process, on `jobs` (services/jobs/job-queue.ts). */
  queue?: JobQueue;
  /** Read replicas: `db` routes the read routes' statements to them (db/replicas.ts). */
  replicas?: ReplicaRouter;
}

/**
 * The response cache of a server on `db`: entries kept under the database's data version, read
 * before every cached answer (services/response-cache.ts), so writes by other processes are seen.
 */
export function responseCacheFor(db: Database, config: Pick<Config, 'cacheMb'>): ResponseCache {
  // One reader per database a request may read (the primary, each replica: db/replicas.ts), so a
  // request never shares a version read made on another one.
  const readers = new Map<number | null, DataVersionReader>();
  const reader = (at = currentReplica()) => readers.get(at) ?? readers.set(at, dataVersionReader(db)).get(at)!;
  return new ResponseCache(config.cacheMb * 1024 * 1024, () => reader().current());
}

export function createApp(input: AppInput) {
  const availability = input.availability ?? availabilityFor(input.db, (m) => console.warn(`[gridatlas] ${m}`));
  const db = gateDatabase(input.db, availability);
  const cache = input.cache ?? responseCacheFor(db, input.config);
  const jobs = input.jobs ?? new WorkerJobs();
  const deps: AppDeps = {
    ...input,
    db,
    availability,
    cache,
    jobs,
    queue: input.queue ?? new MemoryJobQueue(db, jobs, () => cache.invalidate()),
  };
  const app = new Hono<AppEnv>();
  app.onError(handleError);
  app.use('*', securityHeaders(deps.config));
  // API answers (refusals too) are kept by no browser or proxy unless their route says so (security.ts).
  app.use('/api/*', apiCacheControl);
  // Client address and HTTPS, believing proxy headers only from GRIDATLAS_TRUSTED_PROXIES.
  app.use('*', clientMiddleware(deps.config.trustedProxies));
  // Before the session lookup and every route: no request waits for a database known to be down.
  app.use('*', availabilityGate(availability));
  // Read routes' statements to a replica that has the caller's last write (db/replicas.ts).
  if (input.replicas) app.use('*', input.replicas.middleware());
  const apiLimit = bodyLimit({ maxSize: API_BODY_LIMIT, onError: tooLarge });
  // The import upload has its own, larger limit on its route (security.ts IMPORT_BODY_LIMIT).
  app.use('/api/*', (c, next) => (c.req.path === IMPORT_PATH ? next() : apiLimit(c, next)));
  const requestTimeout = timeout(deps.config.requestTimeoutMs, requestTimedOut);
  // An import of a large file parses and checks every row: it gets a longer deadline of its own.
  const importTimeout = timeout(Math.max(deps.config.requestTimeoutMs, IMPORT_TIMEOUT_MS), requestTimedOut);
  for (const path of ['/api/*', '/tiles/*']) app.use(path, (c, next) => (c.req.path === IMPORT_PATH ? importTimeout(c, next) : requestTimeout(c, next)));
  app.use('*', sessionMiddleware(deps.db), accessMiddleware);
  // ETag from the data version; If-None-Match → 304 before any query (services/etag.ts).
  app.use('*', dataVersionETags(() => cache.currentVersion()));

  // API route modules under /api, one statement per module (keeps merges of new modules trivial).
  const api = new Hono<AppEnv>();
  api.route('/', healthRoutes(deps));
  api.route('/', statsRoutes(deps));
  api.route('/', adminRoutes(deps));
  api.route('/auth', authRoutes(deps));
  api.route('/layers', layerRoutes(deps));
  api.route('/buildings', householdRoutes(deps));
  api.route('/plans', planRoutes(deps));
  api.route('/requests', requestRoutes(deps));
  api.route('/', isochroneRoutes(deps));
  api.route('/coverage', coverageRoutes(deps));
  api.route('/life-circle', lifeCircleRoutes(deps));
  api.route('/import', importRoutes(deps));
  api.route('/screen', screenRoutes(deps));
  api.route('/screen', districtScreenRoutes(deps));
  api.route('/', partitionRoutes(deps));
  api.route('/export', exportRoutes(deps));
  api.route('/setup', setupRoutes(deps));
  api.route('/', territoryRoutes(deps));
  api.route('/public', residentRoutes(deps));
  api.route('/report-links', reportLinkRoutes(deps));
  api.route('/worker', workerRoutes(deps));
  api.route('/', partyReachRoutes(deps));

  app.route('/api', api);
  app.route('/tiles', tileRoutes(deps));
  app.route('/ogc', ogcRoutes(deps));
  app.route('/kiosk', kioskRoutes(deps));
  const noEndpoint = (c: Context) =>
    c.json(errorBody('not_found', `没有这个接口：${c.req.path} / No such endpoint: ${c.req.path}`), 404);
  app.all('/api/*', noEndpoint);
  app.all('/tiles/*', noEndpoint);
  app.all('/ogc/*', noEndpoint);
  mountWeb(app, deps.config.webDir);
  // Its dependencies, for the raw listener in front of it on a port (http/tile-fast-path.ts serveApp).
  return Object.assign(app, { deps });
}

/** Serves the built web app (dist/web) with a single-page fallback to index.html. */
function mountWeb(app: Hono<AppEnv>, webDir: string) {
  const index = join(webDir, 'index.html');
  // The built scripts and styles gzipped on the way out (~3× fewer bytes: a phone on a slow network
  // gets its first picture seconds sooner, issue #18); API answers are left as they were.
  // The build writes .br and .gz beside each script and stylesheet (vite.config.ts), served as they
  // are; on-the-fly gzip only where they are missing (a build without them). Asset names carry a
  // content hash, so browsers keep them for good: a wall screen reloaded every morning, or a
  // phone opening /life again, fetches no code.
  // Hidden files and folders (`.env`, `.git/`, `.DS_Store`, an editor's `.swp`) are never pages or
  // assets: whatever lands in the web root by a deploy's mistake is not served (the app's own
  // files have no such names). Checked on the decoded path, so `/%2eenv` is the same refusal.
  app.use('*', async (c, next) => {
    let path = c.req.path;
    try {
      path = decodeURIComponent(path);
    } catch {
      /* a malformed escape: checked as it is */
    }
    if (path.split(/[/\\]/).some((seg) => seg.startsWith('.') && seg !== '.well-known')) {
      return c.json(errorBody('not_found', `文件不存在 / Not found: ${c.req.path}`), 404);
    }
    return next();
  });
  app.use('/assets/*', async (c, next) => {
    await next();
    if (c.res.status === 200) c.res.headers.set('Cache-Control', 'public, max-age=31536000, immutable');
  });
  app.use('/assets/*', compress({ encoding: 'gzip' }));
  app.use('/assets/*', serveStatic({ root: webDir, precompressed: true }));
  app.use('/*', serveStatic({ root: webDir }));
  app.get('*', async (c) => {
    if (/\.[a-z0-9]+$/i.test(c.req.path)) {
      return c.json(errorBody('not_found', `文件不存在 / Not found: ${c.req.path}`), 404);
    }
    if (!existsSync(index)) {
      return c.text('网页尚未构建，请运行 npm run build / Web app not built: run npm run build', 503);
    }
    return serveStatic({ root: webDir, path: 'index.html' })(c, async () => {});
  });
}
