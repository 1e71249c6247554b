/**
 * Takes a screenshot of a GridAtlas page with headless Chromium, for people and agents who need
 * to *look* at the UI:
 *
 *   npx tsx scripts/screenshot.ts <url> <out.png> [--width 1920] [--height 1080] [--wait-ready]
 *                                 [--timeout 60000] [--full-page]
 *
 * `--wait-ready` waits until the page sets `body[data-map-ready]` (the map page's test hook) and
 * fails if it becomes `error`. Console errors and failed requests of the page are printed, and the
 * exit code is non-zero when the page reported errors, so a broken page cannot pass silently.
 *
 * WebGL: with `--disable-gpu` Chromium has no GPU process to run WebGL on; the SwiftShader
 * software rasteriser (`--use-angle=swiftshader` + `--enable-unsafe-swiftshader`) gives a WebGL2
 * context on machines without a GPU.
 */
import { launchChromium } from '../tests/helpers/browser.js';

interface Args {
  url: string;
  out: string;
  width: number;
  height: number;
  waitReady: boolean;
  timeout: number;
  fullPage: boolean;
}

function parseArgs(argv: string[]): Args {
  const positional: string[] = [];
  const opts: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const [k, inline] = a.slice(2).split('=', 2);
      if (inline !== undefined) opts[k] = inline;
      else if (['wait-ready', 'full-page'].includes(k)) opts[k] = true;
      else opts[k] = argv[++i] ?? '';
    } else positional.push(a);
  }
  if (positional.length < 2) {
    console.error('usage: tsx scripts/screenshot.ts <url> <out.png> [--width 1920 --height 1080 --wait-ready]');
    process.exit(2);
  }
  const num = (k: string, d: number) => (opts[k] === undefined ? d : Number(opts[k]));
  return {
    url: positional[0],
    out: positional[1],
    width: num('width', 1920),
    height: num('height', 1080),
    waitReady: opts['wait-ready'] === true,
    timeout: num('timeout', 90_000),
    fullPage: opts['full-page'] === true,
  };
}


async function main() {
  const args = parseArgs(process.argv.slice(2));
  const browser = await launchChromium();
  let problems = 0;
  try {
    const page = await browser.newPage({ viewport: { width: args.width, height: args.height }, deviceScaleFactor: 1 });
    page.on('console', (msg) => {
      if (msg.type() === 'error') {
        problems++;
        console.error(`[console.error] ${msg.text()}`);
      } else if (msg.type() === 'warning') {
        console.warn(`[console.warn] ${msg.text()}`);
      }
    });
    page.on('pageerror', (err) => {
      problems++;
      console.error(`[pageerror] ${err.stack ?? err.message}`);
    });
    page.on('requestfailed', (req) => {
      // Aborted on purpose (e.g. a React effect cleaned up in dev mode); not a failure.
      if (req.failure()?.errorText === 'net::ERR_ABORTED') return;
      console.error(`[requestfailed] ${req.url()} ${req.failure()?.errorText ?? ''}`);
    });
    page.on('response', (res) => {
      if (res.status() >= 400) console.error(`[http ${res.status()}] ${res.url()}`);
    });

    const t0 = Date.now();
    await page.goto(args.url, { waitUntil: 'load', timeout: args.timeout });
    if (args.waitReady) {
      try {
        await page.waitForSelector('body[data-map-ready]', { timeout: args.timeout, state: 'attached' });
      } catch {
        console.error(`[timeout] body[data-map-ready] not set after ${args.timeout} ms; screenshot taken anyway`);
      }
      const state = await page.evaluate(() => document.body.dataset.mapReady);
      const hook = await page.evaluate(() => (window as unknown as { __gridatlas?: unknown }).__gridatlas);
      console.log(`map-ready=${state} after ${Date.now() - t0} ms; __gridatlas=${JSON.stringify(hook)}`);
      if (state !== 'true') problems++;
    } else {
      await page.waitForTimeout(1500);
    }
    const webgl = await page.evaluate(() => {
      const c = document.createElement('canvas');
      const gl = c.getContext('webgl2');
      if (!gl) return 'no WebGL2';
      const ext = gl.getExtension('WEBGL_debug_renderer_info');
      return ext ? String(gl.getParameter(ext.UNMASKED_RENDERER_WEBGL)) : 'WebGL2 (renderer hidden)';
    });
    console.log(`webgl: ${webgl}`);
    const overflow = await page.evaluate(() => ({
      x: document.documentElement.scrollWidth > window.innerWidth,
      y: document.documentElement.scrollHeight > window.innerHeight,
    }));
    if (overflow.x || overflow.y) console.warn(`[layout] body overflows the viewport: ${JSON.stringify(overflow)}`);
    await page.screenshot({ path: args.out, fullPage: args.fullPage });
    console.log(`saved ${args.out} (${args.width}×${args.height})`);
  } finally {
    await browser.close();
  }
  if (problems > 0) {
    console.error(`${problems} problem(s) reported by the page`);
    process.exitCode = 1;
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
