/**
 * Automatic partition of every community of a street into one new draft plan (issue #15.3), with
 * the partitioner of `POST /api/plans/:id/partition` (services/setup/partition-street.ts):
 *   npm run partition -- [--street <code>] [--seed n] [--publish] [--reason "…"]
 * `--publish` publishes the draft (refused while validation finds errors, unless --reason is given).
 * Exit code 1 when the street is unknown or the publish is refused, 2 on bad usage.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/config.js';
import { openDatabase } from '../server/db/open.js';
import { HttpError } from '../server/http-error.js';
import { PublishRefused, publishDraft } from '../server/repos/plan-publish.repo.js';
import { partitionStreet } from '../server/services/setup/partition-street.js';
import { resolveStreet } from '../server/services/street-context.js';

const { values } = parseArgs({
  options: { street: { type: 'string' }, seed: { type: 'string', default: '1' }, publish: { type: 'boolean', default: false }, reason: { type: 'string' } },
});
const seed = Number(values.seed);
if (!Number.isInteger(seed) || seed < 0) {
  console.error('用法 / usage: npm run partition -- [--street <code>] [--seed n] [--publish] [--reason "…"]');
  process.exit(2);
}
const config = loadConfig();
const db = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
let code = 0;
try {
  const street = await resolveStreet(db, null, { street: values.street });
  if (!street) throw new HttpError(404, 'street_not_found', '数据库中还没有街道，请先导入边界', 'no street in the database yet: import boundaries first');
  const t0 = Date.now();
  const r = await partitionStreet(db, street, { seed, actor: 'cli', log: (m) => console.log(`  ${m}`) });
  const grids = r.communities.reduce((s, c) => s + c.grids, 0);
  const inBand = r.communities.reduce((s, c) => s + c.inBand, 0);
  console.log(`草案 draft plan ${r.plan} for ${street.code} ${street.name}: ${r.communities.length} communities, ${grids} grids (${inBand} in the 300–400 band) in ${Date.now() - t0} ms`);
  if (r.empty.length) console.log(`  没有楼栋的社区 communities without buildings: ${r.empty.join(' ')}`);
  if (values.publish) {
    const out = await db.transaction((tx) => publishDraft(tx, r.plan, { reason: values.reason, actor: 'cli', userId: null }));
    console.log(`已发布 published plan ${out.published} (previous ${out.previous ?? '—'}, validation errors ${out.errors})`);
  }
} catch (e) {
  if (e instanceof PublishRefused) {
    console.error(`发布被拒 publish refused: ${e.problems.length} validation errors (give --reason to publish anyway)`);
    for (const p of e.problems.slice(0, 20)) console.error(`  ${JSON.stringify(p)}`);
    code = 1;
  } else if (e instanceof HttpError) {
    console.error(`失败 failed: ${e.message}`);
    code = 1;
  } else throw e;
} finally {
  await db.close();
}
process.exit(code);
