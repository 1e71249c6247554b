/**
 * `npm run load -- [--seconds 60] [--connections 64] [--url http://127.0.0.1:PORT] [--seed N]
 *                 [--import-vertices 1000000] [--import-p99-ms 100]`
 *
 * Drives N concurrent keep-alive connections over a mix of vector tiles (buildings, grids, roads
 * at z14–z17 over the street), GeoJSON layers and stats; prints req/s, p50/p99 latency and the
 * error count per endpoint kind; exits 1 on any error (a non-2xx status, a socket error or a
 * request slower than the timeout).
 *
 * Then the import phase (issue #14.3, import-phase.ts): reads of /api/health and tiles alone, then
 * during a dry-run import of a generated ~25 MB GeoJSON with a 1M-vertex outline; prints the read
 * p99 in both windows and fails when the p99 during the import exceeds --import-p99-ms (100).
 * It signs in as a throwaway admin created for the run (own server), or with --url as
 * GRIDATLAS_LOAD_USER / GRIDATLAS_LOAD_PASSWORD (skipped when unset). --import-vertices 0 skips it.
 *
 * Without --url it opens the configured database (DATABASE_URL, else embedded PGlite under
 * GRIDATLAS_DATA_DIR), seeds the demo street when empty and serves the app in this process on an
 * ephemeral port of 127.0.0.1 (client and server then share one Node process and its CPU).
 * Traffic only ever goes to 127.0.0.1.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { lngLatToTile } from '../../geo/tiles/tile-math.js';
import { mulberry32 } from '../../data/generate/random.js';
import type { Database } from '../../server/db/client.js';
import { HttpClient, type HttpResult, assertLoopback, percentile, printTable } from './http.js';
import { importUpload, printImportPhase, runImportPhase } from './import-phase.js';
import { importSession } from './import-session.js';

const USAGE = '用法 / usage: npm run load -- [--seconds 60] [--connections 64] [--url http://127.0.0.1:PORT] [--timeout-ms 10000] [--import-vertices 1000000] [--import-p99-ms 100]';

const KINDS = ['tiles/buildings', 'tiles/grids', 'tiles/roads', 'api/layers', 'api/stats'] as const;
type Kind = (typeof KINDS)[number];
/** Relative share of requests per kind (a map view is mostly tiles, with some panels). */
const WEIGHTS: Record<Kind, number> = {
  'tiles/buildings': 25,
  'tiles/grids': 20,
  'tiles/roads': 20,
  'api/layers': 20,
  'api/stats': 15,
};
const TILE_ZOOMS = [14, 15, 16, 17];
const LAYERS = ['communities', 'compounds', 'grids', 'buildings', 'households', 'facilities', 'roads'];

interface KindStats {
  latencies: number[];
  errors: number;
  statuses: Map<string, number>;
}

function parse() {
  try {
    const { values } = parseArgs({
      options: {
        seconds: { type: 'string', default: '60' },
        connections: { type: 'string', default: '64' },
        url: { type: 'string' },
        'timeout-ms': { type: 'string', default: '10000' },
        'import-vertices': { type: 'string', default: '1000000' },
        'import-p99-ms': { type: 'string', default: '100' },
        help: { type: 'boolean' },
      },
    });
    if (values.help) {
      console.log(USAGE);
      process.exit(0);
    }
    const seconds = Number(values.seconds);
    const connections = Number(values.connections);
    const timeoutMs = Number(values['timeout-ms']);
    if (!(seconds > 0 && seconds <= 3600)) throw new Error('--seconds 须在 0–3600 之间 / must be in (0, 3600]');
    if (!(Number.isInteger(connections) && connections >= 1 && connections <= 1024)) {
      throw new Error('--connections 须为 1–1024 的整数 / must be an integer in 1…1024');
    }
    if (!(timeoutMs >= 100)) throw new Error('--timeout-ms 至少 100 / must be ≥ 100');
    const importVertices = Number(values['import-vertices']);
    const importP99Ms = Number(values['import-p99-ms']);
    if (!(Number.isInteger(importVertices) && importVertices >= 0 && importVertices <= 2_000_000)) {
      throw new Error('--import-vertices 须为 0–2000000 的整数 / must be an integer in 0…2000000');
    }
    if (!(importP99Ms > 0)) throw new Error('--import-p99-ms 须为正数 / must be positive');
    if (values.url) {
      try {
        assertLoopback(new URL(values.url));
      } catch (err) {
        throw new Error(err instanceof TypeError ? `--url 无效 / invalid URL: ${values.url}` : (err as Error).message, { cause: err });
      }
    }
    return { seconds, connections, timeoutMs, url: values.url, importVertices, importP99Ms };
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    process.exit(2);
  }
}



async function getJson<T>(client: HttpClient, path: string): Promise<T> {
  const r = await client.request(path, { timeoutMs: 60_000 });
  if (r.status !== 200) throw new Error(`GET ${path} → ${r.status || r.error} ${r.body.toString('utf8').slice(0, 200)}`);
  return JSON.parse(r.body.toString('utf8')) as T;
}

/** Every path of the mix, per kind: tiles covering the street's bounds, layers, stats. */
async function buildMix(client: HttpClient): Promise<Record<Kind, string[]>> {
  const tj = await getJson<{ bounds: [number, number, number, number] }>(client, '/tiles/buildings.json');
  const [minx, miny, maxx, maxy] = tj.bounds;
  if (maxx - minx > 1 || maxy - miny > 1) {
    throw new Error(`街道范围过大 / street bounds unexpectedly large: ${tj.bounds.join(',')}`);
  }
  const mix = Object.fromEntries(KINDS.map((k) => [k, [] as string[]])) as Record<Kind, string[]>;
  for (const layer of ['buildings', 'grids', 'roads'] as const) {
    for (const z of TILE_ZOOMS) {
      const [x0, y0] = lngLatToTile(minx, maxy, z);
      const [x1, y1] = lngLatToTile(maxx, miny, z);
      for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) mix[`tiles/${layer}`].push(`/tiles/${layer}/${z}/${x}/${y}.mvt`);
    }
  }
  const communities = await getJson<{ features: { properties: { code: string } }[] }>(client, '/api/layers/communities');
  const codes = communities.features.map((f) => f.properties.code).slice(0, 4);
  for (const layer of LAYERS) mix['api/layers'].push(`/api/layers/${layer}`);
  for (const code of codes.slice(0, 2)) {
    mix['api/layers'].push(`/api/layers/buildings?community=${code}`, `/api/layers/grids?community=${code}`);
  }
  const cx = (minx + maxx) / 2;
  const cy = (miny + maxy) / 2;
  const bbox = [minx, miny, cx, cy].map((v) => v.toFixed(6)).join(',');
  mix['api/layers'].push(`/api/layers/buildings?bbox=${bbox}`, `/api/layers/facilities?bbox=${bbox}`);
  mix['api/stats'].push('/api/stats', ...codes.map((c) => `/api/stats?community=${c}`));
  return mix;
}

const ok = (r: HttpResult) => r.status === 200 || r.status === 204;
const describe = (r: HttpResult) => (r.status ? `HTTP ${r.status}` : r.error ?? 'no response');

async function startOwnServer() {
  // Imported lazily: with --url the load test needs no database driver at all.
  const [{ loadConfig }, { openDatabase }, { ensureSeeded }, { startInProcess, redactUrl }] = await Promise.all([
    import('../../server/config.js'),
    import('../../server/db/open.js'),
    import('../../data/seed.js'),
    import('./in-process.js'),
  ]);
  const config = loadConfig();
  if (!config.databaseUrl && existsSync(join(config.dataDir, 'postmaster.pid'))) {
    console.error(
      `内嵌数据库 ${config.dataDir} 正被另一个进程使用（存在 postmaster.pid）；请对运行中的服务器使用 --url。\n` +
        `The embedded database ${config.dataDir} is in use by another process (postmaster.pid exists); use --url against the running server.`,
    );
    process.exit(2);
  }
  const where = config.databaseUrl ? redactUrl(config.databaseUrl) : `PGlite ${config.dataDir}`;
  console.log(`[load] 打开数据库 / opening ${where} …`);
  const db = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  await ensureSeeded(db, { seed: config.seed, buildings: config.demoBuildings, log: (m) => console.log(`[load] ${m}`) });
  const server = await startInProcess(db, config);
  console.log(`[load] 应用在进程内运行 / app in-process on ${server.baseUrl} (response cache ${config.cacheMb} MB)`);
  return {
    db,
    baseUrl: server.baseUrl,
    close: async () => {
      await server.close();
      await db.close();
    },
  };
}

/** Runs and prints the import phase; false when it failed (an error, or the read p99 over the goal). */
async function importPhase(opts: ReturnType<typeof parse>, baseUrl: string, db: Database | null, tiles: string[]): Promise<boolean> {
  const upload = importUpload(opts.importVertices);
  const client = new HttpClient(baseUrl, 8);
  const login = await importSession(client, db);
  if (!login) {
    client.close();
    console.log('\n[load] 跳过导入阶段（--url 时需设置 GRIDATLAS_LOAD_USER/GRIDATLAS_LOAD_PASSWORD） / import phase skipped (with --url set GRIDATLAS_LOAD_USER/GRIDATLAS_LOAD_PASSWORD)');
    return true;
  }
  try {
    const r = await runImportPhase({ baseUrl, client, upload, session: login.session, tiles, readers: 4, baselineMs: 3000, timeoutMs: opts.timeoutMs });
    printImportPhase(r, opts.importVertices, 4);
    if (r.failures.length) {
      console.error(`\n✗ 导入阶段失败 / import phase FAILED:\n  ${r.failures.join('\n  ')}`);
      return false;
    }
    if (!(r.during.p99 < opts.importP99Ms)) {
      console.error(`\n✗ 导入期间读取 p99 ${r.during.p99.toFixed(1)} ms ≥ ${opts.importP99Ms} ms / read p99 during the import over the goal`);
      return false;
    }
    console.log(`\n✓ 导入期间读取 p99 ${r.during.p99.toFixed(1)} ms < ${opts.importP99Ms} ms / read p99 during the import within the goal`);
    return true;
  } finally {
    client.close();
    await login.cleanup();
  }
}

async function main() {
  const opts = parse();
  const own = opts.url ? null : await startOwnServer();
  const baseUrl = opts.url ?? own!.baseUrl;
  const client = new HttpClient(baseUrl, opts.connections);
  let failed = false;
  try {
    const health = await getJson<{ backend: string; postgis: string; tiles: string }>(client, '/api/health');
    const mix = await buildMix(client);
    const total = KINDS.reduce((s, k) => s + mix[k].length, 0);
    console.log(
      `[load] ${baseUrl}: backend ${health.backend}, PostGIS ${health.postgis}, tiles via ${health.tiles}; ` +
        `${total} distinct URLs (${KINDS.map((k) => `${k} ${mix[k].length}`).join(', ')})`,
    );

    // Priming pass: every URL once (fills the response cache as a running server's would be);
    // its errors count, its timings do not.
    const stats = Object.fromEntries(
      KINDS.map((k) => [k, { latencies: [], errors: 0, statuses: new Map() } as KindStats]),
    ) as Record<Kind, KindStats>;
    const errorSamples: string[] = [];
    const note = (kind: Kind, path: string, r: HttpResult, timed: boolean) => {
      const s = stats[kind];
      const key = describe(r);
      s.statuses.set(key, (s.statuses.get(key) ?? 0) + 1);
      if (!ok(r)) {
        s.errors++;
        if (errorSamples.length < 10) errorSamples.push(`${path} → ${key} ${r.body.toString('utf8').slice(0, 160)}`);
      } else if (timed) {
        s.latencies.push(r.end - r.start);
      }
    };
    const queue = KINDS.flatMap((k) => mix[k].map((p) => [k, p] as const));
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: Math.min(opts.connections, 16) }, async () => {
        for (let item = queue.shift(); item; item = queue.shift()) {
          note(item[0], item[1], await client.request(item[1], { timeoutMs: opts.timeoutMs }), false);
        }
      }),
    );
    console.log(`[load] 预热 / priming pass: ${total} URLs in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    for (const k of KINDS) stats[k].statuses.clear();

    // Timed run: N workers, each one request at a time over its keep-alive socket.
    const weightSum = KINDS.reduce((s, k) => s + WEIGHTS[k], 0);
    const start = performance.now();
    const deadline = start + opts.seconds * 1000;
    console.log(`[load] ${opts.connections} 个连接 / connections for ${opts.seconds} s …`);
    await Promise.all(
      Array.from({ length: opts.connections }, async (_, i) => {
        const random = mulberry32(20240601 + i);
        while (performance.now() < deadline) {
          let pick = random() * weightSum;
          const kind = KINDS.find((k) => (pick -= WEIGHTS[k]) < 0) ?? KINDS[0];
          const paths = mix[kind];
          const path = paths[Math.floor(random() * paths.length)];
          note(kind, path, await client.request(path, { timeoutMs: opts.timeoutMs }), true);
        }
      }),
    );
    const elapsed = (performance.now() - start) / 1000;

    const rows = [['kind 类别', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'errors', 'statuses']];
    const all: number[] = [];
    let errors = 0;
    for (const k of KINDS) {
      const s = stats[k];
      all.push(...s.latencies);
      errors += s.errors;
      const n = s.latencies.length + s.errors;
      rows.push([
        k, String(n), (n / elapsed).toFixed(0),
        percentile(s.latencies, 50).toFixed(2), percentile(s.latencies, 99).toFixed(2),
        (s.latencies.length ? Math.max(...s.latencies) : NaN).toFixed(1), String(s.errors),
        [...s.statuses].map(([st, c]) => `${st}×${c}`).join(' '),
      ]);
    }
    const n = all.length + KINDS.reduce((s, k) => s + stats[k].errors, 0);
    rows.push([
      'total 合计', String(n), (n / elapsed).toFixed(0), percentile(all, 50).toFixed(2), percentile(all, 99).toFixed(2),
      (all.length ? Math.max(...all) : NaN).toFixed(1), String(errors), '',
    ]);
    console.log(`\n## 负载测试 / Load test — ${opts.connections} connections, ${elapsed.toFixed(1)} s, backend ${health.backend}\n`);
    printTable(rows);
    if (errorSamples.length) console.log(`\n错误示例 / error samples:\n  ${errorSamples.join('\n  ')}`);
    if (errors > 0) {
      console.error(`\n✗ 失败：${errors} 个错误 / FAILED: ${errors} errors`);
      failed = true;
    } else if (n === 0) {
      console.error('\n✗ 失败：没有完成任何请求 / FAILED: no request completed');
      failed = true;
    } else {
      console.log(`\n✓ 无错误 / no errors: ${n} requests, ${(n / elapsed).toFixed(0)} req/s, p99 ${percentile(all, 99).toFixed(1)} ms`);
    }
    if (opts.importVertices > 0 && !(await importPhase(opts, baseUrl, own?.db ?? null, [...mix['tiles/buildings'], ...mix['tiles/grids']]))) failed = true;
  } catch (err) {
    console.error(`✗ 负载测试失败 / load test failed: ${(err as Error).message}`);
    failed = true;
  } finally {
    client.close();
    await own?.close();
  }
  process.exit(failed ? 1 : 0);
}

await main();
