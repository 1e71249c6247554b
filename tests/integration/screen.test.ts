/**
 * The wall screen's API (issue #7): figures agree with the generated dataset, and no response the
 * screen loads carries a personal field, a phone number, a household head's or a grid worker's
 * name (workers appear as 王** only).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { StreetDataset } from '../../data/generate/types.js';
import { bandStatus } from '../../geo/band.js';
import { PERSONAL_KEYS, PHONE_PATTERN, testApp } from '../helpers/app.js';
import { DENSITY_CELL_DEG, type ScreenBuilding, type ScreenSummary } from '../../server/repos/screen.repo.js';
import type { Database } from '../../server/db/client.js';
import { dataVersion } from '../../server/repos/derived-figures.repo.js';
import { refreshScreenFiguresSoon, screenSummary } from '../../server/services/screen-figures.js';
import { streetByCode } from '../../server/services/street-context.js';

type App = Awaited<ReturnType<typeof testApp>>['app'];
let app: App;
let ds: StreetDataset;
let db: Database;

beforeAll(async () => {
  const t = await testApp();
  app = t.app;
  ds = t.dataset;
  db = t.db;
});

async function text(path: string): Promise<string> {
  const res = await app.request(path);
  expect(res.status, path).toBe(200);
  return res.text();
}

/** Every URL the screen page requests without an account (see web/screen/use-screen-data.ts). */
const SCREEN_URLS = [
  '/api/config',
  '/api/categories',
  '/api/screen/summary',
  '/api/layers/communities',
  '/api/layers/grids',
  '/api/layers/roads',
  '/api/layers/buildings',
  '/api/layers/facilities',
  '/tiles/buildings.json',
];

describe('GET /api/screen/summary', () => {
  it('has the street, every community and grid, with dataset figures', async () => {
    const s = JSON.parse(await text('/api/screen/summary')) as ScreenSummary;
    expect(s.street?.name).toBe(ds.street.name);
    expect(s.communities).toHaveLength(ds.communities.length);
    expect(s.grids).toHaveLength(ds.plan.grids.length);
    expect(s.communities.reduce((a, c) => a + c.households, 0)).toBe(ds.buildings.reduce((a, b) => a + b.households, 0));
    const hh = new Map(ds.buildings.map((b) => [b.code, b.households]));
    for (const g of ds.plan.grids) {
      const got = s.grids.find((x) => x.code === g.code)!;
      const households = g.buildingCodes.reduce((a, c) => a + (hh.get(c) ?? 0), 0);
      expect(got.households, g.code).toBe(households);
      expect(got.status).toBe(bandStatus(households, g.kind));
      expect(got.workers).toHaveLength(g.workers.length);
      expect(got.bbox.every(Number.isFinite)).toBe(true);
    }
    const party = ds.households.reduce((a, h) => a + h.partyMembers, 0);
    expect(s.communities.reduce((a, c) => a + c.partyMembers, 0)).toBe(party);
    expect(s.partyDensity.reduce((a, d) => a + d[2], 0)).toBe(party);
    // A street of under 5,000 buildings keeps the finest cells.
    expect(s.partyDensityCellDeg).toBeCloseTo(DENSITY_CELL_DEG, 9);
    expect(s.facilities.reduce((a, f) => a + f.count, 0)).toBe(ds.facilities.length);
  });

  it('GET /api/config carries the building count the screen picks GeoJSON or tiles by, and the street extent it frames first', async () => {
    const c = JSON.parse(await text('/api/config')) as { buildings: number; street: { name: string }; bbox: [number, number, number, number] };
    expect(c.buildings).toBe(ds.buildings.length);
    expect(c.street.name).toBe(ds.street.name);
    // The same box the summary's communities span (the screen's framing before and after it arrives).
    const s = JSON.parse(await text('/api/screen/summary')) as ScreenSummary;
    const boxes = s.communities.map((x) => x.bbox);
    expect(c.bbox).toEqual([
      Math.min(...boxes.map((b) => b[0])), Math.min(...boxes.map((b) => b[1])),
      Math.max(...boxes.map((b) => b[2])), Math.max(...boxes.map((b) => b[3])),
    ]);
  });

  it('masks grid workers to their surname', async () => {
    const s = JSON.parse(await text('/api/screen/summary')) as ScreenSummary;
    const workers = s.grids.flatMap((g) => g.workers);
    expect(workers.length).toBeGreaterThan(0);
    for (const w of workers) expect(w.masked).toMatch(/^\S\*+$/u);
  });
});

describe('GET /api/screen/buildings/:code', () => {
  it('answers one building with party aggregates, 404 for an unknown code, 400 for a bad one', async () => {
    const b0 = ds.buildings.find((b) => b.households > 0)!;
    const b = JSON.parse(await text(`/api/screen/buildings/${b0.code}`)) as ScreenBuilding;
    expect(b.households).toBe(b0.households);
    const pm = ds.households.filter((h) => h.buildingCode === b0.code).reduce((a, h) => a + h.partyMembers, 0);
    expect(b.partyMembers).toBe(pm);
    expect((await app.request('/api/screen/buildings/NOPE-1')).status).toBe(404);
    const bad = await app.request('/api/screen/buildings/a%20b');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBeTruthy();
  });
});

describe('privacy of every response the screen uses', () => {
  it('carries no personal keys, phone numbers, head or worker names', async () => {
    const building = ds.buildings.find((b) => b.households > 0)!.code;
    const names = [
      ...ds.households.map((h) => h.headName),
      ...ds.plan.grids.flatMap((g) => g.workers.map((w) => w.name)),
    ].filter((n) => n && Array.from(n).length >= 2);
    for (const url of [...SCREEN_URLS, `/api/screen/buildings/${building}`]) {
      const body = await text(url);
      for (const key of PERSONAL_KEYS) expect(body, `${url} has "${key}"`).not.toContain(`"${key}"`);
      expect(body, url).not.toMatch(PHONE_PATTERN);
      const quoted = new Set(Array.from(body.matchAll(/"([^"\\]{2,8})"/g), (m) => m[1]));
      for (const n of names) expect(quoted.has(n), `${url} shows the name ${n}`).toBe(false);
    }
  });
});

class Rollback extends Error {}

/** The seeded street, as the summary route resolves it (issue #15: one summary per street). */
const demoStreet = async () => (await streetByCode(db, ds.street.code))!;

describe('the stored screen summary (derived_figures under the data version)', () => {
  it('is read back while no change has committed, and computed again after one', async () => {
    const first = await screenSummary(db, await demoStreet());
    const v1 = await dataVersion(db);
    const stored = async () => (await db.query<{ signature: string }>(`SELECT signature FROM derived_figures WHERE key = 'screen-summary/' || $1`, [ds.street.code]))[0];
    expect((await stored()).signature).toBe(v1);
    // While the version holds, readers get the stored row (marked here by hand) …
    await db.query(`UPDATE derived_figures SET value = jsonb_set(value, '{street,name}', '"标记"') WHERE key = 'screen-summary/' || $1`, [ds.street.code]);
    expect((await screenSummary(db, await demoStreet())).street?.name).toBe('标记');
    // … a change that is rolled back does not move the version …
    await db
      .transaction(async (tx) => {
        await tx.query(`UPDATE grids SET name = name || 'x' WHERE code = $1`, [first.grids[0].code]);
        throw new Rollback();
      })
      .catch((e: unknown) => {
        if (!(e instanceof Rollback)) throw e;
      });
    expect(await dataVersion(db)).toBe(v1);
    // … and a committed one (a grid renamed) makes the stored summary stale.
    const g = first.grids[0];
    try {
      await db.query(`UPDATE grids SET name = $2 WHERE code = $1`, [g.code, `${g.name}（测）`]);
      expect(await dataVersion(db)).not.toBe(v1);
      const after = await screenSummary(db, await demoStreet());
      expect(after.street?.name).toBe(first.street?.name);
      expect(after.grids.find((x) => x.code === g.code)?.name).toBe(`${g.name}（测）`);
      expect((await stored()).signature).toBe(await dataVersion(db));
    } finally {
      await db.query(`UPDATE grids SET name = $2 WHERE code = $1`, [g.code, g.name]);
    }
  });

  it('is recomputed in the background after a burst of changes made through the app', async () => {
    const stored = async () => (await db.query<{ signature: string }>(`SELECT signature FROM derived_figures WHERE key = 'screen-summary/' || $1`, [ds.street.code]))[0]?.signature;
    await screenSummary(db, await demoStreet());
    const [g] = (await screenSummary(db, await demoStreet())).grids;
    try {
      await db.query(`UPDATE grids SET name = $2 WHERE code = $1`, [g.code, `${g.name}（背景）`]);
      refreshScreenFiguresSoon(db);
      refreshScreenFiguresSoon(db);
      const version = await dataVersion(db);
      expect(await stored()).not.toBe(version);
      const deadline = Date.now() + 20_000;
      while ((await stored()) !== version && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
      expect(await stored()).toBe(version);
    } finally {
      await db.query(`UPDATE grids SET name = $2 WHERE code = $1`, [g.code, g.name]);
    }
  });
});
