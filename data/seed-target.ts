/**
 * The database a seeding CLI writes to (`npm run seed`, `npm run seed-city`): the configured one
 * (DATABASE_URL, else embedded PGlite under GRIDATLAS_DATA_DIR). One that already holds streets is
 * refused (exit 2) unless `reset`, which empties it first — a seed never mixes with data it did not make.
 */
import { loadConfig } from '../server/config.js';
import type { Database } from '../server/db/client.js';
import { openDatabase } from '../server/db/open.js';
import { resetData } from './seed.js';

export async function openSeedTarget(reset: boolean): Promise<{ db: Database; config: ReturnType<typeof loadConfig> }> {
  const config = loadConfig();
  const db = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM streets');
  if (row.n > 0 && !reset) {
    console.error('数据库已有数据，使用 --reset 重新生成 / Database already has data: pass --reset to replace it');
    await db.close();
    process.exit(2);
  }
  if (reset) await resetData(db);
  return { db, config };
}
