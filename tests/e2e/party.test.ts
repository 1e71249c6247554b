/**
 * Party reach and grid load in the browser (issue #20): the planner's tally table shows each
 * grid's load (equal to the grids layer's load of the same plan), and the wall screen shows the
 * KPI 党员联系覆盖率 with the share the API reports; the tour shows why it visits a grid.
 * Screenshots: /tmp/party20/ and tests/artifacts/ (planner 1440×900, wall screen 1920×1080).
 */
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoRequests } from '../../data/seed-requests.js';
import { ARTIFACTS, newTestPage, openNewDraft, signInThroughForm, startE2e, stopE2e, type TestServer } from '../helpers/e2e.js';

const SHOTS = '/tmp/party20';
const READY_MS = 420_000;
let browser: Browser;
let server: TestServer;

beforeAll(async () => {
  ({ server, browser } = await startE2e());
  mkdirSync(SHOTS, { recursive: true });
  const [{ n }] = await server.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM requests WHERE reported_by LIKE 'demo-%'`);
  if (n === 0) await server.db.transaction((tx) => seedDemoRequests(tx, { seed: 1, endMs: Date.now() }));
}, READY_MS);

afterAll(async () => {
  await stopE2e(server, browser);
});

describe('party reach and load in the browser', () => {
  it('the planner shows each grid\'s load beside its households', async () => {
    const community = server.dataset.communities[0].code;
    const { page, errors } = await newTestPage(browser);
    await page.goto(server.baseUrl + '/planner');
    await page.waitForURL(/\/login/);
    await signInThroughForm(page, 't_planner');
    page.on('console', (m) => m.type() === 'error' && console.log(`[planner] ${m.text()}`));
    await page.waitForSelector('[data-testid="planner-page"][data-state="ready"]', { timeout: READY_MS });
    // The tallies are the plan editor's: a new draft of the published plan (removed afterwards).
    const { planId } = await openNewDraft(page);
    // Loads arrive with the community's layers: some grid's load exceeds its households.
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="tally-row"]')]
      .some((r) => Number(r.getAttribute('data-load')) > Number(r.getAttribute('data-households'))), undefined, { timeout: READY_MS });
    const rows = await page.$$eval('[data-testid="tally-row"]', (els) => els.map((e) => ({
      grid: e.getAttribute('data-grid')!, households: Number(e.getAttribute('data-households')), load: Number(e.getAttribute('data-load')),
      cell: e.querySelector('[data-testid="tally-load"]')!.textContent!.replace(/,/g, ''),
    })));
    expect(rows.length).toBeGreaterThan(0);
    // The same figure the server derives for the published plan's grids.
    const layer = (await (await page.request.get(`${server.baseUrl}/api/layers/grids?community=${community}`)).json()) as { features: { properties: { code: string; load: number } }[] };
    const serverLoad = new Map(layer.features.map((f) => [f.properties.code, f.properties.load]));
    for (const r of rows) {
      expect(r.load).toBeGreaterThanOrEqual(r.households);
      expect(Math.abs(r.load - serverLoad.get(r.grid)!), r.grid).toBeLessThan(0.51);
      expect(Number(r.cell)).toBe(Math.round(r.load));
    }
    expect(await page.locator('th', { hasText: '负荷' }).count()).toBe(1);
    await page.waitForTimeout(1500);
    await page.screenshot({ path: `${SHOTS}/planner-load-1440.png` });
    await page.screenshot({ path: `${ARTIFACTS}/party-planner-load.png` });
    expect(errors).toEqual([]);
    await server.db.query('DELETE FROM grid_plans WHERE id = $1 AND status = $2', [planId, 'draft']);
  }, READY_MS);

  it('the wall screen shows the party-member reach KPI, and the tour says why it visits a grid', async () => {
    const { page, errors } = await newTestPage(browser, { context: { viewport: { width: 1920, height: 1080 } }, consoleErrors: false });
    await page.goto(`${server.baseUrl}/screen`);
    await page.waitForSelector('body[data-screen-ready="true"]', { timeout: READY_MS });
    const api = (await (await page.request.get(`${server.baseUrl}/api/party-reach?lists=0`)).json()) as { share: number };
    const tile = page.locator('[data-testid="kpi-partyReach"]');
    await expect.poll(async () => Number(await tile.getAttribute('data-value')), { timeout: 60_000 }).toBe(api.share);
    expect(await tile.textContent()).toContain('党员联系覆盖率');
    expect(await tile.textContent()).toContain((api.share * 100).toFixed(1));
    await page.waitForTimeout(800);
    await page.screenshot({ path: `${SHOTS}/screen-reach-1920.png` });
    await page.screenshot({ path: `${ARTIFACTS}/party-screen-reach.png` });
    await page.goto(`${server.baseUrl}/screen?tour=1&interval=2`);
    await page.waitForSelector('body[data-screen-ready="true"]', { timeout: READY_MS });
    // Out-of-band grids and overdue requests come first in the tour, each with a caption.
    const caption = page.locator('[data-testid="tour-caption"]');
    await caption.waitFor({ timeout: 120_000 });
    expect(((await caption.textContent()) ?? '').length).toBeGreaterThan(4);
    await page.waitForTimeout(800);
    await page.screenshot({ path: `${SHOTS}/screen-tour-1920.png` });
    expect(errors).toEqual([]);
  }, READY_MS);

  it('the main map has a 党员联系 layer toggle that draws the reach from the API', async () => {
    const { page, errors } = await newTestPage(browser);
    await page.goto(server.baseUrl + '/');
    await page.waitForSelector('body[data-map-ready="true"]', { timeout: READY_MS });
    const toggle = page.locator('[data-testid="toggle-partyReach"]');
    expect(await toggle.isChecked()).toBe(false);
    const reply = page.waitForResponse((r) => r.url().includes('/api/party-reach') && r.status() === 200, { timeout: 120_000 });
    await page.locator('label[data-layer="partyReach"]').click();
    const body = (await (await reply).json()) as { centres: unknown[] };
    expect(body.centres.length).toBeGreaterThan(0);
    expect(await toggle.isChecked()).toBe(true);
    await page.waitForTimeout(2000);
    await page.screenshot({ path: `${SHOTS}/map-party-reach-1440.png` });
    expect(errors).toEqual([]);
  }, READY_MS);
});
