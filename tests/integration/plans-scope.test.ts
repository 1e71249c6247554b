/**
 * Issue #14.1: a community planner's publish changes their own community only. The probe — a
 * community draft `from: "empty"` published, and the street's eight communities were gone — and
 * its variants: a restore of an older plan, a draft holding stale grids outside its community
 * (made before the fix), a draft that clashes with another community's codes, two communities
 * publishing at the same moment, and a draft whose own community was published meanwhile. The files of
 * this project share one database, so afterAll publishes a copy of the original plan again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreetDataset } from '../../data/generate/types.js';
import type { Database } from '../../server/db/client.js';
import { testApp } from '../helpers/app.js';
import { type Session, as, ensureScopedUsers, signIn, signInAs } from '../helpers/auth.js';
import { communityDigests, publishedId } from '../helpers/plan-digest.js';

type App = Awaited<ReturnType<typeof testApp>>['app'];
let app: App;
let db: Database;
let ds: StreetDataset;
let planner: Session;
let streetPlanner: Session;
let originalPlan: number;

beforeAll(async () => {
  const t = await testApp();
  ({ app, db, dataset: ds } = t);
  await ensureScopedUsers(db, ds);
  planner = await signIn(app, 'planner');
  streetPlanner = await signInAs(app, 't_street_planner');
  originalPlan = await publishedId(db);
});

afterAll(async () => {
  if ((await publishedId(db)) === originalPlan) return;
  const admin = await signIn(app, 'admin');
  const copy = (await (await post('/api/plans', { from: originalPlan }, admin)).json()) as { id: number };
  await post(`/api/plans/${copy.id}/publish`, { reason: 'restore the demo plan after the test' }, admin);
});

const post = (path: string, body: unknown, s: Session) => app.request(path, { method: 'POST', headers: as(s), body: JSON.stringify(body) });
const mine = () => ds.communities[0].code;
const REASON = { reason: '社区范围测试发布' };

/** Creates a draft and returns its id (fails the test on any other answer). */
async function draft(body: unknown, s: Session): Promise<number> {
  const res = await post('/api/plans', body, s);
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { id: number }).id;
}

async function publish(id: number, s: Session) {
  const res = await post(`/api/plans/${id}/publish`, REASON, s);
  expect(res.status, await res.clone().text()).toBe(200);
}

async function renameGrid(id: number, grid: string, name: string, s: Session) {
  const [{ version }] = await db.query<{ version: number }>('SELECT version FROM grid_plans WHERE id = $1', [id]);
  const res = await app.request(`/api/plans/${id}`, { method: 'PATCH', headers: as(s, { 'if-match': `"${version}"` }), body: JSON.stringify({ ops: [{ op: 'renameGrid', grid, name }] }) });
  expect(res.status, await res.clone().text()).toBe(200);
}

/** Expects the published plan to equal `before` in every community but `except`. */
async function othersUnchanged(before: Map<string, string>, except: string) {
  const after = await communityDigests(db, await publishedId(db));
  const others = [...before.keys()].filter((c) => c !== except);
  expect(others.length).toBe(ds.communities.length - 1);
  for (const c of others) expect(after.get(c), `community ${c}`).toBe(before.get(c));
  return after;
}

describe('a community planner publishes their community only (issue #14.1)', () => {
  it('publishes a draft made from "empty": only their community is emptied', async () => {
    const before = await communityDigests(db, await publishedId(db));
    expect(before.size).toBe(ds.communities.length);
    const id = await draft({ community: mine(), from: 'empty' }, planner);
    // The draft already shows the rest of the street as published.
    const drafted = await communityDigests(db, id);
    expect(drafted.has(mine())).toBe(false);
    expect(drafted.size).toBe(ds.communities.length - 1);
    await publish(id, planner);
    const after = await othersUnchanged(before, mine());
    expect(after.has(mine())).toBe(false);
  });

  it('restores an older plan for their community only, keeping newer work of other communities', async () => {
    // A street-wide planner renames a grid of another community and publishes the whole street.
    const other = ds.plan.grids.find((g) => g.communityCode === ds.communities[1].code)!.code;
    const street = await draft({ from: 'published' }, streetPlanner);
    await renameGrid(street, other, '街道改名的网格', streetPlanner);
    await publish(street, streetPlanner);
    const before = await communityDigests(db, await publishedId(db));

    // The community planner restores the original plan: their community comes back, the rename stays.
    const restored = await draft({ community: mine(), from: originalPlan }, planner);
    await publish(restored, planner);
    const after = await othersUnchanged(before, mine());
    expect(after.get(mine())).toBe((await communityDigests(db, originalPlan)).get(mine()));
    const [{ name }] = await db.query<{ name: string }>('SELECT name FROM grids WHERE plan_id = $1 AND code = $2', [await publishedId(db), other]);
    expect(name).toBe('街道改名的网格');
  });

  it('carries the rest of the street over at publish, whatever the draft holds outside its community', async () => {
    const before = await communityDigests(db, await publishedId(db));
    const id = await draft({ community: mine(), from: 'published' }, planner);
    // A draft made before the fix held nothing (from "empty") or an old plan outside its community.
    await db.query('DELETE FROM grids WHERE plan_id = $1 AND community_id <> (SELECT id FROM communities WHERE code = $2)', [id, mine()]);
    await publish(id, planner);
    await othersUnchanged(before, mine());
  });

  it('refuses a draft whose grid code clashes with another community, changing nothing', async () => {
    const published = await publishedId(db);
    const before = await communityDigests(db, published);
    const id = await draft({ community: mine(), from: 'published' }, planner);
    const foreignCode = ds.plan.grids.find((g) => g.communityCode === ds.communities[2].code)!.code;
    // Made possible only by a stale draft: its own community's grid carries another community's code.
    await db.query('DELETE FROM grids WHERE plan_id = $1 AND code = $2', [id, foreignCode]);
    await db.query(
      `UPDATE grids SET code = $2 WHERE id = (SELECT min(id) FROM grids WHERE plan_id = $1 AND community_id = (SELECT id FROM communities WHERE code = $3))`,
      [id, foreignCode, mine()],
    );
    const res = await post(`/api/plans/${id}/publish`, REASON, planner);
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('code_clash');
    expect(await publishedId(db)).toBe(published);
    expect(await communityDigests(db, published)).toEqual(before);
  });

  it('publishes two communities drafted side by side, at the same moment: both go live', async () => {
    const other = ds.communities[1].code;
    const mineGrid = ds.plan.grids.find((g) => g.communityCode === mine())!.code;
    const otherGrid = ds.plan.grids.find((g) => g.communityCode === other)!.code;
    const a = await draft({ community: mine(), from: 'published' }, planner);
    const b = await draft({ community: other, from: 'published' }, streetPlanner);
    await renameGrid(a, mineGrid, '社区甲改名', planner);
    await renameGrid(b, otherGrid, '社区乙改名', streetPlanner);
    const results = await Promise.all([post(`/api/plans/${a}/publish`, REASON, planner), post(`/api/plans/${b}/publish`, REASON, streetPlanner)]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    const live = await db.query<{ id: number }>(`SELECT id FROM grid_plans WHERE status = 'published'`);
    expect(live.length).toBe(1);
    const names = await db.query<{ code: string; name: string }>('SELECT code, name FROM grids WHERE plan_id = $1 AND code = ANY ($2::text[])', [live[0].id, [mineGrid, otherGrid]]);
    expect(Object.fromEntries(names.map((n) => [n.code, n.name]))).toEqual({ [mineGrid]: '社区甲改名', [otherGrid]: '社区乙改名' });
  });

  it('refuses a community draft when its own community was published meanwhile (409, nothing changed)', async () => {
    const mineGrid = ds.plan.grids.find((g) => g.communityCode === mine())!.code;
    const stale = await draft({ community: mine(), from: 'published' }, planner);
    const street = await draft({ from: 'published' }, streetPlanner);
    await renameGrid(street, mineGrid, '街道先改了本社区', streetPlanner);
    await publish(street, streetPlanner);
    const published = await publishedId(db);
    const res = await post(`/api/plans/${stale}/publish`, REASON, planner);
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('published_changed');
    expect(await publishedId(db)).toBe(published);
  });

  it('still lets a street-wide planner publish the whole street', async () => {
    const id = await draft({ from: originalPlan }, streetPlanner);
    await publish(id, streetPlanner);
    expect(await communityDigests(db, await publishedId(db))).toEqual(await communityDigests(db, originalPlan));
  });
});
