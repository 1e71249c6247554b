/**
 * `npm run seed -- [--reset] [--seed S] [--buildings N]`: seed the configured database
 * (DATABASE_URL, else embedded PGlite under GRIDATLAS_DATA_DIR) with a generated street.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_SEED, generateStreet } from './generate/index.js';
import { seedStreet } from './seed.js';
import { openSeedTarget } from './seed-target.js';

const { values } = parseArgs({ options: { reset: { type: 'boolean' }, seed: { type: 'string' }, buildings: { type: 'string' } } });
const { db } = await openSeedTarget(Boolean(values.reset));
const t0 = Date.now();
const ds = generateStreet({ seed: values.seed ? Number(values.seed) : DEFAULT_SEED, buildings: values.buildings ? Number(values.buildings) : undefined });
const t1 = Date.now();
await seedStreet(db, ds);
console.log(`${db.backend}: ${ds.communities.length} communities, ${ds.buildings.length} buildings, ${ds.households.length} households, ` +
  `${ds.plan.grids.length} grids, ${ds.facilities.length} facilities, ${ds.walkEdges.length} walk edges — generated in ${t1 - t0} ms, seeded in ${Date.now() - t1} ms`);
await db.close();
