/**
 * Account administration from the command line (works on both backends):
 *   npm run user -- create <username> --role planner --scope community:370602001001 [--password P]
 *   npm run user -- kiosk "<label>"          prints a new kiosk link path for the wall screen
 * Without --password a random one is generated and printed once.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/config.js';
import { openDatabase } from '../server/db/open.js';
import { randomSecret } from '../server/auth/password.js';
import { USER_ROLES, type UserRole } from '../server/auth/principal.js';
import { createKioskToken, createUser } from '../server/auth/users.repo.js';
import { randomPassword } from '../server/services/first-run.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { role: { type: 'string' }, scope: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' } },
});
const [command, arg] = positionals;
const fail = (msg: string) => {
  console.error(msg);
  process.exit(2);
};
if (!['create', 'kiosk'].includes(command ?? '') || !arg) {
  fail('用法 / usage: npm run user -- create <username> --role <admin|planner|grid_worker|viewer> --scope <street|community|grid>:<code> [--password P]\n       npm run user -- kiosk "<label>"');
}
const config = loadConfig();
const db = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
try {
  if (command === 'create') {
    const role = values.role as UserRole;
    if (!USER_ROLES.includes(role)) fail(`--role 必须是 / must be one of ${USER_ROLES.join(', ')}`);
    const [scopeType, scopeCode] = (values.scope ?? '').split(':');
    if (!['street', 'community', 'grid'].includes(scopeType) || !scopeCode) fail('--scope 形如 / looks like community:370602001001');
    const password = values.password ?? randomPassword();
    await createUser(db, { username: arg, password, displayName: values.name, grants: [{ role, scopeType: scopeType as 'street', scopeCode }] });
    console.log(`created ${arg} (${role} @ ${scopeType}:${scopeCode})${values.password ? '' : `, password: ${password}`}`);
  } else {
    const token = randomSecret(24);
    await createKioskToken(db, token, arg, null);
    console.log(`kiosk link: /kiosk/${token}  (prefix with the server address, e.g. http://127.0.0.1:${config.port})`);
  }
} catch (err) {
  fail(`失败 / failed: ${(err as Error).message}`);
} finally {
  await db.close();
}
