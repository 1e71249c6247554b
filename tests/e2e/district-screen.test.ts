/**
 * Issue #15.4 in headless Chromium, two streets of two districts in one database: the district
 * wall screen shows both streets side by side and a click opens the street's own wall screen
 * (`/screen?street=`); the street picker switches the map page between the streets (framing and
 * figures change) and is remembered for the next visit. Saves tests/artifacts/district-*.png.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateStreet } from '../../data/generate/index.js';
import { relocateStreet } from '../../data/generate/relocate.js';
import { seedStreet } from '../../data/seed.js';
import { ARTIFACTS, newTestPage, startE2e, stopE2e, type TestServer } from '../helpers/e2e.js';
import { SECOND_STREET } from '../helpers/second-street.js';

/** Software WebGL on a loaded CI machine can be slow. */
const READY_MS = 300_000;

let server: TestServer;
let browser: Browser;
/** A smaller street than the demo one, so its figures differ from the first street's. */
const second = relocateStreet(generateStreet({ seed: 7, buildings: 400 }), {
  code: SECOND_STREET.code, name: SECOND_STREET.name, offset: [0.05, 0], nodeIdBase: 1_000_000,
});
const secondHouseholds = second.buildings.reduce((a, b) => a + b.households, 0);

beforeAll(async () => {
  ({ server, browser } = await startE2e({ isolated: 'district_e2e' }));
  await seedStreet(server.db, second);
}, READY_MS);
afterAll(async () => stopE2e(server, browser));

const firstCode = () => server.dataset.street.code;
const households = (page: Page, testid: string) =>
  page.locator(`[data-testid="${testid}"] [data-testid="tile-households"]`).innerText().then((s) => Number(s.replace(/\D/g, '')));

async function mapReady(page: Page) {
  await page.waitForSelector('body[data-map-ready="true"]', { timeout: READY_MS });
  const center = await page.locator('[data-testid="map"]').getAttribute('data-street-center');
  const kpi = await page.locator('[data-testid="kpi"] [data-kpi="households"] .kpi-value').innerText();
  return { center: center!.split(',').map(Number), households: Number(kpi.replace(/\D/g, '')) };
}

describe('district wall screen', () => {
  it('shows both streets side by side; a click opens the street\'s wall screen', async () => {
    const { ctx, page, errors } = await newTestPage(browser);
    await page.goto(`${server.baseUrl}/screen/district`);
    await page.waitForSelector('body[data-map-ready="true"]', { timeout: READY_MS });
    const tiles = page.locator('[data-testid^="district-tile-"]');
    await expect(tiles.count()).resolves.toBe(2);
    expect(await households(page, `district-tile-${firstCode()}`)).toBe(server.dataset.buildings.reduce((a, b) => a + b.households, 0));
    expect(await households(page, `district-tile-${SECOND_STREET.code}`)).toBe(secondHouseholds);
    await expect(page.locator(`[data-testid="district-map-street-${SECOND_STREET.code}"]`).count()).resolves.toBe(1);
    await page.screenshot({ path: `${ARTIFACTS}/district-1440x900.png` });
    await page.setViewportSize({ width: 3840, height: 2160 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${ARTIFACTS}/district-3840x2160.png` });

    await page.click(`[data-testid="district-tile-${SECOND_STREET.code}"]`);
    await page.waitForURL(`**/screen?street=${SECOND_STREET.code}`);
    await page.waitForSelector('body[data-screen-ready="true"]', { timeout: READY_MS });
    await expect(page.locator('[data-testid="screen-header"] [data-testid="street-name"]').innerText()).resolves.toBe(SECOND_STREET.name);
    await page.screenshot({ path: `${ARTIFACTS}/district-street-screen-3840x2160.png` });
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('one district at a time with ?district=', async () => {
    const { ctx, page } = await newTestPage(browser, { context: { viewport: { width: 390, height: 844 } } });
    await page.goto(`${server.baseUrl}/screen/district?district=${SECOND_STREET.district}`);
    await page.waitForSelector('body[data-map-ready="true"]', { timeout: READY_MS });
    await expect(page.locator('[data-testid^="district-tile-"]').count()).resolves.toBe(1);
    await page.screenshot({ path: `${ARTIFACTS}/district-390x844.png` });
    await ctx.close();
  });
});

describe('street picker', () => {
  it('switches the map between the two streets and remembers the choice', async () => {
    const { ctx, page, errors } = await newTestPage(browser);
    await page.goto(`${server.baseUrl}/`);
    // Two streets: the page settles on the first and writes it into the URL.
    await page.waitForURL(`**/?street=${firstCode()}`);
    const first = await mapReady(page);
    const picker = page.locator('[data-testid="street-picker"]');
    await expect(picker.inputValue()).resolves.toBe(firstCode());
    await expect(picker.locator('optgroup').count()).resolves.toBe(2);

    await picker.selectOption(SECOND_STREET.code);
    await page.waitForURL(`**/?street=${SECOND_STREET.code}`);
    const other = await mapReady(page);
    // The second street lies 0.05° east: the framing moved with it; its figures are its own.
    expect(other.center[0] - first.center[0]).toBeCloseTo(0.05, 2);
    expect(other.households).toBe(secondHouseholds);
    expect(first.households).not.toBe(other.households);
    await page.screenshot({ path: `${ARTIFACTS}/picker-map-1440x900.png` });

    // Remembered: a page opened without ?street= shows the chosen street.
    await page.goto(`${server.baseUrl}/life`);
    await page.waitForURL(`**/life?street=${SECOND_STREET.code}`);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.baseUrl}/`);
    await page.waitForURL(`**/?street=${SECOND_STREET.code}`);
    await page.waitForSelector('[data-testid="street-picker"]');
    await page.screenshot({ path: `${ARTIFACTS}/picker-map-390x844.png` });
    expect(errors).toEqual([]);
    await ctx.close();
  });
});
