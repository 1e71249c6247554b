/**
 * Household details: scope per role, masking of names and phones, party detail only for planners
 * and admins, and an audit entry for every read.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { StreetDataset } from '../../data/generate/types.js';
import { testApp } from '../helpers/app.js';
import { as, ensureTestUsers, signIn } from '../helpers/auth.js';

type App = Awaited<ReturnType<typeof testApp>>['app'];
let app: App;
let ds: StreetDataset;

interface Reply {
  households: { headName: string; headPhone: string; tags?: string[]; partyMembers?: number }[];
  totals: { households: number; partyMembers: number };
}

beforeAll(async () => {
  const t = await testApp();
  ({ app, dataset: ds } = t);
  await ensureTestUsers(t.db, t.dataset);
});

/** The test accounts: planner of communities[0], grid worker of its first grid. */
function buildings() {
  const community = ds.communities[0].code;
  const grid = ds.plan.grids.find((g) => g.communityCode === community)!;
  const residential = new Set(ds.buildings.filter((b) => b.households > 0).map((b) => b.code));
  const inGrid = grid.buildingCodes.find((c) => residential.has(c))!;
  const otherGridSameCommunity = ds.plan.grids.find((g) => g.communityCode === community && g.code !== grid.code && g.kind === 'basic')!
    .buildingCodes.find((c) => residential.has(c))!;
  const otherCommunity = ds.buildings.find((b) => b.communityCode !== community && b.households > 0)!.code;
  return { inGrid, otherGridSameCommunity, otherCommunity };
}

async function read(role: Parameters<typeof signIn>[1] | null, code: string) {
  const s = role ? await signIn(app, role) : null;
  return app.request(`/api/buildings/${code}/households`, { headers: as(s) });
}

describe('GET /api/buildings/:code/households', () => {
  it('shows an admin everything and records the read in the audit log', async () => {
    const { inGrid } = buildings();
    const res = await read('admin', inGrid);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Reply;
    const expected = ds.households.filter((h) => h.buildingCode === inGrid);
    expect(body.totals.households).toBe(expected.length);
    expect(body.households.map((h) => h.headName).sort()).toEqual(expected.map((h) => h.headName).sort());
    expect(body.households[0].headPhone).toMatch(/^1\d{10}$/);
    expect(body.totals.partyMembers).toBe(expected.reduce((s, h) => s + h.partyMembers, 0));
    expect(body.households.every((h) => typeof h.partyMembers === 'number')).toBe(true);

    const admin = await signIn(app, 'admin');
    const log = await app.request(`/api/audit?action=household_read&target=${inGrid}&actor=t_admin`, { headers: as(admin) });
    const entries = (await log.json()) as { total: number; items: { actor: string; targetId: string }[] };
    expect(entries.total).toBeGreaterThanOrEqual(1);
    expect(entries.items[0]).toMatchObject({ actor: 't_admin', targetId: inGrid });
  });

  it('masks contacts for a planner, keeps party detail, and stops at the community boundary', async () => {
    const { inGrid, otherCommunity } = buildings();
    const body = (await (await read('planner', inGrid)).json()) as Reply;
    expect(body.households.every((h) => /^.\*+.?$/u.test(h.headName))).toBe(true);
    expect(body.households.every((h) => /^\d{3}\*{4}\d{4}$/.test(h.headPhone))).toBe(true);
    expect(body.households.every((h) => typeof h.partyMembers === 'number')).toBe(true);
    expect((await read('planner', otherCommunity)).status).toBe(403);
  });

  it('gives a grid worker contacts in their own grid only, and party information only as counts', async () => {
    const { inGrid, otherGridSameCommunity } = buildings();
    const body = (await (await read('grid_worker', inGrid)).json()) as Reply;
    expect(body.households[0].headPhone).toMatch(/^1\d{10}$/);
    expect(body.households.every((h) => h.partyMembers === undefined)).toBe(true);
    expect(typeof body.totals.partyMembers).toBe('number');
    expect((await read('grid_worker', otherGridSameCommunity)).status).toBe(403);
  });

  it('masks everything for a viewer, refuses the screen role and anonymous callers', async () => {
    const { inGrid } = buildings();
    const body = (await (await read('viewer', inGrid)).json()) as Reply;
    expect(body.households.every((h) => h.headName.includes('*') && h.headPhone.includes('*'))).toBe(true);
    expect(body.households.every((h) => h.tags === undefined && h.partyMembers === undefined)).toBe(true);
    expect((await read('screen', inGrid)).status).toBe(403);
    expect((await read(null, inGrid)).status).toBe(401);
  });
});
