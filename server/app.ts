/**
 * Builds the Hono app from route modules. No `listen` here: tests call `app.request()` in-process
 * and server/main.ts attaches it to a port.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { bodyLimit } from 'hono/body-limit';
import { timeout } from 'hono/timeout';
import { type Context, Hono } from 'hono';
import type { Config } from './config.js';
import type { Database } from './db/client.js';
import { errorBody, handleError } from './http-error.js';
import { type AppEnv, accessMiddleware, sessionMiddleware } from './auth/middleware.js';
import { adminRoutes, kioskRoutes } from './routes/admin.route.js';
import { authRoutes } from './routes/auth.route.js';
import { healthRoutes } from './routes/health.route.js';
import { householdRoutes } from './routes/households.route.js';
import { planRoutes } from './routes/plans.route.js';
import { layerRoutes } from './routes/layers.route.js';
import { statsRoutes } from './routes/stats.route.js';
import { tileRoutes } from './routes/tiles.route.js';
import { ResponseCache } from './services/response-cache.js';
import { API_BODY_LIMIT, requestTimedOut, securityHeaders, tooLarge } from './security.js';

export interface AppDeps {
  db: Database;
  config: Config;
  /** Shared so that services which change mapped data can invalidate it. */
  cache: ResponseCache;
}

export function createApp(input: { db: Database; config: Config; cache?: ResponseCache }) {
  const deps: AppDeps = { ...input, cache: input.cache ?? new ResponseCache(input.config.cacheMb * 1024 * 1024) };
  const app = new Hono<AppEnv>();
  app.onError(handleError);
  app.use('*', securityHeaders(deps.config));
  app.use('/api/*', bodyLimit({ maxSize: API_BODY_LIMIT, onError: tooLarge }));
  for (const path of ['/api/*', '/tiles/*']) app.use(path, timeout(deps.config.requestTimeoutMs, requestTimedOut));
  app.use('*', sessionMiddleware(deps.db), accessMiddleware);

  const api = new Hono<AppEnv>()
    .route('/', healthRoutes(deps))
    .route('/', statsRoutes(deps))
    .route('/', adminRoutes(deps))
    .route('/auth', authRoutes(deps))
    .route('/layers', layerRoutes(deps))
    .route('/buildings', householdRoutes(deps))
    .route('/plans', planRoutes(deps));

  app.route('/api', api);
  app.route('/tiles', tileRoutes(deps));
  app.route('/kiosk', kioskRoutes(deps));
  const noEndpoint = (c: Context) =>
    c.json(errorBody('not_found', `没有这个接口：${c.req.path} / No such endpoint: ${c.req.path}`), 404);
  app.all('/api/*', noEndpoint);
  app.all('/tiles/*', noEndpoint);
  mountWeb(app, deps.config.webDir);
  return app;
}

/** Serves the built web app (dist/web) with a single-page fallback to index.html. */
function mountWeb(app: Hono<AppEnv>, webDir: string) {
  const index = join(webDir, 'index.html');
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
