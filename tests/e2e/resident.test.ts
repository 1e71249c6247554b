/**
 * Issue #18.3 and #18.4 in Chromium's phone emulation (390×844, touch, mobile):
 * - a resident opens the QR link of their building, reports with a photo (shrunk on the phone
 *   before upload), gets the tracking link; staff dispatch and resolve; the resident rates;
 * - a grid worker accepts and resolves a task with a note and a photo while the phone is offline
 *   for a moment: the action waits in the queue and is applied exactly once when back online.
 * Screenshots: tests/artifacts/resident-*.png.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../helpers/auth.js';
import { ARTIFACTS, newTestPage, signInThroughForm, startE2e, stopE2e, type TestServer } from '../helpers/e2e.js';

let browser: Browser;
let server: TestServer;
let grid: string;
let building: string;

const PHONE = {
  viewport: { width: 390, height: 844 },
  hasTouch: true,
  isMobile: true,
  deviceScaleFactor: 2,
  userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47',
};

beforeAll(async () => {
  ({ server, browser } = await startE2e());
  const ds = server.dataset;
  grid = ds.plan.grids.find((g) => g.communityCode === ds.communities[0].code)!.code;
  building = ds.plan.grids.find((g) => g.code === grid)!.buildingCodes[0];
  await server.db.query('DELETE FROM report_rate');
});

afterAll(() => stopE2e(server, browser));

/** An API session of a test account (cookie in its own context) with its CSRF token. */
async function staff(username: string) {
  const ctx = await browser.newContext();
  const login = await ctx.request.post(`${server.baseUrl}/api/auth/login`, { data: { username, password: TEST_PASSWORD } });
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const post = async (path: string, data: unknown) => {
    const res = await ctx.request.post(server.baseUrl + path, { data, headers: { 'X-CSRF-Token': csrfToken } });
    expect(res.status(), `${path} ${await res.text()}`).toBeLessThan(300);
    return res.json() as Promise<{ id: number; status: string }>;
  };
  return { ctx, post, get: async (path: string) => (await ctx.request.get(server.baseUrl + path)).json() };
}

/** A large photo as a phone camera makes it (a few MB of PNG), drawn in the page. */
async function cameraPhoto(page: Page): Promise<Buffer> {
  const b64 = await page.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = 2400;
    c.height = 1800;
    const g = c.getContext('2d')!;
    const grad = g.createLinearGradient(0, 0, 2400, 1800);
    grad.addColorStop(0, '#8a9bb0');
    grad.addColorStop(1, '#3d4a5c');
    g.fillStyle = grad;
    g.fillRect(0, 0, 2400, 1800);
    for (let i = 0; i < 4000; i++) {
      g.fillStyle = `hsl(${(i * 37) % 360} 60% ${30 + (i % 50)}%)`;
      g.fillRect((i * 7919) % 2400, (i * 104729) % 1800, 3 + (i % 40), 3 + (i % 30));
    }
    return c.toDataURL('image/png').split(',')[1];
  });
  return Buffer.from(b64, 'base64');
}

const shot = (page: Page, name: string) => page.screenshot({ path: `${ARTIFACTS}/resident-${name}.png` });

describe('residents and grid workers on the phone', () => {
  it('resident scans the QR link, reports with a photo, tracks it, and rates it once staff resolve it', async () => {
    // The link a printed QR code carries, from the planner's print sheet API.
    const planner = await staff('t_planner');
    const links = (await planner.get(`/api/report-links?community=${server.dataset.communities[0].code}`)) as { buildings: { code: string; path: string }[] };
    const qrPath = links.buildings.find((b) => b.code === building)!.path;

    const { ctx, page, errors } = await newTestPage(browser, { context: PHONE });
    await page.goto(server.baseUrl + qrPath);
    await page.waitForSelector('[data-testid="report-page"][data-state="ready"]');
    expect(await page.textContent('[data-testid="report-place"]')).toContain(server.dataset.communities[0].name);
    await shot(page, 'report');

    await page.tap('[data-testid="report-cat-repair"]');
    const description = '3单元5楼楼道灯不亮，晚上很黑 <script>window.__xss=1</script>';
    await page.fill('[data-testid="report-description"]', description);
    const photo = await cameraPhoto(page);
    expect(photo.length).toBeGreaterThan(1024 * 1024);
    await page.setInputFiles('[data-testid="report-photo"]', { name: 'IMG_0001.png', mimeType: 'image/png', buffer: photo });
    await page.waitForSelector('[data-testid="report-photo-preview"]');
    await page.fill('[data-testid="report-name"]', '陈小红');
    await page.fill('[data-testid="report-phone"]', '13612345678');
    await shot(page, 'report-filled');
    await page.tap('[data-testid="report-submit"]');
    await page.waitForSelector('[data-testid="report-done"]');
    const trackUrl = await page.inputValue('[data-testid="track-link"]');
    expect(trackUrl).toMatch(new RegExp(`^${server.baseUrl}/track\\?k=[A-Za-z0-9_-]{32}$`));
    await shot(page, 'report-done');

    const [row] = await server.db.query<{ id: number; grid: string; channel: string; bytes: number; type: string; phone: string }>(
      `SELECT id, grid_code AS grid, channel, octet_length(photo) AS bytes, photo_type AS type, reporter_phone AS phone
       FROM requests WHERE description = $1`,
      [description],
    );
    expect(row).toMatchObject({ grid, channel: 'resident', type: 'image/jpeg', phone: '13612345678' });
    expect(row.bytes).toBeGreaterThan(1000);
    expect(row.bytes).toBeLessThanOrEqual(200 * 1024);

    await page.tap('[data-testid="track-open"]');
    await page.waitForSelector('[data-testid="track-page"][data-state="ready"]');
    expect(await page.getAttribute('[data-testid="track-status"]', 'data-status')).toBe('reported');
    expect(await page.textContent('[data-testid="track-description"]')).toBe(description);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();

    // Staff dispatch to the grid; the grid worker accepts and resolves (through the API here).
    await planner.post(`/api/requests/${row.id}/transition`, { to: 'dispatched', assignee: { kind: 'grid_worker', code: grid } });
    const worker = await staff('t_grid_worker');
    await worker.post(`/api/requests/${row.id}/transition`, { to: 'accepted' });
    await worker.post(`/api/requests/${row.id}/transition`, { to: 'resolved', note: '已更换楼道灯泡' });

    await page.reload();
    await page.waitForSelector('[data-testid="track-rate"]');
    expect(await page.getAttribute('[data-testid="track-status"]', 'data-status')).toBe('resolved');
    const steps = await page.locator('[data-testid="track-history"] li').evaluateAll((els) => els.map((e) => e.getAttribute('data-step')));
    expect(steps).toEqual(['resolve', 'accept', 'dispatch', 'report']);
    await page.tap('[data-testid="star-5"]');
    await page.fill('[data-testid="rate-comment"]', '修得很及时，谢谢网格员');
    await shot(page, 'track-rate');
    await page.tap('[data-testid="rate-submit"]');
    await page.waitForSelector('[data-testid="track-rated"]');
    expect(await page.getAttribute('[data-testid="track-status"]', 'data-status')).toBe('rated');
    await shot(page, 'track-rated');
    const [done] = await server.db.query<{ status: string; rating: number; comment: string }>(
      'SELECT status, rating, rating_comment AS comment FROM requests WHERE id = $1',
      [row.id],
    );
    expect(done).toEqual({ status: 'rated', rating: 5, comment: '修得很及时，谢谢网格员' });
    // No horizontal scroll on the phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(errors).toEqual([]);
    await Promise.all([ctx.close(), planner.ctx.close(), worker.ctx.close()]);
  });

  it('grid worker resolves a task with a photo while offline for a moment; it is applied once when back', async () => {
    const planner = await staff('t_planner');
    const links = (await planner.get(`/api/report-links?community=${server.dataset.communities[0].code}`)) as { buildings: { code: string; path: string }[] };
    const token = new URL(server.baseUrl + links.buildings.find((b) => b.code === building)!.path).searchParams.get('t')!;
    await server.db.query('DELETE FROM report_rate');
    const pub = await browser.newContext();
    const made = await pub.request.post(`${server.baseUrl}/api/public/report/${token}`, { data: { category: 'sanitation', description: '楼下垃圾桶满了，气味很大', reporterPhone: '13598765432' } });
    expect(made.status()).toBe(201);
    const { id } = (await made.json()) as { id: number };
    await planner.post(`/api/requests/${id}/transition`, { to: 'dispatched', assignee: { kind: 'grid_worker', code: grid } });
    const [{ lon, lat }] = await server.db.query<{ lon: number; lat: number }>(
      `SELECT ST_X(centroid) AS lon, ST_Y(centroid) AS lat FROM buildings WHERE code = $1`,
      [server.dataset.plan.grids.find((g) => g.code === grid)!.buildingCodes.at(-1)],
    );

    const { ctx, page, errors } = await newTestPage(browser, {
      context: { ...PHONE, permissions: ['geolocation'], geolocation: { longitude: lon, latitude: lat } },
    });
    await page.goto(`${server.baseUrl}/login?next=%2Ftasks`);
    await signInThroughForm(page, 't_grid_worker');
    await page.waitForURL(`${server.baseUrl}/tasks`);
    await page.waitForSelector('[data-testid="task-list"]:not([data-count="-1"])');
    const card = page.locator(`[data-testid="task-card"][data-id="${id}"]`);
    await card.waitFor();
    // Overdue first, then by due time.
    const order = await page.locator('[data-testid="task-card"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-overdue')));
    expect(order.indexOf('false') === -1 || order.lastIndexOf('true') < order.indexOf('false')).toBe(true);
    expect(await card.locator('[data-testid="task-call"]').getAttribute('href')).toBe('tel:13598765432');

    await card.locator('[data-testid="task-route"]').tap();
    await card.locator('[data-testid="route-result"]').waitFor();
    await card.scrollIntoViewIfNeeded();
    await shot(page, 'tasks');

    await card.locator('[data-testid="task-accept"]').tap();
    await page.waitForSelector(`[data-testid="task-card"][data-id="${id}"][data-status="accepted"]`);
    await card.locator('[data-testid="task-resolve"]').tap();
    await page.fill('[data-testid="resolve-note"]', '已联系环卫清运，垃圾桶已清洗');
    await page.setInputFiles('[data-testid="resolve-photo"]', { name: 'done.png', mimeType: 'image/png', buffer: await cameraPhoto(page) });
    await page.waitForSelector('[data-testid="resolve-photo-preview"]');
    await shot(page, 'tasks-resolve');

    await ctx.setOffline(true);
    await page.tap('[data-testid="resolve-send"]');
    await page.waitForSelector('[data-testid="queue-pending"]');
    // Offline long enough for the queue's retry timer to fail at least once.
    await page.waitForTimeout(5000);
    const [offline] = await server.db.query<{ status: string }>('SELECT status FROM requests WHERE id = $1', [id]);
    expect(offline.status).toBe('accepted');
    expect(await page.getAttribute('[data-testid="task-list"]', 'data-pending')).toBe('1');
    await shot(page, 'tasks-offline');

    await ctx.setOffline(false);
    await page.waitForSelector('[data-testid="task-list"][data-pending="0"]');
    await page.waitForFunction((rid) => !document.querySelector(`[data-testid="task-card"][data-id="${rid}"]`), id);
    const [after] = await server.db.query<{ status: string; resolves: number; photo: number; keys: number }>(
      `SELECT r.status, (SELECT count(*)::int FROM request_events WHERE request_id = r.id AND step = 'resolve') AS resolves,
              octet_length(r.resolve_photo) AS photo,
              (SELECT count(*)::int FROM idempotency_keys WHERE route = $2 AND status = 200) AS keys
       FROM requests r WHERE r.id = $1`,
      [id, `POST /api/requests/${id}/transition`],
    );
    expect(after.status).toBe('resolved');
    expect(after.resolves).toBe(1);
    expect(after.photo).toBeGreaterThan(1000);
    expect(after.photo).toBeLessThanOrEqual(200 * 1024);
    expect(after.keys).toBe(2); // accept and resolve, one key each
    // Nothing left in the browser's queue.
    expect(await page.evaluate(() => localStorage.getItem('gridatlas.tasks.queue'))).toBe('[]');

    await page.tap('[data-testid="tasks-tab-buildings"]');
    await page.waitForSelector('[data-testid="building-item"]');
    await shot(page, 'buildings');
    await page.locator('[data-testid="building-item"]').first().tap();
    await page.waitForSelector('[data-testid="household"]');
    await shot(page, 'households');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // Network failures while offline are expected console errors; nothing else.
    expect(errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to fetch|net::/.test(e))).toEqual([]);
    await Promise.all([ctx.close(), pub.close(), planner.ctx.close()]);
  });

  it('a dispatcher marks a resident report as spam on the board; the audit log has it', async () => {
    await server.db.query('DELETE FROM report_rate');
    const planner = await staff('t_planner');
    const links = (await planner.get(`/api/report-links?community=${server.dataset.communities[0].code}`)) as { buildings: { code: string; path: string }[] };
    const token = new URL(server.baseUrl + links.buildings.find((b) => b.code === building)!.path).searchParams.get('t')!;
    const made = await planner.ctx.request.post(`${server.baseUrl}/api/public/report/${token}`, { data: { category: 'other', description: '加微信领红包 广告广告广告' } });
    const { id } = (await made.json()) as { id: number };

    const { ctx, page, errors } = await newTestPage(browser, { context: { viewport: { width: 1600, height: 900 } } });
    await page.goto(`${server.baseUrl}/login?next=%2Frequests`);
    await signInThroughForm(page, 't_planner');
    await page.waitForSelector('[data-testid="requests-page"][data-state="ready"]');
    const card = page.locator(`[data-testid="board-column"][data-status="reported"] [data-testid="request-card"][data-id="${id}"]`);
    await card.waitFor();
    expect(await card.locator('[data-testid="act-rate"]').count()).toBe(0);
    page.once('dialog', (d) => void d.accept());
    await card.locator('[data-testid="act-spam"]').click();
    await page.locator(`[data-testid="board-column"][data-status="reported"] [data-testid="request-card"][data-id="${id}"]`).waitFor({ state: 'detached' });
    const [row] = await server.db.query<{ spam: boolean; status: string; audited: number }>(
      `SELECT spam, status, (SELECT count(*)::int FROM audit_log WHERE action = 'request_spam' AND target_id = $2) AS audited FROM requests WHERE id = $1`,
      [id, String(id)],
    );
    expect(row).toEqual({ spam: true, status: 'closed', audited: 1 });
    expect(errors).toEqual([]);
    await Promise.all([ctx.close(), planner.ctx.close()]);
  });

  it('prints an A4 QR sheet per building from /admin', async () => {
    // Tall enough for a whole A4 sheet (1123 CSS px) in the screenshot.
    const { ctx, page, errors } = await newTestPage(browser, { context: { viewport: { width: 1000, height: 1300 } } });
    await page.goto(`${server.baseUrl}/login?next=%2Fadmin%3Ftab%3Dqr`);
    await signInThroughForm(page, 't_admin');
    await page.waitForSelector('[data-testid="qr-links"]');
    await page.waitForFunction(() => (document.querySelector('[data-testid="qr-community"]') as HTMLSelectElement | null)?.value);
    const href = await page.getAttribute('[data-testid="qr-open"]', 'href');
    await page.goto(server.baseUrl + href!);
    await page.waitForSelector('[data-testid="qr-sheet"][data-state="ready"]');
    const first = page.locator('[data-testid="qr-page"]').first();
    expect(await first.locator('svg').count()).toBe(1);
    const box = (await first.boundingBox())!;
    expect(box.height / box.width).toBeCloseTo(297 / 210, 2);
    await first.screenshot({ path: `${ARTIFACTS}/resident-qr-sheet.png` });
    await page.emulateMedia({ media: 'print' });
    await page.pdf({ path: `${ARTIFACTS}/resident-qr-sheet.pdf`, format: 'A4', printBackground: true, pageRanges: '1-2' });
    expect(errors).toEqual([]);
    await ctx.close();
  });
});
