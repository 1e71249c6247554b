/**
 * Issue #17 rows for tiles, layers and server memory (`npm run bench -- tiles`), on one street:
 *
 * 1. buildings tile z13–z17, response cache off: the endpoint vs the same `ST_AsMVT` SQL through
 *    the same driver, and vs a bare node:http server running that SQL (the HTTP peer, `peerServer`),
 *    taking turns (endpoint, peer, SQL, endpoint …), identical bytes checked (goal ≤ 1.2×).
 * 2. `/api/layers/buildings`, cache off: endpoint (first byte and whole body) vs its SQL as one
 *    `json_agg` value through the same driver and vs the bare HTTP peer sending that value, taking
 *    turns (goal ≤ 1.2×, first byte before the SQL ends).
 * 3. a warm cached tile under 64 keep-alive connections (autocannon) vs a bare node:http server
 *    sending the same status, headers and bytes, alternating 5 s rounds, 20 s each (goal ≥ 0.85×).
 * 4. server memory: peak RSS of the server (its own process) while it serves tiles z13–z17 and
 *    the buildings layer with the cache on (goal ≤ 400 MB).
 *
 * Rows 1–2 serve the app in this process over the bench's own connection pool (the SQL's driver);
 * rows 3–4 run the real `server/main.ts` in a child process (city-server.ts), so the load
 * generator's CPU and the server's memory are apart. Every row prints the machine's load average
 * (1 / 5 / 15 min) at its start and end.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { lngLatToTile } from '../../geo/tiles/tile-math.js';
import type { Database } from '../../server/db/client.js';
import { layerGeoJsonQuery } from '../../server/repos/layers.repo.js';
import { postgisTileQuery } from '../../server/repos/tiles.repo.js';
import { createApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { serveApp } from '../../server/http/tile-fast-path.js';
import { type ChildServer, loadAvg, spawnServer, waitIdle } from './city-server.js';
import { fmt, percentile, sampleRoundRobin, table } from './stats.js';

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/**
 * GET over a keep-alive socket: status, body (or only its length with `keep: false`, so a 49 MB
 * layer is not copied again by the client), and when the first body byte arrived.
 */
function timedGet(url: string, keep = true): Promise<{ status: number; body: Buffer; bytes: number; firstByteMs: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    http
      // A body not kept is a big layer: a new connection each time (the server closes one idle for
      // 5 s, and the SQL between two layer requests can take that long on a busy machine).
      .get(url, { agent: keep ? agent : false }, (res) => {
        const chunks: Buffer[] = [];
        let firstByteMs = NaN;
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          if (!bytes) firstByteMs = performance.now() - t0;
          bytes += chunk.length;
          if (keep) chunks.push(chunk);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), bytes, firstByteMs }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

/** A free port: GRIDATLAS_BENCH_PORT + n when set (a range of one's own), else one the system picks. */
let nextPort = Number(process.env.GRIDATLAS_BENCH_PORT ?? 0);
export async function freePort(): Promise<number> {
  if (nextPort) return nextPort++;
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

export interface BenchStreet {
  label: string;
  /** The bench's own connection (same driver as the server's). */
  db: Database;
  databaseUrl: string;
  /** Pairs per tile zoom (fewer where a tile costs hundreds of ms) and per layer. */
  tilePairs: (z: number) => number;
  layerPairs: number;
}

/** The centre of the street's buildings. */
async function centre(db: Database) {
  const [c] = await db.query<{ lng: number; lat: number }>(
    `SELECT ST_X(ST_Centroid(ST_Extent(geom)::geometry)) AS lng, ST_Y(ST_Centroid(ST_Extent(geom)::geometry)) AS lat FROM buildings`,
  );
  return c;
}

/**
 * The app served in this process over the bench's own `db` (the very driver and pool the SQL rows
 * use), through serveApp like server/main.ts: the cache-off rows compare the server's own work
 * with the SQL's, without a second process's wake-ups on a busy 2-core machine in between.
 */
async function inProcessServer(db: Database, cacheMb: number) {
  const app = createApp({ db, config: { ...loadConfig({}), cacheMb } });
  const server = serveApp(app, { port: await freePort(), hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as net.AddressInfo;
  return { base: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/**
 * The peer a tile server is measured against over HTTP: a bare `node:http` server in this process
 * that runs the very SQL through the same pool and writes its bytes — no routing, validation,
 * headers policy, cache or data version. What it costs over the bare SQL is the HTTP exchange
 * itself (client and server on the same cores), a floor no HTTP endpoint gets under.
 */
async function peerServer(db: Database) {
  const server = http.createServer((req, res) => {
    const m = /^\/tiles\/buildings\/(\d+)\/(\d+)\/(\d+)\.mvt$/.exec(req.url ?? '');
    const q = m ? postgisTileQuery('buildings', Number(m[1]), Number(m[2]), Number(m[3])) : layerGeoJsonQuery('buildings', {});
    db.query<{ tile?: Uint8Array | null; features?: string }>(q.text, q.params).then(([row]) => {
      const body = m ? Buffer.from(row?.tile ?? []) : Buffer.from(`{"type":"FeatureCollection","features":${row?.features ?? '[]'}}`);
      res.writeHead(body.length ? 200 : 204, { 'content-type': m ? 'application/vnd.mapbox-vector-tile' : 'application/geo+json', 'content-length': body.length });
      res.end(body);
    }, (err: unknown) => {
      res.writeHead(500);
      res.end(String(err));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  return { base: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

async function benchColdTiles(s: BenchStreet, server: { base: string }, peer: { base: string }) {
  const { lng, lat } = await centre(s.db);
  const rows: string[][] = [['buildings tile (cache off)', 'bytes', 'endpoint p50', 'bare HTTP + SQL p50', 'ST_AsMVT SQL p50', 'ratio vs bare HTTP + SQL', 'ratio vs SQL', 'goal', 'load before → after']];
  for (const z of [13, 14, 15, 16, 17]) {
    const [x, y] = lngLatToTile(lng, lat, z);
    const path = `/tiles/buildings/${z}/${x}/${y}.mvt`;
    const q = postgisTileQuery('buildings', z, x, y);
    const direct = async () => (await s.db.query<{ tile: Uint8Array | null }>(q.text, q.params))[0]?.tile ?? new Uint8Array(0);
    const [viaHttp, viaPeer, viaSql] = [(await timedGet(`${server.base}${path}`)).body, (await timedGet(`${peer.base}${path}`)).body, Buffer.from(await direct())];
    const same = viaHttp.equals(viaSql) && viaPeer.equals(viaSql) ? 'identical' : 'DIFFERENT';
    const load = loadAvg();
    const [e, b, d] = await sampleRoundRobin(s.tilePairs(z), [() => timedGet(`${server.base}${path}`), () => timedGet(`${peer.base}${path}`), direct]);
    const [pe, pb, pd] = [percentile(e, 50), percentile(b, 50), percentile(d, 50)];
    rows.push([`z${z} (${x},${y})${z <= 13 ? ' ¹' : ''}`, `${viaSql.length} ${same}`, fmt(pe), fmt(pb), fmt(pd), ratio(pe, pb), ratio(pe, pd), '≤ 1.2×', `${load} → ${loadAvg()}`]);
  }
  table(rows);
  console.log('¹ z ≤ 13: the endpoint serves the tile kept in tile_store under the data version (no response cache involved).');
}

async function benchColdLayer(s: BenchStreet, server: { base: string }, peer: { base: string }) {
  const q = layerGeoJsonQuery('buildings', {});
  let body = 0;
  const firstBytes: number[] = [];
  const load = loadAvg();
  const [e, b, d] = await sampleRoundRobin(
    s.layerPairs,
    [
      async () => {
        const r = await timedGet(`${server.base}/api/layers/buildings`, false);
        body = r.bytes;
        firstBytes.push(r.firstByteMs);
      },
      () => timedGet(`${peer.base}/layer`, false),
      () => s.db.query(q.text, q.params),
    ],
    1,
  );
  const [pe, pb, pd, pf] = [percentile(e, 50), percentile(b, 50), percentile(d, 50), percentile(firstBytes.slice(-s.layerPairs), 50)];
  table([
    ['/api/layers/buildings (cache off)', 'bytes', 'endpoint p50: first byte / whole', 'bare HTTP + json_agg SQL p50', 'json_agg SQL p50', 'ratio vs bare HTTP + SQL', 'ratio vs SQL', 'goal', 'load before → after'],
    ['', String(body), `${fmt(pf)} / ${fmt(pe)}`, fmt(pb), fmt(pd), ratio(pe, pb), ratio(pe, pd), '≤ 1.2×, first byte < SQL', `${load} → ${loadAvg()}`],
  ]);
}

/** Runs a bare node:http server answering with `answer`; resolves once it listens. */
async function spawnBare(answer: { status: number; headers: string[]; body: Buffer }): Promise<{ base: string; close: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'gridatlas-bare-'));
  const file = join(dir, 'answer.json');
  writeFileSync(file, JSON.stringify({ status: answer.status, headers: answer.headers, bodyBase64: answer.body.toString('base64') }));
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'tests/bench/bare-tile-server.ts', String(port), file], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`bare server exited with ${code}`)));
  });
  return { base: `http://127.0.0.1:${port}`, close: () => child.kill() };
}

async function keepAliveRound(url: string, seconds: number) {
  const r = await autocannon({ url, connections: 64, duration: seconds, pipelining: 1 });
  return { requests: r.requests.total, seconds: r.duration, non2xx: r.non2xx + r.errors + r.timeouts, p99: r.latency.p99 };
}

async function benchKeepAlive(s: BenchStreet, server: ChildServer) {
  const { lng, lat } = await centre(s.db);
  const [x, y] = lngLatToTile(lng, lat, 16);
  const path = `/tiles/buildings/16/${x}/${y}.mvt`;
  const first = await fetch(`${server.base}${path}`);
  const headers: string[] = [];
  first.headers.forEach((v, k) => {
    if (!['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'].includes(k)) headers.push(k, v);
  });
  const body = Buffer.from(await first.arrayBuffer());
  const bare = await spawnBare({ status: first.status, headers, body });
  const same = (await timedGet(`${bare.base}${path}`)).body.equals((await timedGet(`${server.base}${path}`)).body);
  const totals = { app: { requests: 0, seconds: 0, bad: 0, p99: [] as number[] }, bare: { requests: 0, seconds: 0, bad: 0, p99: [] as number[] } };
  const load = loadAvg();
  for (let round = 0; round < 4; round++) {
    for (const [who, base] of [['app', server.base], ['bare', bare.base]] as const) {
      const r = await keepAliveRound(`${base}${path}`, 5);
      totals[who].requests += r.requests;
      totals[who].seconds += r.seconds;
      totals[who].bad += r.non2xx;
      totals[who].p99.push(r.p99);
    }
  }
  bare.close();
  const rps = (t: typeof totals.app) => t.requests / t.seconds;
  table([
    [`warm cached tile z16, 64 keep-alive connections, 4 × 5 s alternating (${body.length} bytes, ${same ? 'same bytes' : 'DIFFERENT bytes'})`, 'endpoint req/s', 'bare node:http req/s', 'ratio', 'goal', 'non-2xx/errors', 'p99 per round (endpoint | bare)', 'load before → after'],
    ['', rps(totals.app).toFixed(0), rps(totals.bare).toFixed(0), ratio(rps(totals.app), rps(totals.bare)), '≥ 0.85×', `${totals.app.bad} / ${totals.bare.bad}`,
      `${totals.app.p99.join(', ')} | ${totals.bare.p99.join(', ')} ms`, `${load} → ${loadAvg()}`],
  ]);
}

/** Every buildings tile of zoom z over the street's buildings, at most `max`, nearest the centre first. */
async function streetTiles(db: Database, z: number, max: number): Promise<[number, number][]> {
  const [b] = await db.query<{ w: number; s: number; e: number; n: number }>(
    'SELECT ST_XMin(e) AS w, ST_YMin(e) AS s, ST_XMax(e) AS e, ST_YMax(e) AS n FROM (SELECT ST_Extent(geom)::geometry AS e FROM buildings) x',
  );
  const [x0, y0] = lngLatToTile(b.w, b.n, z);
  const [x1, y1] = lngLatToTile(b.e, b.s, z);
  const [cx, cy] = [(x0 + x1) / 2, (y0 + y1) / 2];
  const out: [number, number][] = [];
  for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) out.push([x, y]);
  out.sort((a, c) => Math.hypot(a[0] - cx, a[1] - cy) - Math.hypot(c[0] - cx, c[1] - cy));
  return out.slice(0, max);
}

async function benchMemory(s: BenchStreet) {
  const server = await spawnServer({ databaseUrl: s.databaseUrl, port: await freePort(), cacheMb: 64 });
  try {
    const idleMs = await waitIdle(s.db, server);
    const afterWarmUp = server.memory();
    const load = loadAvg();
    let tiles = 0;
    for (const z of [13, 14, 15, 16, 17]) {
      for (const [x, y] of await streetTiles(s.db, z, 64)) {
        await timedGet(`${server.base}/tiles/buildings/${z}/${x}/${y}.mvt`);
        tiles++;
      }
    }
    const afterTiles = server.memory();
    const layer = await timedGet(`${server.base}/api/layers/buildings`, false);
    await timedGet(`${server.base}/api/layers/buildings`, false);
    const after = server.memory();
    table([
      ['server memory (cache on, 64 MB)', 'RSS after warm-up', `after ${tiles} tiles z13–z17`, `after the buildings layer (${(layer.bytes / 1e6).toFixed(1)} MB) twice`, 'peak RSS (VmHWM, whole run)', 'goal', 'load before → after'],
      ['', `${afterWarmUp.rssMb} MB (idle after ${(idleMs / 1000).toFixed(0)} s)`, `${afterTiles.rssMb} MB`, `${after.rssMb} MB`, `${after.peakMb} MB`, '≤ 400 MB', `${load} → ${loadAvg()}`],
    ]);
  } finally {
    await server.close();
  }
}

/** All of issue #17's tile, layer and memory rows on one street. */
export async function benchTilesAndLayers(s: BenchStreet) {
  console.log(`\n## Tiles, layers and server memory — ${s.label} (load ${loadAvg()})`);
  const cold = await inProcessServer(s.db, 0);
  try {
    const peer = await peerServer(s.db);
    await benchColdTiles(s, cold, peer);
    await benchColdLayer(s, cold, peer);
    await peer.close();
  } finally {
    await cold.close();
  }
  const warm = await spawnServer({ databaseUrl: s.databaseUrl, port: await freePort(), cacheMb: 64 });
  try {
    // The steady state: after the server's background warm-up (screen figures, and on a street
    // whose figures are not stored yet the walk network), which otherwise runs in the first rounds.
    const idleMs = await waitIdle(s.db, warm);
    console.log(`(keep-alive server idle after ${(idleMs / 1000).toFixed(1)} s)`);
    await benchKeepAlive(s, warm);
  } finally {
    await warm.close();
  }
  await benchMemory(s);
}
