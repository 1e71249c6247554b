/**
 * A second street of another district next to the demo street (issue #15): the generated street
 * relocated under 370613005 (莱山区) and moved 0.05° east, so one database holds two streets of two
 * districts. Seed it only into a database of its own (tests/helpers/isolated-db.ts): the shared
 * test database must keep exactly one street for every other test file.
 */
import type { Database } from '../../server/db/client.js';
import { seedStreet } from '../../data/seed.js';
import { generateStreet } from '../../data/generate/index.js';
import { relocateStreet } from '../../data/generate/relocate.js';
import type { StreetDataset } from '../../data/generate/types.js';
import { TEST_SEED } from './test-db.js';

export const SECOND_STREET = { code: '370613005', name: '第二街道', district: '370613', districtName: '莱山区' } as const;

/** The second street's dataset (pure: the same every call). */
export function secondStreetDataset(): StreetDataset {
  return relocateStreet(generateStreet({ seed: TEST_SEED }), {
    code: SECOND_STREET.code, name: SECOND_STREET.name, offset: [0.05, 0], nodeIdBase: 1_000_000,
  });
}

/** Seeds the second street (with its published plan) into `db`; returns its dataset and plan id. */
export async function seedSecondStreet(db: Database): Promise<{ dataset: StreetDataset; planId: number }> {
  const dataset = secondStreetDataset();
  const { planId } = await seedStreet(db, dataset);
  return { dataset, planId };
}
