/**
 * Scripted set-up of a street (issue #15.3), on the configured database (both backends):
 *   npm run setup -- status  [--street <code>] [--json]          what each step holds and what is wrong (GET /api/setup/status)
 *   npm run setup -- rosters [--street <code>] [--replace]       generated household rosters (POST /api/setup/rosters)
 * Without --street a one-street database means that street. Exit code 2 on bad usage, 1 when the
 * street cannot be found.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/config.js';
import { openDatabase } from '../server/db/open.js';
import { HttpError } from '../server/http-error.js';
import { generateRostersAudited } from '../server/repos/rosters.repo.js';
import { setupStatus } from '../server/services/setup/status.js';
import { resolveStreet } from '../server/services/street-context.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { street: { type: 'string' }, replace: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } },
});
const [command] = positionals;
if (command !== 'status' && command !== 'rosters') {
  console.error('用法 / usage: npm run setup -- status [--street <code>] [--json] | rosters [--street <code>] [--replace]');
  process.exit(2);
}
const config = loadConfig();
const db = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
const MARK = { done: '✔', partial: '◐', problem: '✖', missing: '○' } as const;
let code = 0;
try {
  const street = await resolveStreet(db, null, { street: values.street });
  if (command === 'status') {
    const s = await setupStatus(db, street);
    if (values.json) console.log(JSON.stringify(s, null, 2));
    else {
      console.log(s.street ? `街道 street ${s.street.code} ${s.street.name}${s.street.district ? ` (${s.street.district.code} ${s.street.district.name})` : ''}` : '数据库为空 / empty database');
      for (const step of s.steps) {
        const counts = Object.entries(step.counts).map(([k, v]) => `${k} ${v}`).join(' · ');
        console.log(`  ${MARK[step.state]} ${step.key.padEnd(11)} ${step.state.padEnd(8)} ${counts}`);
        for (const p of step.problems) console.log(`      ${p.severity === 'error' ? '!' : '·'} ${p.count} ${p.zh} / ${p.en}`);
      }
      console.log(s.next ? `下一步 next: ${s.next}` : '全部完成 / all steps done');
    }
  } else {
    if (!street) throw new HttpError(404, 'street_not_found', '数据库中还没有街道，请先导入边界', 'no street in the database yet: import boundaries first');
    const t0 = Date.now();
    const r = await generateRostersAudited(db, street, values.replace, { actor: 'cli', userId: null });
    console.log(`住户台账 rosters for ${street.code} ${street.name} in ${Date.now() - t0} ms: ${r.buildings} buildings looked at, ` +
      `${r.withHouseholds} with households · households ${r.households} · residents ${r.residents} · party members ${r.partyMembers} · kept ${r.kept}`);
  }
} catch (e) {
  if (!(e instanceof HttpError)) throw e;
  console.error(`失败 failed: ${e.message}`);
  code = 1;
} finally {
  await db.close();
}
process.exit(code);
