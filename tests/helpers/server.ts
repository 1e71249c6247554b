/**
 * Serves the app (API + built web) on an ephemeral port: over the shared test database, or with
 * `isolated: '<tag>'` over a database of its own (tests that write, e.g. imports, so the shared
 * database keeps the counts other files check).
 */
import type { AddressInfo } from 'node:net';
import { createApp } from '../../server/app.js';
import { serveApp } from '../../server/http/tile-fast-path.js';
import { loadConfig } from '../../server/config.js';
import { ensureWebBuild } from '../../scripts/web-build.js';
import { isolatedApp } from './isolated-db.js';
import { testDb } from './test-db.js';

export async function startTestServer(opts: { isolated?: string; empty?: boolean } = {}) {
  ensureWebBuild();
  const iso = opts.isolated ? await isolatedApp(opts.isolated, { empty: opts.empty }) : null;
  const ctx = iso ? { db: iso.db, dataset: iso.dataset } : await testDb();
  const app = createApp({ db: ctx.db, config: loadConfig({}) });
  const server = serveApp(app, { port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    ...ctx,
    baseUrl: `http://127.0.0.1:${port}`,
    isolated: iso !== null,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await iso?.close();
    },
  };
}
