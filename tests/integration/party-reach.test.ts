/**
 * Party-member reach and grid load (issue #20) on real PostGIS:
 * - the reach of the demo street agrees with pgRouting (pgr_withPointsCost on the same walk network,
 *   with the buildings at the same points on their edges) building by building;
 * - the API's figures add up, follow the street's settings, and show centre households only to
 *   the roles masking.ts gives party detail, within their scope;
 * - a partition with objective "load" keeps every basic grid in the 300–400 band and contiguous
 *   (plan validator) and does not spread the load wider than the household-only partition;
 * - the load tallies kept by triggers match the household rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreetDataset } from '../../data/generate/types.js';
import type { Database } from '../../server/db/client.js';
import { partyReach } from '../../geo/party/reach.js';
import { buildingFigures, getPartySettings } from '../../server/repos/party.repo.js';
import { reachPlaces } from '../../server/services/party-reach.js';
import { walkNetwork } from '../../server/services/walk-network.js';
import { testApp } from '../helpers/app.js';
import { type Session, as, ensureScopedUsers, signIn, signInAs } from '../helpers/auth.js';
import { announceNativeOnly, isNative, nativeConnection } from '../helpers/test-db.js';

type App = Awaited<ReturnType<typeof testApp>>['app'];
let app: App;
let db: Database;
let ds: StreetDataset;
let admin: Session;
let planner: Session;
let streetPlanner: Session;
let published: number;

interface Centre { building: string; community: string; grid: string | null; count: number; households: number; status: string; members?: { unit: number; room: string; headName: string | null }[] }
interface Reach {
  households: number; reachedHouseholds: number; leftOutHouseholds: number; share: number; distanceM: number;
  centres: Centre[]; suggestions: { rank: number; building: string; gainHouseholds: number; shareAfter: number }[];
  byCommunity: { key: string; households: number; reachedHouseholds: number }[];
  byGrid: { key: string; households: number; reachedHouseholds: number }[];
}

beforeAll(async () => {
  ({ app, db, dataset: ds } = await testApp());
  await ensureScopedUsers(db, ds);
  admin = await signIn(app, 'admin');
  planner = await signIn(app, 'planner');
  streetPlanner = await signInAs(app, 't_street_planner');
  published = (await db.query<{ id: number }>(`SELECT min(id)::int AS id FROM grid_plans`))[0].id;
});

afterAll(async () => {
  await db.query(`DELETE FROM grid_plans WHERE status = 'draft' AND name LIKE '%自动划分%'`);
  await db.query('DELETE FROM street_party_settings');
});

const getReach = async (query = '', s: Session | null = null) => {
  const res = await app.request(`/api/party-reach${query}`, { headers: as(s) });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Reach;
};

describe('party reach agrees with pgRouting', () => {
  it('reaches the same buildings as pgr_dijkstraCost between the ends of the centres\' and the buildings\' edges', async () => {
    if (!isNative()) {
      announceNativeOnly('party reach vs pgRouting needs native PostGIS with pgRouting');
      expect(process.env.CI === 'true').toBe(false);
      return;
    }
    const net = await walkNetwork(db);
    const g = net.graph;
    const [street] = await db.query<{ id: number }>('SELECT id FROM streets WHERE code = $1', [ds.street.code]);
    const settings = await getPartySettings(db, street.id);
    const { buildings, places } = reachPlaces(net, await buildingFigures(db, { streetId: street.id }));
    // The street's default (300 m reaches every household of the demo street) and a short distance
    // that leaves some out.
    const distances = [settings.distanceM, 120];
    // A building sits on an edge at an offset (the same snap as ours); pgRouting gives node-to-node
    // costs on the same walk_edges, and a building-to-centre distance is the best way through the
    // ends of both edges (or straight along a shared edge).
    const ends = (i: number) => {
      const pos = places[i].position!;
      const len = g.edgeLength[pos.edge];
      return [[g.nodeIds[g.edgeSource[pos.edge]], pos.offsetM], [g.nodeIds[g.edgeTarget[pos.edge]], len - pos.offsetM]] as const;
    };
    const routed = places.map((_, i) => i).filter((i) => places[i].position !== null);
    const centres = routed.filter((i) => places[i].centres > 0);
    expect(centres.length).toBeGreaterThan(20);
    const pg = (await nativeConnection())!;
    try {
      await pg.query('CREATE EXTENSION IF NOT EXISTS pgrouting');
      const from = [...new Set(centres.flatMap((i) => ends(i).map(([n]) => n)))];
      const to = [...new Set(routed.flatMap((i) => ends(i).map(([n]) => n)))];
      const rows = await pg.query<{ start_vid: number; end_vid: number; agg_cost: number }>(
        `SELECT start_vid, end_vid, agg_cost FROM pgr_dijkstraCost('SELECT id, source, target, length_m AS cost FROM walk_edges',
           $1::bigint[], $2::bigint[], directed => false) WHERE agg_cost <= $3`,
        [from, to, Math.max(...distances) + 1],
      );
      const cost = new Map<string, number>(rows.map((r) => [`${r.start_vid}:${r.end_vid}`, Number(r.agg_cost)]));
      const nodeCost = (a: number, b: number) => (a === b ? 0 : cost.get(`${a}:${b}`) ?? Infinity);
      const theirs = (i: number) => {
        let best = Infinity;
        for (const c of centres) {
          for (const [a, da] of ends(c)) for (const [b, db] of ends(i)) best = Math.min(best, da + nodeCost(a, b) + db);
          if (places[c].position!.edge === places[i].position!.edge) best = Math.min(best, Math.abs(places[c].position!.offsetM - places[i].position!.offsetM));
        }
        return best;
      };
      for (const distanceM of distances) {
        const ours = partyReach(g, places, distanceM, { min: settings.householdsMin, max: settings.householdsMax });
        const problems: string[] = [];
        let reachedHouseholds = 0;
        for (const i of routed) {
          const d = theirs(i);
          if (d <= distanceM) reachedHouseholds += places[i].households;
          const reachedHere = ours.nearest[i] >= 0;
          if ((d <= distanceM) !== reachedHere || (reachedHere && Math.abs(ours.distance[i] - d) > 0.01)) {
            problems.push(`${buildings[i].code}: pgRouting ${d.toFixed(2)} m, ours ${ours.distance[i].toFixed(2)} m`);
          }
        }
        expect(problems, `${distanceM} m`).toEqual([]);
        expect(routed.length).toBeGreaterThan(places.length * 0.95);
        // …and the API reports those households as reached on the street under that setting.
        await db.query(`INSERT INTO street_party_settings (street_id, distance_m, households_min, households_max) VALUES ($1, $2, 10, 15)
                        ON CONFLICT (street_id) DO UPDATE SET distance_m = EXCLUDED.distance_m`, [street.id, distanceM]);
        const api = await getReach(`?street=${ds.street.code}`);
        await db.query('DELETE FROM street_party_settings');
        expect(api.distanceM).toBe(distanceM);
        expect(api.reachedHouseholds).toBe(reachedHouseholds);
        expect(api.reachedHouseholds).toBeGreaterThan(0);
        if (distanceM < 200) {
          expect(api.leftOutHouseholds).toBeGreaterThan(0);
          expect(api.suggestions.length).toBeGreaterThan(0);
        }
      }
    } finally {
      await pg.close();
    }
  });
});

describe('GET /api/party-reach', () => {
  it('adds up: households of the street, reached + left out, by community and grid, and within a community', async () => {
    const r = await getReach();
    expect(r.households).toBe(ds.buildings.reduce((s, b) => s + b.households, 0));
    expect(r.reachedHouseholds + r.leftOutHouseholds).toBe(r.households);
    expect(r.share).toBeCloseTo(r.reachedHouseholds / r.households, 3);
    expect(r.distanceM).toBe(300);
    expect(r.byCommunity.reduce((s, a) => s + a.reachedHouseholds, 0)).toBe(r.reachedHouseholds);
    expect(r.centres.reduce((s, c) => s + c.count, 0)).toBe(ds.households.filter((h) => h.isPartyCenter).length);
    for (let i = 1; i < r.suggestions.length; i++) expect(r.suggestions[i].shareAfter).toBeGreaterThanOrEqual(r.suggestions[i - 1].shareAfter);

    const community = ds.communities[1].code;
    const one = await getReach(`?community=${community}`);
    const agg = r.byCommunity.find((a) => a.key === community)!;
    expect(one.households).toBe(agg.households);
    expect(one.reachedHouseholds).toBe(agg.reachedHouseholds);
    expect(one.centres.every((c) => c.community === community)).toBe(true);
    const grid = r.byGrid[0];
    const g = await getReach(`?grid=${encodeURIComponent(grid.key)}`);
    expect(g.households).toBe(grid.households);
  });

  it('the wall screen\'s figures (lists=0) are read from the stored street figure and agree with the computed answer, and follow a settings change', async () => {
    const figures = (r: Reach) => ({ households: r.households, reached: r.reachedHouseholds, share: r.share, distanceM: r.distanceM, byCommunity: r.byCommunity, byGrid: r.byGrid });
    const community = ds.communities[1].code;
    const full = await getReach();
    const grid = full.byGrid[1].key;
    for (const q of ['', `&community=${community}`, `&grid=${encodeURIComponent(grid)}`]) {
      const computed = await getReach(q ? `?${q.slice(1)}` : '');
      const screen = await getReach(`?lists=0${q}`);
      expect(figures(screen), q).toEqual(figures(computed));
      expect(screen.centres).toEqual([]);
      expect(screen.suggestions).toEqual([]);
    }
    const [stored] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM derived_figures WHERE key LIKE 'party-reach/%'`);
    expect(stored.n).toBeGreaterThan(0);
    // A grid asked with a community it is not in: nothing.
    const home = (await getReach(`?lists=0&grid=${encodeURIComponent(grid)}`)).byCommunity.map((a) => a.key);
    expect(home).toHaveLength(1);
    const other = full.byCommunity.find((a) => a.key !== home[0])!.key;
    expect((await getReach(`?lists=0&community=${other}&grid=${encodeURIComponent(grid)}`)).households).toBe(0);
    expect((await getReach(`?community=${other}&grid=${encodeURIComponent(grid)}`)).households).toBe(0);
    // A settings change is a committed write: the stored figure is stale and the next answer new.
    const put = await app.request('/api/party-reach/settings', {
      method: 'PUT', headers: as(streetPlanner), body: JSON.stringify({ distanceM: 120, householdsMin: 10, householdsMax: 15 }),
    });
    expect(put.status).toBe(200);
    const after = await getReach('?lists=0');
    expect(after.distanceM).toBe(120);
    expect(figures(after)).toEqual(figures(await getReach()));
    await db.query('DELETE FROM street_party_settings');
  });

  it('follows the street settings: a shorter distance reaches no more; bad input is a 400, not a change', async () => {
    const before = await getReach();
    const put = (body: unknown, s: Session) => app.request('/api/party-reach/settings', { method: 'PUT', headers: as(s), body: JSON.stringify(body) });
    expect((await put({ distanceM: 150, householdsMin: 10, householdsMax: 15 }, planner)).status).toBe(403);
    const bad = await put({ distanceM: -3, householdsMin: 20, householdsMax: 10 }, streetPlanner);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/[\u4e00-\u9fa5].*\/|invalid/);
    expect((await getReach()).reachedHouseholds).toBe(before.reachedHouseholds);
    const ok = await put({ distanceM: 150, householdsMin: 10, householdsMax: 15, loadWeights: { households: 1, elderlyAlone: 2, rentedUnits: 1, shops: 1, requests12m: 0 } }, streetPlanner);
    expect(ok.status).toBe(200);
    const after = await getReach();
    expect(after.distanceM).toBe(150);
    expect(after.reachedHouseholds).toBeLessThanOrEqual(before.reachedHouseholds);
    const settings = (await (await app.request('/api/party-reach/settings')).json()) as { loadWeights: { elderlyAlone: number }; defaults: { reasons: Record<string, { zh: string }> } };
    expect(settings.loadWeights.elderlyAlone).toBe(2);
    expect(Object.keys(settings.defaults.reasons)).toHaveLength(5);
    await db.query('DELETE FROM street_party_settings');
  });

  it('masks centres per role: identities only for admins and planners in scope', async () => {
    const inClear = (r: Reach) => r.centres.filter((c) => c.members !== undefined);
    const anon = await getReach();
    expect(inClear(anon)).toEqual([]);
    expect(JSON.stringify(anon)).not.toMatch(/headName|room/);
    for (const role of ['viewer', 'grid_worker', 'screen'] as const) expect(inClear(await getReach('', await signIn(app, role)))).toEqual([]);
    const a = await getReach('', admin);
    expect(inClear(a)).toHaveLength(a.centres.length);
    const one = inClear(a)[0];
    expect(one.members!.length).toBe(one.count);
    expect(one.members![0].headName).toMatch(/^[\u4e00-\u9fa5]{2,4}$/);
    // A community planner sees the centres of the own community only.
    const p = await getReach('', planner);
    const own = ds.communities[0].code;
    expect(inClear(p).length).toBeGreaterThan(0);
    expect(inClear(p).every((c) => c.community === own)).toBe(true);
    expect(p.centres.filter((c) => c.community !== own).every((c) => c.members === undefined)).toBe(true);
  });

  it('exports each grid\'s reach and load with the plan (GeoJSON), agreeing with the API per grid', async () => {
    const res = await app.request(`/api/plans/${published}/export?format=geojson`, { headers: as(admin) });
    expect(res.status).toBe(200);
    const fc = (await res.json()) as { features: { properties: { code: string; households: number; reachedHouseholds: number; reachShare: number; load: number } }[] };
    const r = await getReach();
    const byGrid = new Map(r.byGrid.map((g) => [g.key, g]));
    for (const f of fc.features) {
      const g = byGrid.get(f.properties.code);
      if (!g) continue;
      expect(f.properties.reachedHouseholds, f.properties.code).toBe(g.reachedHouseholds);
      expect(f.properties.load).toBeGreaterThanOrEqual(f.properties.households);
    }
    expect(fc.features.filter((f) => byGrid.has(f.properties.code)).length).toBeGreaterThan(40);
  });

  it('refuses unknown places and bad parameters with 4xx', async () => {
    expect((await app.request('/api/party-reach?community=999999999999')).status).toBe(404);
    expect((await app.request('/api/party-reach?grid=nope-grid')).status).toBe(404);
    expect((await app.request('/api/party-reach?suggest=-1')).status).toBe(400);
    expect((await app.request('/api/party-reach?street=12')).status).toBe(400);
  });
});

describe('load', () => {
  it('keeps elderly-alone and rented tallies per building equal to the household rows', async () => {
    const rows = await db.query<{ id: number }>(
      `SELECT b.id FROM buildings b LEFT JOIN (SELECT building_id, (count(*) FILTER (WHERE '独居老人' = ANY (tags)))::int AS ea,
         (count(*) FILTER (WHERE '出租户' = ANY (tags)))::int AS ru FROM households GROUP BY building_id) h ON h.building_id = b.id
       WHERE (b.elderly_alone, b.rented_units) IS DISTINCT FROM (coalesce(h.ea, 0), coalesce(h.ru, 0))`);
    expect(rows).toEqual([]);
    const [{ ea, shops }] = await db.query<{ ea: number; shops: number }>('SELECT sum(elderly_alone)::int AS ea, sum(shops)::int AS shops FROM buildings');
    expect(ea).toBeGreaterThan(0);
    expect(shops).toBeGreaterThan(0);
    const load = (await (await app.request('/api/load')).json()) as { buildings: Record<string, number> };
    expect(Object.keys(load.buildings)).toHaveLength(ds.buildings.length);
    for (const b of ds.buildings.slice(0, 50)) expect(load.buildings[b.code]).toBeGreaterThanOrEqual(b.households);
  });

  it('partitions with objective "load": every basic grid in band and contiguous, load spread no wider', async () => {
    const community = ds.communities[3].code;
    const run = async (objective?: string) => {
      const res = await app.request(`/api/plans/${published}/partition`, { method: 'POST', headers: as(admin), body: JSON.stringify({ community, mode: 'fresh', seed: 3, ...(objective ? { objective } : {}) }) });
      expect(res.status).toBe(202);
      const { job } = (await res.json()) as { job: { id: string } };
      for (let t0 = Date.now(); Date.now() - t0 < 120_000; await new Promise((r) => setTimeout(r, 150))) {
        const j = (await (await app.request(`/api/jobs/${job.id}`, { headers: as(admin) })).json()) as { status: string; result: { plan: number; grids: number; inBand: number; load: { cv: number; max: number; min: number } } };
        if (j.status === 'done') return j.result;
        if (['failed', 'cancelled'].includes(j.status)) throw new Error(`job ${j.status}`);
      }
      throw new Error('partition job timed out');
    };
    const households = await run();
    const load = await run('load');
    expect(load.grids).toBe(households.grids);
    expect(load.inBand).toBe(load.grids);
    expect(load.load.cv).toBeLessThanOrEqual(households.load.cv + 1e-9);
    const v = (await (await app.request(`/api/plans/${load.plan}/validate`, { headers: as(admin) })).json()) as { problems: { code: string; gridIds: string[] }[] };
    const codes = new Set((await db.query<{ code: string }>(
      `SELECT g.code FROM grids g JOIN communities c ON c.id = g.community_id WHERE g.plan_id = $1 AND c.code = $2 AND g.kind = 'basic'`, [load.plan, community])).map((g) => g.code));
    expect(v.problems.filter((p) => (p.code.startsWith('band_') || p.code === 'disconnected') && p.gridIds.some((g) => codes.has(g)))).toEqual([]);
    // The grids layer of the draft carries each grid's load.
    const layer = (await (await app.request(`/api/layers/grids?plan=${load.plan}&community=${community}`, { headers: as(admin) })).json()) as { features: { properties: { load: number; households: number } }[] };
    expect(layer.features.length).toBeGreaterThan(0);
    for (const f of layer.features) expect(f.properties.load).toBeGreaterThanOrEqual(f.properties.households);
    expect((await app.request(`/api/plans/${published}/partition`, { method: 'POST', headers: as(admin), body: JSON.stringify({ community, objective: 'speed' }) })).status).toBe(400);
  });
});
