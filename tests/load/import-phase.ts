/**
 * The load test's import phase (issue #14.3): reads of `/api/health` and vector tiles, first alone
 * (baseline) and then while a dry run of a generated ~25 MB GeoJSON with a 1M-vertex outline is
 * uploaded and checked. Reports read p50/p99/max in both windows; the goal is a read p99 under
 * 100 ms during the import (the import is parsed in a worker thread; before, the event loop was
 * blocked for seconds at a time and health checks waited up to 6 s).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bigPolygonGeoJson } from './big-geojson.js';
import { type HttpClient, type HttpResult, percentile, printTable } from './http.js';

export interface ImportPhaseOptions {
  /** The server, for the uploader (a process of its own). */
  baseUrl: string;
  /** A client of its own, opened after the upload was generated (idle keep-alive sockets get reset). */
  client: HttpClient;
  upload: { body: Buffer; type: string; bytes: number };
  /** Cookie and CSRF token of a session allowed to import. */
  session: { cookie: string; csrf: string };
  tiles: string[];
  readers: number;
  baselineMs: number;
  timeoutMs: number;
}

export interface ImportPhaseResult {
  importStatus: number;
  importMs: number;
  bytes: number;
  baseline: { n: number; p50: number; p99: number; max: number; errors: number };
  during: { n: number; p50: number; p99: number; max: number; errors: number };
  /** Seconds after the upload started at which reads over 100 ms were due (where the stalls are). */
  slowAt: number[];
  failures: string[];
}

/** The multipart upload of the generated file (built before the phase's client is opened). */
export function importUpload(vertices: number): ImportPhaseOptions['upload'] {
  const bytes = bigPolygonGeoJson(vertices);
  return { ...multipart('load-1m-vertices.geojson', bytes), bytes: bytes.length };
}

function multipart(name: string, bytes: Uint8Array): { body: Buffer; type: string } {
  const boundary = `----gridatlas${randomBytes(8).toString('hex')}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/geo+json\r\n\r\n`;
  return { body: Buffer.concat([Buffer.from(head), bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]), type: `multipart/form-data; boundary=${boundary}` };
}

/**
 * POSTs the upload from a child process (upload-client.mjs), as another user's browser would: in
 * the readers' process, writing the 25 MB body delayed their own reads by up to 0.4 s — a stall of
 * the load generator, not of the server.
 */
async function uploadFromOwnProcess(o: ImportPhaseOptions, path: string): Promise<{ status: number; body: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'gridatlas-load-'));
  const file = join(dir, 'upload.bin');
  writeFileSync(file, o.upload.body);
  const headers = { 'content-type': o.upload.type, cookie: o.session.cookie, 'x-csrf-token': o.session.csrf };
  const script = new URL('./upload-client.mjs', import.meta.url).pathname;
  try {
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, [script, new URL(path, o.baseUrl).href, file], { env: { ...process.env, UPLOAD_HEADERS: JSON.stringify(headers) }, timeout: 180_000, maxBuffer: 1 << 20 },
        (err, out) => (err ? reject(err) : resolve(out)));
    });
    return JSON.parse(stdout) as { status: number; body: string };
  } catch (err) {
    return { status: 0, body: (err as Error).message.slice(0, 200) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Each reader's schedule: one read every this many ms. */
const INTERVAL_MS = 20;

/**
 * Reads in `readers` loops (half health, half tiles) until `until()` is true, each on a fixed
 * schedule (one read per INTERVAL_MS), latency counted from when the read was *due*: a server that
 * stalls for 7 s delays the ~350 reads due meanwhile, not just the one in flight (a closed loop
 * would record that stall as a single slow read and hide it from the p99 — coordinated omission).
 */
async function readLoop(o: ImportPhaseOptions, until: () => boolean): Promise<{ latencies: number[]; errors: string[]; slow: number[] }> {
  const latencies: number[] = [];
  const slow: number[] = [];
  const t0 = performance.now();
  const errors: string[] = [];
  await Promise.all(Array.from({ length: o.readers }, async (_, i) => {
    let due = performance.now() + (i * INTERVAL_MS) / o.readers;
    for (let k = 0; !until(); k++, due += INTERVAL_MS) {
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const path = i % 2 === 0 ? '/api/health' : o.tiles[(i * 7919 + k) % o.tiles.length];
      const r: HttpResult = await o.client.request(path, { timeoutMs: o.timeoutMs });
      if (r.status === 200 || r.status === 204) latencies.push(r.end - Math.min(due, r.start));
      else errors.push(`${path} → ${r.status || r.error}`);
      if (r.end - Math.min(due, r.start) > 100) slow.push(Math.round((due - t0) / 100) / 10);
    }
  }));
  return { latencies, errors, slow };
}

const summary = (l: number[], errors: number) => ({ n: l.length, p50: percentile(l, 50), p99: percentile(l, 99), max: l.length ? Math.max(...l) : NaN, errors });

export async function runImportPhase(o: ImportPhaseOptions): Promise<ImportPhaseResult> {
  const failures: string[] = [];

  const t0 = performance.now();
  const base = await readLoop(o, () => performance.now() - t0 > o.baselineMs);

  let done = false;
  const started = performance.now();
  const importing = uploadFromOwnProcess(o, '/api/import?layer=buildings&dryRun=1&crs=EPSG:4326').finally(() => (done = true));
  const during = await readLoop(o, () => done);
  const imp = await importing;
  const importMs = performance.now() - started;
  if (imp.status !== 200) failures.push(`import → ${imp.status} ${imp.body}`);
  failures.push(...base.errors.slice(0, 5), ...during.errors.slice(0, 5));
  return {
    importStatus: imp.status, importMs, bytes: o.upload.bytes, failures, slowAt: [...new Set(during.slow)],
    baseline: summary(base.latencies, base.errors.length), during: summary(during.latencies, during.errors.length),
  };
}

export function printImportPhase(r: ImportPhaseResult, vertices: number, readers: number) {
  console.log(`\n## 导入期间的读取 / Reads during an import — dry run of a ${(r.bytes / 1e6).toFixed(1)} MB GeoJSON, ${vertices.toLocaleString('en')}-vertex outline, ${readers} readers (health + tiles) each reading every ${INTERVAL_MS} ms, latency from when due\n`);
  const row = (name: string, s: ImportPhaseResult['baseline']) =>
    [name, String(s.n), s.p50.toFixed(1), s.p99.toFixed(1), s.max.toFixed(1), String(s.errors)];
  printTable([
    ['window 时段', 'reads', 'p50 ms', 'p99 ms', 'max ms', 'errors'],
    row('before import 导入前', r.baseline),
    row('during import 导入中', r.during),
  ]);
  console.log(`import: HTTP ${r.importStatus} in ${(r.importMs / 1000).toFixed(1)} s`);
  if (r.slowAt.length) console.log(`reads over 100 ms were due at (s after the upload began): ${r.slowAt.slice(0, 40).join(' ')}`);
}
