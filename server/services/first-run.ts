/**
 * First start with no accounts: create `admin` with GRIDATLAS_ADMIN_PASSWORD or, when unset, a
 * random password printed once — which the admin must change at the first sign-in, since it has
 * been on a console and in logs. A weak GRIDATLAS_ADMIN_PASSWORD refuses to start. Also creates a
 * kiosk link for the wall screen. There is never a default password.
 */
import type { Sql } from '../db/client.js';
import { randomSecret } from '../auth/password.js';
import { passwordProblem } from '../auth/password-strength.js';
import { countUsers, createKioskToken, createUser } from '../auth/users.repo.js';

const ADMIN = { username: 'admin', displayName: '系统管理员' };

export interface FirstRun {
  password: string | null;
  kioskPath: string;
}

/** A generated password (96 random bits), retried in the unlikely case the estimator objects. */
export async function randomPassword(owner: { username: string; displayName?: string }): Promise<string> {
  for (;;) {
    const p = `Ga-${randomSecret(12)}`;
    if (!(await passwordProblem(p, owner))) return p;
  }
}

/** Returns what was created, or null when accounts already exist. */
export async function ensureFirstAdmin(db: Sql, envPassword: string | undefined): Promise<FirstRun | null> {
  if ((await countUsers(db)) > 0) return null;
  const weak = envPassword ? await passwordProblem(envPassword, ADMIN) : null;
  if (weak) {
    throw new Error(`GRIDATLAS_ADMIN_PASSWORD 不够强，拒绝启动 / is too weak, not starting: ${weak.zh} / ${weak.en}`);
  }
  const password = envPassword ?? (await randomPassword(ADMIN));
  const id = await createUser(db, {
    ...ADMIN,
    password,
    mustChangePassword: !envPassword,
    // The first admin holds the whole deployment (every district and street, issue #15).
    grants: [{ role: 'admin', scopeType: 'street', scopeCode: '*' }],
  });
  const token = randomSecret(24);
  await createKioskToken(db, token, '默认大屏 default wall screen', id);
  return { password: envPassword ? null : password, kioskPath: `/kiosk/${token}` };
}
