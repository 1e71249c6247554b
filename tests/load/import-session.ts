/**
 * A session allowed to import, for the load test's import phase: on its own server the load test
 * creates a throwaway street admin (random name and password) and removes it afterwards; against
 * --url it signs in as GRIDATLAS_LOAD_USER / GRIDATLAS_LOAD_PASSWORD, or returns null (skipped).
 */
import { randomSecret } from '../../server/auth/password.js';
import { createUser } from '../../server/auth/users.repo.js';
import type { Database } from '../../server/db/client.js';
import type { HttpClient } from './http.js';

export interface ImportLogin {
  session: { cookie: string; csrf: string };
  cleanup: () => Promise<void>;
}

export async function importSession(client: HttpClient, db: Database | null): Promise<ImportLogin | null> {
  let username = process.env.GRIDATLAS_LOAD_USER;
  let password = process.env.GRIDATLAS_LOAD_PASSWORD;
  let cleanup = async () => {};
  if (db) {
    username = `load_import_${randomSecret(6).toLowerCase().replace(/[^a-z0-9]/g, '')}`;
    password = `Load-${randomSecret(16)}`;
    const [street] = await db.query<{ code: string }>('SELECT code FROM streets LIMIT 1');
    await createUser(db, { username, password, grants: [{ role: 'admin', scopeType: 'street', scopeCode: street.code }] });
    const name = username;
    cleanup = async () => {
      await db.query('DELETE FROM users WHERE username = $1', [name]).catch((e: Error) => console.warn(`[load] 未能删除临时账号 / could not remove ${name}: ${e.message}`));
    };
  }
  if (!username || !password) return null;
  const login = await client.request('/api/auth/login', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }), timeoutMs: 30_000,
  });
  const cookie = /ga_session=[^;]+/.exec(String(login.headers['set-cookie'] ?? ''))?.[0];
  if (login.status !== 200 || !cookie) {
    await cleanup();
    throw new Error(`login → ${login.status} ${login.body.toString('utf8').slice(0, 200)}`);
  }
  return { session: { cookie, csrf: (JSON.parse(login.body.toString('utf8')) as { csrfToken: string }).csrfToken }, cleanup };
}
