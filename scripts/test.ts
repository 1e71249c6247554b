/**
 * `npm test`: the three vitest projects (vitest.config.ts), run as two vitest processes side by
 * side — the browser tests (`e2e`) in one, `unit` then `integration` in the other.
 *
 * Why two processes and not one vitest run: vitest puts projects of the same `sequence.groupOrder`
 * into one group whose worker limit is the projects' shared `maxWorkers`; `integration` and `e2e`
 * must each keep `maxWorkers: 1` (one non-isolated fork, so each opens, migrates and seeds its
 * database once), so in one run they could only go one after the other. Each project has its own
 * database (tests/helpers/global-db.ts), so the two processes do not share data; the browser tests
 * wait mostly on Chromium and the integration tests mostly on PostgreSQL, so on the 2-core CI
 * machine running them together takes about as long as the longer of the two.
 *
 * With arguments (`npm test -- tests/integration/foo.test.ts`, `npm test -- --project unit`) it is
 * plain `vitest run <arguments>`. Exits non-zero when either process fails.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const vitest = ['node_modules/vitest/vitest.mjs', 'run'];
const args = process.argv.slice(2);

function run(label: string, extra: string[], prefix: boolean): Promise<number> {
  const child = spawn(process.execPath, [...vitest, ...extra], {
    stdio: prefix ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    env: prefix ? { ...process.env, FORCE_COLOR: '0' } : process.env,
  });
  if (prefix) {
    for (const stream of [child.stdout!, child.stderr!]) {
      const lines = createInterface({ input: stream });
      const out = stream === child.stdout ? process.stdout : process.stderr;
      lines.on('line', (line) => out.write(`[${label}] ${line}\n`));
    }
  }
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const started = Date.now();
if (args.length > 0) {
  process.exitCode = await run('vitest', args, false);
} else {
  const results = await Promise.all([
    run('e2e', ['--project', 'e2e'], true),
    run('unit+integration', ['--project', 'unit', '--project', 'integration'], true),
  ]);
  const seconds = Math.round((Date.now() - started) / 1000);
  const failed = results.some((code) => code !== 0);
  console.log(
    `\nnpm test: e2e ${results[0] === 0 ? 'passed' : `FAILED (exit ${results[0]})`}; ` +
      `unit + integration ${results[1] === 0 ? 'passed' : `FAILED (exit ${results[1]})`}; ${seconds} s`,
  );
  process.exitCode = failed ? 1 : 0;
}
