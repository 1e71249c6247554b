/**
 * Polygon-mode plan edits on real PostGIS: reshape, split, draw a grid, renumber. After each edit
 * the community is still tessellated (no overlaps, gaps or grids outside it — by the SQL
 * validation), every building is in exactly one grid and that grid contains its centroid, the
 * households are conserved; locked grids, stale versions and bad geometry change nothing.
 */
import type * as GeoJSON from 'geojson';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StreetDataset } from '../../data/generate/types.js';
import type { Database } from '../../server/db/client.js';
import { validatePlanSql } from '../../server/repos/plan-validation.repo.js';
import { testApp } from '../helpers/app.js';
import { type Session, as, ensureTestUsers, signIn } from '../helpers/auth.js';
import { neighbourPairs, transfer } from '../helpers/plan-edits.js';

type App = Awaited<ReturnType<typeof testApp>>['app'];
let app: App;
let db: Database;
let ds: StreetDataset;
let planner: Session;

type GridFeature = GeoJSON.Feature<GeoJSON.MultiPolygon, { code: string; households: number; buildings: number; kind: 'basic' | 'dedicated'; communityCode: string }>;
interface PlanReply { version: number; grids: { features: GridFeature[] }; assignments: { building: string; grid: string }[] }

beforeAll(async () => {
  const t = await testApp();
  ({ app, db, dataset: ds } = t);
  await ensureTestUsers(db, ds);
  planner = await signIn(app, 'planner');
});

const community = () => ds.communities[0].code;
const post = (path: string, body: unknown) => app.request(path, { method: 'POST', headers: as(planner), body: JSON.stringify(body) });
const patch = (id: number, version: number, ops: unknown[]) =>
  app.request(`/api/plans/${id}`, { method: 'PATCH', headers: as(planner, { 'if-match': `"${version}"` }), body: JSON.stringify({ ops }) });
const getPlan = async (id: number) => (await (await app.request(`/api/plans/${id}`, { headers: as(planner) })).json()) as PlanReply;
const draft = async () => ((await (await post('/api/plans', { community: community(), from: 'published' })).json()) as { id: number }).id;
const errorOf = async (r: Response) => ((await r.json()) as { error: { code: string; message: string } }).error;

const asGrid = (f: GridFeature) => ({ id: f.properties.code, code: f.properties.code, kind: f.properties.kind, communityId: f.properties.communityCode, geometry: f.geometry });
const householdsOf = (p: PlanReply) => p.grids.features.reduce((s, f) => s + f.properties.households, 0);

/** The tessellation checks: SQL validation finds no geometric problem; buildings each in one grid that contains their centroid. */
async function expectTessellated(id: number) {
  const problems = await validatePlanSql(db, id);
  expect(problems.filter((p) => ['overlap', 'gap', 'outside_community', 'unassigned', 'multiple_grids'].includes(p.code))).toEqual([]);
  const [row] = await db.query<{ buildings: number; assigned: number; outside: number }>(
    `SELECT (SELECT count(*)::int FROM buildings b JOIN communities c ON c.id = b.community_id WHERE c.code = $2) AS buildings,
            (SELECT count(*)::int FROM building_grid WHERE plan_id = $1) AS assigned,
            (SELECT count(*)::int FROM building_grid bg JOIN buildings b ON b.id = bg.building_id JOIN grids g ON g.id = bg.grid_id
             WHERE bg.plan_id = $1 AND NOT ST_Intersects(g.geom, b.centroid)) AS outside`,
    [id, community()],
  );
  expect(row.assigned).toBeGreaterThanOrEqual(row.buildings);
  expect(row.outside).toBe(0);
}

/** Two neighbouring basic grids of the community with a shared vertex. */
function neighbours(p: PlanReply) {
  const grids = p.grids.features.filter((f) => f.properties.communityCode === community()).map(asGrid);
  return neighbourPairs(grids).find((x) => x.a.kind === 'basic' && x.b.kind === 'basic')!;
}

describe('polygon-mode plan edits', () => {
  it('reshape: the grid takes land from its neighbour, buildings follow their centroids, households are conserved', async () => {
    const id = await draft();
    const before = await getPlan(id);
    const { a, b, at } = neighbours(before);
    const [grown] = transfer(a, b, at, 80);
    const r = await patch(id, before.version, [{ op: 'reshape', grid: a.code, polygon: grown.geometry }]);
    expect(r.status).toBe(200);
    const after = await getPlan(id);
    expect(after.version).toBe(before.version + 1);
    expect(householdsOf(after)).toBe(householdsOf(before));
    const hh = (p: PlanReply, code: string) => p.grids.features.find((f) => f.properties.code === code)!.properties.households;
    const gained = hh(after, a.code) - hh(before, a.code);
    expect(hh(before, b.code) - hh(after, b.code)).toBe(gained);
    const movedIn = after.assignments.filter((x) => x.grid === a.code && before.assignments.find((y) => y.building === x.building)!.grid === b.code);
    expect(movedIn.length > 0 || gained === 0).toBe(true);
    await expectTessellated(id);

    // Shrinking back: the land given up goes to the neighbour with the longest shared border (b).
    const undo = await patch(id, after.version, [{ op: 'reshape', grid: a.code, polygon: a.geometry }]);
    expect(undo.status).toBe(200);
    const back = await getPlan(id);
    expect(hh(back, a.code)).toBe(hh(before, a.code));
    expect(hh(back, b.code)).toBe(hh(before, b.code));
    await expectTessellated(id);
  });

  it('split: a line across a grid makes a new grid with the next code and the same kind; a line that misses → 400', async () => {
    const id = await draft();
    const before = await getPlan(id);
    // A one-piece basic grid of the community that a north–south line through the middle of its
    // box cuts in two (earlier test files may have reshaped the published plan: the first grid is
    // not always one a straight line cuts in two).
    const [pick] = await db.query<{ code: string; b: number[] }>(
      `SELECT g.code, ARRAY[ST_XMin(g.geom), ST_YMin(g.geom), ST_XMax(g.geom), ST_YMax(g.geom)] AS b
       FROM grids g JOIN communities c ON c.id = g.community_id
       CROSS JOIN LATERAL (SELECT ST_MakeLine(ST_MakePoint((ST_XMin(g.geom) + ST_XMax(g.geom)) / 2, ST_YMin(g.geom) - 0.001),
                                              ST_MakePoint((ST_XMin(g.geom) + ST_XMax(g.geom)) / 2, ST_YMax(g.geom) + 0.001)) AS line) l
       WHERE g.plan_id = $1 AND c.code = $2 AND g.kind = 'basic' AND NOT g.locked AND ST_NumGeometries(g.geom) = 1
         AND ST_NumGeometries(ST_CollectionExtract(ST_Split(g.geom, ST_SetSRID(l.line, 4326)), 3)) = 2
       ORDER BY g.code LIMIT 1`,
      [id, community()],
    );
    const target = before.grids.features.find((f) => f.properties.code === pick.code)!;
    const [x0, y0, x1, y1] = pick.b;
    const xm = (x0 + x1) / 2;
    const missing = await patch(id, before.version, [{ op: 'split', grid: target.properties.code, line: { type: 'LineString', coordinates: [[x1 + 0.01, y0], [x1 + 0.01, y1]] } }]);
    expect(missing.status).toBe(400);
    const e = await errorOf(missing);
    expect(e.code).toBe('split_no_cut');
    expect(e.message).toMatch(/分割线.*\/.*line/);

    const r = await patch(id, before.version, [{ op: 'split', grid: target.properties.code, line: { type: 'LineString', coordinates: [[xm, y0 - 0.001], [xm, y1 + 0.001]] } }]);
    expect(r.status, `${target.properties.code}: ${await r.clone().text()}`).toBe(200);
    const { results } = (await r.json()) as { results: { newGrid: string }[] };
    const codes = before.grids.features.filter((f) => f.properties.communityCode === community()).map((f) => Number(f.properties.code.slice(-3)));
    expect(results[0].newGrid).toBe(`${community()}-${String(Math.max(...codes) + 1).padStart(3, '0')}`);
    const after = await getPlan(id);
    const made = after.grids.features.find((f) => f.properties.code === results[0].newGrid)!;
    const kept = after.grids.features.find((f) => f.properties.code === target.properties.code)!;
    expect(made.properties.kind).toBe('basic');
    expect(made.properties.households + kept.properties.households).toBe(target.properties.households);
    expect(householdsOf(after)).toBe(householdsOf(before));
    await expectTessellated(id);
  });

  it('drawGrid: a new grid carved from the grids it covers, clipped to the community', async () => {
    const id = await draft();
    const before = await getPlan(id);
    const [c] = await db.query<{ x: number; y: number }>(
      `SELECT ST_X(ST_PointOnSurface(geom)) AS x, ST_Y(ST_PointOnSurface(geom)) AS y FROM communities WHERE code = $1`, [community()],
    );
    const d = 0.0015;
    const square = { type: 'Polygon', coordinates: [[[c.x - d, c.y - d], [c.x + d, c.y - d], [c.x + d, c.y + d], [c.x - d, c.y + d], [c.x - d, c.y - d]]] };
    const r = await patch(id, before.version, [{ op: 'drawGrid', polygon: square, kind: 'dedicated', name: '测试专属网格' }]);
    expect(r.status).toBe(200);
    const { results } = (await r.json()) as { results: { newGrid: string; buildingsMoved: number }[] };
    const after = await getPlan(id);
    const made = after.grids.features.find((f) => f.properties.code === results[0].newGrid)!;
    expect(made.properties.kind).toBe('dedicated');
    expect(made.properties.buildings).toBe(results[0].buildingsMoved);
    expect(householdsOf(after)).toBe(householdsOf(before));
    await expectTessellated(id);
  });

  it('renumber: codes in reading order per community, locked grids keep theirs, mapping returned and recorded', async () => {
    const id = await draft();
    const before = await getPlan(id);
    const mine = before.grids.features.filter((f) => f.properties.communityCode === community());
    const lockedCode = mine[2].properties.code;
    await patch(id, before.version, [{ op: 'lock', grid: lockedCode, locked: true }]);
    const r = await patch(id, before.version + 1, [{ op: 'renumber' }]);
    expect(r.status).toBe(200);
    const { results } = (await r.json()) as { results: { renumbered: Record<string, string> }[] };
    const map = results[0].renumbered;
    expect(map[lockedCode]).toBeUndefined();
    const after = await getPlan(id);
    const codes = after.grids.features.map((f) => f.properties.code).sort();
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes).toContain(lockedCode);
    // Households follow the grids, not the codes.
    for (const [from, to] of Object.entries(map)) {
      expect(after.grids.features.find((f) => f.properties.code === to)!.properties.households).toBe(mine.find((f) => f.properties.code === from)!.properties.households);
    }
    // Basic grids come first: the highest numbers are the dedicated grids.
    const basic = after.grids.features.filter((f) => f.properties.communityCode === community() && f.properties.kind === 'basic' && f.properties.code !== lockedCode).map((f) => Number(f.properties.code.slice(-3)));
    const dedicated = after.grids.features.filter((f) => f.properties.communityCode === community() && f.properties.kind === 'dedicated' && f.properties.code !== lockedCode).map((f) => Number(f.properties.code.slice(-3)));
    expect(Math.max(...basic)).toBeLessThan(Math.min(...dedicated));
    const [edit] = await db.query<{ ops: { op: string; result?: unknown }[] }>('SELECT ops FROM plan_edits WHERE plan_id = $1 ORDER BY version DESC LIMIT 1', [id]);
    expect(edit.ops[0].result).toEqual({ renumbered: map });
  });

  it('refuses locked grids, stale versions and bad geometry, leaving the plan as it was', async () => {
    const id = await draft();
    const before = await getPlan(id);
    const { a, b, at } = neighbours(before);
    const [grown] = transfer(a, b, at, 80);
    // stale If-Match
    const stale = await patch(id, before.version + 5, [{ op: 'reshape', grid: a.code, polygon: grown.geometry }]);
    expect(stale.status).toBe(409);
    expect((await errorOf(stale)).code).toBe('stale_version');
    // a locked grid: reshape and split refused, nothing applied (the lock is in the same batch)
    const locked = await patch(id, before.version, [{ op: 'lock', grid: a.code, locked: true }, { op: 'reshape', grid: a.code, polygon: grown.geometry }]);
    expect(locked.status).toBe(409);
    expect((await errorOf(locked)).message).toMatch(/锁定.*locked/);
    // bad geometry: a bow-tie, an unclosed ring, a line for a polygon
    const [x, y] = at;
    const bowtie = { type: 'Polygon', coordinates: [[[x, y], [x + 0.001, y + 0.001], [x + 0.001, y], [x, y + 0.001], [x, y]]] };
    const bad = await patch(id, before.version, [{ op: 'reshape', grid: a.code, polygon: bowtie }]);
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).code).toBe('invalid_geometry');
    const unclosed = { type: 'Polygon', coordinates: [[[x, y], [x + 0.001, y], [x + 0.001, y + 0.001], [x, y + 0.001]]] };
    expect((await patch(id, before.version, [{ op: 'reshape', grid: a.code, polygon: unclosed }])).status).toBe(400);
    expect((await patch(id, before.version, [{ op: 'drawGrid', polygon: { type: 'LineString', coordinates: [[x, y], [x + 1e-3, y]] } }])).status).toBe(400);
    // outside the community entirely
    const far = { type: 'Polygon', coordinates: [[[0, 0], [0.001, 0], [0.001, 0.001], [0, 0.001], [0, 0]]] };
    expect((await patch(id, before.version, [{ op: 'drawGrid', polygon: far }])).status).toBe(400);

    const after = await getPlan(id);
    expect(after.version).toBe(before.version);
    expect(after.assignments).toEqual(before.assignments);
    expect(after.grids.features.map((f) => [f.properties.code, f.properties.households])).toEqual(before.grids.features.map((f) => [f.properties.code, f.properties.households]));
    const [{ same }] = await db.query<{ same: boolean }>(
      `SELECT bool_and(ST_Equals(n.geom, o.geom)) AS same FROM grids n JOIN grids o ON o.code = n.code AND o.plan_id = (SELECT based_on FROM grid_plans WHERE id = $1) WHERE n.plan_id = $1`, [id],
    );
    expect(same).toBe(true);
  });
});
