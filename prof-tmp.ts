import { launchChromium } from './tests/helpers/browser.js';
const base = 'http://127.0.0.1:8899';
const browser = await launchChromium();
for (const run of [1, 2]) {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const page = await context.newPage();
  const t0 = Date.now();
  const log: string[] = [];
  page.on('requestfinished', async (r) => {
    const t = r.timing();
    const sizes = await r.sizes().catch(() => ({ responseBodySize: -1 }));
    log.push(`${String(Math.round(t.startTime - t0)).padStart(5)} +${String(Math.round(t.responseEnd)).padStart(5)} ms ${String(sizes.responseBodySize).padStart(8)}B ${r.url().replace(base, '').slice(0, 110)}`);
  });
  await page.goto(`${base}/screen?street=370612001`);
  await page.waitForSelector('body[data-screen-ready="true"]', { timeout: 60000 });
  const hook = await page.evaluate(() => (window as any).__gridatlas?.screen);
  console.log(`run ${run}: wall ${Date.now() - t0} ms, firstRender ${hook?.firstRenderMs}`);
  console.log(log.sort().join('\n'));
  await context.close();
}
await browser.close();
