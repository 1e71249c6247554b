/**
 * `npm run bench`: seeds the demo street if needed, serves the app on an ephemeral port and prints
 * the benchmark figures each issue asks for, with the comparison it names.
 * Uses DATABASE_URL when set, else embedded PGlite under .gridatlas/bench-pgdata.
 */
import type { AddressInfo } from 'node:net';
import { ensureSeeded } from '../../data/seed.js';
import { createApp } from '../../server/app.js';
import { serveApp } from '../../server/http/tile-fast-path.js';
import { spawnServer } from './city-server.js';
import { loadConfig } from '../../server/config.js';
import { openDatabase } from '../../server/db/open.js';
import { benchPartition, sizesFromArgs } from './partition.bench.js';
import { benchPlanOps } from './plan-ops.bench.js';
import { benchPlanValidation } from './plan-validation.bench.js';
import { bench100kUrl, benchScreen, clearScreenStores, ensureDatabase } from './screen.bench.js';
import { benchTilesAndLayers, freePort } from './tiles-layers.bench.js';
import { benchRequests } from './requests.bench.js';
import { benchLifeCircle } from './life-circle.bench.js';
import { benchIsochroneEndpoint } from './isochrone.bench.js';
import { benchImport } from './import.bench.js';
import { benchImportRealOsm } from './import-osm-real.bench.js';
import { benchCity } from './city.bench.js';
import { benchPhone } from './phone.bench.js';
import { benchParty } from './party.bench.js';

/** `npm run bench -- <tiles [demo|100k]|requests|plans|partition|life|phone|isochrone|import|screen|party|city>` runs only that group; no argument runs all but city. */
const only = process.argv[2]?.startsWith('--') ? undefined : process.argv[2];
// Issue #15: the city has a database of its own (created and dropped by the bench), not the demo's.
if (only === 'city') {
  await benchCity(process.argv.slice(3));
  process.exit(0);
}

const config = loadConfig({ ...process.env, GRIDATLAS_DATA_DIR: process.env.GRIDATLAS_DATA_DIR ?? '.gridatlas/bench-pgdata' });
const db = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
await ensureSeeded(db, { seed: config.seed, log: (m) => console.log(m) });
/** Serves the app on an ephemeral port; `cacheMb: 0` measures every tile from the database. */
async function startServer(cacheMb: number) {
  const app = createApp({ db, config: { ...config, cacheMb } });
  const server = serveApp(app, { port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as AddressInfo;
  return { base: `http://127.0.0.1:${port}`, close: () => server.close() };
}
console.log(`GridAtlas benchmarks — backend ${db.backend}, PostGIS ${db.capabilities.postgisVersion}, node ${process.version}`);

if (!only || only === 'tiles') {
  // Issue #17: the real server in a child process, on the demo street and on a 100k-building street.
  // `npm run bench -- tiles demo` or `… tiles 100k`: one street only.
  const street = process.argv[3];
  const [{ n }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM buildings');
  if (!config.databaseUrl) console.log('\n!!! NOT RUN: tiles/layers rows need native PostGIS (set DATABASE_URL) !!!');
  else if (street !== '100k') await benchTilesAndLayers({ label: `demo street (${n} buildings)`, db, databaseUrl: config.databaseUrl, tilePairs: () => 60, layerPairs: 20 });
  const bigUrl = bench100kUrl();
  if (bigUrl && street !== 'demo') {
    await ensureDatabase(bigUrl);
    const big = await openDatabase({ url: bigUrl });
    await ensureSeeded(big, { seed: config.seed, buildings: 100_000, log: (m) => console.log(`100k street: ${m}`) });
    const [{ n: bn }] = await big.query<{ n: number }>('SELECT count(*)::int AS n FROM buildings');
    await benchTilesAndLayers({ label: `generated street (${bn} buildings)`, db: big, databaseUrl: bigUrl, tilePairs: (z) => (z <= 14 ? 15 : 60), layerPairs: 3 });
    await big.close();
  }
}
if (!only || only === 'requests') {
  const warm = await startServer(64);
  await benchRequests(db, warm.base, config.seed);
  warm.close();
}
if (!only || only === 'plans') {
  await benchPlanValidation(db);
  await benchPlanOps(db);
}

if (!only || only === 'partition') benchPartition(sizesFromArgs(process.argv));

if (!only || only === 'life') await benchLifeCircle(db);
if (!only || only === 'phone') {
  const warm = await startServer(64);
  await benchPhone(warm.base);
  warm.close();
}

// Issue #17: the isochrone endpoint vs pgr_drivingDistance, on the demo street and the 100k street.
if ((!only || only === 'isochrone') && db.backend === 'postgis') {
  // The server in a child process (server/main.ts, as deployed), so the bench's client work is not
  // on the server's thread — pgRouting runs in PostgreSQL's own process too.
  await db.query('CREATE EXTENSION IF NOT EXISTS pgrouting');
  const demo = await spawnServer({ databaseUrl: config.databaseUrl!, port: await freePort(), cacheMb: 64 });
  await benchIsochroneEndpoint(db, demo.base, 'demo street', config.databaseUrl!, await freePort());
  await demo.close();
  const url = bench100kUrl()!;
  await ensureDatabase(url);
  const big = await openDatabase({ url });
  await ensureSeeded(big, { seed: config.seed, buildings: 100_000, log: (m) => console.log(`100k street: ${m}`) });
  await big.query('CREATE EXTENSION IF NOT EXISTS pgrouting');
  const server = await spawnServer({ databaseUrl: url, port: await freePort(), cacheMb: 64 });
  const [{ n }] = await big.query<{ n: number }>('SELECT count(*)::int AS n FROM buildings');
  await benchIsochroneEndpoint(big, server.base, `generated street (${n.toLocaleString('en')} buildings)`, url, await freePort());
  await server.close();
  await big.close();
}

if (!only || only === 'party') await benchParty(db, config);

if (!only || only === 'import') {
  await benchImport(db, config.seed);
  await benchImportRealOsm(config.databaseUrl);
}

const runScreen = !only || only === 'screen';
if (runScreen) {
  const [{ n }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM buildings');
  await benchScreen(() => startServer(64), () => clearScreenStores(db), `demo street (${n} buildings)`);
}
await db.close();

// Issue #7: the same screen on a generated 100k-building street, in its own database.
const bigUrl = bench100kUrl();
if (!runScreen) {
  // another benchmark was chosen
} else if (!bigUrl) {
  console.log('\n!!! NOT RUN: wall screen on a 100k-building street needs native PostGIS (set DATABASE_URL) !!!');
} else {
  await ensureDatabase(bigUrl);
  const big = await openDatabase({ url: bigUrl });
  await ensureSeeded(big, { seed: config.seed, buildings: 100_000, log: (m) => console.log(`100k street: ${m}`) });
  const [{ n }] = await big.query<{ n: number }>('SELECT count(*)::int AS n FROM buildings');
  const startBig = async () => {
    const app = createApp({ db: big, config: { ...config, cacheMb: 64 } });
    const server = serveApp(app, { port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    const { port } = server.address() as AddressInfo;
    return { base: `http://127.0.0.1:${port}`, close: () => server.close() };
  };
  await benchScreen(startBig, () => clearScreenStores(big), `generated street (${n} buildings)`);
  await big.close();
}
