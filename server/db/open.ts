/**
 * Opens the configured backend, applies migrations and probes capabilities:
 * the single entry point used by the server, the CLIs, the tests and the benchmarks.
 */
import { type Database, openEmbedded, openNative, probeCapabilities } from './client.js';
import { migrate } from './migrate.js';

export async function openDatabase(opts: { url?: string; dataDir?: string }): Promise<Database> {
  const db = opts.url ? await openNative(opts.url) : await openEmbedded(opts.dataDir);
  await migrate(db);
  if (db.backend === 'postgis') await enablePgRouting(db);
  await probeCapabilities(db);
  return db;
}

/**
 * pgRouting is optional (native only): routing itself is ours (geo/routing), pgRouting serves as
 * the test oracle. Enable it when the server has it; never fail without it.
 */
async function enablePgRouting(db: Database) {
  const [row] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_available_extensions WHERE name = 'pgrouting'`,
  );
  if (!row?.n) return;
  try {
    await db.query('CREATE EXTENSION IF NOT EXISTS pgrouting');
  } catch (err) {
    console.warn(`[gridatlas] pgRouting available but not enabled: ${(err as Error).message}`);
  }
}
