/**
 * Builds the web app into dist/web when it is missing or older than its sources, so `npm start`
 * and the browser tests always serve the current code without a separate build step.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

export function webBuildIsStale(root = process.cwd()): boolean {
  const index = join(root, 'dist/web/index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  const sources = Math.max(newestMtime(join(root, 'web')), newestMtime(join(root, 'geo')), statSync(join(root, 'vite.config.ts')).mtimeMs);
  return sources > built;
}

export function ensureWebBuild(root = process.cwd(), log: (m: string) => void = console.log): void {
  if (!webBuildIsStale(root)) return;
  log('[gridatlas] building the web app (vite build) …');
  const t0 = Date.now();
  execFileSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  log(`[gridatlas] web app built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
