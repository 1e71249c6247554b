/**
 * The map page in real headless Chromium: it loads, draws every layer from the API and looks like
 * a map (not a blank canvas). Saves tests/artifacts/map-1920x1080.png for people to look at.
 */
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { startTestServer } from '../helpers/server.js';

let browser: Browser;
let server: Awaited<ReturnType<typeof startTestServer>>;

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('map page', () => {
  it('renders communities, grids, buildings and facilities from the API', async () => {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(server.baseUrl + '/');
    await page.waitForSelector('body[data-map-ready="true"]', { timeout: 120_000 });
    const counts = await page.evaluate(
      () => (window as unknown as { __gridatlas: { counts: Record<string, number> } }).__gridatlas.counts,
    );
    expect(counts.grids).toBe(server.dataset.plan.grids.length);
    expect(counts.buildings).toBe(server.dataset.buildings.length);
    expect(counts.communities).toBe(server.dataset.communities.length);
    expect(counts.facilities).toBe(server.dataset.facilities.length);
    await expect(page.locator('[data-testid="legend"]').count()).resolves.toBe(1);
    await expect(page.locator('[data-testid="layer-toggles"]').count()).resolves.toBe(1);

    mkdirSync('tests/artifacts', { recursive: true });
    const png = await page.screenshot({ path: 'tests/artifacts/map-1920x1080.png' });
    // A drawn map has many distinct colours; a blank or failed WebGL canvas has a handful.
    const distinct = await page.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width;
      c.height = img.height;
      const ctx = c.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      const seen = new Set<number>();
      for (let i = 0; i < d.length; i += 4 * 97) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
      return seen.size;
    }, png.toString('base64'));
    expect(distinct).toBeGreaterThan(200);
    expect(errors.filter((e) => !/favicon/.test(e))).toEqual([]);
    await page.close();
  });
});
