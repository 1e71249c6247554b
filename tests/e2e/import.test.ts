/**
 * /import (数据导入) in headless Chromium against the real server and PostGIS, as t_admin (the
 * facilities sample spans two communities, so a community planner would be refused it):
 * an Amap (GCJ-02) GeoJSON of facilities is dry-run (GCJ-02 detected and asked to confirm, counts
 * as the API gives them, the preview map drawn, nothing written), then imported (written, the
 * database grows by the inserts reported) and imported again (updates, no duplicates); a GBK roster
 * CSV is dry-run into the households layer (Chinese headers decoded, per-row errors listed); a
 * truncated .osm.pbf and an unsupported file show a bilingual error, not a crash.
 * Screenshots: tests/artifacts/import-*.png.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, newTestPage, signInThroughForm, startE2e, stopE2e, type TestServer } from '../helpers/e2e.js';

let browser: Browser;
let server: TestServer;

beforeAll(async () => {
  // Its own database: the imports write facilities, which other files count.
  ({ server, browser } = await startE2e({ isolated: 'e2e_import' }));
});

afterAll(() => stopE2e(server, browser));

const SAMPLES = 'data/samples';
const FACILITIES = join(SAMPLES, 'facilities-gcj02.geojson');
const ROSTER = join(SAMPLES, 'roster-gbk.csv');

interface Counts { records: number; valid: number; errors: number; warnings: number; inserts: number; updates: number; repaired: number }
interface ApiResult {
  dryRun: boolean;
  written: boolean;
  encoding?: string;
  columns: string[];
  fields: Array<{ key: string; zh: string }>;
  counts: Counts;
  errors: Array<{ row: number; field?: string; zh: string; en: string }>;
  crs: { guess: { crs: string | null; confirm: boolean } | null };
  preview: { features: unknown[] };
}

async function signedIn(): Promise<{ ctx: BrowserContext; page: Page; errors: string[] }> {
  // Tall enough for the screenshots to show the error tables (the page scrolls inside <main>).
  const { ctx, page, errors } = await newTestPage(browser, { context: { viewport: { width: 1440, height: 1250 } } });
  await page.goto(server.baseUrl + '/import');
  await page.waitForURL(/\/login\?next=%2Fimport$/);
  await signInThroughForm(page, 't_admin');
  await page.waitForURL(server.baseUrl + '/import');
  await page.getByTestId('import-form').waitFor();
  return { ctx, page, errors };
}

/** The same upload through the API with the page's session (cookie shared by the context, CSRF from /me). */
async function apiImport(ctx: BrowserContext, file: string, query: string): Promise<ApiResult> {
  const me = (await (await ctx.request.get(server.baseUrl + '/api/auth/me')).json()) as { csrfToken: string };
  const res = await ctx.request.post(`${server.baseUrl}/api/import?${query}`, {
    headers: { 'X-CSRF-Token': me.csrfToken },
    multipart: { file: { name: file.split('/').pop()!, mimeType: 'application/octet-stream', buffer: readFileSync(file) } },
  });
  expect(res.status()).toBe(200);
  return (await res.json()) as ApiResult;
}

/** How the page names a row error's column: the geometry or a target field by its Chinese name, a file column as it is. */
const columnText = (r: ApiResult, field: string | undefined) =>
  field === 'geometry' ? '几何' : (r.fields.find((f) => f.key === field)?.zh ?? field ?? '');

const countsText = (c: Counts) =>
  `共 ${c.records} 条记录：可导入 ${c.valid}（新增 ${c.inserts}，更新 ${c.updates}），修复 ${c.repaired}，错误 ${c.errors}，警告 ${c.warnings}`;

async function amapFacilities(): Promise<number> {
  const [{ n }] = await server.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM facilities WHERE code LIKE 'AMAP-%'`);
  return n;
}

/** Runs the dry run and waits for its answer on the page. */
/** What an import the page started ended with, as the synchronous API would answer it. */
interface Outcome {
  status: number;
  url: string;
  json: () => Promise<unknown>;
}

/**
 * Clicks `button` and follows the upload it starts: the page asks for `async=1`, so the POST
 * answers 202 with a job (or a 4xx at once); the job's end is read as the page reads it
 * (`/api/jobs/:id`, same session) — done → 200 with the result, failed → 400 with the error.
 */
async function upload(page: Page, button: string): Promise<Outcome> {
  const answer = page.waitForResponse((r) => r.url().includes('/api/import?') && r.request().method() === 'POST');
  await page.getByTestId(button).click();
  const post = await answer;
  if (post.status() !== 202) return { status: post.status(), url: post.url(), json: () => post.json() as Promise<unknown> };
  const { job } = (await post.json()) as { job: { id: string } };
  for (;;) {
    const view = (await (await page.request.get(new URL(`/api/jobs/${job.id}`, post.url()).toString())).json()) as { status: string; result: unknown; error: unknown };
    if (view.status === 'done') return { status: 200, url: post.url(), json: async () => view.result };
    if (view.status === 'failed' || view.status === 'cancelled') return { status: 400, url: post.url(), json: async () => ({ error: view.error }) };
    await new Promise((r) => setTimeout(r, 100));
  }
}

const dryRun = (page: Page) => upload(page, 'import-dry-run');

describe('/import', () => {
  it('GCJ-02 facilities: dry run detects the system and previews, import writes, re-import updates', async () => {
    const { ctx, page, errors } = await signedIn();
    const file = JSON.parse(readFileSync(FACILITIES, 'utf8')) as { features: Array<{ properties: Record<string, string> }> };
    const fileCodes = file.features.map((f) => f.properties['编号']);
    const before = await amapFacilities();
    const totalBefore = (await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM facilities'))[0].n;

    // 1. Dry run.
    await page.getByTestId('import-layer').selectOption('facilities');
    expect(await page.getByTestId('import-crs').inputValue()).toBe('');
    expect(await page.getByTestId('import-file-name').innerText()).toBe('未选择文件');
    await page.getByTestId('import-file').setInputFiles(FACILITIES);
    expect(await page.getByTestId('import-file-name').innerText()).toBe('facilities-gcj02.geojson');
    expect(await page.getByTestId('import-run').isDisabled()).toBe(true);
    expect((await dryRun(page)).status).toBe(200);
    await page.getByTestId('import-result').waitFor();
    const api = await apiImport(ctx, FACILITIES, 'layer=facilities&dryRun=1');
    expect(api.counts.records).toBe(file.features.length);
    expect(api.counts.valid + api.counts.errors).toBe(file.features.length);
    expect(api.crs.guess).toMatchObject({ crs: 'GCJ02', confirm: true });
    expect(await page.getByTestId('import-counts').innerText()).toBe(countsText(api.counts));
    // GCJ-02 detected: suggested, preselected for the import, and the user is asked to confirm.
    expect(await page.getByTestId('import-crs-suggested').innerText()).toBe('识别结果：GCJ-02（高德、腾讯）');
    expect(await page.getByTestId('import-crs').inputValue()).toBe('GCJ02');
    expect(await page.getByTestId('import-crs-confirm').innerText()).toContain('GCJ-02');
    // The rows the API refuses are listed by row on the page.
    const errorRows = page.getByTestId('import-errors').locator('tbody tr');
    expect(await errorRows.count()).toBe(api.errors.length);
    for (const [i, e] of api.errors.entries()) {
      expect(await errorRows.nth(i).locator('td').allInnerTexts()).toEqual([String(e.row), columnText(api, e.field), e.zh]);
    }
    // The map preview is drawn with the previewed features.
    const map = page.getByTestId('import-preview-map');
    await page.waitForSelector('[data-testid="import-preview-map"][data-ready="true"]', { timeout: 60_000 });
    expect(Number(await map.getAttribute('data-count'))).toBe(api.preview.features.length);
    expect(api.preview.features.length).toBe(api.counts.valid);
    const canvas = (await map.locator('canvas').boundingBox())!;
    expect(canvas.width).toBeGreaterThan(300);
    expect(canvas.height).toBeGreaterThan(300);
    await page.screenshot({ path: `${ARTIFACTS}/import-dry-run.png` });
    // Nothing written by either dry run.
    expect(await amapFacilities()).toBe(before);
    expect(await page.locator('[data-testid="import-done"]').count()).toBe(0);

    // 2. Import for real (with the confirmed GCJ-02).
    expect(await page.getByTestId('import-run').isEnabled()).toBe(true);
    const write = await upload(page, 'import-run');
    const written = (await write.json()) as ApiResult;
    expect(write.url).toContain('crs=GCJ02');
    expect(written).toMatchObject({ dryRun: false, written: true });
    expect(written.counts.inserts + written.counts.updates).toBe(api.counts.valid);
    await page.getByTestId('import-done').waitFor();
    expect(await page.getByTestId('import-done').innerText()).toMatch(
      new RegExp(`^导入完成：新增 ${written.counts.inserts}，更新 ${written.counts.updates}，用时 \\d+ 毫秒。$`),
    );
    expect(await amapFacilities()).toBe(before + written.counts.inserts);
    const [{ n: totalAfter }] = await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM facilities');
    expect(totalAfter).toBe(totalBefore + written.counts.inserts);
    const [{ n: stored }] = await server.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM facilities WHERE code = ANY ($1::text[])`, [fileCodes]);
    expect(stored).toBe(api.counts.valid);
    await page.screenshot({ path: `${ARTIFACTS}/import-result.png` });

    // Re-import of the same file: every valid row is an update, no duplicates.
    expect((await dryRun(page)).status).toBe(200);
    await page.waitForFunction((t) => document.querySelector('[data-testid="import-counts"]')?.textContent === t,
      countsText({ ...api.counts, inserts: 0, updates: api.counts.valid }));
    const second = (await (await upload(page, 'import-run')).json()) as ApiResult;
    expect(second.counts).toMatchObject({ inserts: 0, updates: api.counts.valid });
    await page.waitForFunction((t) => document.querySelector('[data-testid="import-done"]')?.textContent?.startsWith(t), `导入完成：新增 0，更新 ${api.counts.valid}，`);
    expect(await amapFacilities()).toBe(before + written.counts.inserts);
    expect((await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM facilities'))[0].n).toBe(totalAfter);

    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('GBK roster CSV: Chinese headers decoded into the mapping, per-row errors listed, nothing written', async () => {
    const { ctx, page, errors } = await signedIn();
    const [{ n: rostersBefore }] = await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM building_unit_rosters');
    await page.getByTestId('import-layer').selectOption('households');
    await page.getByTestId('import-file').setInputFiles(ROSTER);
    expect((await dryRun(page)).status).toBe(200);
    await page.getByTestId('import-result').waitFor();
    const api = await apiImport(ctx, ROSTER, 'layer=households&dryRun=1');
    expect(api.encoding).toBe('gb18030');
    expect(api.columns).toEqual(['社区', '小区', '楼栋号', '单元', '户数', '人口', '党员数']);

    expect(await page.getByTestId('import-encoding').innerText()).toBe('文本编码：gb18030');
    expect(await page.getByTestId('import-counts').innerText()).toBe(countsText(api.counts));
    // The mapping offers the decoded headers and preselects them.
    const building = page.getByTestId('map-building');
    expect(await building.inputValue()).toBe('楼栋号');
    expect(await building.locator('option').allInnerTexts()).toEqual(['— 不导入 —', ...api.columns]);
    expect(await page.getByTestId('map-households').inputValue()).toBe('户数');
    expect(await page.getByTestId('import-mapping').innerText()).not.toMatch(/\uFFFD/);
    // The sample has bad rows: each is listed with its row, column and Chinese reason.
    expect(api.counts.errors).toBeGreaterThan(0);
    const rows = page.getByTestId('import-errors').locator('tbody tr');
    expect(await rows.count()).toBe(api.counts.errors);
    for (const [i, e] of api.errors.entries()) {
      expect(await rows.nth(i).locator('td').allInnerTexts()).toEqual([String(e.row), columnText(api, e.field), e.zh]);
    }
    // Columns are named in Chinese (a field key such as "building" by its name 楼栋号).
    for (const c of await rows.locator('td:nth-child(2)').allInnerTexts()) expect(c).toMatch(/^[\u3400-\u9fff]+$/);
    // No geometry on this layer: the preview says so instead of an empty map.
    expect(await page.getByTestId('import-result').innerText()).toContain('此图层没有几何可预览');
    await page.screenshot({ path: `${ARTIFACTS}/import-roster.png` });
    expect((await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM building_unit_rosters'))[0].n).toBe(rostersBefore);
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('a truncated .osm.pbf and an unsupported file show a bilingual error, not a crash', async () => {
    const { ctx, page, errors } = await signedIn();
    const dir = mkdtempSync(join(tmpdir(), 'ga-import-'));
    const pbf = readFileSync(join(SAMPLES, 'yantai-sample.osm.pbf'));
    const cut = join(dir, 'cut.osm.pbf');
    writeFileSync(cut, pbf.subarray(0, pbf.length - 100));
    await page.getByTestId('import-layer').selectOption('buildings');
    await page.getByTestId('import-file').setInputFiles(cut);
    expect((await dryRun(page)).status).toBe(400);
    const error = page.getByTestId('import-error');
    await error.waitFor();
    expect(await error.innerText()).toMatch(/损坏/);
    expect(await error.innerText()).not.toMatch(/corrupt| \/ /); // the Chinese half only
    expect(await page.locator('[data-testid="import-result"]').count()).toBe(0);
    expect(await page.getByTestId('import-run').isDisabled()).toBe(true);
    await page.screenshot({ path: `${ARTIFACTS}/import-error.png` });
    // The same error in English after switching the language.
    await page.getByTestId('lang-toggle').click();
    await page.waitForFunction(() => /corrupt/.test(document.querySelector('[data-testid="import-error"]')?.textContent ?? ''));
    expect(await error.innerText()).not.toMatch(/[\u3400-\u9fff]/);
    await page.getByTestId('lang-toggle').click();
    await page.waitForFunction(() => /损坏/.test(document.querySelector('[data-testid="import-error"]')?.textContent ?? ''));

    // A file type the importer does not read.
    const doc = join(dir, 'notes.doc');
    writeFileSync(doc, 'not a table');
    await page.getByTestId('import-file').setInputFiles(doc);
    // Choosing another file clears the old error.
    expect(await page.locator('[data-testid="import-error"]').count()).toBe(0);
    expect((await dryRun(page)).status).toBe(400);
    await page.waitForFunction(() => /不支持的文件类型/.test(document.querySelector('[data-testid="import-error"]')?.textContent ?? ''));
    expect(await page.getByTestId('import-form').isVisible()).toBe(true);

    // The only console errors are the two refused uploads.
    expect(errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
    expect(errors.length).toBeLessThanOrEqual(2);
    await ctx.close();
  });
});
