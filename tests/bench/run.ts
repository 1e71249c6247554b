/**
 * `npm run bench`: seeds the demo street if needed, serves the app on an ephemeral port and prints
 * the benchmark figures each issue asks for, with the comparison it names.
 * Uses DATABASE_URL when set, else embedded PGlite under .gridatlas/bench-pgdata.
 */
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { ensureSeeded } from '../../data/seed.js';
import { createApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { openDatabase } from '../../server/db/open.js';
import { benchTilesAndLayers } from './tiles-layers.bench.js';

const config = loadConfig({ ...process.env, GRIDATLAS_DATA_DIR: process.env.GRIDATLAS_DATA_DIR ?? '.gridatlas/bench-pgdata' });
const db = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
await ensureSeeded(db, { seed: config.seed, log: (m) => console.log(m) });
/** Serves the app on an ephemeral port; `cacheMb: 0` measures every tile from the database. */
async function startServer(cacheMb: number) {
  const app = createApp({ db, config: { ...config, cacheMb } });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as AddressInfo;
  return { base: `http://127.0.0.1:${port}`, close: () => server.close() };
}
console.log(`GridAtlas benchmarks — backend ${db.backend}, PostGIS ${db.capabilities.postgisVersion}, node ${process.version}`);

const cold = await startServer(0);
await benchTilesAndLayers(db, cold.base, 'response cache off');
cold.close();
const warm = await startServer(64);
await benchTilesAndLayers(db, warm.base, 'response cache on (production default)');
warm.close();

await db.close();
