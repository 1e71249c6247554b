/**
 * A database of its own for tests that write a lot (imports): a fresh copy of the demo street in a
 * separate database (native: a sibling of the test database; PGlite: in memory), so the shared
 * test database keeps its known counts for every other test file.
 */
import { inject } from 'vitest';
import postgres from 'postgres';
import { createApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import type { Database } from '../../server/db/client.js';
import { openDatabase } from '../../server/db/open.js';
import { createUser } from '../../server/auth/users.repo.js';
import { seedStreet } from '../../data/seed.js';
import { generateStreet } from '../../data/generate/index.js';
import { TEST_SEED } from './test-db.js';
import { TEST_PASSWORD } from './auth.js';

/** `empty`: migrations only, no street (a new deployment before its first boundary import). */
export async function isolatedApp(tag: string, opts: { empty?: boolean } = {}) {
  const base = inject('testDatabaseUrl');
  let url: string | undefined;
  let drop = async () => {};
  if (base) {
    const name = `${new URL(base).pathname.slice(1)}_${tag}`.slice(0, 63);
    const admin = postgres(base, { max: 1, onnotice: () => {} });
    await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.unsafe(`CREATE DATABASE "${name}"`);
    await admin.end();
    const u = new URL(base);
    u.pathname = `/${name}`;
    url = u.toString();
    drop = async () => {
      const a = postgres(base, { max: 1, onnotice: () => {} });
      await a.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await a.end();
    };
  }
  const db: Database = await openDatabase({ url });
  const dataset = generateStreet({ seed: TEST_SEED });
  if (!opts.empty) await seedStreet(db, dataset);
  const community = dataset.communities[0].code;
  // In an empty database the admin is the first admin of a new deployment: the whole deployment
  // (street:*, server/services/first-run.ts), so it may bring in any street (issue #15).
  for (const [role, scopeType, scopeCode] of [
    ['admin', 'street', opts.empty ? '*' : dataset.street.code], ['planner', 'community', community], ['viewer', 'street', dataset.street.code],
  ] as const) {
    await createUser(db, { username: `t_${role}`, password: TEST_PASSWORD, grants: [{ role, scopeType, scopeCode }] });
  }
  const app = createApp({ db, config: loadConfig({}) });
  return {
    db, dataset, app,
    close: async () => {
      await db.close();
      await drop();
    },
  };
}
