/**
 * Account administration from the command line (works on both backends):
 *   npm run user -- create <username> --role planner --scope community:370602001001 [--password P] [--name 显示名]
 *   npm run user -- passwd <username> [--password P]   sets a new password, ends the user's sessions
 *   npm run user -- unlock <username>                  lifts the user's login throttle (all addresses)
 *   npm run user -- kiosk "<label>" [--scope street:370613005]   prints a new kiosk link path for the wall screen
 * Scopes (issue #15): district:<6 digits>, street:<9 digits> (street:* = the whole deployment),
 * community:<12 digits>, grid:<code>.
 * Without --password a random one is generated and printed once; the user must change it at the
 * first sign-in. Every password is checked for strength (server/auth/password-strength.ts).
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/config.js';
import { openDatabase } from '../server/db/open.js';
import { randomSecret } from '../server/auth/password.js';
import { USER_ROLES, type UserRole } from '../server/auth/principal.js';
import { unlockAccount } from '../server/auth/login-throttle.js';
import { parseScope } from '../server/auth/scope.js';
import { createKioskToken, createUser, setPassword } from '../server/auth/users.repo.js';
import { audit } from '../server/repos/audit.repo.js';
import { randomPassword } from '../server/services/first-run.js';

const USAGE = `用法 / usage:
  npm run user -- create <username> --role <admin|planner|grid_worker|viewer> --scope <district|street|community|grid>:<code> [--password P] [--name N]
  npm run user -- passwd <username> [--password P]
  npm run user -- unlock <username>
  npm run user -- kiosk "<label>" [--scope <district|street|community|grid>:<code>]`;

const SCOPE_HELP = '--scope 形如 / looks like district:370613, street:370613005, street:*, community:370602001001 or grid:<code>';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { role: { type: 'string' }, scope: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' } },
});
const [command, arg] = positionals;
const fail = (msg: string) => {
  console.error(msg);
  process.exit(2);
};
if (!['create', 'passwd', 'unlock', 'kiosk'].includes(command ?? '') || !arg) fail(USAGE);
const config = loadConfig();
const db = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
/** Shown after a generated password: it has been on a screen, so it must be replaced. */
const printed = (p: string) => `, password: ${p}  (首次登录须修改 / must be changed at first sign-in)`;
try {
  if (command === 'create') {
    const role = values.role as UserRole;
    if (!USER_ROLES.includes(role)) fail(`--role 必须是 / must be one of ${USER_ROLES.join(', ')}`);
    const scope = parseScope(values.scope ?? '');
    if (!scope) fail(SCOPE_HELP);
    const { scopeType, scopeCode } = scope!;
    const owner = { username: arg, displayName: values.name };
    const password = values.password ?? (await randomPassword(owner));
    await createUser(db, { ...owner, password, mustChangePassword: !values.password, grants: [{ role, scopeType, scopeCode }] });
    console.log(`created ${arg} (${role} @ ${scopeType}:${scopeCode})${values.password ? '' : printed(password)}`);
  } else if (command === 'passwd') {
    const password = values.password ?? (await randomPassword({ username: arg }));
    if (!(await setPassword(db, { username: arg, password, mustChange: !values.password }))) fail(`没有用户 / no such user: ${arg}`);
    await audit(db, { actor: 'cli', action: 'password_change', targetType: 'user', targetId: arg.toLowerCase() });
    console.log(`password of ${arg} changed, sessions ended${values.password ? '' : printed(password)}`);
  } else if (command === 'unlock') {
    const cleared = await unlockAccount(db, arg);
    await audit(db, { actor: 'cli', action: 'login_unlock', targetType: 'user', targetId: arg.toLowerCase(), detail: { cleared } });
    console.log(`login throttle of ${arg} lifted (${cleared} address${cleared === 1 ? '' : 'es'})`);
  } else {
    const scope = values.scope === undefined ? null : parseScope(values.scope);
    if (values.scope !== undefined && !scope) fail(SCOPE_HELP);
    const token = randomSecret(24);
    await createKioskToken(db, token, arg, null, scope);
    console.log(`kiosk link${scope ? ` (${scope.scopeType}:${scope.scopeCode})` : ''}: /kiosk/${token}  (prefix with the server address, e.g. http://127.0.0.1:${config.port})`);
  }
} catch (err) {
  fail(`失败 / failed: ${(err as Error).message}`);
} finally {
  await db.close();
}
