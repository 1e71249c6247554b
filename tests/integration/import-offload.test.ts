/**
 * Issue #14.3: an import is parsed and checked off the event loop. While the dry run of a big
 * GeoJSON (one 300k-vertex outline, ~7.5 MB) runs, `/api/health` on the same app keeps answering
 * quickly; `async=1` answers 202 with a job whose progress (bytes, rows) and result can be followed
 * at `/api/jobs/:id`, and the result equals the synchronous one.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Session, signIn } from '../helpers/auth.js';
import { isolatedApp } from '../helpers/isolated-db.js';
import { bigPolygonGeoJson } from '../load/big-geojson.js';

type Ctx = Awaited<ReturnType<typeof isolatedApp>>;
let ctx: Ctx;
let admin: Session;
const big = bigPolygonGeoJson(300_000);

beforeAll(async () => {
  ctx = await isolatedApp('import_offload');
  admin = await signIn(ctx.app, 'admin');
});
afterAll(async () => {
  await ctx?.close();
});

function upload(query: string) {
  const form = new FormData();
  form.append('file', new File([big as Uint8Array<ArrayBuffer>], 'big.geojson'));
  return ctx.app.request(`/api/import?${query}`, { method: 'POST', body: form, headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf } });
}

interface Counts { records: number; rows: number; valid: number; errors: number }

describe('imports off the event loop', () => {
  it('health answers while a 7.5 MB, 300k-vertex GeoJSON dry run is checked; the loop never stalls long', async () => {
    expect(big.length).toBeGreaterThan(7_000_000);
    const loop = monitorEventLoopDelay({ resolution: 10 });
    const latencies: number[] = [];
    let running = true;
    const t0 = performance.now();
    const importing = Promise.resolve(upload('layer=buildings&dryRun=1&crs=EPSG:4326')).then(async (r) => {
      running = false;
      return { status: r.status, body: (await r.json()) as { counts: Counts; preview: { features: Array<{ geometry: { coordinates: number[][][] } }> } } };
    });
    loop.enable();
    const probe = (async () => {
      while (running) {
        const t = performance.now();
        const h = await ctx.app.request('/api/health');
        expect(h.status).toBe(200);
        latencies.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const { status, body } = await importing;
    await probe;
    loop.disable();
    const ms = performance.now() - t0;
    expect(status, JSON.stringify(body).slice(0, 300)).toBe(200);
    expect(body.counts).toMatchObject({ records: 1, rows: 1 });
    // The preview is simplified: not 300k positions back to the browser.
    const ring = body.preview.features[0]?.geometry.coordinates[0] ?? [];
    expect(ring.length).toBeLessThan(5000);
    const sorted = [...latencies].sort((a, b) => a - b);
    const worst = sorted[sorted.length - 1];
    const stallMs = loop.max / 1e6;
    console.log(`[import-offload] dry run ${ms.toFixed(0)} ms; ${latencies.length} health checks meanwhile, worst ${worst.toFixed(0)} ms; longest event-loop stall ${stallMs.toFixed(0)} ms`);
    expect(latencies.length).toBeGreaterThan(5);
    // Bounds for a loaded 2-core machine (measured there: ≤ 0.4 s stall, ≤ 0.45 s worst health check
    // after the fix; before it, 1.4 s and 2.6 s — the parse, the geometry JSON and the PostGIS
    // round trip of the whole outline, all on the event loop).
    expect(stallMs).toBeLessThan(700);
    expect(worst).toBeLessThan(1200);
  });

  it('async=1: 202 with a job; progress and the result at /api/jobs/:id; the same result as the synchronous call', async () => {
    const res = await upload('layer=buildings&dryRun=1&crs=EPSG:4326&async=1');
    expect(res.status).toBe(202);
    const { job } = (await res.json()) as { job: { id: string; kind: string; status: string } };
    expect(job).toMatchObject({ kind: 'import', status: 'running' });
    const stages = new Set<string>();
    let view: { status: string; stage: string; progress: number; result: { counts: Counts } | null; error: unknown };
    for (;;) {
      const r = await ctx.app.request(`/api/jobs/${job.id}`, { headers: { cookie: admin.cookie } });
      expect(r.status).toBe(200);
      view = await r.json();
      stages.add(view.stage.split(':')[0]);
      if (view.status === 'done' || view.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(view.error).toBeNull();
    expect(view.progress).toBe(1);
    expect([...stages].some((s) => ['reading', 'parsed', 'mapping', 'staging', 'checking', 'writing'].includes(s))).toBe(true);
    const sync = (await (await upload('layer=buildings&dryRun=1&crs=EPSG:4326')).json()) as { counts: Counts };
    expect(view.result!.counts).toEqual(sync.counts);
  });

  it('a bad file in async mode fails the job with the same code the synchronous call answers', async () => {
    const form = new FormData();
    form.append('file', new File([new TextEncoder().encode('{"type":')], 'broken.geojson'));
    const res = await ctx.app.request('/api/import?layer=buildings&dryRun=1&async=1', { method: 'POST', body: form, headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf } });
    const { job } = (await res.json()) as { job: { id: string } };
    let view: { status: string; error: { code: string; message: string } | null };
    do {
      await new Promise((r) => setTimeout(r, 25));
      view = await (await ctx.app.request(`/api/jobs/${job.id}`, { headers: { cookie: admin.cookie } })).json();
    } while (view.status === 'running');
    expect(view).toMatchObject({ status: 'failed', error: { code: 'invalid_file', message: expect.stringMatching(/GeoJSON/) } });
  });
});
