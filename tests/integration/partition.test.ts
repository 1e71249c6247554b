/**
 * The partitioner API on real PostGIS (issue #5): a job runs in a worker thread to `done`, streams
 * progress as server-sent events, writes a new draft whose basic grids of the community are in
 * band (checked by the plan validator), can be cancelled, and refuses bad input with 400. The
 * server keeps answering other requests while a job runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreetDataset } from '../../data/generate/types.js';
import type { Database } from '../../server/db/client.js';
import { testApp } from '../helpers/app.js';
import { type Session, as, ensureTestUsers, signIn } from '../helpers/auth.js';

type App = Awaited<ReturnType<typeof testApp>>['app'];
let app: App;
let db: Database;
let ds: StreetDataset;
let admin: Session;
let planner: Session;
let published: number;

interface Job {
  id: string;
  status: string;
  progress: number;
  result: { plan: number; grids: number; inBand: number; infeasible: unknown[] } | null;
  error: unknown;
}

beforeAll(async () => {
  const t = await testApp();
  ({ app, db, dataset: ds } = t);
  await ensureTestUsers(db, ds);
  admin = await signIn(app, 'admin');
  planner = await signIn(app, 'planner');
  // The seeded plan (the first one): other test files may have published edited copies since.
  published = (await db.query<{ id: number }>(`SELECT min(id)::int AS id FROM grid_plans`))[0].id;
});

afterAll(async () => {
  // Drafts this file made are removed again (the files of this project share one database).
  await db.query(`DELETE FROM grid_plans WHERE status = 'draft' AND name LIKE '%自动划分%'`);
});

const start = (plan: number, body: unknown, s = admin) =>
  app.request(`/api/plans/${plan}/partition`, { method: 'POST', headers: as(s), body: JSON.stringify(body) });
const getJob = async (id: string) => (await (await app.request(`/api/jobs/${id}`, { headers: as(admin) })).json()) as Job;

async function waitFor(id: string, timeoutMs = 120_000): Promise<Job> {
  const t0 = Date.now();
  for (;;) {
    const job = await getJob(id);
    if (['done', 'failed', 'cancelled'].includes(job.status)) return job;
    if (Date.now() - t0 > timeoutMs) throw new Error(`job ${id} still ${job.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('partition jobs', () => {
  it('runs a fresh partition to done, streams progress, and writes an in-band draft', async () => {
    const community = ds.communities[0].code;
    const res = await start(published, { community, mode: 'fresh', seed: 7 });
    expect(res.status).toBe(202);
    const { job } = (await res.json()) as { job: Job };
    expect(job.status).toBe('running');

    // Another request is answered while the job runs (the partition is in a worker thread).
    const health = await app.request('/api/health');
    expect(health.status).toBe(200);
    expect((await getJob(job.id)).status).not.toBe('done');

    const events = await app.request(`/api/jobs/${job.id}/events`, { headers: as(admin) });
    expect(events.headers.get('content-type')).toContain('text/event-stream');
    const text = await events.text();
    const names = [...text.matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
    expect(names.filter((n) => n === 'progress').length).toBeGreaterThan(0);
    expect(names.at(-1)).toBe('done');

    const done = await waitFor(job.id);
    expect(done.status).toBe('done');
    expect(done.progress).toBe(1);
    const draft = done.result!.plan;
    expect(draft).not.toBe(published);
    const [plan] = await db.query<{ status: string }>('SELECT status FROM grid_plans WHERE id = $1', [draft]);
    expect(plan.status).toBe('draft');

    const validated = await app.request(`/api/plans/${draft}/validate`, { headers: as(admin) });
    expect(validated.status).toBe(200);
    const validation = (await validated.json()) as {
      problems: { code: string; gridIds: string[] }[];
    };
    const communityGrids = await db.query<{ code: string }>(
      `SELECT g.code FROM grids g JOIN communities c ON c.id = g.community_id WHERE g.plan_id = $1 AND c.code = $2 AND g.kind = 'basic'`,
      [draft, community],
    );
    const codes = new Set(communityGrids.map((g) => g.code));
    const bandProblems = validation.problems.filter((p) => p.code.startsWith('band_') && p.gridIds.some((g) => codes.has(g)));
    expect(bandProblems).toEqual([]);
    // Every building of the community is in exactly one grid of the draft, like before.
    const [{ n }] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM building_grid bg JOIN buildings b ON b.id = bg.building_id JOIN communities c ON c.id = b.community_id
       WHERE bg.plan_id = $1 AND c.code = $2`,
      [draft, community],
    );
    expect(n).toBe(ds.buildings.filter((b) => b.communityCode === community).length);
  });

  it('rebalances the published plan within a community planner’s own community', async () => {
    const community = ds.communities[0].code;
    const res = await start(published, { community, mode: 'rebalance' }, planner);
    expect(res.status).toBe(202);
    const { job } = (await res.json()) as { job: Job };
    const done = await waitFor(job.id);
    expect(done.status).toBe('done');
    expect(done.result!.inBand).toBe(done.result!.grids);
    // …but not another community.
    expect((await start(published, { community: ds.communities[1].code, mode: 'rebalance' }, planner)).status).toBe(403);
  });

  it('cancels a running job: no draft is written', async () => {
    const before = await db.query('SELECT id FROM grid_plans');
    const res = await start(published, { community: ds.communities[2].code, mode: 'fresh' });
    const { job } = (await res.json()) as { job: Job };
    const cancel = await app.request(`/api/jobs/${job.id}`, { method: 'DELETE', headers: as(admin) });
    expect(cancel.status).toBe(200);
    expect(((await cancel.json()) as Job).status).toBe('cancelled');
    await new Promise((r) => setTimeout(r, 500));
    expect((await getJob(job.id)).status).toBe('cancelled');
    expect((await db.query('SELECT id FROM grid_plans')).length).toBe(before.length);
    // A finished job cannot be cancelled again.
    expect((await app.request(`/api/jobs/${job.id}`, { method: 'DELETE', headers: as(admin) })).status).toBe(409);
  });

  it('refuses bad input with 400 and unknown things with 404', async () => {
    const community = ds.communities[0].code;
    expect((await start(published, { community: 'nope' })).status).toBe(400);
    expect((await start(published, { community, mode: 'sideways' })).status).toBe(400);
    expect((await start(published, { community, seed: -1 })).status).toBe(400);
    expect((await start(published, { community: '999999999999' })).status).toBe(404);
    expect((await start(999_999, { community })).status).toBe(404);
    expect((await app.request('/api/jobs/not-a-uuid', { headers: as(admin) })).status).toBe(400);
    expect((await app.request('/api/jobs/00000000-0000-4000-8000-000000000000', { headers: as(admin) })).status).toBe(404);
    const body = (await (await start(published, { community: 'nope' })).json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('invalid_input');
    // Viewers may not start jobs.
    expect((await start(published, { community }, await signIn(app, 'viewer'))).status).toBe(403);
  });
});
