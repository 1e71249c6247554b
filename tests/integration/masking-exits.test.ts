/**
 * Issue #14.7 — personal data leaves the server only as each row's scope allows. For every exit
 * (plan export and layer export in every format, OGC items, GeoJSON layers, vector tiles,
 * households, request list and history, the audit log, the wall screen, coverage downloads, plans,
 * stats and the public request figures) and
 * for callers of every kind (grid worker of one grid, community planner, street viewer, street
 * admin, community admin, kiosk, anonymous), the output is parsed (XLSX with exceljs, Shapefile
 * with shpjs, CSV, JSON, MVT bytes) and searched for the full names and phones of grid workers,
 * household heads and request reporters, all read from the database. A person outside the caller's
 * scope must never appear in clear; in-scope people must, where the role may see them.
 */
import ExcelJS from 'exceljs';
import shp from 'shpjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StreetDataset } from '../../data/generate/types.js';
import { lngLatToTile } from '../../geo/tiles/tile-math.js';
import type { RoleGrant } from '../../server/auth/principal.js';
import { createUser } from '../../server/auth/users.repo.js';
import type { Database } from '../../server/db/client.js';
import { audit } from '../../server/repos/audit.repo.js';
import { LAYER_NAMES } from '../../server/repos/layer-defs.js';
import { PUBLISHED_PLAN_SQL } from '../../server/repos/sql-params.js';
import { testApp } from '../helpers/app.js';
import { type Session, TEST_PASSWORD, as, ensureTestUsers, signIn } from '../helpers/auth.js';

type App = Awaited<ReturnType<typeof testApp>>['app'];
type Kind = 'worker' | 'resident' | 'reporter';
interface Person { kind: Kind; name: string | null; phone: string | null; community: string | null; grid: string | null; building?: string }
interface Caller { label: string; session: Session | null; staff: boolean; admin: boolean; clear: (p: Person) => boolean }
interface Exit { label: string; text: string }

let app: App;
let db: Database;
let ds: StreetDataset;
let people: Person[];
let callers: Caller[];
/** Everything places are called (communities, compounds, buildings, grids, facilities, roads…). */
let placeText: string;
let planId: number;
let c0: string;
let c1: string;
let g1: string;
/** Residential buildings: in the grid worker's grid, in another grid of community 0, in community 1. */
let probe: { inG1: string; inG2: string; inC1: string };
let requestIds: number[];

const basicGrid = (community: string, not?: string) => ds.plan.grids.find((g) => g.communityCode === community && g.kind === 'basic' && g.code !== not)!;
const residential = (codes: string[]) => codes.find((c) => ds.buildings.find((b) => b.code === c)!.households > 0)!;

async function readPeople(): Promise<Person[]> {
  const workers = await db.query<Person>(
    `SELECT 'worker' AS kind, w.name, w.phone, c.code AS community, g.code AS grid
     FROM grid_workers w JOIN grids g ON g.id = w.grid_id JOIN communities c ON c.id = g.community_id WHERE g.plan_id = ${PUBLISHED_PLAN_SQL}`);
  const residents = await db.query<Person>(
    `SELECT 'resident' AS kind, h.head_name AS name, h.head_phone AS phone, c.code AS community, g.code AS grid, b.code AS building
     FROM households h JOIN buildings b ON b.id = h.building_id JOIN communities c ON c.id = b.community_id
     LEFT JOIN building_grid bg ON bg.building_id = b.id AND bg.plan_id = ${PUBLISHED_PLAN_SQL} LEFT JOIN grids g ON g.id = bg.grid_id`);
  const reporters = await db.query<Person & { description: string }>(
    `SELECT 'reporter' AS kind, r.reporter_name AS name, r.reporter_phone AS phone, c.code AS community, r.grid_code AS grid, r.description
     FROM requests r LEFT JOIN communities c ON c.id = r.community_id
     WHERE r.reporter_name IS NOT NULL OR r.reporter_phone IS NOT NULL OR r.description ~ '1[3-9][0-9]{9}'`);
  // A mobile number typed into a description belongs to the request's reporter as much as the field does.
  const inText = reporters.flatMap((r) => (r.description.match(/1[3-9]\d{9}/g) ?? []).map((phone) => ({ ...r, name: null, phone })));
  return [...workers, ...residents, ...reporters.map(({ description: _d, ...r }) => r), ...inText];
}

async function createReports() {
  const admin = await signIn(app, 'admin');
  const reports = [
    { building: probe.inG1, reporterName: '闻人晓晴', reporterPhone: '13700000701', description: '楼道灯不亮' },
    { building: probe.inG2, reporterName: '司马青云', reporterPhone: '13700000702', description: '请回电 13700000799，水管漏水' },
    { building: probe.inC1, reporterName: '欧阳紫薇', reporterPhone: '13700000703', description: '电梯异响' },
  ];
  requestIds = [];
  for (const r of reports) {
    const res = await app.request('/api/requests', { method: 'POST', headers: as(admin), body: JSON.stringify({ category: 'repair', channel: 'resident', ...r }) });
    expect(res.status).toBe(201);
    requestIds.push(((await res.json()) as { id: number }).id);
  }
  // A future action that records a person in its audit detail (e.g. a change to a user account).
  const worker = (await db.query<{ name: string; phone: string }>(
    `SELECT w.name, w.phone FROM grid_workers w JOIN grids g ON g.id = w.grid_id WHERE g.code = $1 AND g.plan_id = ${PUBLISHED_PLAN_SQL} LIMIT 1`, [g1]))[0];
  await audit(db, { actor: 't_admin', action: 'user_update', targetType: 'grid_worker', targetId: g1, detail: { displayName: worker.name, phone: worker.phone, note: `新号码 ${worker.phone}` } });
}

async function signInAs(username: string, grants: RoleGrant[]): Promise<Session> {
  const exists = await db.query('SELECT 1 FROM users WHERE username = $1', [username]);
  if (exists.length === 0) await createUser(db, { username, password: TEST_PASSWORD, grants });
  const res = await app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: TEST_PASSWORD }) });
  expect(res.status).toBe(200);
  const cookie = /ga_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')![1];
  return { cookie: `ga_session=${cookie}`, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
}

beforeAll(async () => {
  const t = await testApp();
  ({ app, db, dataset: ds } = t);
  await ensureTestUsers(db, ds);
  c0 = ds.communities[0].code;
  c1 = ds.communities[1].code;
  g1 = ds.plan.grids.find((g) => g.communityCode === c0)!.code; // the test grid worker's grid
  const g2 = basicGrid(c0, g1);
  probe = { inG1: residential(ds.plan.grids.find((g) => g.code === g1)!.buildingCodes), inG2: residential(g2.buildingCodes), inC1: residential(basicGrid(c1).buildingCodes) };
  planId = (await db.query<{ id: number }>(`SELECT id FROM grid_plans WHERE status = 'published'`))[0].id;
  await createReports();
  people = await readPeople();
  placeText = (await db.query<{ t: string }>(
    `SELECT string_agg(x, '|') AS t FROM (
       SELECT name || '|' || short_name AS x FROM communities UNION ALL SELECT name FROM streets UNION ALL SELECT name FROM compounds
       UNION ALL SELECT coalesce(name, '') || '|' || number FROM buildings UNION ALL SELECT name FROM grids
       UNION ALL SELECT name || '|' || coalesce(address, '') FROM facilities UNION ALL SELECT name FROM facility_categories
       UNION ALL SELECT name FROM walk_edges WHERE name IS NOT NULL) s`))[0].t;

  const inGrid = (g: string) => (p: Person) => p.grid === g;
  const inCommunity = (c: string) => (p: Person) => p.community === c;
  callers = [
    { label: 'grid worker of one grid', session: await signIn(app, 'grid_worker'), staff: true, admin: false, clear: inGrid(g1) },
    { label: 'community planner', session: await signIn(app, 'planner'), staff: true, admin: false, clear: (p) => p.kind !== 'resident' && inCommunity(c0)(p) },
    { label: 'street viewer', session: await signIn(app, 'viewer'), staff: true, admin: false, clear: () => false },
    { label: 'street admin', session: await signIn(app, 'admin'), staff: true, admin: true, clear: () => true },
    { label: 'community admin', session: await signInAs('m_community_admin', [{ role: 'admin', scopeType: 'community', scopeCode: c1 }]), staff: true, admin: true, clear: inCommunity(c1) },
    { label: 'kiosk', session: await signIn(app, 'screen'), staff: false, admin: false, clear: () => false },
    { label: 'anonymous', session: null, staff: false, admin: false, clear: () => false },
  ];
});

/** The text a person could be read from in a response: cells of every sheet, shapefile attributes, or the bytes as UTF-8. */
async function readable(res: Response, kind: 'text' | 'xlsx' | 'shp'): Promise<string> {
  const buf = await res.arrayBuffer();
  if (res.status !== 200 || kind === 'text') return new TextDecoder().decode(buf);
  if (kind === 'shp') return JSON.stringify(await shp(buf));
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf);
  const cells: string[] = [];
  wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((cell) => { cells.push(String(cell.text ?? cell.value)); })));
  return cells.join('|');
}

/** Every exit the caller can reach, read as text (refusals included: their bodies are exits too). */
async function exits(caller: Caller): Promise<Exit[]> {
  const out: Exit[] = [];
  const get = async (path: string, kind: 'text' | 'xlsx' | 'shp' = 'text') => {
    const res = await app.request(path, { headers: as(caller.session) });
    expect(res.status, `${caller.label} ${path}`).toBeLessThan(500);
    out.push({ label: `${path} (${res.status})`, text: await readable(res, kind) });
    return res.status;
  };
  for (const f of ['geojson', 'shp', 'xlsx'] as const) await get(`/api/plans/${planId}/export?format=${f}`, f === 'geojson' ? 'text' : f);
  for (const layer of LAYER_NAMES) {
    for (const f of ['geojson', 'csv', 'xlsx', 'shp'] as const) await get(`/api/export/${layer}?format=${f}`, f === 'xlsx' || f === 'shp' ? f : 'text');
    await get(`/api/layers/${layer}`);
    await get(`/ogc/collections/${layer}/items?limit=10000`);
    await get(`/ogc/collections/${layer}/items/1`);
    const b = ds.buildings.find((x) => x.code === probe.inG1)!.footprint[0][0];
    const [x, y] = lngLatToTile(b[0], b[1], 14);
    await get(`/tiles/${layer}/14/${x}/${y}.mvt`);
  }
  for (const code of Object.values(probe)) {
    await get(`/api/buildings/${code}/households`);
    await get(`/api/screen/buildings/${code}`);
  }
  await get('/api/requests?limit=500');
  for (const id of requestIds) await get(`/api/requests/${id}/history`);
  await get('/api/audit?limit=500');
  for (const path of [`/api/plans/${planId}`, `/api/plans/${planId}/diff?base=${planId}`, '/api/plans', '/api/stats', '/api/requests/stats', '/api/requests/layer', '/api/requests/heat']) await get(path);
  await get('/api/screen/summary');
  for (const f of ['csv', 'xlsx', 'geojson'] as const) await get(`/api/coverage?level=5&category=pharmacy&format=${f}`, f === 'xlsx' ? 'xlsx' : 'text');
  return out;
}

/** Runs of Chinese characters cut into every 2–4 character piece, and digit runs (phones). */
function tokens(text: string): Set<string> {
  const out = new Set<string>();
  for (const run of text.match(/[\u4e00-\u9fff]{2,}/g) ?? []) {
    for (let n = 2; n <= 4; n++) for (let i = 0; i + n <= run.length; i++) out.add(run.slice(i, i + n));
  }
  for (const d of text.match(/\d{7,}/g) ?? []) {
    out.add(d);
    for (let i = 0; i + 11 <= d.length; i++) out.add(d.slice(i, i + 11)); // +86… or digits run together
  }
  return out;
}

describe('personal data at every exit (issue #14.7)', () => {
  it('the probe has people to look for: workers, household heads and reporters in and out of each scope', () => {
    const count = (k: Kind) => people.filter((p) => p.kind === k).length;
    expect(count('worker')).toBeGreaterThan(20);
    expect(count('resident')).toBeGreaterThan(1000);
    expect(count('reporter')).toBeGreaterThanOrEqual(4);
    expect(people.some((p) => p.kind === 'worker' && p.grid === g1)).toBe(true);
  });

  for (const who of ['grid worker of one grid', 'community planner', 'street viewer', 'street admin', 'community admin', 'kiosk', 'anonymous']) {
    it(`${who}: nobody outside the scope in clear, in any format`, async () => {
      const caller = callers.find((c) => c.label === who)!;
      const clearNames = new Set(people.filter(caller.clear).map((p) => p.name).filter((n): n is string => !!n));
      const clearNameText = [...clearNames].join('|');
      const clearPhones = new Set(people.filter(caller.clear).map((p) => p.phone));
      // A name is looked for only when it cannot legitimately be there: not a place's name or part
      // of one, and not (part of) the name of someone the caller may see.
      const hidden = people.filter((p) => !caller.clear(p));
      const names = new Set(hidden.map((p) => p.name).filter((n): n is string => !!n && !clearNames.has(n) && !placeText.includes(n) && !clearNameText.includes(n)));
      const phones = new Set(hidden.map((p) => p.phone).filter((ph): ph is string => !!ph && !clearPhones.has(ph)));
      if (hidden.length > 0) expect(names.size).toBeGreaterThan(0);

      const leaks: string[] = [];
      const seen = new Map<string, string>();
      for (const e of await exits(caller)) {
        const t = tokens(e.text);
        for (const n of names) if (t.has(n)) leaks.push(`${e.label}: name ${n}`);
        for (const ph of phones) if (t.has(ph)) leaks.push(`${e.label}: phone ${ph}`);
        seen.set(e.label, e.text);
      }
      expect(leaks.slice(0, 20), `${leaks.length} leaks`).toEqual([]);

      // In scope, where the role may see it, the data is still there in clear.
      const find = (prefix: string) => [...seen].find(([k]) => k.startsWith(prefix))?.[1] ?? '';
      const roster = find(`/api/plans/${planId}/export?format=xlsx`);
      const requests = find('/api/requests?limit=500');
      const visibleWorkers = people.filter((p) => p.kind === 'worker' && caller.clear(p));
      const visibleReporters = people.filter((p) => p.kind === 'reporter' && p.name && caller.clear(p));
      if (caller.staff) {
        expect(visibleWorkers.filter((p) => !roster.includes(p.name!)).map((p) => p.name)).toEqual([]);
        expect(visibleReporters.filter((p) => !requests.includes(p.phone!)).map((p) => p.phone)).toEqual([]);
      }
      if (caller.label === 'grid worker of one grid' || caller.label === 'street admin') {
        const heads = people.filter((p) => p.kind === 'resident' && p.building === probe.inG1).map((p) => p.phone!);
        expect(heads.length).toBeGreaterThan(0);
        expect(heads.filter((ph) => !find(`/api/buildings/${probe.inG1}/households`).includes(ph))).toEqual([]);
      }
      if (caller.label === 'street viewer') expect(requests).toMatch(/137\*{4}070[123]/);
      const auditLog = find('/api/audit');
      const g1Phones = people.filter((p) => p.kind === 'worker' && p.grid === g1).map((p) => p.phone!);
      if (caller.label === 'street admin') expect(g1Phones.some((ph) => auditLog.includes(ph))).toBe(true);
      // The audit log is street-wide (issue #14.1 scope rules): a community admin is refused it whole.
      if (caller.label === 'community admin') expect([...seen.keys()].find((k) => k.startsWith('/api/audit'))).toContain('(403)');
    });
  }
});
