/**
 * Accounts in real headless Chromium: signing in through the form, the header's account menu,
 * the admin page (audit log, kiosk links), 无权访问 for other roles, login errors, and the
 * `/screen` wall screen opened by a kiosk link. Saves screenshots of the login and admin pages
 * to tests/artifacts/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../helpers/auth.js';
import { createUser } from '../../server/auth/users.repo.js';
import { ARTIFACTS, newTestPage, signInThroughForm, startE2e, stopE2e, type TestServer } from '../helpers/e2e.js';

let browser: Browser;
let server: TestServer;

beforeAll(async () => {
  ({ server, browser } = await startE2e());
});

afterAll(() => stopE2e(server, browser));

/** A fresh browser profile (no cookies) whose page collects script errors. */
const freshPage = (context: Parameters<Browser['newContext']>[0] = {}) => newTestPage(browser, { context });

const text = (page: Page, testId: string) => page.locator(`[data-testid="${testId}"]`).innerText();

describe('accounts in the browser', () => {
  it('an admin signs in through the form, finds their login in the audit log, creates and revokes a kiosk link', async () => {
    const { ctx, page, errors } = await freshPage({ permissions: ['clipboard-read', 'clipboard-write'] });

    // Anonymous → /admin sends to the login page, which comes back afterwards.
    await page.goto(server.baseUrl + '/admin');
    await page.waitForURL(/\/login\?next=%2Fadmin$/);
    await page.waitForSelector('[data-testid="login-form"]');
    expect(await page.locator('.login-title').innerText()).toBe('账号登录');
    await page.fill('[data-testid="login-username"]', 't_admin');
    await page.fill('[data-testid="login-password"]', TEST_PASSWORD);
    await page.screenshot({ path: `${ARTIFACTS}/login.png` });
    await page.click('[data-testid="login-submit"]');
    await page.waitForURL(server.baseUrl + '/admin');

    // Header: name and role.
    await page.waitForSelector('[data-testid="user-menu"][data-state="signed-in"]');
    expect(await text(page, 'user-name')).toBe('t_admin');
    await page.click('[data-testid="user-menu-button"]');
    expect(await text(page, 'user-roles')).toContain('管理员');
    await page.screenshot({ path: `${ARTIFACTS}/user-menu.png`, clip: { x: 840, y: 0, width: 600, height: 420 } });
    await page.keyboard.press('Escape');
    await expect(page.locator('[data-testid="user-dropdown"]').count()).resolves.toBe(0);

    // Audit log: this sign-in is there, with the action in Chinese.
    const myLogin = page.locator('[data-testid="audit-row"][data-action="login"][data-actor="t_admin"]');
    await myLogin.first().waitFor();
    const row = await myLogin.first().innerText();
    expect(row).toContain('登录');
    expect(row).toMatch(/127\.0\.0\.1/);
    expect(row).toMatch(/\d{4}\/\d{1,2}\/\d{1,2}\s+\d{2}:\d{2}:\d{2}/);
    await page.screenshot({ path: `${ARTIFACTS}/admin-audit.png` });

    // Filtering by action leaves only that action.
    await page.selectOption('[data-testid="audit-action"]', 'login');
    await page.click('[data-testid="audit-search"]');
    await page.waitForSelector('[data-testid="audit-table"][data-loading="false"]');
    const actions = await page.locator('[data-testid="audit-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
    expect(actions.length).toBeGreaterThan(0);
    expect(new Set(actions)).toEqual(new Set(['login']));

    // Kiosk links: create one; its URL is shown once, with a copy button.
    await page.click('[data-testid="tab-kiosk"]');
    await page.waitForSelector('[data-testid="kiosk-table"]');
    await page.fill('[data-testid="kiosk-label"]', '街道指挥中心主屏');
    await page.click('[data-testid="kiosk-create"]');
    const urlInput = page.locator('[data-testid="kiosk-new-url"]');
    await urlInput.waitFor();
    const kioskUrl = await urlInput.inputValue();
    expect(kioskUrl).toMatch(new RegExp(`^${server.baseUrl.replace(/\./g, '\\.')}/kiosk/[\\w-]{20,}$`));
    expect(await text(page, 'kiosk-new')).toContain('只显示这一次');
    await page.click('[data-testid="kiosk-copy"]');
    await page.waitForSelector('[data-testid="kiosk-copy"] >> text=已复制');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(kioskUrl);
    const newRow = page.locator('[data-testid="kiosk-row"]', { hasText: '街道指挥中心主屏' });
    await expect(newRow.getAttribute('data-state')).resolves.toBe('active');
    await page.screenshot({ path: `${ARTIFACTS}/admin-kiosk.png` });

    // The link opens the wall screen as the kiosk.
    const wall = await freshPage();
    await wall.page.goto(kioskUrl);
    await wall.page.waitForURL(server.baseUrl + '/screen');
    await wall.page.waitForSelector('[data-testid="screen-who"][data-state="signed-in"]');
    // The street's name arrives with the first summary.
    await wall.page.waitForSelector('[data-testid="street-name"]:has-text("向阳街道")', { timeout: 60_000 });
    expect(await text(wall.page, 'street-name')).toContain('向阳街道');
    expect(await text(wall.page, 'screen-who')).toContain('街道指挥中心主屏');
    expect(await text(wall.page, 'screen-who')).toContain('大屏');
    await wall.page.screenshot({ path: `${ARTIFACTS}/screen-kiosk.png` });

    // Closing the box hides the URL for good; revoking asks first.
    await page.click('[data-testid="kiosk-dismiss"]');
    await expect(urlInput.count()).resolves.toBe(0);
    await newRow.locator('[data-testid="kiosk-revoke"]').click();
    const confirm = page.locator('[data-testid="kiosk-confirm"]');
    await confirm.waitFor();
    expect(await confirm.innerText()).toContain('街道指挥中心主屏');
    await page.screenshot({ path: `${ARTIFACTS}/admin-kiosk-revoke.png` });
    await page.click('[data-testid="kiosk-confirm-ok"]');
    await page.waitForSelector('[data-testid="kiosk-row"][data-state="revoked"] >> text=街道指挥中心主屏');
    await expect(confirm.count()).resolves.toBe(0);
    await expect(newRow.locator('[data-testid="kiosk-revoke"]').count()).resolves.toBe(0);

    // The revoked link's screen session is gone.
    // The wall screen itself is public (aggregates only), so it still draws — without a signed-in kiosk.
    await wall.page.reload();
    await wall.page.waitForSelector('[data-testid="street-name"]:has-text("向阳街道")', { timeout: 60_000 });
    const me = await wall.page.evaluate(async () => (await fetch('/api/auth/me')).status);
    expect(me).toBe(401);
    await expect(wall.page.locator('[data-testid="screen-who"]').count()).resolves.toBe(0);
    await wall.ctx.close();

    // Both kiosk actions are in the audit log.
    await page.click('[data-testid="tab-audit"]');
    await page.waitForSelector('[data-testid="audit-row"][data-action="kiosk_revoke"]');
    await page.waitForSelector('[data-testid="audit-row"][data-action="kiosk_create"]');

    // Signing out of a protected page goes to the login page.
    await page.click('[data-testid="user-menu-button"]');
    await page.click('[data-testid="logout"]');
    await page.waitForURL(/\/login$/);
    await page.waitForSelector('[data-testid="user-menu"][data-state="anonymous"]', { state: 'attached' });
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('a viewer who opens /admin sees 无权访问', async () => {
    const { ctx, page, errors } = await freshPage();
    await page.goto(server.baseUrl + '/login?next=%2Fadmin');
    await signInThroughForm(page, 't_viewer', TEST_PASSWORD);
    await page.waitForURL(server.baseUrl + '/admin');
    const forbidden = page.locator('[data-testid="admin-forbidden"]');
    await forbidden.waitFor();
    expect(await forbidden.innerText()).toContain('无权访问');
    expect(await forbidden.innerText()).toContain('查看者');
    await expect(page.locator('[data-testid="audit-table"]').count()).resolves.toBe(0);
    expect(await text(page, 'user-name')).toBe('t_viewer');
    await page.screenshot({ path: `${ARTIFACTS}/admin-forbidden.png` });
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('a wrong password shows the error and stays on the login page', async () => {
    const { ctx, page, errors } = await freshPage();
    await page.goto(server.baseUrl + '/login');
    await signInThroughForm(page, 't_planner', 'not-the-password-1');
    const err = page.locator('[data-testid="login-error"]');
    await err.waitFor();
    expect(await err.innerText()).toBe('用户名或密码错误');
    expect(new URL(page.url()).pathname).toBe('/login');
    await expect(page.locator('[data-testid="login-password"]').inputValue()).resolves.toBe('');
    await page.screenshot({ path: `${ARTIFACTS}/login-error.png` });

    // The English toggle shows the English half of the server's message next time.
    await page.click('[data-testid="lang-toggle"]');
    expect(await page.locator('.login-title').innerText()).toBe('Sign in');
    await signInThroughForm(page, 't_planner', 'not-the-password-2');
    await page.waitForSelector('[data-testid="login-error"] >> text=wrong username or password');
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('the public map needs no account: a 登录 link and no session request', async () => {
    const { ctx, page, errors } = await freshPage();
    const meRequests: string[] = [];
    page.on('request', (r) => r.url().includes('/api/auth/') && meRequests.push(r.url()));
    await page.goto(server.baseUrl + '/?lang=zh-CN');
    const link = page.locator('[data-testid="login-link"]');
    await link.waitFor();
    expect(await link.innerText()).toBe('登录');
    expect(await link.getAttribute('href')).toBe('/login?next=%2F%3Flang%3Dzh-CN');
    await page.waitForSelector('[data-testid="kpi"]');
    await page.screenshot({ path: `${ARTIFACTS}/map-header-anonymous.png`, clip: { x: 0, y: 0, width: 1440, height: 120 } });
    expect(meRequests).toEqual([]);
    expect(errors.filter((e) => !/favicon/.test(e))).toEqual([]);
    await ctx.close();
  });

  it('a signed-in user changes the password in the dialog and sees the server reasons', async () => {
    const { ctx, page, errors } = await freshPage();
    await page.goto(server.baseUrl + '/login?next=%2F%3Flayers%3Dgrids');
    await signInThroughForm(page, 't_planner', TEST_PASSWORD);
    await page.waitForURL(server.baseUrl + '/?layers=grids');
    await page.waitForSelector('[data-testid="user-menu"][data-state="signed-in"]');
    expect(await text(page, 'user-name')).toBe('t_planner');
    await page.click('[data-testid="user-menu-button"]');
    expect(await text(page, 'user-roles')).toContain('规划员');
    await expect(page.locator('[data-testid="admin-link"]').count()).resolves.toBe(0);
    await page.click('[data-testid="change-password"]');
    const dialog = page.locator('[data-testid="password-dialog"]');
    await dialog.waitFor();

    const attempt = async (current: string, next: string) => {
      await page.fill('[data-testid="password-current"]', current);
      await page.fill('[data-testid="password-next"]', next);
      await page.fill('[data-testid="password-confirm"]', next);
      await page.click('[data-testid="password-submit"]');
    };
    await attempt(TEST_PASSWORD, 'short');
    await page.waitForSelector('[data-testid="password-error"] >> text=密码至少 10 个字符');
    await page.screenshot({ path: `${ARTIFACTS}/password-weak.png` });
    await attempt('not-my-password', 'Another-pass-2025');
    await page.waitForSelector('[data-testid="password-error"] >> text=当前密码错误');
    await attempt(TEST_PASSWORD, 'Another-pass-2025');
    await page.waitForSelector('[data-testid="password-done"]');
    await page.click('[data-testid="password-dialog"] >> text=关闭');
    await expect(dialog.count()).resolves.toBe(0);

    // The session survives its own password change (CSRF token still valid): change it back.
    await page.click('[data-testid="user-menu-button"]');
    await page.click('[data-testid="change-password"]');
    await attempt('Another-pass-2025', TEST_PASSWORD);
    await page.waitForSelector('[data-testid="password-done"]');
    await page.keyboard.press('Escape');

    // Signing out on the map stays on the map, with the 登录 link.
    await page.click('[data-testid="user-menu-button"]');
    await page.click('[data-testid="logout"]');
    await page.waitForSelector('[data-testid="login-link"]');
    expect(new URL(page.url()).pathname).toBe('/');
    // The weak (400) and wrong-current (403) attempts are refused on purpose.
    expect(errors.filter((e) => !/favicon|status of (400|403)/.test(e))).toEqual([]);
    await ctx.close();
  });

  it('an account with a printed password must set its own before anything else', async () => {
    await createUser(server.db, {
      username: 'e2e_first', password: 'Printed-Temp-Kettle-57', mustChangePassword: true,
      grants: [{ role: 'admin', scopeType: 'street', scopeCode: server.dataset.street.code }],
    });
    const { ctx, page, errors } = await freshPage();
    await page.goto(server.baseUrl + '/login?next=%2Fadmin');
    await signInThroughForm(page, 'e2e_first', 'Printed-Temp-Kettle-57');
    const form = page.locator('[data-testid="first-password-form"]');
    await form.waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await form.innerText()).toContain('首次登录');
    expect(await page.locator('.login-title').innerText()).toBe('设置新密码');
    await expect(page.locator('[data-testid="login-form"]').count()).resolves.toBe(0);
    // Until the change, the server refuses the admin's pages.
    const refused = await page.evaluate(async () => (await fetch('/api/audit')).status);
    expect(refused).toBe(403);

    await page.fill('[data-testid="first-password-next"]', 'password12');
    await page.fill('[data-testid="first-password-confirm"]', 'password12');
    await page.click('[data-testid="first-password-submit"]');
    await page.waitForSelector('[data-testid="first-password-error"] >> text=密码太容易被猜到');
    await page.screenshot({ path: `${ARTIFACTS}/first-password-1440.png` });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: `${ARTIFACTS}/first-password-390.png` });
    await page.setViewportSize({ width: 1440, height: 900 });

    await page.fill('[data-testid="first-password-next"]', 'Orchard-Violet-Compass-21');
    await page.fill('[data-testid="first-password-confirm"]', 'Orchard-Violet-Compass-21');
    await page.click('[data-testid="first-password-submit"]');
    await page.waitForURL(server.baseUrl + '/admin');
    await page.waitForSelector('[data-testid="user-menu"][data-state="signed-in"]');
    expect(await text(page, 'user-name')).toBe('e2e_first');
    // The weak password (400) and the probe before the change (403) were refused on purpose.
    expect(errors.filter((e) => !/status of (400|403)/.test(e))).toEqual([]);
    await ctx.close();
  });

  // Last: the growing delay slows this account at this client address for a while.
  it('too many failed attempts show the wait time and disable the button', async () => {
    const { ctx, page } = await freshPage();
    await page.goto(server.baseUrl + '/login');
    const err = page.locator('[data-testid="login-error"]');
    let status = 0;
    for (let i = 0; i < 8 && status !== 429; i++) {
      await page.fill('[data-testid="login-username"]', 't_grid_worker');
      await page.fill('[data-testid="login-password"]', `wrong-password-${i}`);
      const [res] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/api/auth/login')),
        page.click('[data-testid="login-submit"]'),
      ]);
      status = res.status();
      await err.waitFor();
    }
    expect(status).toBe(429);
    await page.waitForSelector('[data-testid="login-error"][data-code="too_many_attempts"]');
    expect(await err.getAttribute('data-code')).toBe('too_many_attempts');
    expect(await err.innerText()).toMatch(/登录失败次数过多，请 (\d+ 分 )?\d+ 秒后再试/);
    await expect(page.locator('[data-testid="login-submit"]').isDisabled()).resolves.toBe(true);
    await page.screenshot({ path: `${ARTIFACTS}/login-locked.png` });
    await ctx.close();
  });
});
