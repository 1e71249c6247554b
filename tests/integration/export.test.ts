/**
 * Layer exports: GeoJSON, zipped Shapefile (read back with shpjs), XLSX (exceljs) and CSV; roles;
 * and no personal field in any format.
 */
import ExcelJS from 'exceljs';
import shp from 'shpjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StreetDataset } from '../../data/generate/types.js';
import { PERSONAL_KEYS, PHONE_PATTERN, testApp } from '../helpers/app.js';
import { type Session, as, ensureTestUsers, signIn } from '../helpers/auth.js';

type App = Awaited<ReturnType<typeof testApp>>['app'];
let app: App;
let ds: StreetDataset;
let viewer: Session;

beforeAll(async () => {
  const t = await testApp();
  ({ app, dataset: ds } = t);
  await ensureTestUsers(t.db, t.dataset);
  viewer = await signIn(app, 'viewer');
});

const get = (path: string, s: Session | null = viewer) => app.request(path, { headers: as(s) });

describe('GET /api/export/:layer', () => {
  it('GeoJSON with a download name', async () => {
    const res = await get('/api/export/buildings?format=geojson');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/geo\+json/);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="buildings-street-/);
    expect((await res.json()).features).toHaveLength(ds.buildings.length);
  });

  it('Shapefile zip reads back with Chinese text intact and short DBF names', async () => {
    const res = await get(`/api/export/facilities?format=shp&community=${ds.communities[0].code}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    const fc = (await shp(await res.arrayBuffer())) as GeoJSON.FeatureCollection;
    const expected = ds.facilities.filter((f) => f.communityCode === ds.communities[0].code);
    expect(fc.features).toHaveLength(expected.length);
    const names = new Set(fc.features.map((f) => f.properties!.name));
    expect(names.has(expected[0].name)).toBe(true);
    expect(Object.keys(fc.features[0].properties!)).toEqual(expect.arrayContaining(['categoryNa', 'communityC']));
  });

  it('XLSX and CSV with lng/lat columns', async () => {
    const x = await get('/api/export/grids?format=xlsx');
    expect(x.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await x.arrayBuffer());
    const ws = wb.worksheets[0];
    expect(ws.getRow(1).values).toEqual(expect.arrayContaining(['code', 'households', 'lng', 'lat']));
    expect(ws.rowCount - 1).toBe(ds.plan.grids.length);
    const c = await get('/api/export/compounds?format=csv');
    expect(c.headers.get('content-type')).toMatch(/text\/csv/);
    const bytes = new Uint8Array(await c.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // BOM: Excel opens the UTF-8 Chinese text correctly
    const text = new TextDecoder().decode(bytes);
    expect(text.trim().split('\r\n')).toHaveLength(ds.compounds.length + 1);
  });

  it('no personal fields in any format of the household layer; anonymous and bad requests refused', async () => {
    for (const format of ['geojson', 'csv']) {
      const text = await (await get(`/api/export/households?format=${format}`)).text();
      for (const k of PERSONAL_KEYS) expect(text).not.toContain(k);
      expect(PHONE_PATTERN.test(text)).toBe(false);
    }
    expect((await get('/api/export/buildings?format=csv', null)).status).toBe(401);
    expect((await get('/api/export/nope?format=csv')).status).toBe(400);
    expect((await get('/api/export/buildings?format=pdf')).status).toBe(400);
  });
});
