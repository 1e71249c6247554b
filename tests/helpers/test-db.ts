/**
 * The database the tests of one worker share: opened, migrated and seeded with the demo street
 * once (the integration project runs its files in one fork without isolation).
 */
import { inject } from 'vitest';
import { type Database, openNative } from '../../server/db/client.js';
import { openDatabase } from '../../server/db/open.js';
import { seedStreet } from '../../data/seed.js';
import { generateStreet } from '../../data/generate/index.js';
import type { StreetDataset } from '../../data/generate/types.js';

export const TEST_SEED = 20240601;

let opened: Promise<{ db: Database; dataset: StreetDataset; planId: number }> | undefined;

/** The seeded demo street on real PostGIS (native when DATABASE_URL is set, else PGlite). */
export function testDb() {
  opened ??= (async () => {
    const url = inject('testDatabaseUrl') ?? undefined;
    const db = await openDatabase({ url });
    const dataset = generateStreet({ seed: TEST_SEED });
    const { planId } = await seedStreet(db, dataset);
    return { db, dataset, planId };
  })();
  return opened;
}

/** True when the tests run on native PostGIS (so ST_AsMVT and pgRouting checks can run). */
export function isNative(): boolean {
  return inject('testDatabaseUrl') != null;
}

/** A second, raw connection to the native test database (e.g. for pgRouting), or null on PGlite. */
export async function nativeConnection(): Promise<Database | null> {
  const url = inject('testDatabaseUrl');
  return url ? openNative(url, { max: 2 }) : null;
}

/**
 * Says loudly that a native-only check did not run. In CI (CI=true) the backend must be native,
 * so there the check always runs; a test asserts that.
 */
export function announceNativeOnly(what: string) {
  console.warn(
    `\n!!! [gridatlas tests] NOT RUN: ${what} — needs native PostGIS (set DATABASE_URL). CI always runs it. !!!\n`,
  );
}
