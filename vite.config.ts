import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * Writes `<file>.br` and `<file>.gz` beside every built script, stylesheet and SVG of 1 KB or more:
 * the server sends them as they are (serveStatic `precompressed`) instead of gzipping ~3 MB of
 * code on every page load while the page's API calls wait for the same CPU.
 */
function precompress(): Plugin {
  return {
    name: 'gridatlas-precompress',
    apply: 'build',
    closeBundle() {
      const dir = join(__dirname, 'dist/web/assets');
      for (const name of readdirSync(dir)) {
        if (!/\.(m?js|css|svg|json)$/.test(name)) continue;
        const body = readFileSync(join(dir, name));
        if (body.length < 1024) continue;
        writeFileSync(join(dir, `${name}.gz`), gzipSync(body, { level: 9 }));
        writeFileSync(join(dir, `${name}.br`), brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } }));
      }
    },
  };
}

/** The web app lives in web/; `npm run build` writes dist/web, which the server serves in `npm start`. */
const apiPort = Number(process.env.PORT ?? 8787);

export default defineConfig({
  root: 'web',
  base: '/',
  plugins: [react(), precompress()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    chunkSizeWarningLimit: 4000,
    sourcemap: false,
  },
  server: {
    port: 5173,
    proxy: {
      '/api': `http://127.0.0.1:${apiPort}`,
      '/tiles': `http://127.0.0.1:${apiPort}`,
    },
  },
});
