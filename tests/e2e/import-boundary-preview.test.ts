/**
 * The boundary dry run's map preview on the /import page, from an empty deployment (the first
 * thing a new deployment imports): Monaco's district, street and six quartiers drawn as outlines by
 * level where they land, with a legend of the counts; desktop (1440×900) and phone (390×844).
 * Screenshots: tests/artifacts/import-boundary-preview-{desktop,phone}.png.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, newTestPage, signInThroughForm, startE2e, stopE2e, type TestServer } from '../helpers/e2e.js';

let browser: Browser;
let server: TestServer;

beforeAll(async () => {
  ({ server, browser } = await startE2e({ isolated: 'e2e_import_bpreview', empty: true }));
});
afterAll(() => stopE2e(server, browser));

const FILE = 'data/samples/osm-monaco/monaco-quartiers.geojson';

describe('boundary preview on /import', () => {
  for (const [name, viewport, mobile] of [['desktop', { width: 1440, height: 900 }, false], ['phone', { width: 390, height: 844 }, true]] as const) {
    it(`${name}: the outlines by level, framed, with the legend; nothing written`, async () => {
      const { ctx, page, errors } = await newTestPage(browser, { context: { viewport, isMobile: mobile, hasTouch: mobile, deviceScaleFactor: mobile ? 2 : 1 } });
      await page.goto(server.baseUrl + '/import');
      await page.waitForURL(/\/login/);
      await signInThroughForm(page, 't_admin');
      await page.waitForURL(/\/import$/);
      await page.getByTestId('import-layer').selectOption('boundaries');
      await page.getByTestId('import-file').setInputFiles(FILE);
      await page.getByTestId('import-crs').selectOption('EPSG:4326');
      await page.getByTestId('import-dry-run').click();
      const map = page.getByTestId('import-preview-map');
      await map.waitFor({ timeout: 60_000 });
      await page.waitForSelector('[data-testid="import-preview-map"][data-ready="true"]', { timeout: 60_000 });
      expect(await map.getAttribute('data-count')).toBe('8');
      const legend = page.getByTestId('import-preview-legend');
      expect((await legend.locator('li').allInnerTexts()).map((s) => s.trim())).toEqual(['区县 1', '街道 1', '社区 6']);
      await map.scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${ARTIFACTS}/import-boundary-preview-${name}.png`, fullPage: false });
      // The map is on screen and wide enough to read (not squeezed by the layout).
      const box = (await map.boundingBox())!;
      expect(box.width).toBeGreaterThan(Math.min(300, viewport.width - 60));
      expect(await server.db.query('SELECT code FROM districts')).toEqual([]);
      if (!mobile) {
        // English too.
        await page.getByTestId('lang-toggle').click();
        await expect.poll(async () => (await legend.locator('li').allInnerTexts()).map((s) => s.trim())).toEqual(['Districts 1', 'Streets 1', 'Communities 6']);
      }
      expect(errors).toEqual([]);
      await ctx.close();
    });
  }

  it('the quartiers alone from the OSM extract, once the street is in: six communities under it, codes assigned, listed and previewed', async () => {
    const { ctx, page, errors } = await newTestPage(browser);
    await page.goto(server.baseUrl + '/import');
    await page.waitForURL(/\/login/);
    await signInThroughForm(page, 't_admin');
    await page.waitForURL(/\/import$/);
    await page.getByTestId('import-layer').selectOption('boundaries');
    // The district and street of the boundary file, without its communities.
    const all = JSON.parse(readFileSync(FILE, 'utf8')) as { features: Array<{ properties: { level: string } }> };
    const upper = join(mkdtempSync(join(tmpdir(), 'gridatlas-')), 'monaco-upper.geojson');
    writeFileSync(upper, JSON.stringify({ type: 'FeatureCollection', features: all.features.filter((f) => f.properties.level !== 'community') }));
    await page.getByTestId('import-file').setInputFiles(upper);
    await page.getByTestId('import-crs').selectOption('EPSG:4326');
    await page.getByTestId('import-dry-run').click();
    await page.waitForSelector('[data-testid="import-preview-map"][data-ready="true"]', { timeout: 60_000 });
    await page.getByTestId('import-run').click();
    await page.getByTestId('import-done').waitFor({ timeout: 60_000 });
    await page.getByTestId('import-file').setInputFiles('data/samples/osm-monaco/monaco-latest-2019.osm.pbf');
    await page.getByTestId('import-dry-run').click();
    await page.waitForSelector('[data-testid="import-preview-map"][data-ready="true"]', { timeout: 60_000 });
    expect((await page.getByTestId('import-preview-legend').locator('li').allInnerTexts()).map((s) => s.trim())).toEqual(['社区 6']);
    const list = page.getByTestId('import-boundaries-list');
    const rows = await list.locator('tbody tr').allInnerTexts();
    expect(rows).toHaveLength(6);
    for (const r of rows) expect(r).toMatch(/社区\s+999001001\d{3}\s+自动编码[\s\S]*999001001\s+按所在范围\s+新增/);
    await page.screenshot({ path: `${ARTIFACTS}/import-communities-alone.png`, fullPage: true });
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('the set-up page\'s boundary step shows the same preview (its narrower console)', async () => {
    const { ctx, page, errors } = await newTestPage(browser);
    await page.goto(server.baseUrl + '/setup');
    await page.waitForURL(/\/login/);
    await signInThroughForm(page, 't_admin');
    await page.waitForURL(/\/setup/);
    await page.getByTestId('setup-steps').waitFor();
    const body = page.getByTestId('setup-body-boundaries');
    if (!(await body.isVisible())) await page.getByTestId('setup-toggle-boundaries').click();
    await body.getByTestId('import-file').setInputFiles(FILE);
    await body.getByTestId('import-crs').selectOption('EPSG:4326');
    await body.getByTestId('import-dry-run').click();
    await page.waitForSelector('[data-testid="import-preview-map"][data-ready="true"]', { timeout: 60_000 });
    // The district and street are in (previous test), the six quartiers would be new.
    expect((await body.getByTestId('import-preview-legend').locator('li').allInnerTexts()).map((s) => s.trim())).toEqual(['区县 1', '街道 1', '社区 6']);
    await body.getByTestId('import-preview-map').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${ARTIFACTS}/import-boundary-preview-setup.png` });
    expect(errors).toEqual([]);
    await ctx.close();
  });
});
