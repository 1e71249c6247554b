/**
 * Geometric editing in the planner, in real headless Chromium with real mouse input: a community
 * planner signs in, creates a draft, reshapes a grid by dragging one of its vertices (terra-draw,
 * at the vertex's projected screen point) so that a neighbouring building's centroid falls inside,
 * sees the grid's household tally change (and times it), splits a grid with a drawn line, undoes
 * the split with Ctrl+Z, and publishes (with a reason when the plan has errors). The server's state
 * is checked after each step and after publishing. The original published plan is restored at the
 * end (the e2e files share one database). Screenshots: tests/artifacts/planner-edit-*.png.
 */
import { booleanPointInPolygon, centroid, kinks, lineString, pointToLineDistance, polygon as turfPolygon } from '@turf/turf';
import type { APIRequestContext, Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ARTIFACTS, e2eRestoringPublishedPlan, newTestPage, openNewDraft, signInThroughForm, type TestServer } from '../helpers/e2e.js';

type Pos = [number, number];
type Area = { type: 'Polygon'; coordinates: Pos[][] } | { type: 'MultiPolygon'; coordinates: Pos[][][] };
interface GridFeature { geometry: Area; properties: { code: string; kind: string; communityCode: string; households: number; locked?: boolean } }
interface PlanDetail { version: number; plan: { status: string }; grids: { features: GridFeature[] }; assignments: { building: string; grid: string }[] }

let browser: Browser;
let server: TestServer;
e2eRestoringPublishedPlan('restore the demo plan after the planner edit e2e test', (env) => ({ server, browser } = env));

const rowHouseholds = async (page: Page, grid: string) =>
  Number(await page.locator(`[data-testid="tally-row"][data-grid="${grid}"]`).getAttribute('data-households'));
const planOf = async (req: APIRequestContext, id: number) => (await (await req.get(`${server.baseUrl}/api/plans/${id}`)).json()) as PlanDetail;
const settled = (page: Page) => page.waitForSelector('[data-testid="plan-editor"][data-saving="false"]');
/** The draft's tallies are in and the map has had time to fit and draw. */
const tallied = async (page: Page) => {
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="tally-row"]:not([data-households="0"])').length > 0);
  await page.waitForTimeout(1500); // map fit and first draw
};

/** The part the reshape tool edits (largest outer ring), as web/pages/planner/grid-draw.ts. */
function editedRing(g: Area): Pos[] {
  if (g.type === 'Polygon') return g.coordinates[0];
  const area = (r: Pos[]) => Math.abs(r.slice(0, -1).reduce((s, p, i) => s + p[0] * r[i + 1][1] - r[i + 1][0] * p[1], 0));
  return [...g.coordinates].sort((a, b) => area(b[0]) - area(a[0]))[0][0];
}

/** Snap lines near a point (m): other grids' rings and roads, so the dragged vertex lands where we drop it. */
function clearance(pt: Pos, lines: Pos[][]): number {
  let d = Infinity;
  for (const l of lines) if (l.length >= 2) d = Math.min(d, pointToLineDistance(pt, lineString(l), { units: 'meters' }));
  return d;
}

describe('planner geometric editing in the browser', () => {
  it('reshapes a grid by dragging a vertex, splits a grid, undoes with Ctrl+Z and publishes', async () => {
    const ds = server.dataset;
    const community = ds.communities[0].code;
    const { ctx, page, errors } = await newTestPage(browser);

    await page.goto(server.baseUrl + '/planner');
    await page.waitForURL(/\/login\?next=%2Fplanner$/);
    await signInThroughForm(page, 't_planner');
    await page.waitForSelector('[data-testid="planner-page"][data-state="ready"]');
    const { editor, planId } = await openNewDraft(page);
    await tallied(page);

    // ——— Choose a vertex drag that pulls a neighbouring building's centroid into a grid ———
    const draft = await planOf(ctx.request, planId);
    const grids = draft.grids.features.filter((g) => g.properties.communityCode === community);
    const roads = ((await (await ctx.request.get(`${server.baseUrl}/api/layers/roads?community=${community}`)).json()) as { features: { geometry: { coordinates: Pos[] } }[] }).features.map((f) => f.geometry.coordinates);
    const buildingFc = (await (await ctx.request.get(`${server.baseUrl}/api/layers/buildings?community=${community}`)).json()) as { features: { geometry: Area; properties: { code: string; households: number } }[] };
    const gridOf = new Map(draft.assignments.map((a) => [a.building, a.grid]));
    const mPerPx = await page.evaluate(() => {
      const h = window.__gridatlas!.planner!;
      const a = h.project(121.4, 37.54)!, b = h.project(121.401, 37.54)!;
      return (0.001 * 111_320 * Math.cos((37.54 * Math.PI) / 180)) / Math.abs(b.x - a.x);
    });
    type Pick = { grid: string; index: number; target: Pos; building: string; len: number };
    let pick: Pick | null = null;
    for (const g of grids.filter((x) => x.properties.kind === 'basic' && !x.properties.locked)) {
      const ring = editedRing(g.geometry);
      const others = grids.filter((x) => x !== g).flatMap((x) => (x.geometry.type === 'Polygon' ? x.geometry.coordinates : x.geometry.coordinates.flat()));
      for (const b of buildingFc.features) {
        const owner = gridOf.get(b.properties.code);
        if (!owner || owner === g.properties.code || b.properties.households === 0) continue;
        const c = centroid(b.geometry as never).geometry.coordinates as Pos;
        for (let i = 0; i < ring.length - 1; i++) {
          const v = ring[i];
          const target: Pos = [c[0] + (c[0] - v[0]) * 0.25, c[1] + (c[1] - v[1]) * 0.25];
          const len = Math.hypot(target[0] - v[0], target[1] - v[1]);
          if (pick && len >= pick.len) continue;
          const next = ring.map((p, j) => (j === i || (i === 0 && j === ring.length - 1) ? target : p));
          const poly = turfPolygon([next]);
          if (kinks(poly).features.length > 0 || !booleanPointInPolygon(c, poly)) continue;
          if (clearance(target, [...others, ...roads]) < 20 * mPerPx) continue;
          pick = { grid: g.properties.code, index: i, target, building: b.properties.code, len };
        }
      }
    }
    expect(pick, 'a vertex drag that captures a building').not.toBeNull();
    const { grid, index, target } = pick!;

    // ——— Reshape: real mouse drag of the vertex ———
    await page.click(`[data-testid="tally-row"][data-grid="${grid}"]`);
    await page.click('[data-testid="tool-reshape"]');
    await page.waitForFunction(() => window.__gridatlas!.planner!.vertices().length > 2);
    const box = (await page.locator('[data-testid="planner-map"]').boundingBox())!;
    const from = (await page.evaluate((i) => window.__gridatlas!.planner!.vertices()[i], index))!;
    const to = (await page.evaluate(([x, y]) => window.__gridatlas!.planner!.project(x, y), target))!;
    const before = await rowHouseholds(page, grid);
    const versionBefore = draft.version;
    await page.screenshot({ path: `${ARTIFACTS}/planner-edit-reshape-before.png` });
    await page.mouse.move(box.x + from.x, box.y + from.y);
    await page.mouse.down();
    for (let s = 1; s <= 10; s++) await page.mouse.move(box.x + from.x + ((to.x - from.x) * s) / 10, box.y + from.y + ((to.y - from.y) * s) / 10);
    await page.mouse.up();
    // The optimistic tally first, then the server's answer.
    await page.waitForFunction(([g, n]) => Number(document.querySelector(`[data-testid="tally-row"][data-grid="${g}"]`)?.getAttribute('data-households')) !== n, [grid, before] as const);
    const latency = await page.evaluate(() => new Promise<number | null>((r) => setTimeout(() => r(window.__gridatlas!.planner!.lastTallyMs), 300)));
    console.log(`planner-edit: tally update after the reshape drag: ${latency} ms (optimistic, before the server's answer)`);
    await settled(page);
    await page.waitForFunction((v) => Number(document.querySelector('[data-testid="plan-editor"]')?.getAttribute('data-version')) > v, versionBefore);
    const afterReshape = await planOf(ctx.request, planId);
    const serverHh = afterReshape.grids.features.find((g) => g.properties.code === grid)!.properties.households;
    expect(serverHh).toBeGreaterThan(before);
    expect(afterReshape.assignments.find((a) => a.building === pick!.building)?.grid).toBe(grid);
    expect(await rowHouseholds(page, grid)).toBe(serverHh);
    await page.screenshot({ path: `${ARTIFACTS}/planner-edit-reshaped.png` });

    // ——— Split: draw a line across a basic grid through its centre ———
    const rowsBefore = await page.locator('[data-testid="tally-row"]').count();
    const target2 = afterReshape.grids.features.find((g) => g.properties.communityCode === community && g.properties.kind === 'basic' && g.properties.code !== grid && !g.properties.locked)!;
    const ring2 = editedRing(target2.geometry);
    const xs = ring2.map((p) => p[0]), ys = ring2.map((p) => p[1]);
    const mid: Pos = centroid(turfPolygon([ring2])).geometry.coordinates as Pos;
    const pad = (Math.max(...xs) - Math.min(...xs)) * 0.15;
    const a = (await page.evaluate(([x, y]) => window.__gridatlas!.planner!.project(x, y), [Math.min(...xs) - pad, mid[1]] as Pos))!;
    const b = (await page.evaluate(([x, y]) => window.__gridatlas!.planner!.project(x, y), [Math.max(...xs) + pad, mid[1]] as Pos))!;
    expect(Math.min(...ys)).toBeLessThan(mid[1]);
    await page.click(`[data-testid="tally-row"][data-grid="${target2.properties.code}"]`);
    await page.click('[data-testid="tool-split"]');
    const versionSplit = Number(await editor.getAttribute('data-version'));
    await page.mouse.click(box.x + a.x, box.y + a.y);
    await page.mouse.move(box.x + (a.x + b.x) / 2, box.y + a.y);
    await page.mouse.click(box.x + b.x, box.y + b.y);
    await page.mouse.click(box.x + b.x, box.y + b.y); // a second click on the last point finishes the line
    await page.waitForFunction((v) => Number(document.querySelector('[data-testid="plan-editor"]')?.getAttribute('data-version')) > v, versionSplit);
    await settled(page);
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="tally-row"]').length === n + 1, rowsBefore);
    const afterSplit = await planOf(ctx.request, planId);
    expect(afterSplit.grids.features.filter((g) => g.properties.communityCode === community)).toHaveLength(rowsBefore + 1);
    await page.screenshot({ path: `${ARTIFACTS}/planner-edit-split.png` });

    // ——— Undo the split with Ctrl+Z ———
    await page.click('[data-testid="tool-select"]');
    await page.locator('[data-testid="planner-map"]').click({ position: { x: 5, y: 5 } }); // focus leaves the buttons
    await page.keyboard.press('Control+z');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="tally-row"]').length === n, rowsBefore);
    await settled(page);
    const afterUndo = await planOf(ctx.request, planId);
    const undone = afterUndo.grids.features.filter((g) => g.properties.communityCode === community);
    expect(undone).toHaveLength(rowsBefore);
    expect(undone.find((g) => g.properties.code === target2.properties.code)?.properties.households).toBe(target2.properties.households);
    expect(undone.find((g) => g.properties.code === grid)?.properties.households).toBe(serverHh);
    await page.screenshot({ path: `${ARTIFACTS}/planner-edit-undone.png` });

    // ——— Publish (a reason when the plan has errors) ———
    await page.click('[data-testid="publish-open"]');
    await page.waitForSelector('[data-testid="publish-dialog"]');
    const validation = (await (await ctx.request.get(`${server.baseUrl}/api/plans/${planId}/validate`)).json()) as { errors: number };
    if (validation.errors > 0) await page.fill('[data-testid="publish-reason"]', '端到端测试：调整网格边界');
    await page.screenshot({ path: `${ARTIFACTS}/planner-edit-publish.png` });
    await page.click('[data-testid="publish-submit"]');
    await page.waitForSelector('[data-testid="publish-dialog"]', { state: 'detached' });
    await page.waitForSelector('[data-testid="plan-status"] >> text=已发布');

    const [row] = await server.db.query<{ id: number; status: string; reason: string | null }>(
      `SELECT id, status, publish_reason AS reason FROM grid_plans WHERE status = 'published'`,
    );
    expect(row.id).toBe(planId);
    if (validation.errors > 0) expect(row.reason).toBe('端到端测试：调整网格边界');
    const published = await planOf(ctx.request, planId);
    expect(published.plan.status).toBe('published');
    expect(published.grids.features.find((g) => g.properties.code === grid)?.properties.households).toBe(serverHh);
    expect(published.assignments.find((x) => x.building === pick!.building)?.grid).toBe(grid);
    await page.screenshot({ path: `${ARTIFACTS}/planner-edit-published.png` });
    expect(errors).toEqual([]);
    await ctx.close();
  }, 400_000);

  it('draws a grid, merges and deletes grids, and Ctrl+Z undoes all three back to the draft', async () => {
    const community = server.dataset.communities[0].code;
    // Uncaught page errors only (console errors are not collected in this test).
    const { ctx, page, errors } = await newTestPage(browser, { consoleErrors: false });
    await page.goto(server.baseUrl + '/login?next=%2Fplanner');
    await signInThroughForm(page, 't_planner');
    await page.waitForSelector('[data-testid="planner-page"][data-state="ready"]');
    const { planId } = await openNewDraft(page);
    await tallied(page);
    const households = (d: PlanDetail) =>
      Object.fromEntries(d.grids.features.filter((g) => g.properties.communityCode === community).map((g) => [g.properties.code, g.properties.households]));
    const draftPlan = await planOf(ctx.request, planId);
    const original = households(draftPlan);
    const count = () => page.locator('[data-testid="tally-row"]').count();
    const waitRows = (n: number) => page.waitForFunction((k) => document.querySelectorAll('[data-testid="tally-row"]').length === k, n);
    const n0 = await count();

    // Draw: four clicks and a click on the first point to close.
    await page.click('[data-testid="tool-draw"]');
    const box = (await page.locator('[data-testid="planner-map"]').boundingBox())!;
    const cx = box.x + box.width * 0.75, cy = box.y + box.height * 0.72;
    for (const [dx, dy] of [[-40, -30], [40, -30], [40, 30], [-40, 30], [-40, -30]]) {
      await page.mouse.click(cx + dx, cy + dy);
      await page.waitForTimeout(250);
    }
    await page.screenshot({ path: `${ARTIFACTS}/planner-edit-drawn.png` });
    await waitRows(n0 + 1).catch(async (e: unknown) => {
      throw new Error(`no new grid after drawing: ${await page.locator('[data-testid="planner-error"]').textContent().catch(() => '')} ${String(e)}`);
    });
    await settled(page);
    const codes = await page.locator('[data-testid="tally-row"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-grid')!));
    const drawn = codes.find((c) => !(c in original))!;
    expect(drawn).toBeTruthy();

    // Merge two basic grids with the toolbar.
    const basics = draftPlan.grids.features
      .filter((g) => g.properties.communityCode === community && g.properties.kind === 'basic' && !g.properties.locked)
      .map((g) => g.properties.code)
      .sort()
      .slice(0, 2);
    await page.click('[data-testid="tool-merge"]');
    await page.click(`[data-testid="tally-row"][data-grid="${basics[0]}"]`);
    await page.click(`[data-testid="tally-row"][data-grid="${basics[1]}"]`);
    await page.click('[data-testid="merge-do"]');
    await waitRows(n0);
    await settled(page);
    expect(await rowHouseholds(page, basics[0])).toBe(original[basics[0]] + original[basics[1]]);

    // Delete the drawn grid into its nearest neighbour.
    await page.click('[data-testid="tool-delete"]');
    await page.click(`[data-testid="tally-row"][data-grid="${drawn}"]`);
    await page.click('[data-testid="delete-do"]');
    await waitRows(n0 - 1);
    await settled(page);
    await page.screenshot({ path: `${ARTIFACTS}/planner-edit-merged-deleted.png` });

    // Ctrl+Z three times: back to the draft as created.
    await page.click('[data-testid="tool-select"]');
    for (const n of [n0, n0 + 1, n0]) {
      await page.keyboard.press('Control+z');
      await waitRows(n);
      await settled(page);
    }
    const back = await planOf(ctx.request, planId);
    expect(households(back)).toEqual(original);
    for (const [code, hh] of Object.entries(original)) expect(await rowHouseholds(page, code)).toBe(hh);
    await page.screenshot({ path: `${ARTIFACTS}/planner-edit-undo3.png` });
    expect(errors).toEqual([]);
    await ctx.close();
  }, 400_000);
});
