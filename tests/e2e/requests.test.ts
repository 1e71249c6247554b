/**
 * Resident requests in real headless Chromium: with a demo year of requests seeded, a community
 * planner opens the dispatch board, sees columns by status with overdue cards highlighted and
 * dispatches a new report to the grid's workers; the grid worker of that grid accepts and resolves
 * it with a note from "my grids"; the map tab shows open requests and the heat of a period.
 * Screenshots: tests/artifacts/requests-*.png.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoRequests } from '../../data/seed-requests.js';
import { PUBLISHED_PLAN_SQL } from '../../server/repos/sql-params.js';
import { ARTIFACTS, newTestPage, signInThroughForm, startE2e, stopE2e, type TestServer } from '../helpers/e2e.js';

let browser: Browser;
let server: TestServer;

beforeAll(async () => {
  ({ server, browser } = await startE2e());
  const [{ n }] = await server.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM requests WHERE reported_by LIKE 'demo-%'`);
  if (n === 0) await server.db.transaction((tx) => seedDemoRequests(tx, { seed: 1, endMs: Date.now() }));
});

afterAll(() => stopE2e(server, browser));

async function signedIn(username: string): Promise<{ page: Page; errors: string[]; close: () => Promise<void> }> {
  const { ctx, page, errors } = await newTestPage(browser, { context: { viewport: { width: 1600, height: 900 } } });
  await page.goto(server.baseUrl + '/requests');
  await page.waitForURL(/\/login\?next=%2Frequests$/);
  await signInThroughForm(page, username);
  await page.waitForURL(server.baseUrl + '/requests');
  await page.waitForSelector('[data-testid="requests-page"][data-state="ready"]');
  return { page, errors, close: () => ctx.close() };
}

const card = (page: Page, status: string, id: number) =>
  page.locator(`[data-testid="board-column"][data-status="${status}"] [data-testid="request-card"][data-id="${id}"]`);

describe('resident requests in the browser', () => {
  it('planner dispatches on the board, grid worker accepts and resolves, the map shows open requests and heat', async () => {
    const ds = server.dataset;
    const grid = ds.plan.grids.find((g) => g.communityCode === ds.communities[0].code)!.code;
    const [{ lon, lat }] = await server.db.query<{ lon: number; lat: number }>(
      `SELECT ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM grids WHERE code = $1 AND plan_id = ${PUBLISHED_PLAN_SQL}`,
      [grid],
    );

    // 1. The planner's board, then the map tab.
    const planner = await signedIn('t_planner');
    const p = planner.page;
    expect(await p.getAttribute('[data-testid="requests-page"]', 'data-tab')).toBe('board');
    for (const s of ['reported', 'dispatched', 'accepted', 'resolved', 'rated']) {
      await p.waitForSelector(`[data-testid="board-column"][data-status="${s}"]`);
    }
    const overdueCards = await p.locator('[data-testid="request-card"][data-overdue="true"]').count();
    const [{ overdue }] = await server.db.query<{ overdue: number }>(
      `SELECT count(*)::int AS overdue FROM requests r JOIN communities c ON c.id = r.community_id
       WHERE c.code = $1 AND r.status IN ('reported','dispatched','accepted') AND r.due_at < now()`,
      [ds.communities[0].code],
    );
    // Overdue cards are highlighted (the board shows the latest 60 of each column).
    if (overdue > 0) expect(overdueCards).toBeGreaterThan(0);
    expect(overdueCards).toBeLessThanOrEqual(overdue);
    if (overdueCards > 0) {
      const border = await p.locator('[data-testid="request-card"][data-overdue="true"]').first().evaluate((el) => getComputedStyle(el).borderTopColor);
      expect(border).toBe('rgb(255, 59, 48)');
    }
    await p.screenshot({ path: `${ARTIFACTS}/requests-board.png` });

    await p.click('[data-testid="tab-map"]');
    await p.waitForSelector('[data-testid="requests-maptab"][data-ready="true"]', { timeout: 60_000 });
    await p.waitForFunction(() => Number(document.querySelector('[data-testid="requests-maptab"]')?.getAttribute('data-heat-count')) > 0);
    const mapBox = (await p.locator('[data-testid="requests-map"]').boundingBox())!;
    expect(Number(await p.getAttribute('[data-testid="requests-maptab"]', 'data-open-count'))).toBeGreaterThan(0);
    await p.screenshot({ path: `${ARTIFACTS}/requests-map.png` });
    expect(mapBox.width).toBeGreaterThan(600);

    // A new request through the signed-in browser session (the map form makes the same call).
    const created = await p.evaluate(async ([x, y]) => {
      const me = await (await fetch('/api/auth/me')).json();
      const res = await fetch('/api/requests', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
        body: JSON.stringify({ category: 'repair', description: 'E2E 单元门闭门器损坏', channel: 'resident', lon: x, lat: y }),
      });
      return (await res.json()) as { id: number; gridCode: string };
    }, [lon, lat]);
    expect(created.gridCode).toBe(grid);

    // 2. Dispatch it on the board to the grid's workers.
    await p.click('[data-testid="tab-board"]');
    await card(p, 'reported', created.id).waitFor();
    await card(p, 'reported', created.id).locator('[data-testid="act-dispatch"]').click();
    await p.waitForSelector('[data-testid="step-dialog"]');
    expect(await p.inputValue('[data-testid="step-assignee"]')).toBe(`grid_worker:${grid}`);
    await p.screenshot({ path: `${ARTIFACTS}/requests-dispatch-dialog.png` });
    await p.click('[data-testid="step-submit"]');
    await card(p, 'dispatched', created.id).waitFor();
    expect(await card(p, 'reported', created.id).count()).toBe(0);
    expect(planner.errors).toEqual([]);
    await planner.close();

    // 3. The grid worker accepts and resolves it with a note.
    const worker = await signedIn('t_grid_worker');
    const w = worker.page;
    expect(await w.getAttribute('[data-testid="requests-page"]', 'data-tab')).toBe('mine');
    await card(w, 'dispatched', created.id).locator('[data-testid="act-accept"]').click();
    await card(w, 'accepted', created.id).waitFor();
    await card(w, 'accepted', created.id).locator('[data-testid="act-resolve"]').click();
    await w.waitForSelector('[data-testid="step-dialog"]');
    await w.click('[data-testid="step-submit"]');
    // Without a note the server refuses (note_required) and the dialog says so.
    await w.waitForSelector('[data-testid="step-error"]');
    await w.fill('[data-testid="step-note"]', '已更换闭门器');
    await w.screenshot({ path: `${ARTIFACTS}/requests-resolve-dialog.png` });
    await w.click('[data-testid="step-submit"]');
    await w.waitForFunction((id) => !document.querySelector(`[data-testid="request-card"][data-id="${id}"]`), created.id);
    await w.screenshot({ path: `${ARTIFACTS}/requests-mine.png` });
    expect(worker.errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
    await worker.close();

    const [row] = await server.db.query<{ status: string; steps: string[] }>(
      `SELECT r.status, array_agg(e.step ORDER BY e.at, e.id) AS steps FROM requests r JOIN request_events e ON e.request_id = r.id WHERE r.id = $1 GROUP BY r.status`,
      [created.id],
    );
    expect(row).toEqual({ status: 'resolved', steps: ['report', 'dispatch', 'accept', 'resolve'] });
  });
});
