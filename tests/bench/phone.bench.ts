/**
 * Issue #18 bar: the first useful picture of `/life` on a mid-range phone, against a bare MapLibre
 * page drawing the same street's vector tiles (roads and buildings) under the same profile, in the
 * same run, alternating, several runs. Goal: /life ≤ 1.3× the bare page.
 *
 * Phone profile (both pages): Chromium device emulation 390×844, DPR 3, touch, mobile viewport
 * (tests/helpers/phone.ts); CPU 4× slower (CDP `Emulation.setCPUThrottlingRate`); DevTools'
 * "Fast 3G" network (CDP `Network.emulateNetworkConditions`: 562.5 ms latency, 180 000 B/s down,
 * 84 375 B/s up). Every load is a fresh browser context (empty HTTP cache).
 *
 * "First useful picture" (ms from navigation start, `performance.now()` in the page):
 * - /life: `body[data-map-ready="true"]` — the map has loaded, the street's roads, buildings and
 *   facilities have arrived and been drawn (MapLibre `idle`), and the bottom sheet with the
 *   "locate me / tap the map" line is on screen (checked after the load).
 * - bare page: MapLibre's first `idle` after the style loaded, framed on the street's bbox — every
 *   visible tile of the street's roads and buildings fetched and drawn.
 * The bare page and MapLibre's own files are served by a small static server of the bench, which
 * passes `/tiles/*` through to the app server, so both pages fetch over the same throttled HTTP
 * from one origin each; scripts and styles are gzipped by both servers, API answers and tiles by neither.
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../helpers/browser.js';
import { PHONE } from '../helpers/phone.js';
import { table } from './stats.js';

const RUNS = Number(process.env.PHONE_BENCH_RUNS ?? 4);
const GOAL = 1.3;
const LIMIT_MS = 240_000;
/** DevTools' "Fast 3G" preset. */
const FAST_3G = { offline: false, latency: 562.5, downloadThroughput: 180_000, uploadThroughput: 84_375 };
const MAPLIBRE_DIST = join(process.cwd(), 'node_modules/maplibre-gl/dist');

/** The bare page: MapLibre only, the street's roads and buildings from the app's vector tiles. */
function barePage(bbox: number[]): string {
  return `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/maplibre-gl.css"><style>html,body{margin:0;height:100%}#map{position:absolute;inset:0}</style></head>
<body><div id="map"></div><script type="module">
import { Map, setWorkerUrl } from '/maplibre-gl.mjs';
setWorkerUrl('/maplibre-gl-worker.mjs');
const tiles = (l) => ({ type: 'vector', tiles: [location.origin + '/tiles/' + l + '/{z}/{x}/{y}.mvt'], minzoom: 0, maxzoom: 16 });
const map = new Map({ container: 'map', attributionControl: false, bounds: ${JSON.stringify([[bbox[0], bbox[1]], [bbox[2], bbox[3]]])},
  fitBoundsOptions: { padding: 30 },
  style: { version: 8, sources: { roads: tiles('roads'), buildings: tiles('buildings') }, layers: [
    { id: 'bg', type: 'background', paint: { 'background-color': '#0B0F13' } },
    { id: 'roads', type: 'line', source: 'roads', 'source-layer': 'roads', paint: { 'line-color': '#4D5864', 'line-width': 1.5 } },
    { id: 'buildings', type: 'fill', source: 'buildings', 'source-layer': 'buildings', paint: { 'fill-color': '#9AA5B1', 'fill-opacity': 0.45 } } ] } });
map.once('idle', () => { window.__firstPicture = performance.now(); document.body.dataset.mapReady = 'true'; });
</script></body></html>`;
}

/** Serves the bare page and MapLibre's files; `/tiles/*` goes through to the app server. */
async function startBareServer(appBase: string, bbox: number[]) {
  const html = barePage(bbox);
  const files: Record<string, string> = {
    '/maplibre-gl.mjs': 'text/javascript', '/maplibre-gl-worker.mjs': 'text/javascript', '/maplibre-gl.css': 'text/css',
  };
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path.startsWith('/tiles/')) {
      http.get(appBase + req.url, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      }).on('error', () => res.writeHead(502).end());
    } else if (files[path]) {
      // Gzipped like the app server's /assets (server/app.ts), so neither page is favoured.
      const body = gzipSync(readFileSync(join(MAPLIBRE_DIST, path.slice(1))));
      res.writeHead(200, { 'Content-Type': files[path], 'Content-Encoding': 'gzip', 'Content-Length': body.length }).end(body);
    } else {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(html);
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

interface Load { ms: number | null; bytes: number; requests: number }

/**
 * One load of `url` under the phone profile: ms from navigation start to `body[data-map-ready="true"]`
 * (noted in the page by a MutationObserver, so the test's polling does not count).
 */
async function loadUnderPhoneProfile(browser: Browser, url: string): Promise<Load> {
  const ctx = await browser.newContext(PHONE);
  try {
    const page = await ctx.newPage();
    // /life: note the moment the page marks itself ready (map idle with the data drawn).
    await page.addInitScript(() => {
      new MutationObserver(() => {
        const w = window as unknown as { __firstPicture?: number };
        if (document.body?.dataset.mapReady === 'true' && w.__firstPicture === undefined) w.__firstPicture = performance.now();
      }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-map-ready'] });
    });
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', FAST_3G);
    let bytes = 0;
    let requests = 0;
    cdp.on('Network.loadingFinished', (e: { encodedDataLength: number }) => {
      bytes += e.encodedDataLength;
      requests++;
    });
    await page.goto(url, { waitUntil: 'commit' });
    const ms = await page
      .waitForSelector('body[data-map-ready="true"]', { timeout: LIMIT_MS, state: 'attached' })
      .then(() => page.evaluate(() => Math.round((window as unknown as { __firstPicture: number }).__firstPicture)), () => null);
    // /life: the bottom sheet (with its "locate me / tap the map" line) is part of the picture.
    if (ms !== null && url.endsWith('/life') && !(await page.getByTestId('life-sheet').isVisible())) return { ms: null, bytes, requests };
    return { ms, bytes, requests };
  } finally {
    await ctx.close();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function benchPhone(appBase: string) {
  const config = (await (await fetch(`${appBase}/api/config`)).json()) as { bbox: number[] | null; street: { name: string } | null };
  if (!config.bbox) throw new Error('phone bench: the street has no bbox (empty database?)');
  const bare = await startBareServer(appBase, config.bbox);
  const browser = await launchChromium();
  const life: Load[] = [];
  const plain: Load[] = [];
  try {
    // Warm the server's caches (layers, tiles) so both pages meet the production steady state.
    await loadUnderPhoneProfile(browser, `${appBase}/life`);
    await loadUnderPhoneProfile(browser, `${bare.base}/`);
    for (let i = 0; i < RUNS; i++) {
      // Alternate which page goes first, so drift in the machine's load hits both alike.
      const order = i % 2 === 0 ? ['life', 'bare'] : ['bare', 'life'];
      for (const which of order) {
        if (which === 'life') life.push(await loadUnderPhoneProfile(browser, `${appBase}/life`));
        else plain.push(await loadUnderPhoneProfile(browser, `${bare.base}/`));
      }
    }
  } finally {
    await browser.close();
    bare.close();
  }
  const done = (xs: Load[]) => xs.map((x) => x.ms).filter((x): x is number => x !== null);
  const lifeMs = done(life);
  const bareMs = done(plain);
  console.log(`\n## Phone: first useful picture of /life vs a bare MapLibre page (${config.street?.name ?? ''}; 390×844 touch, CPU 4×, Fast 3G; ${RUNS} runs each, alternating)`);
  const kb = (xs: Load[]) => `${Math.round(median(xs.map((x) => x.bytes)) / 1024)} KB / ${median(xs.map((x) => x.requests))} req`;
  table([
    ['page', 'runs (ms)', 'median', 'transferred'],
    ['/life', life.map((x) => x.ms ?? 'timeout').join(' '), lifeMs.length ? `${median(lifeMs)} ms` : '-', kb(life)],
    ['bare MapLibre (same tiles)', plain.map((x) => x.ms ?? 'timeout').join(' '), bareMs.length ? `${median(bareMs)} ms` : '-', kb(plain)],
  ]);
  const ratio = lifeMs.length && bareMs.length ? median(lifeMs) / median(bareMs) : NaN;
  console.log(`ratio ${ratio.toFixed(2)}× (goal ≤ ${GOAL}×: ${ratio <= GOAL ? 'met' : 'MISSED'}); load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} (${os.cpus().length} cores)`);
}
