/** Serves the app (API + built web) over the shared test database on an ephemeral port. */
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { ensureWebBuild } from '../../scripts/web-build.js';
import { testDb } from './test-db.js';

export async function startTestServer() {
  ensureWebBuild();
  const ctx = await testDb();
  const app = createApp({ db: ctx.db, config: loadConfig({}) });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    ...ctx,
    baseUrl: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
