/**
 * The plan API on real PostGIS: drafts, edits with optimistic versions (409 when stale), locks and
 * scope, server validation agreeing with geo/, diff, publish (refused, forced, aborted → nothing
 * half-done) and restore. The files of this project share one database, so afterAll publishes a
 * copy of the original plan again.
 */
import { booleanPointInPolygon } from '@turf/turf';
import type * as GeoJSON from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreetDataset } from '../../data/generate/types.js';
import type { Database } from '../../server/db/client.js';
import { validatePlan } from '../../geo/plan/validate.js';
import { validatePlanSql } from '../../server/repos/plan-validation.repo.js';
import { testApp } from '../helpers/app.js';
import { type Session, as, ensureTestUsers, signIn } from '../helpers/auth.js';

type App = Awaited<ReturnType<typeof testApp>>['app'];
let app: App;
let db: Database;
let ds: StreetDataset;
let planner: Session;
let admin: Session;
let originalPlan: number;

interface PlanReply {
  version: number;
  plan: { id: number; status: string; communityCode: string | null };
  grids: GeoJSON.FeatureCollection<GeoJSON.MultiPolygon, { code: string; households: number; status: string }>;
  assignments: { building: string; grid: string }[];
}

beforeAll(async () => {
  const t = await testApp();
  ({ app, db, dataset: ds } = t);
  await ensureTestUsers(db, ds);
  planner = await signIn(app, 'planner');
  admin = await signIn(app, 'admin');
  originalPlan = (await db.query<{ id: number }>(`SELECT id FROM grid_plans WHERE status = 'published'`))[0].id;
});

afterAll(async () => {
  const [{ id: current }] = await db.query<{ id: number }>(`SELECT id FROM grid_plans WHERE status = 'published'`);
  if (current === originalPlan) return;
  const copy = (await (await post('/api/plans', { from: originalPlan }, admin)).json()) as { id: number };
  await post(`/api/plans/${copy.id}/publish`, { reason: 'restore the demo plan after the test' }, admin);
});

const post = (path: string, body: unknown, s: Session) => app.request(path, { method: 'POST', headers: as(s), body: JSON.stringify(body) });
const patch = (id: number, version: number | null, ops: unknown[], s = planner) =>
  app.request(`/api/plans/${id}`, { method: 'PATCH', headers: as(s, version === null ? {} : { 'if-match': `"${version}"` }), body: JSON.stringify({ ops }) });
const getPlan = async (id: number, s = planner) => (await (await app.request(`/api/plans/${id}`, { headers: as(s) })).json()) as PlanReply;

const community = () => ds.communities[0].code;
/** Two basic grids of the planner's community and a residential building of the first. */
function pick() {
  const grids = ds.plan.grids.filter((g) => g.communityCode === community() && g.kind === 'basic');
  const residential = new Set(ds.buildings.filter((b) => b.households > 0).map((b) => b.code));
  const building = grids[0].buildingCodes.find((c) => residential.has(c))!;
  return { from: grids[0].code, to: grids[1].code, building, households: ds.buildings.find((b) => b.code === building)!.households };
}

describe('plans', () => {
  it('creates a community draft from the published plan, within the planner’s scope only', async () => {
    expect((await post('/api/plans', { from: 'published' }, planner)).status).toBe(403);
    const res = await post('/api/plans', { community: community(), from: 'published', name: '测试草案' }, planner);
    expect(res.status).toBe(201);
    const { id, version } = (await res.json()) as { id: number; version: number };
    expect(version).toBe(1);
    const plan = await getPlan(id);
    expect(plan.plan.status).toBe('draft');
    expect(plan.grids.features.length).toBe(ds.plan.grids.length);
    expect(plan.assignments.length).toBe(ds.buildings.length);
    const list = (await (await app.request('/api/plans', { headers: as(await signIn(app, 'viewer')) })).json()) as { id: number; status: string }[];
    expect(list.map((p) => p.id)).toContain(id);
  });

  it('moves a building, updates tallies and polygons, and refuses a stale version with 409', async () => {
    const { id } = (await (await post('/api/plans', { community: community(), from: 'published' }, planner)).json()) as { id: number };
    const { from, to, building, households } = pick();
    const before = await getPlan(id);
    const hh = (p: PlanReply, code: string) => p.grids.features.find((f) => f.properties.code === code)!.properties.households;

    expect((await patch(id, null, [{ op: 'assign', grid: to, buildings: [building] }])).status).toBe(428);
    const ok = await patch(id, 1, [{ op: 'assign', grid: to, buildings: [building] }]);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { version: number }).version).toBe(2);

    const after = await getPlan(id);
    expect(hh(after, from)).toBe(hh(before, from) - households);
    expect(hh(after, to)).toBe(hh(before, to) + households);
    expect(after.assignments.find((a) => a.building === building)!.grid).toBe(to);
    const footprint = ds.buildings.find((b) => b.code === building)!.footprint[0];
    const centroid = [footprint.slice(0, -1).reduce((s, p) => s + p[0], 0) / (footprint.length - 1), footprint.slice(0, -1).reduce((s, p) => s + p[1], 0) / (footprint.length - 1)];
    const toGeom = after.grids.features.find((f) => f.properties.code === to)!.geometry;
    expect(booleanPointInPolygon(centroid, toGeom)).toBe(true);

    const stale = await patch(id, 1, [{ op: 'assign', grid: from, buildings: [building] }]);
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as { error: { code: string } }).error.code).toBe('stale_version');
    expect((await getPlan(id)).assignments.find((a) => a.building === building)!.grid).toBe(to);

    const diff = (await (await app.request(`/api/plans/${id}/diff`, { headers: as(planner) })).json()) as {
      buildingsMoved: number; householdsMoved: number; moved: { building: string; from: string; to: string }[]; grids: { changed: number };
    };
    expect(diff.buildingsMoved).toBe(1);
    expect(diff.householdsMoved).toBe(households);
    expect(diff.moved[0]).toMatchObject({ building, from, to });
    expect(diff.grids.changed).toBe(2);
  });

  it('keeps locked grids, other communities and unknown grids out of reach', async () => {
    const { id } = (await (await post('/api/plans', { community: community(), from: 'published' }, planner)).json()) as { id: number };
    const { from, to, building } = pick();
    expect((await patch(id, 1, [{ op: 'lock', grid: to, locked: true }])).status).toBe(200);
    const refused = await patch(id, 2, [{ op: 'assign', grid: to, buildings: [building] }]);
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('locked');
    const foreign = ds.buildings.find((b) => b.communityCode !== community())!.code;
    expect((await patch(id, 2, [{ op: 'assign', grid: from, buildings: [foreign] }])).status).toBe(400);
    const otherGrid = ds.plan.grids.find((g) => g.communityCode !== community())!.code;
    expect((await patch(id, 2, [{ op: 'lock', grid: otherGrid, locked: true }])).status).toBe(400);
    expect((await patch(id, 2, [{ op: 'assign', grid: 'NOPE-001', buildings: [building] }])).status).toBe(400);
    expect((await getPlan(id)).version).toBe(2);
  });

  it('validates in PostGIS as geo/plan/validate does in the browser', async () => {
    const server = await validatePlanSql(db, originalPlan);
    const plan = await getPlan(originalPlan);
    const communities = new Map(ds.communities.map((c) => [c.code, { type: 'Polygon' as const, coordinates: c.polygon }]));
    const byCode = new Map(ds.plan.grids.map((g) => [g.code, g]));
    const grids = plan.grids.features.map((f) => ({ id: f.properties.code, code: f.properties.code, kind: byCode.get(f.properties.code)!.kind, communityId: byCode.get(f.properties.code)!.communityCode, geometry: f.geometry }));
    const buildings = ds.buildings.map((b) => {
      const ring = b.footprint[0].slice(0, -1);
      return { id: b.code, households: b.households, residents: b.residents, partyMembers: 0, communityId: b.communityCode,
        centroid: [ring.reduce((s, p) => s + p[0], 0) / ring.length, ring.reduce((s, p) => s + p[1], 0) / ring.length] as [number, number] };
    });
    const browser = validatePlan(communities, grids, buildings, { assignment: new Map(plan.assignments.map((a) => [a.building, a.grid])) });
    const key = (p: { code: string; gridIds: string[] }) => `${p.code}:${[...p.gridIds].sort().join(',')}`;
    const rules = ['band_under', 'band_over', 'dedicated_listed', 'disconnected', 'overlap', 'gap', 'unassigned'];
    const a = server.filter((p) => rules.includes(p.code)).map(key).sort();
    const b = browser.problems.filter((p) => rules.includes(p.code)).map(key).sort();
    expect(a).toEqual(b);
    expect(a.some((k) => k.startsWith('band_'))).toBe(true);
  });

  it('refuses to publish an invalid plan without a reason, publishes with one, and archives the old plan', async () => {
    const { id } = (await (await post('/api/plans', { community: community(), from: 'published' }, planner)).json()) as { id: number };
    const refused = await post(`/api/plans/${id}/publish`, {}, planner);
    expect(refused.status).toBe(422);
    const body = (await refused.json()) as { error: { code: string }; problems: unknown[] };
    expect(body.error.code).toBe('invalid_plan');
    expect(body.problems.length).toBeGreaterThan(0);
    expect((await getPlan(id)).plan.status).toBe('draft');

    const { to, building } = pick();
    await patch(id, 1, [{ op: 'assign', grid: to, buildings: [building] }]);
    const ok = await post(`/api/plans/${id}/publish`, { reason: '测试：带问题发布' }, planner);
    expect(ok.status).toBe(200);
    const [{ status: old }] = await db.query<{ status: string }>('SELECT status FROM grid_plans WHERE id = $1', [originalPlan]);
    expect(old).toBe('archived');
    const buildings = (await (await app.request(`/api/layers/buildings?community=${community()}`)).json()) as GeoJSON.FeatureCollection;
    expect(buildings.features.find((f) => f.properties!.code === building)!.properties!.gridCode).toBe(to);
    const log = (await (await app.request(`/api/audit?action=plan_publish&target=${id}`, { headers: as(admin) })).json()) as { total: number };
    expect(log.total).toBe(1);
  });

  it('leaves nothing half-done when a publish fails inside its transaction', async () => {
    const [{ id: published }] = await db.query<{ id: number }>(`SELECT id FROM grid_plans WHERE status = 'published'`);
    const { id } = (await (await post('/api/plans', { from: 'published' }, admin)).json()) as { id: number };
    await db.query(`CREATE OR REPLACE FUNCTION test_fail_publish() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.status = 'published' AND NEW.id = ${id} THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$`);
    await db.query('CREATE TRIGGER test_fail_publish BEFORE UPDATE ON grid_plans FOR EACH ROW EXECUTE FUNCTION test_fail_publish()');
    try {
      const res = await post(`/api/plans/${id}/publish`, { reason: 'should fail' }, admin);
      expect(res.status).toBe(500);
    } finally {
      await db.query('DROP TRIGGER test_fail_publish ON grid_plans');
      await db.query('DROP FUNCTION test_fail_publish()');
    }
    const rows = await db.query<{ id: number; status: string }>('SELECT id, status FROM grid_plans WHERE id IN ($1, $2) ORDER BY id', [published, id]);
    expect(rows).toEqual([{ id: published, status: 'published' }, { id, status: 'draft' }]);
    const audit = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'plan_publish' AND target_id = $1`, [String(id)]);
    expect(audit[0].n).toBe(0);
  });

  it('restores an earlier plan as a new draft and deletes drafts only', async () => {
    const res = await post('/api/plans', { from: originalPlan }, admin);
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: number };
    const restored = await getPlan(id, admin);
    const original = await getPlan(originalPlan, admin);
    expect(restored.assignments).toEqual(original.assignments);
    expect((await app.request(`/api/plans/${originalPlan}`, { method: 'DELETE', headers: as(admin) })).status).toBe(409);
    expect((await app.request(`/api/plans/${id}`, { method: 'DELETE', headers: as(admin) })).status).toBe(200);
    expect((await app.request(`/api/plans/${id}`, { headers: as(admin) })).status).toBe(404);
  });
});
