/**
 * The grid planner in real headless Chromium: a community planner signs in through the form,
 * creates a draft from the published plan, picks a paint grid, moves a building of a neighbouring
 * grid into it (a real click on the map, then the test hook that shares the click's code path),
 * sees both grids' household tallies change, publishes with a reason, and the plan list shows it
 * published. The e2e files share one database, so the original published plan is restored at the
 * end (a copy published by t_admin). Screenshots: tests/artifacts/planner-*.png.
 */
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ARTIFACTS, e2eRestoringPublishedPlan, newTestPage, openNewDraft, signInThroughForm, type TestServer } from '../helpers/e2e.js';

let browser: Browser;
let server: TestServer;
e2eRestoringPublishedPlan('restore the demo plan after the planner e2e test', (env) => ({ server, browser } = env));

const households = async (page: Page, grid: string) =>
  Number(await page.locator(`[data-testid="tally-row"][data-grid="${grid}"]`).getAttribute('data-households'));

describe('planner in the browser', () => {
  it('a planner drafts, moves a building, sees the tallies change and publishes with a reason', async () => {
    const ds = server.dataset;
    const community = ds.communities[0].code;
    const grids = ds.plan.grids.filter((g) => g.communityCode === community && g.kind === 'basic');
    const residential = new Set(ds.buildings.filter((b) => b.households > 0).map((b) => b.code));
    const [from, to] = [grids[0], grids[1]];

    const { ctx, page, errors } = await newTestPage(browser);
    await page.goto(server.baseUrl + '/planner');
    await page.waitForURL(/\/login\?next=%2Fplanner$/);
    await signInThroughForm(page, 't_planner');
    await page.waitForURL(server.baseUrl + '/planner');
    await page.waitForSelector('[data-testid="planner-page"][data-state="ready"]');

    const { planId } = await openNewDraft(page);
    // A residential building that the draft puts in `from`.
    const detail = (await (await ctx.request.get(`${server.baseUrl}/api/plans/${planId}`)).json()) as { assignments: { building: string; grid: string }[] };
    const building = detail.assignments.find((a) => a.grid === from.code && residential.has(a.building))!.building;
    const hh = ds.buildings.find((b) => b.code === building)!.households;
    await page.locator(`[data-testid="tally-row"][data-grid="${to.code}"]`).waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="tally-row"][data-households]:not([data-households="0"])').length > 0);
    await page.waitForTimeout(1000); // map fit and first draw
    await page.click(`[data-testid="tally-row"][data-grid="${to.code}"]`);
    await page.click('[data-testid="tool-paint"]');
    const before = { from: await households(page, from.code), to: await households(page, to.code) };
    await page.screenshot({ path: `${ARTIFACTS}/planner-draft.png` });

    const mid = before;
    // The test hook: the same code path as a click.
    await page.evaluate((code) => window.__gridatlas!.planner!.assign(code), building);
    await page.waitForFunction(
      ([g, n]) => Number(document.querySelector(`[data-testid="tally-row"][data-grid="${g}"]`)?.getAttribute('data-households')) === n,
      [to.code, mid.to + hh] as const,
    );
    expect(await households(page, from.code)).toBe(mid.from - hh);
    await page.waitForSelector('[data-testid="plan-editor"][data-saving="false"]');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="plan-editor"]')?.getAttribute('data-version')) >= 2);
    expect(before.from).toBeGreaterThan(0);
    await page.screenshot({ path: `${ARTIFACTS}/planner-assigned.png` });

    // A real click on another building of `from`, at its on-screen centre.
    const second = detail.assignments.find((a) => a.grid === from.code && a.building !== building && residential.has(a.building))!.building;
    const hh2 = ds.buildings.find((b) => b.code === second)!.households;
    const pt = await page.evaluate((code) => window.__gridatlas!.planner!.screenPoint(code), second);
    expect(pt).not.toBeNull();
    const fromNow = await households(page, from.code);
    await page.locator('[data-testid="planner-map"]').click({ position: { x: Math.round(pt!.x), y: Math.round(pt!.y) } });
    await page.waitForFunction(
      ([g, n]) => Number(document.querySelector(`[data-testid="tally-row"][data-grid="${g}"]`)?.getAttribute('data-households')) === n,
      [from.code, fromNow - hh2] as const,
    );
    expect(await households(page, to.code)).toBe(mid.to + hh + hh2);
    await page.waitForSelector('[data-testid="plan-editor"][data-saving="false"]');
    await page.screenshot({ path: `${ARTIFACTS}/planner-clicked.png` });

    await page.click('[data-testid="publish-open"]');
    await page.waitForSelector('[data-testid="publish-dialog"]');
    await page.fill('[data-testid="publish-reason"]', '端到端测试：调整楼栋归属');
    await page.screenshot({ path: `${ARTIFACTS}/planner-publish.png` });
    await page.click('[data-testid="publish-submit"]');
    await page.waitForSelector('[data-testid="publish-dialog"]', { state: 'detached' });
    await page.waitForSelector('[data-testid="plan-status"] >> text=已发布');

    const list = (await (await ctx.request.get(server.baseUrl + '/api/plans')).json()) as { id: number; status: string }[];
    expect(list.find((p) => p.id === planId)?.status).toBe('published');
    await page.screenshot({ path: `${ARTIFACTS}/planner-published.png` });
    expect(errors).toEqual([]);
    await ctx.close();
  });
});
