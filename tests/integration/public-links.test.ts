/**
 * Absolute links in answers (OGC API links GDAL and QGIS follow page by page, TileJSON `tiles`)
 * name the origin the client addressed: behind a trusted TLS proxy `https://<public host>`, not the
 * `http://` hop between the proxy and us — which a browser blocks as mixed content on an HTTPS page
 * and which a GIS client outside may not reach at all. Untrusted peers' forwarded headers are ignored.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { testApp } from '../helpers/app.js';

type App = ReturnType<typeof createApp>;
let behind: App;

beforeAll(async () => {
  const { db } = await testApp();
  behind = createApp({ db, config: loadConfig({ GRIDATLAS_TRUSTED_PROXIES: '10.0.0.0/8' }) });
});

const peer = (address: string) => ({ incoming: { socket: { remoteAddress: address } } });
const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'grid.example.gov.cn' };

/** The links of the OGC documents and the TileJSON, asked of `base` (the URL as the Host header makes it) from `from`. */
async function links(from: string, headers: Record<string, string>, base = 'http://127.0.0.1:8787'): Promise<string[]> {
  const get = async (path: string) => {
    const res = await behind.request(`${base}${path}`, { headers }, peer(from));
    expect(res.status, path).toBe(200);
    return (await res.json()) as { links?: Array<{ href: string }>; tiles?: string[]; features?: unknown[] };
  };
  const out: string[] = [];
  for (const path of ['/ogc', '/ogc/collections', '/ogc/collections/buildings/items?limit=2', '/ogc/collections/buildings/items/1']) {
    const body = await get(path);
    out.push(...(body.links ?? []).map((l) => l.href));
  }
  out.push(...((await get('/tiles/buildings.json')).tiles ?? []));
  return out;
}

describe('absolute links behind a reverse proxy', () => {
  it('a trusted proxy\'s X-Forwarded-Proto and X-Forwarded-Host make every link https://<public host>', async () => {
    const hrefs = await links('10.1.2.3', forwarded);
    expect(hrefs.length).toBeGreaterThan(8);
    expect(hrefs.some((h) => h.includes('offset=2'))).toBe(true); // the next page, which clients follow
    for (const h of hrefs) expect(h).toMatch(/^https:\/\/grid\.example\.gov\.cn\/(ogc|tiles)\b/);
  });

  it('the Host header is kept when the proxy sends only X-Forwarded-Proto (nginx `proxy_set_header Host $host`)', async () => {
    const hrefs = await links('10.1.2.3', { 'x-forwarded-proto': 'https' }, 'http://grid.example.gov.cn');
    for (const h of hrefs) expect(h).toMatch(/^https:\/\/grid\.example\.gov\.cn\//);
  });

  it('ignores the same headers from an untrusted peer, and a forwarded host that is not a host', async () => {
    for (const h of await links('203.0.113.9', forwarded)) expect(h).toMatch(/^http:\/\/127\.0\.0\.1:8787\//);
    const odd = await links('10.1.2.3', { ...forwarded, 'x-forwarded-host': 'evil.example/x?y=' });
    for (const h of odd) expect(h).toMatch(/^https:\/\/127\.0\.0\.1:8787\//);
  });
});

describe('TileJSON of one street', () => {
  it('?street= gives tile URLs that carry it and the street\'s extent; a malformed code is refused', async () => {
    const cfg = (await (await behind.request('/api/config')).json()) as { street: { code: string }; bbox: number[] };
    const res = await behind.request(`http://127.0.0.1:8787/tiles/buildings.json?street=${cfg.street.code}`, {}, peer('203.0.113.9'));
    expect(res.status).toBe(200);
    const tj = (await res.json()) as { tiles: string[]; bounds: number[]; vector_layers: Array<{ id: string }> };
    expect(tj.tiles).toEqual([`http://127.0.0.1:8787/tiles/buildings/{z}/{x}/{y}.mvt?street=${cfg.street.code}`]);
    expect(tj.bounds).toEqual(cfg.bbox);
    expect(tj.vector_layers[0].id).toBe('buildings'); // the source-layer name in the tiles
    expect((await behind.request('/tiles/buildings.json?street=12x', {}, peer('203.0.113.9'))).status).toBe(400);
  });
});
