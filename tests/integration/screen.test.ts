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

type App = Awaited<ReturnType<typeof testApp>>['app'];
let app: App;
let ds: StreetDataset;

beforeAll(async () => {
  const t = await testApp();
  app = t.app;
  ds = t.dataset;
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
