/**
 * `npm run seed-city -- [--districts 4] [--streets 25] [--buildings 10000] [--seed S] [--reset]`:
 * seeds the configured database (DATABASE_URL, else embedded PGlite) with a generated city of
 * Yantai districts, each with `--streets` generated streets of `--buildings` buildings.
 */
import { parseArgs } from 'node:util';
import { generateCity } from './generate/city.js';
import { openSeedTarget } from './seed-target.js';
import { seedCity } from './seed-city.js';

const { values } = parseArgs({
  options: {
    reset: { type: 'boolean' }, seed: { type: 'string' }, districts: { type: 'string' }, streets: { type: 'string' },
    buildings: { type: 'string' },
  },
});
const { db, config } = await openSeedTarget(Boolean(values.reset));
const city = generateCity({
  districts: Number(values.districts ?? 4),
  streetsPerDistrict: Number(values.streets ?? 25),
  buildingsPerStreet: Number(values.buildings ?? 10_000),
  seed: values.seed ? Number(values.seed) : config.seed,
});
const r = await seedCity(db, city, (m) => console.log(m));
const s = (ms: number) => (ms / 1000).toFixed(1);
console.log(`${db.backend}: ${r.streets} streets in ${city.districts.length} districts, ${r.buildings} buildings, ${r.households} households, ` +
  `${r.rows} rows — generated in ${s(r.generateMs)} s, seeded in ${s(r.seedMs)} s (${Math.round(r.rows / (r.seedMs / 1000))} rows/s), ANALYZE ${s(r.analyzeMs)} s`);
await db.close();
