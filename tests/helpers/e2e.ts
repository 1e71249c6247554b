/**
 * What the browser tests share: the app server with the test users and a headless Chromium
 * (one each per file, in beforeAll), a fresh browser profile whose page collects script errors,
 * signing in through the login form, opening a new planner draft, and putting the demo's
 * published plan back after a test published another one.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { TEST_PASSWORD, ensureTestUsers } from './auth.js';
import { launchChromium } from './browser.js';
import { startTestServer } from './server.js';

export type TestServer = Awaited<ReturnType<typeof startTestServer>>;

/** Screenshots of the browser tests. */
export const ARTIFACTS = 'tests/artifacts';

/** The server (with the test users) and the browser of one test file; see {@link stopE2e}. */
export async function startE2e(opts: { isolated?: string; empty?: boolean } = {}): Promise<{ server: TestServer; browser: Browser }> {
  const server = await startTestServer(opts);
  // An isolated database comes with t_admin, t_planner and t_viewer (isolated-db.ts).
  if (!server.isolated) await ensureTestUsers(server.db, server.dataset);
  const browser = await launchChromium();
  mkdirSync(ARTIFACTS, { recursive: true });
  return { server, browser };
}

export async function stopE2e(server: TestServer | undefined, browser: Browser | undefined) {
  await browser?.close();
  await server?.close();
}

export interface TestPageOptions {
  /** Merged over the default 1440×900 zh-CN context. */
  context?: Parameters<Browser['newContext']>[0];
  /**
   * Also collect console errors (default), except the expected 401 (anonymous session probe,
   * refused login) and 429 (lock-out) answers. `false`: uncaught page errors only.
   */
  consoleErrors?: boolean;
}

/** A fresh browser profile (no cookies) whose page collects script errors into `errors`. */
export async function newTestPage(browser: Browser, opts: TestPageOptions = {}): Promise<{ ctx: BrowserContext; page: Page; errors: string[] }> {
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', ...opts.context });
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  if (opts.consoleErrors !== false) {
    page.on('console', (m) => {
      // Refused logins and the anonymous /me probe are expected 4xx answers, not script errors.
      if (m.type() === 'error' && !/status of (401|429)/.test(m.text())) errors.push(m.text());
    });
  }
  return { ctx, page, errors };
}

/** Fills and submits the login form of the current page (the test users share TEST_PASSWORD). */
export async function signInThroughForm(page: Page, username: string, password = TEST_PASSWORD) {
  await page.fill('[data-testid="login-username"]', username);
  await page.fill('[data-testid="login-password"]', password);
  await page.click('[data-testid="login-submit"]');
}

/** On a ready /planner: "new draft", then the draft's editor and id. */
export async function openNewDraft(page: Page) {
  await page.click('[data-testid="plan-new"]');
  const editor = page.locator('[data-testid="plan-editor"]');
  await editor.waitFor();
  const planId = Number(await editor.getAttribute('data-plan'));
  return { editor, planId };
}

export async function publishedPlanId(server: TestServer): Promise<number> {
  return (await server.db.query<{ id: number }>(`SELECT id FROM grid_plans WHERE status = 'published'`))[0].id;
}

/**
 * The e2e files share one database: if a test published another plan, t_admin publishes a copy
 * of `originalPlan` through the API (with `reason`), so the next file sees the demo plan again.
 */
export async function restorePublishedPlan(server: TestServer, browser: Browser, originalPlan: number, reason: string) {
  const current = await publishedPlanId(server);
  if (current === originalPlan) return;
  const ctx = await browser.newContext();
  const login = await ctx.request.post(server.baseUrl + '/api/auth/login', { data: { username: 't_admin', password: TEST_PASSWORD } });
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const headers = { 'X-CSRF-Token': csrfToken };
  const copy = (await (await ctx.request.post(server.baseUrl + '/api/plans', { data: { from: originalPlan }, headers })).json()) as { id: number };
  const pub = await ctx.request.post(`${server.baseUrl}/api/plans/${copy.id}/publish`, { data: { reason }, headers });
  expect(pub.status()).toBe(200);
  await ctx.close();
}

/**
 * The hooks of a file whose tests publish plans: beforeAll starts the server and browser (handed
 * to `set`) and notes the published plan; afterAll puts that plan back
 * ({@link restorePublishedPlan}, with `reason`) and closes both.
 */
export function e2eRestoringPublishedPlan(reason: string, set: (env: { server: TestServer; browser: Browser }) => void) {
  let env: { server: TestServer; browser: Browser } | undefined;
  let originalPlan: number;
  beforeAll(async () => {
    env = await startE2e();
    set(env);
    originalPlan = await publishedPlanId(env.server);
  });
  afterAll(async () => {
    try {
      if (env) await restorePublishedPlan(env.server, env.browser, originalPlan, reason);
    } finally {
      await stopE2e(env?.server, env?.browser);
    }
  });
}
