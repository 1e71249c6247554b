/**
 * The public pages on a phone (Chromium device emulation, 390×844, touch, mobile viewport —
 * tests/helpers/phone.ts): nothing runs off the side of the screen or scrolls sideways, no text
 * breaks one character per line, the header folds into a menu button; `/` keeps its map with the
 * layers behind a button and details in a bottom sheet that drags; `/life` shows its map full
 * screen, "locate me" with a granted (fake) WGS84 position draws the marker exactly there and
 * starts the walk, and the nearest facility of a chosen category gets its walking route; the app
 * is installable (manifest + icons from our server, no service worker).
 * Screenshots: tests/artifacts/phone-*.png.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, newTestPage, startE2e, stopE2e, type TestServer } from '../helpers/e2e.js';
import { PHONE } from '../helpers/phone.js';

let browser: Browser;
let server: TestServer;

beforeAll(async () => {
  ({ server, browser } = await startE2e());
});

afterAll(() => stopE2e(server, browser));

/** Public pages (no account needed) and the selector that says each is drawn. */
const PUBLIC_PAGES: { path: string; ready: string }[] = [
  { path: '/', ready: 'body[data-map-ready="true"]' },
  { path: '/life', ready: 'body[data-map-ready="true"]' },
  { path: '/login', ready: '[data-testid="login-username"]' },
  { path: '/screen', ready: 'body[data-map-ready]' },
  { path: '/screen/district', ready: 'body[data-map-ready]' },
];

async function openPhone(path: string, ready: string, context: Parameters<Browser['newContext']>[0] = {}): Promise<{ ctx: BrowserContext; page: Page; errors: string[] }> {
  const opened = await newTestPage(browser, { context: { ...PHONE, ...context } });
  await opened.page.goto(server.baseUrl + path);
  await opened.page.waitForSelector(ready, { timeout: 120_000, state: 'attached' });
  return opened;
}

/**
 * What would make the page unusable on a phone: the page scrolling sideways, a panel scrolling
 * sideways, visible text running off the screen (after the clipping of its containers), and text
 * of 2+ characters laid out one character per line.
 */
function phoneLayoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const W = window.innerWidth;
    const problems: string[] = [];
    if (document.documentElement.scrollWidth > W + 1) problems.push(`page is ${document.documentElement.scrollWidth}px wide`);
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      const s = getComputedStyle(el);
      if ((s.overflowX === 'auto' || s.overflowX === 'scroll') && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) {
        problems.push(`scrolls sideways: ${el.className || el.tagName} (${el.scrollWidth} > ${el.clientWidth})`);
      }
    }
    /** The right edge beyond which an element's content is clipped by its containers. */
    const clipRight = (el: Element | null) => {
      let right = Infinity;
      for (let e = el; e && e !== document.body; e = e.parentElement) {
        if (getComputedStyle(e).overflowX !== 'visible') right = Math.min(right, e.getBoundingClientRect().right);
      }
      return right;
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = (n.textContent ?? '').replace(/\s+/g, '');
      if (text.length < 2) continue;
      const range = document.createRange();
      range.selectNodeContents(n);
      const rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
      if (rects.length === 0) continue;
      const lines = new Set(rects.map((r) => Math.round(r.top))).size;
      if (lines >= text.length) problems.push(`one character per line: "${text}"`);
      const right = Math.min(Math.max(...rects.map((r) => r.right)), clipRight(n.parentElement));
      const left = Math.min(...rects.map((r) => r.left));
      if (right > W + 1 || (left < -1 && right > 0)) problems.push(`off the screen: "${text.slice(0, 24)}" (${Math.round(left)}–${Math.round(right)} of ${W})`);
    }
    return problems;
  });
}

describe('public pages on a phone (390×844, touch)', () => {
  for (const { path, ready } of PUBLIC_PAGES) {
    it(`${path}: no sideways scroll, nothing off the screen, no one-character-per-line text`, async () => {
      const { ctx, page, errors } = await openPhone(path, ready);
      await page.waitForTimeout(800);
      await page.screenshot({ path: `${ARTIFACTS}/phone${path.replace(/\//g, '-').replace(/-$/, '') || '-map'}.png` });
      expect(await phoneLayoutProblems(page)).toEqual([]);
      // The header folds: the language switch is behind the menu button, which opens it.
      if (await page.getByTestId('header-menu-button').count()) {
        expect(await page.getByTestId('lang-toggle').isVisible()).toBe(false);
        await page.getByTestId('header-menu-button').tap();
        expect(await page.getByTestId('lang-toggle').isVisible()).toBe(true);
        expect(await phoneLayoutProblems(page)).toEqual([]);
      }
      expect(errors).toEqual([]);
      await ctx.close();
    });
  }
});

describe('/ on a phone', () => {
  it('full-screen map; layers and legend behind a button; the bottom sheet drags up and down', async () => {
    const { ctx, page, errors } = await openPhone('/', 'body[data-map-ready="true"]');
    const map = (await page.locator('.map-area').boundingBox())!;
    expect(map.width).toBe(390);
    expect(map.height).toBeGreaterThan(700);
    expect(await page.getByTestId('left-column').isVisible()).toBe(false);
    await page.getByTestId('phone-layers-button').tap();
    expect(await page.getByTestId('left-column').isVisible()).toBe(true);
    expect(await phoneLayoutProblems(page)).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}/phone-map-layers.png` });
    await page.getByTestId('phone-layers-button').tap();

    const sheet = page.getByTestId('map-sheet');
    expect(await sheet.getAttribute('data-snap')).toBe('peek');
    // Drag the handle to the top: the sheet snaps to full; drag it down: back to peek.
    const handle = (await page.getByTestId('map-sheet-handle').boundingBox())!;
    const x = handle.x + handle.width / 2;
    await page.mouse.move(x, handle.y + 10);
    await page.mouse.down();
    await page.mouse.move(x, 300, { steps: 8 });
    await page.mouse.move(x, 80, { steps: 8 });
    await page.mouse.up();
    await expect.poll(() => sheet.getAttribute('data-snap')).toBe('full');
    expect(await page.getByTestId('kpi').isVisible()).toBe(true);
    await page.screenshot({ path: `${ARTIFACTS}/phone-map-sheet.png` });
    const top = (await page.getByTestId('map-sheet-handle').boundingBox())!;
    await page.mouse.move(x, top.y + 10);
    await page.mouse.down();
    await page.mouse.move(x, 820, { steps: 10 });
    await page.mouse.up();
    await expect.poll(() => sheet.getAttribute('data-snap')).toBe('peek');
    expect(errors).toEqual([]);
    await ctx.close();
  });
});

describe('/life on a phone', () => {
  it('shows the map full screen under the header, with the panel as a bottom sheet', async () => {
    const { ctx, page } = await openPhone('/life', 'body[data-map-ready="true"]');
    const map = (await page.getByTestId('life-map').boundingBox())!;
    expect(map.width).toBe(390);
    expect(map.height).toBeGreaterThan(700);
    expect(await page.locator('.life-map canvas').count()).toBe(1);
    expect(await page.getByTestId('life-sheet').isVisible()).toBe(true);
    await ctx.close();
  });

  it('locate me (granted, WGS84) puts the marker exactly there, draws the rings; nearest of a category gets its route', async () => {
    // A point of the walking network near the middle of the street, as the phone's GPS would give it.
    const nodes = server.dataset.walkNodes;
    const [lng, lat] = nodes[Math.floor(nodes.length / 2)].position;
    const { ctx, page, errors } = await openPhone('/life', 'body[data-map-ready="true"]', {
      geolocation: { longitude: lng, latitude: lat, accuracy: 12 },
      permissions: ['geolocation'],
    });
    const isoRequest = page.waitForRequest((r) => r.url().includes('/api/isochrone'));
    await page.getByTestId('life-locate').tap();
    const sent = new URL((await isoRequest).url());
    // The browser's WGS84 position goes to the server unchanged (the data is WGS84 too).
    expect(Number(sent.searchParams.get('lng'))).toBeCloseTo(lng, 9);
    expect(Number(sent.searchParams.get('lat'))).toBeCloseTo(lat, 9);
    await page.getByTestId('life-bands').waitFor({ timeout: 60_000 });
    await expect.poll(() => page.getByTestId('life-sheet').getAttribute('data-snap')).toBe('half');
    await page.waitForTimeout(800); // the map's ease to the position
    // The marker is drawn at the position's pixel, which is on screen above the half-open sheet.
    const at = await page.evaluate(([x, y]) => ({ px: window.__gridatlas!.life!.project(x, y), drawn: window.__gridatlas!.life!.drawnAt('me', x, y) }), [lng, lat]);
    expect(at.drawn).toBe(true);
    const sheetTop = (await page.getByTestId('life-sheet').boundingBox())!.y;
    expect(at.px!.x).toBeGreaterThan(0);
    expect(at.px!.x).toBeLessThan(390);
    expect(at.px!.y).toBeGreaterThan(52);
    expect(at.px!.y).toBeLessThan(sheetTop);
    // ~500 m away (where a GCJ-02 shift would put it), nothing of the marker.
    const shifted = await page.evaluate(([x, y]) => window.__gridatlas!.life!.drawnAt('me', x + 0.005, y + 0.002), [lng, lat]);
    expect(shifted).toBe(false);
    expect(await page.getByTestId('life-bands').locator('.life-band-chip').count()).toBe(3);

    // Nearest facility of a category that is reachable from here: its route and minutes.
    const code = await page.getByTestId('life-category').first().getAttribute('data-category');
    await page.getByTestId('life-nearest-category').selectOption(code!);
    const result = page.getByTestId('life-nearest-result');
    await result.waitFor({ timeout: 30_000 });
    expect(await result.innerText()).toMatch(/步行约 [\d.]+ 分钟（\d+ 米）/);
    const api = (await (await page.request.get(`${server.baseUrl}/api/nearest?lng=${lng}&lat=${lat}&category=${code}&k=1`)).json()) as {
      results: { name: string; route: { coordinates: [number, number][] } }[];
    };
    expect(await result.innerText()).toContain(api.results[0].name);
    const line = api.results[0].route.coordinates;
    const mid = line[Math.floor(line.length / 2)];
    await page.waitForTimeout(500);
    expect(await page.evaluate(([x, y]) => window.__gridatlas!.life!.drawnAt('route', x, y), mid)).toBe(true);
    await page.screenshot({ path: `${ARTIFACTS}/phone-life-nearest.png` });
    expect(await phoneLayoutProblems(page)).toEqual([]);
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('searching a compound by name starts the walk there', async () => {
    const { ctx, page } = await openPhone('/life', 'body[data-map-ready="true"]');
    const compound = server.dataset.compounds.find((c) => server.dataset.buildings.some((b) => b.compoundCode === c.code))!;
    await page.getByTestId('life-sheet-handle').tap();
    await page.getByTestId('life-search').fill(compound.name);
    await page.getByTestId('life-search').press('Enter');
    await page.getByTestId('life-bands').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('life-category').count()).toBeGreaterThan(0);
    await ctx.close();
  });

  it('locate me refused: says so and the map still works by tapping', async () => {
    const { ctx, page } = await openPhone('/life', 'body[data-map-ready="true"]', { permissions: [] });
    await page.getByTestId('life-locate').tap();
    await expect.poll(() => page.getByTestId('life-sheet').innerText(), { timeout: 20_000 }).toMatch(/无法获取您的位置/);
    await ctx.close();
  });
});

describe('installable', () => {
  it('serves a web app manifest with PNG icons and a theme colour, and registers no service worker', async () => {
    const { ctx, page } = await openPhone('/', 'body[data-map-ready="true"]');
    expect(await page.locator('meta[name="theme-color"]').getAttribute('content')).toMatch(/^#[0-9A-Fa-f]{6}$/);
    const href = await page.locator('link[rel="manifest"]').getAttribute('href');
    const res = await page.request.get(server.baseUrl + href);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toContain('application/manifest+json');
    const manifest = (await res.json()) as { name: string; start_url: string; display: string; theme_color: string; icons: { src: string; sizes: string; type: string; purpose?: string }[] };
    expect(manifest.name).toContain('社区网格地图');
    expect(manifest.display).toBe('standalone');
    expect(manifest.theme_color).toMatch(/^#/);
    for (const size of ['192x192', '512x512']) expect(manifest.icons.some((i) => i.sizes === size && i.type === 'image/png')).toBe(true);
    expect(manifest.icons.some((i) => i.purpose === 'maskable')).toBe(true);
    for (const icon of manifest.icons) {
      const png = await page.request.get(server.baseUrl + icon.src);
      expect(png.status()).toBe(200);
      const body = await png.body();
      expect(body.subarray(1, 4).toString()).toBe('PNG');
      // The IHDR width and height match the declared size.
      expect(`${body.readUInt32BE(16)}x${body.readUInt32BE(20)}`).toBe(icon.sizes);
    }
    expect(await page.evaluate(async () => (await navigator.serviceWorker?.getRegistrations())?.length ?? 0)).toBe(0);
    await ctx.close();
  });
});
