/**
 * First start with no accounts: create `admin` with GRIDATLAS_ADMIN_PASSWORD or, when unset, a
 * random password printed once; also create a kiosk link for the wall screen. There is never a
 * default password.
 */
import type { Database } from '../db/client.js';
import { passwordProblem, randomSecret } from '../auth/password.js';
import { countUsers, createKioskToken, createUser } from '../auth/users.repo.js';

export interface FirstRun {
  password: string | null;
  kioskPath: string;
}

export function randomPassword(): string {
  for (;;) {
    const p = `Ga-${randomSecret(12)}`;
    if (!passwordProblem(p)) return p;
  }
}

/** Returns what was created, or null when accounts already exist. */
export async function ensureFirstAdmin(db: Database, envPassword: string | undefined): Promise<FirstRun | null> {
  if ((await countUsers(db)) > 0) return null;
  if (envPassword && passwordProblem(envPassword)) {
    throw new Error(`GRIDATLAS_ADMIN_PASSWORD: ${passwordProblem(envPassword)}`);
  }
  const [street] = await db.query<{ code: string }>('SELECT code FROM streets ORDER BY id LIMIT 1');
  const password = envPassword ?? randomPassword();
  const id = await createUser(db, {
    username: 'admin',
    password,
    displayName: '系统管理员',
    grants: [{ role: 'admin', scopeType: 'street', scopeCode: street?.code ?? '*' }],
  });
  const token = randomSecret(24);
  await createKioskToken(db, token, '默认大屏 default wall screen', id);
  return { password: envPassword ? null : password, kioskPath: `/kiosk/${token}` };
}
