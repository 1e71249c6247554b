/**
 * Generates the home-screen icons of the web app manifest (web/public/manifest.webmanifest) from
 * the header's brand mark: headless Chromium draws the SVG at each size and saves a PNG into
 * web/public/icons/ (committed; Vite copies web/public into dist/web, which our server serves —
 * no CDN). Re-run after changing the mark:  npx tsx scripts/make-icons.ts
 *
 * `maskable` icons keep the mark inside the central 80% "safe zone" on a full-bleed background,
 * as Android crops them to a circle or squircle.
 */
import { mkdirSync } from 'node:fs';
import { launchChromium } from '../tests/helpers/browser.js';

const OUT = 'web/public/icons';
const BG = '#0B0F13';

/** The brand mark of web/ui/header.tsx, on a background; `inset` is the share of margin on each side. */
function svg(inset: number): string {
  const s = 32 / (1 - 2 * inset);
  const o = -inset * s;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${o} ${o} ${s} ${s}" width="100%" height="100%">
  <rect x="${o}" y="${o}" width="${s}" height="${s}" fill="${BG}"/>
  <rect x="2" y="2" width="28" height="28" rx="6" fill="#0F2A3A" stroke="#3FA7D6" stroke-width="1.5"/>
  <path d="M11 4v24M21 4v24M4 11h24M4 21h24" stroke="#3FA7D6" stroke-width="1.2" opacity="0.7"/>
  <rect x="12.5" y="12.5" width="7" height="7" fill="#009E73"/>
</svg>`;
}

const ICONS = [
  { file: 'icon-192.png', size: 192, inset: 0.04 },
  { file: 'icon-512.png', size: 512, inset: 0.04 },
  { file: 'icon-maskable-512.png', size: 512, inset: 0.14 },
  { file: 'apple-touch-icon.png', size: 180, inset: 0.08 },
];

async function main() {
  mkdirSync(OUT, { recursive: true });
  const browser = await launchChromium();
  try {
    for (const icon of ICONS) {
      const page = await browser.newPage({ viewport: { width: icon.size, height: icon.size }, deviceScaleFactor: 1 });
      await page.setContent(`<html><body style="margin:0;background:${BG}">${svg(icon.inset)}</body></html>`);
      await page.screenshot({ path: `${OUT}/${icon.file}`, clip: { x: 0, y: 0, width: icon.size, height: icon.size } });
      await page.close();
      console.log(`${OUT}/${icon.file} ${icon.size}×${icon.size}`);
    }
  } finally {
    await browser.close();
  }
}

await main();
