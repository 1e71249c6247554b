/**
 * /life (生活圈) in headless Chromium: a real click on the map draws the 5/10/15-minute bands and
 * lists the facilities reached with walking minutes; choosing one draws its route; searching a
 * building code starts there; the coverage-audit view shows the household share and aggregates,
 * and a planner gets "where to add" proposals. Screenshots: tests/artifacts/life-*.png.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../helpers/auth.js';
import { ARTIFACTS, newTestPage, startE2e, stopE2e, type TestServer } from '../helpers/e2e.js';

let browser: Browser;
let server: TestServer;

beforeAll(async () => {
  ({ server, browser } = await startE2e());
});

afterAll(() => stopE2e(server, browser));

async function openPage(path: string): Promise<{ page: Page; errors: string[] }> {
  const { page, errors } = await newTestPage(browser);
  await page.goto(server.baseUrl + path);
  await page.waitForSelector('body[data-map-ready="true"]', { timeout: 120_000, state: 'attached' });
  return { page, errors };
}

describe('/life', () => {
  it('a click on the map draws the rings and lists facilities with walking minutes; a route can be shown', async () => {
    const { page, errors } = await openPage('/life');
    const map = page.getByTestId('life-map');
    const box = (await map.boundingBox())!;
    const isoRequest = page.waitForRequest((r) => r.url().includes('/api/isochrone'));
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.getByTestId('life-bands').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('life-bands').locator('.life-band-chip').allInnerTexts()).toEqual(['5 分钟（300 米）', '10 分钟（600 米）', '15 分钟（900 米）']);
    // The page asks for the compact lines (issue #17) and draws the band polygons itself: they are
    // on the map at the snapped start.
    const sent = new URL((await isoRequest).url());
    expect(sent.searchParams.get('geometry')).toBe('lines');
    const reply = (await (await page.request.get(sent.toString())).json()) as { start: { snapped: [number, number] } };
    await page.waitForTimeout(300);
    expect(await page.evaluate(([x, y]) => window.__gridatlas!.life!.drawnAt('bands-fill', x, y), reply.start.snapped)).toBe(true);
    const items = page.getByTestId('life-facility');
    expect(await items.count()).toBeGreaterThan(3);
    const first = await items.first().innerText();
    expect(first).toMatch(/分钟/);
    await items.first().getByRole('button').click();
    await page.getByTestId('life-route').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('life-route').innerText()).toMatch(/步行路线.*米/);
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${ARTIFACTS}/life-click.png` });
    expect(errors).toEqual([]);
  });

  it('searching a building code starts the walk at that building', async () => {
    const { page } = await openPage('/life');
    const code = server.dataset.buildings.find((b) => b.households > 0)!.code;
    await page.getByTestId('life-search').fill(code);
    await page.getByTestId('life-search').press('Enter');
    await page.getByTestId('life-bands').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('life-category').count()).toBeGreaterThan(0);
  });

  it('the coverage audit shows the share of households and aggregates; a planner gets proposals', async () => {
    const ctxPage = await openPage('/life?mode=audit&level=5&category=elderly_canteen');
    const page = ctxPage.page;
    const share = await page.getByTestId('life-share').innerText();
    expect(share).toMatch(/\d+\.\d%/);
    expect(await page.getByTestId('life-agg-community').locator('tbody tr').count()).toBe(server.dataset.communities.length);
    expect(await page.getByTestId('life-agg-grid').locator('tbody tr').count()).toBeGreaterThan(40);
    expect(await page.getByTestId('life-export-csv').getAttribute('href')).toContain('format=csv');
    expect(await page.getByTestId('life-propose').isDisabled()).toBe(true); // anonymous
    await page.screenshot({ path: `${ARTIFACTS}/life-audit-e2e.png` });

    // Sign in as the planner in the same browser context, then propose sites.
    const login = await page.request.post(server.baseUrl + '/api/auth/login', { data: { username: 't_planner', password: TEST_PASSWORD } });
    expect(login.status()).toBe(200);
    await page.reload();
    await page.waitForSelector('body[data-map-ready="true"]', { timeout: 120_000, state: 'attached' });
    await page.getByTestId('life-propose').click();
    await page.getByTestId('life-sites').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('life-sites').locator('li').count()).toBe(3);
    expect(await page.getByTestId('life-sites').innerText()).toMatch(/建议点 1：新增覆盖 [\d,]+ 户/);
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${ARTIFACTS}/life-sites.png` });
    expect(ctxPage.errors).toEqual([]);
  });
});
