/**
 * The built web app's assets: sent precompressed (the .br/.gz the build writes beside each script,
 * vite.config.ts) by what the browser accepts, kept by browsers for good (hashed names), and the
 * same bytes whatever the encoding. Unknown assets are a 404, not the app's index page.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import http from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../helpers/server.js';

let server: Awaited<ReturnType<typeof startTestServer>>;

beforeAll(async () => {
  server = await startTestServer();
}, 120_000);

afterAll(async () => {
  await server?.close();
});

/** A raw GET (fetch would decode the body itself). */
function rawGet(path: string, acceptEncoding: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http.get(`${server.baseUrl}${path}`, { headers: { 'accept-encoding': acceptEncoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

describe('web assets', () => {
  it('are sent precompressed by the accepted encoding, immutable, with the same bytes as the built file', async () => {
    const dir = join('dist', 'web', 'assets');
    const worker = readdirSync(dir).find((f) => /^maplibre-gl-worker-.*\.mjs$/.test(f))!;
    const css = readdirSync(dir).find((f) => /\.css$/.test(f))!;
    for (const name of [worker, css]) {
      const original = readFileSync(join(dir, name));
      const br = await rawGet(`/assets/${name}`, 'gzip, deflate, br');
      expect(br.status).toBe(200);
      expect(br.headers['content-encoding']).toBe('br');
      expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(br.headers.vary).toMatch(/accept-encoding/i);
      expect(br.body.length).toBeLessThan(original.length / 2);
      expect(brotliDecompressSync(br.body).equals(original)).toBe(true);
      const gz = await rawGet(`/assets/${name}`, 'gzip');
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(gz.body).equals(original)).toBe(true);
      const plain = await rawGet(`/assets/${name}`, 'identity');
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.body.equals(original)).toBe(true);
    }
    const missing = await rawGet('/assets/no-such-file.js', 'gzip');
    expect(missing.status).toBe(404);
    expect(missing.headers['cache-control']).toBeUndefined();
    // The app's pages are not immutable: a new build must reach the next load.
    const page = await rawGet('/screen', 'gzip');
    expect(page.headers['cache-control'] ?? '').not.toMatch(/immutable/);
  });
});
