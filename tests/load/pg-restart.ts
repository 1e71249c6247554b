/**
 * `npm run fault` — PostgreSQL restart under load (native PostgreSQL only).
 *
 * Creates a throwaway database on the DATABASE_URL server, seeds the demo street, serves the app
 * in this process on 127.0.0.1 (response cache off, so every request needs the database), keeps a
 * steady load of reads and committed writes (an admin creating kiosk links, `POST
 * /api/kiosk-tokens` with the CSRF header), stops PostgreSQL, waits, starts it again, and checks:
 *
 *   1. errors only while the database was away: no failure before the stop, and every request
 *      started after the first post-restart success succeeds;
 *   2. every failure is a 503 `database_unavailable` (`/api/health`: 503 with `database: "down"`)
 *      — never a 500, another status, or a hang (a request over --timeout-ms counts as a hang);
 *   3. fail fast (issue #14.11): no request waits longer than --fail-fast-ms (1 s) for its 503 —
 *      while the database is known to be down the availability gate answers at once;
 *   4. from PostgreSQL accepting connections again to the app's first successful answer ≤ 1 s;
 *   5. every write acknowledged with 201 is in the database afterwards.
 *
 * Exits 1 when a rule fails. Without DATABASE_URL it prints NOT RUN and exits 0. PostgreSQL is
 * always started again before exit. Options:
 *   --before 3 --down 2 --after 8   seconds of load before the stop, down time, load after ready
 *   --readers 8 --writers 2          concurrent request loops
 *   --cluster "15 main"              the pg_ctlcluster version and name (env GRIDATLAS_PG_CLUSTER)
 *   --timeout-ms 10000               a request slower than this is a hang
 *   --fail-fast-ms 1000              a 503 slower than this breaks rule 3
 */
import { execFile } from 'node:child_process';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { ensureSeeded } from '../../data/seed.js';
import { lngLatToTile } from '../../geo/tiles/tile-math.js';
import { randomSecret } from '../../server/auth/password.js';
import { createUser } from '../../server/auth/users.repo.js';
import { loadConfig } from '../../server/config.js';
import { type Database, type Sql, decorateDatabase } from '../../server/db/client.js';
import { openDatabase } from '../../server/db/open.js';
import { HttpClient, type HttpResult, errorCodeOf, printTable, sleep } from './http.js';
import { type RunningServer, redactUrl, startInProcess } from './in-process.js';

const RECOVERY_LIMIT_MS = 1000;
const PROBE_INTERVAL_MS = 50;

const { values } = parseArgs({
  options: {
    before: { type: 'string', default: '3' },
    down: { type: 'string', default: '2' },
    after: { type: 'string', default: '8' },
    readers: { type: 'string', default: '8' },
    writers: { type: 'string', default: '2' },
    cluster: { type: 'string', default: process.env.GRIDATLAS_PG_CLUSTER ?? '15 main' },
    'timeout-ms': { type: 'string', default: '10000' },
    'fail-fast-ms': { type: 'string', default: '1000' },
  },
});
const opt = {
  before: Number(values.before) * 1000,
  down: Number(values.down) * 1000,
  after: Number(values.after) * 1000,
  readers: Number(values.readers),
  writers: Number(values.writers),
  cluster: values.cluster.split(/\s+/).filter(Boolean),
  timeoutMs: Number(values['timeout-ms']),
  failFastMs: Number(values['fail-fast-ms']),
};

const log = (m: string) => console.log(`[fault] ${m}`);
for (const [k, v] of Object.entries(opt)) {
  if (typeof v === 'number' && !(Number.isFinite(v) && v >= 0)) {
    console.error(`✗ 参数无效 / invalid option --${k}`);
    process.exit(2);
  }
}

function run(cmd: string, args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: 120_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, out: `${stdout}${stderr}`.trim() });
    });
  });
}

const pgctl = (action: 'start' | 'stop' | 'status') =>
  run('pg_ctlcluster', ['--skip-systemctl-redirect', ...opt.cluster, action]);

/** True when a fresh connection can run a query. */
async function probe(url: string): Promise<boolean> {
  const s = postgres(url, { max: 1, connect_timeout: 2, idle_timeout: 1, onnotice: () => {} });
  try {
    await s`SELECT 1`;
    return true;
  } catch {
    return false;
  } finally {
    await s.end({ timeout: 1 }).catch(() => undefined);
  }
}

/** Database errors the app saw, by driver/server code, with when they happened (diagnostics). */
const driverErrors: { t: number; code: string; message: string }[] = [];

/** The same database, recording every error a query or transaction throws to the app. */
function watch(db: Database): Database {
  const record = (err: unknown) => {
    const e = err as { code?: unknown; message?: unknown };
    driverErrors.push({ t: performance.now(), code: String(e?.code ?? 'no code'), message: String(e?.message ?? err) });
    throw err;
  };
  return decorateDatabase(db, {
    query: <T>(text: string, params?: readonly unknown[]) => db.query<T>(text, params).catch(record),
    transaction: <T>(fn: (tx: Sql) => Promise<T>) => db.transaction(fn).catch(record),
  });
}

interface Outcome {
  kind: 'read' | 'write';
  path: string;
  r: HttpResult;
  label?: string;
  id?: number;
}

async function main(): Promise<number> {
  const base = process.env.DATABASE_URL;
  if (!base) {
    console.warn(
      '\n!!! [gridatlas fault] NOT RUN: PostgreSQL restart test — needs native PostgreSQL (set DATABASE_URL). ' +
        '未运行：需要原生 PostgreSQL（设置 DATABASE_URL）。 !!!\n',
    );
    return 0;
  }
  const baseUrl = new URL(base);
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(baseUrl.hostname)) {
    console.error(`✗ 只在本机 PostgreSQL 上重启 / refusing to restart a non-local PostgreSQL (${baseUrl.hostname})`);
    return 1;
  }
  // Make sure the cluster pg_ctlcluster would restart is the one DATABASE_URL points at.
  const ls = await run('pg_lsclusters', ['-h']);
  const port = baseUrl.port || '5432';
  const line = ls.out.split('\n').find((l) => l.split(/\s+/).slice(0, 2).join(' ') === opt.cluster.join(' '));
  if (ls.code !== 0 || !line) {
    console.error(`✗ 找不到集群 / no PostgreSQL cluster "${opt.cluster.join(' ')}" (pg_lsclusters: ${ls.out || ls.code}); use --cluster`);
    return 1;
  }
  if (line.split(/\s+/)[2] !== port) {
    console.error(`✗ 集群端口不符 / cluster "${opt.cluster.join(' ')}" listens on ${line.split(/\s+/)[2]}, DATABASE_URL on ${port}`);
    return 1;
  }

  const name = `gridatlas_fault_${Date.now().toString(36)}_${process.pid}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE "${name}"`);
  await admin.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  const url = u.toString();
  log(`throwaway database ${redactUrl(url)}`);

  let db: Database | undefined;
  let server: RunningServer | undefined;
  let client: HttpClient | undefined;
  try {
    db = await openDatabase({ url });
    await ensureSeeded(db, { log: (m) => log(m) });
    const [street] = await db.query<{ code: string }>('SELECT code FROM streets LIMIT 1');
    const password = `Fault-${randomSecret(12)}`;
    await createUser(db, { username: 'fault_admin', password, grants: [{ role: 'admin', scopeType: 'street', scopeCode: street.code }] });
    server = await startInProcess(watch(db), { ...loadConfig(), databaseUrl: url, cacheMb: 0, requestTimeoutMs: 5000 });
    client = new HttpClient(server.baseUrl, opt.readers + opt.writers + 4);
    return await exercise(url, server.baseUrl, client, db, password);
  } finally {
    if (!(await probe(base))) {
      log('PostgreSQL 未运行，正在启动 / PostgreSQL is not running: starting it');
      await pgctl('start');
    }
    client?.close();
    await server?.close();
    await db?.close().catch(() => undefined);
    const a = postgres(base, { max: 1, onnotice: () => {} });
    await a.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch((e: Error) => log(`drop failed: ${e.message}`));
    await a.end();
  }
}

async function exercise(url: string, baseUrl: string, client: HttpClient, db: Database, password: string): Promise<number> {
  const login = await client.request('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'fault_admin', password }),
  });
  const cookie = /ga_session=[^;]+/.exec(String(login.headers['set-cookie'] ?? ''))?.[0];
  if (login.status !== 200 || !cookie) throw new Error(`login → ${login.status} ${login.body.toString('utf8')}`);
  const csrf = (JSON.parse(login.body.toString('utf8')) as { csrfToken: string }).csrfToken;

  const tj = JSON.parse((await client.request('/tiles/buildings.json')).body.toString('utf8')) as { bounds: number[] };
  const [cx, cy] = [(tj.bounds[0] + tj.bounds[2]) / 2, (tj.bounds[1] + tj.bounds[3]) / 2];
  const tiles = [15, 16, 17].map((z) => {
    const [x, y] = lngLatToTile(cx, cy, z);
    return `/tiles/buildings/${z}/${x}/${y}.mvt`;
  });
  const [community] = await db.query<{ code: string }>('SELECT code FROM communities ORDER BY code LIMIT 1');
  const readPaths = ['/api/health', '/api/stats', `/api/stats?community=${community.code}`, '/api/layers/facilities',
    `/api/layers/grids?community=${community.code}`, '/api/categories', ...tiles];

  const outcomes: Outcome[] = [];
  let stopping = false;
  const readLoop = async (i: number) => {
    for (let n = i; !stopping; n++) {
      const path = readPaths[n % readPaths.length];
      const r = await client.request(path, { timeoutMs: opt.timeoutMs });
      outcomes.push({ kind: 'read', path, r });
      if (r.status !== 200 && r.status !== 204) await sleep(20);
    }
  };
  const writeLoop = async (w: number) => {
    for (let n = 0; !stopping; n++) {
      const label = `fault-w${w}-${n}`;
      const r = await client.request('/api/kiosk-tokens', {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf },
        body: JSON.stringify({ label }),
        timeoutMs: opt.timeoutMs,
      });
      const o: Outcome = { kind: 'write', path: 'POST /api/kiosk-tokens', r, label };
      if (r.status === 201) o.id = (JSON.parse(r.body.toString('utf8')) as { id: number }).id;
      outcomes.push(o);
      if (r.status !== 201) await sleep(20);
    }
  };

  // Readiness of PostgreSQL itself, seen from outside the app.
  let probing = true;
  let tDownSeen = NaN;
  let tReady = NaN;
  const prober = (async () => {
    while (probing) {
      const t = performance.now();
      const up = await probe(url);
      if (!up && Number.isNaN(tDownSeen)) tDownSeen = t;
      if (up && !Number.isNaN(tDownSeen) && Number.isNaN(tReady)) tReady = performance.now();
      await sleep(PROBE_INTERVAL_MS);
    }
  })();

  const loops = [
    ...Array.from({ length: opt.readers }, (_, i) => readLoop(i)),
    ...Array.from({ length: opt.writers }, (_, w) => writeLoop(w)),
  ];
  log(`load: ${opt.readers} readers + ${opt.writers} writers on ${baseUrl} (cache off); restart in ${opt.before / 1000} s`);
  await sleep(opt.before);

  // Interrupted while PostgreSQL is down (Ctrl-C): start it again before leaving.
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      log(`${sig}: 启动 PostgreSQL 后退出 / starting PostgreSQL again before exiting`);
      void pgctl('start').finally(() => process.exit(130));
    });
  }
  const tStop = performance.now();
  log(`停止 PostgreSQL / stopping PostgreSQL (pg_ctlcluster ${opt.cluster.join(' ')} stop)`);
  const stop = await pgctl('stop');
  const tStopped = performance.now();
  if (stop.code !== 0) log(`pg_ctlcluster stop → ${stop.code}: ${stop.out}`);
  await sleep(opt.down);
  log('启动 PostgreSQL / starting PostgreSQL');
  const tStart = performance.now();
  const start = await pgctl('start');
  if (start.code !== 0) log(`pg_ctlcluster start → ${start.code}: ${start.out}`);
  for (let i = 0; i < 600 && Number.isNaN(tReady); i++) await sleep(50);
  log(`PostgreSQL 已就绪 / accepting connections ${((tReady - tStop) / 1000).toFixed(2)} s after the stop; load continues ${opt.after / 1000} s`);
  await sleep(opt.after);
  stopping = true;
  await Promise.all(loops);
  probing = false;
  await prober;

  // ---- judge ----
  const rel = (t: number) => `${((t - tStop) / 1000).toFixed(3)} s`;
  const isOk = (o: Outcome) => (o.kind === 'write' ? o.r.status === 201 : o.r.status === 200 || o.r.status === 204);
  const failures = outcomes.filter((o) => !isOk(o));
  const firstSuccess = outcomes
    .filter((o) => isOk(o) && o.r.end >= tReady)
    .reduce((m, o) => Math.min(m, o.r.end), Infinity);
  const problems: string[] = [];

  const before = failures.filter((o) => o.r.end < tStop);
  if (before.length) problems.push(`${before.length} failures before PostgreSQL was stopped (first: ${describe(before[0])})`);
  const late = failures.filter((o) => o.r.start > firstSuccess);
  if (late.length) problems.push(`${late.length} failures of requests started after recovery (first at ${rel(late[0].r.start)}: ${describe(late[0])})`);
  const wrong = failures.filter((o) => !expected503(o));
  if (wrong.length) {
    const kinds = new Map<string, number>();
    for (const o of wrong) kinds.set(describe(o), (kinds.get(describe(o)) ?? 0) + 1);
    problems.push(`${wrong.length} failures that are not 503 database_unavailable: ${[...kinds].map(([k, n]) => `${k} ×${n}`).join('; ')}`);
  }
  const slow503 = failures.filter((o) => o.r.status === 503 && o.r.end - o.r.start > opt.failFastMs);
  if (slow503.length) {
    problems.push(`${slow503.length} requests waited over ${opt.failFastMs} ms for their 503 (slowest ${Math.max(...slow503.map((o) => o.r.end - o.r.start)).toFixed(0)} ms)`);
  }
  const noRetryAfter = failures.filter((o) => o.r.status === 503 && o.r.headers['retry-after'] === undefined).length;
  if (Number.isNaN(tDownSeen) || tDownSeen > tStopped + 1000) problems.push('PostgreSQL never appeared down: the restart did not happen');
  if (Number.isNaN(tReady)) problems.push('PostgreSQL did not accept connections again within 30 s');
  const recovery = Math.max(0, firstSuccess - tReady);
  if (!Number.isFinite(firstSuccess)) problems.push('no successful request after PostgreSQL came back');
  else if (recovery > RECOVERY_LIMIT_MS) problems.push(`recovery took ${recovery.toFixed(0)} ms (limit ${RECOVERY_LIMIT_MS} ms)`);

  const acked = outcomes.filter((o) => o.id !== undefined).map((o) => o.id!);
  const unacked = outcomes.filter((o) => o.kind === 'write' && o.id === undefined).map((o) => o.label!);
  const check = postgres(url, { max: 1, onnotice: () => {} });
  const present = new Set(
    (await check.unsafe('SELECT id FROM kiosk_tokens WHERE id = ANY($1::int[])', [acked])).map((r) => Number(r.id)),
  );
  const committedAnyway = unacked.length
    ? Number((await check.unsafe('SELECT count(*)::int AS n FROM kiosk_tokens WHERE label = ANY($1::text[])', [unacked]))[0].n)
    : 0;
  await check.end();
  const missing = acked.filter((id) => !present.has(id));
  if (missing.length) problems.push(`${missing.length} writes acknowledged with 201 are missing from the database (ids ${missing.slice(0, 10).join(', ')})`);
  if (acked.length === 0) problems.push('no write was acknowledged at all');

  const errEnds = failures.map((o) => o.r.end);
  const reads = outcomes.filter((o) => o.kind === 'read');
  const writes = outcomes.filter((o) => o.kind === 'write');
  const window = errEnds.length ? `${rel(Math.min(...errEnds))} → ${rel(Math.max(...errEnds))}` : 'none';
  console.log('\n## PostgreSQL 重启故障测试 / PostgreSQL restart under load\n');
  printTable([
    ['what', 'value'],
    ['requests (reads / writes)', `${reads.length} / ${writes.length}`],
    ['failed (reads / writes)', `${reads.filter((o) => !isOk(o)).length} / ${writes.filter((o) => !isOk(o)).length}`],
    ['failure statuses', [...new Set(failures.map(describe))].join('; ') || 'none'],
    ['503 without Retry-After', String(noRetryAfter)],
    ['stop issued → stopped', `0 → ${rel(tStopped)}`],
    ['start issued', rel(tStart)],
    ['PostgreSQL down seen by probe', Number.isNaN(tDownSeen) ? 'never' : rel(tDownSeen)],
    ['PostgreSQL accepting again', Number.isNaN(tReady) ? 'never' : rel(tReady)],
    ['error window (first → last failure)', window],
    ['first 503 after the stop', failures.length ? rel(Math.min(...errEnds)) : 'none'],
    ['slowest 503 (request start → answer)', failures.length ? `${Math.max(...failures.map((o) => o.r.end - o.r.start)).toFixed(0)} ms (limit ${opt.failFastMs})` : 'none'],
    ['first success after ready', Number.isFinite(firstSuccess) ? rel(firstSuccess) : 'never'],
    ['recovery (ready → first success)', Number.isFinite(firstSuccess) ? `${recovery.toFixed(0)} ms (limit ${RECOVERY_LIMIT_MS})` : '∞'],
    ['writes acknowledged 201 / present', `${acked.length} / ${acked.length - missing.length}`],
    ['writes answered 503 but committed', `${committedAnyway} of ${unacked.length}`],
  ]);
  const odd = failures.filter((o) => o.r.start > firstSuccess || !expected503(o));
  if (odd.length) {
    console.log('\n规则外的失败 / failures breaking a rule (start → end, relative to the stop):');
    for (const o of odd.slice(0, 20)) console.log(`  ${rel(o.r.start)} → ${rel(o.r.end)}  ${o.path}  ${describe(o)}`);
  }
  if (driverErrors.length) {
    const byCode = new Map<string, { n: number; first: number; last: number; message: string }>();
    for (const e of driverErrors) {
      const b = byCode.get(e.code) ?? { n: 0, first: e.t, last: e.t, message: e.message };
      b.n++;
      b.last = e.t;
      byCode.set(e.code, b);
    }
    console.log('\n数据库驱动错误 / database errors seen by the app (code ×n, first → last):');
    for (const [c, b] of byCode) console.log(`  ${c} ×${b.n}  ${rel(b.first)} → ${rel(b.last)}  ${b.message.slice(0, 100)}`);
  }
  if (problems.length) {
    console.error(`\n✗ 失败 / FAILED:\n  - ${problems.join('\n  - ')}`);
    return 1;
  }
  console.log('\n✓ 通过 / PASSED: failures only while PostgreSQL was away, all 503 database_unavailable; every 201 write is present');
  return 0;
}

/** 503 `database_unavailable`, or the health check's 503 saying `database: "down"`. */
function expected503(o: Outcome): boolean {
  if (o.r.status !== 503) return false;
  if (errorCodeOf(o.r) === 'database_unavailable') return true;
  try {
    return o.path === '/api/health' && (JSON.parse(o.r.body.toString('utf8')) as { database?: string }).database === 'down';
  } catch {
    return false;
  }
}

function describe(o: Outcome): string {
  const r = o.r;
  if (!r.status) return `${o.kind} ${r.error ?? 'no response'}`;
  return `${o.kind} ${r.status} ${errorCodeOf(r) ?? r.body.toString('utf8').slice(0, 80)}`;
}

let code = 1;
try {
  code = await main();
} catch (err) {
  console.error(`✗ 故障测试出错 / fault test crashed: ${(err as Error).stack ?? err}`);
}
process.exit(code);
