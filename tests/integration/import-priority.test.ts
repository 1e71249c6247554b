/**
 * Issue #14.3, the remaining stalls (a CPU profile of the server in its own process during the
 * load test's import): the import worker must not compete with request handling for the CPU, the
 * upload must reach the worker without a 25 MB copy on the event loop, and the staged geometries
 * must go to PostgreSQL in pieces small enough that decoding one is a few milliseconds.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Session, signIn } from '../helpers/auth.js';
import { isolatedApp } from '../helpers/isolated-db.js';
import { bigPolygonGeoJson } from '../load/big-geojson.js';
import { startImport } from '../../server/services/import/import-jobs.js';
import { pieces } from '../../server/services/import/stage.js';
import { WorkerJobs } from '../../server/services/worker-jobs.js';

type Ctx = Awaited<ReturnType<typeof isolatedApp>>;
let ctx: Ctx;
let admin: Session;
const big = bigPolygonGeoJson(200_000);

beforeAll(async () => {
  ctx = await isolatedApp('import_priority');
  admin = await signIn(ctx.app, 'admin');
});
afterAll(async () => {
  await ctx?.close();
});

/** Nice value of each thread of this process (Linux: field 19 of /proc/self/task/<tid>/stat). */
function threadNice(): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      out.set(Number(tid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]));
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

describe('import worker and the event loop', () => {
  it('the import worker thread runs at the lowest CPU priority; the main thread keeps its own', async () => {
    const form = new FormData();
    form.append('file', new File([big as Uint8Array<ArrayBuffer>], 'big.geojson'));
    const res = await ctx.app.request('/api/import?layer=buildings&dryRun=1&crs=EPSG:4326&async=1', {
      method: 'POST', body: form, headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
    });
    expect(res.status).toBe(202);
    const { job } = (await res.json()) as { job: { id: string } };
    const seen = new Set<number>();
    let status = 'running';
    while (status === 'running' || status === 'writing') {
      for (const nice of threadNice().values()) seen.add(nice);
      expect(threadNice().get(process.pid)).toBe(0);
      await new Promise((r) => setTimeout(r, 20));
      status = ((await (await ctx.app.request(`/api/jobs/${job.id}`, { headers: { cookie: admin.cookie } })).json()) as { status: string }).status;
    }
    expect(status).toBe('done');
    expect([...seen]).toContain(19);
    expect(threadNice().get(process.pid)).toBe(0);
  });

  it('the upload, a view into the request body, is handed to the worker without a copy', async () => {
    const head = new TextEncoder().encode('--boundary\r\ncontent-disposition: form-data; name="file"; filename="big.geojson"\r\n\r\n');
    const body = new Uint8Array(head.length + big.length + 16);
    body.set(head);
    body.set(big, head.length);
    const file = body.subarray(head.length, head.length + big.length);
    const jobs = new WorkerJobs();
    try {
      const job = await startImport(jobs, ctx.db, {
        filename: 'big.geojson', bytes: file, layer: 'buildings', crs: 'EPSG:4326', dryRun: true, allowedCommunities: null, actor: null,
      }, null, async () => {});
      // Transferred: the body's buffer now belongs to the worker (detached here), nothing was copied.
      expect(body.buffer.byteLength).toBe(0);
      const result = (await jobs.settled(job.id)) as { counts: { records: number; rows: number } };
      expect(result.counts).toMatchObject({ records: 1, rows: 1 });
    } finally {
      await jobs.close();
    }
  });

  it('staged JSON goes to PostgreSQL in pieces of at most 256 KB, decoded whole across UTF-8 boundaries', () => {
    const text = `[${Array.from({ length: 40_000 }, (_, i) => `{"row":${i},"name":"楼栋${i}号","wkb":"0103000000"}`).join(',')}]`;
    const bytes = new TextEncoder().encode(text);
    expect(bytes.length).toBeGreaterThan(2 << 20);
    const fromBytes = [...pieces(bytes)];
    const fromString = [...pieces(text)];
    for (const p of [...fromBytes, ...fromString]) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(3 * (256 << 10));
    expect(Math.max(...fromBytes.map((p) => p.length))).toBeLessThanOrEqual(256 << 10);
    expect(Math.max(...fromString.map((p) => p.length))).toBeLessThanOrEqual(256 << 10);
    expect(fromBytes.join('')).toBe(text);
    expect(fromString.join('')).toBe(text);
  });
});
