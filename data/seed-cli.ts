/**
 * `npm run seed -- [--reset] [--seed S] [--buildings N]`: seed the configured database
 * (DATABASE_URL, else embedded PGlite under GRIDATLAS_DATA_DIR) with a generated street.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/config.js';
import { openDatabase } from '../server/db/open.js';
import { DEFAULT_SEED, generateStreet } from './generate/index.js';
import { resetData, seedStreet } from './seed.js';

const { values } = parseArgs({ options: { reset: { type: 'boolean' }, seed: { type: 'string' }, buildings: { type: 'string' } } });
const config = loadConfig();
const db = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM streets');
if (row.n > 0 && !values.reset) {
  console.error('数据库已有数据，使用 --reset 重新生成 / Database already has data: pass --reset to replace it');
  process.exit(2);
}
if (values.reset) await resetData(db);
const t0 = Date.now();
const ds = generateStreet({ seed: values.seed ? Number(values.seed) : DEFAULT_SEED, buildings: values.buildings ? Number(values.buildings) : undefined });
const t1 = Date.now();
await seedStreet(db, ds);
console.log(`${db.backend}: ${ds.communities.length} communities, ${ds.buildings.length} buildings, ${ds.households.length} households, ` +
  `${ds.plan.grids.length} grids, ${ds.facilities.length} facilities, ${ds.walkEdges.length} walk edges — generated in ${t1 - t0} ms, seeded in ${Date.now() - t1} ms`);
await db.close();
