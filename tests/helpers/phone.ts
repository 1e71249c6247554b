/**
 * A mid-range phone for the browser tests and the phone bench: Chromium's device emulation at
 * 390×844 CSS px (an iPhone 12–14-sized portrait screen), touch, mobile viewport, DPR 3.
 */
import type { BrowserContextOptions } from 'playwright-core';

export const PHONE: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 3,
  isMobile: true,
  hasTouch: true,
  locale: 'zh-CN',
  userAgent:
    'Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36',
};
