/**
 * Issue #14.2 through the API: zip bombs (shapefile, xlsx, many entries) are `413 too_large` at
 * once, and malformed files (shp type 0, truncated .dbf, bad xlsx/pbf, GeoJSON of absurd nesting)
 * are `400 invalid_file` — or per-row errors — never a 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Session, signIn } from '../helpers/auth.js';
import { isolatedApp } from '../helpers/isolated-db.js';
import { rawZip, shpBomb, stored } from '../helpers/zip-bombs.js';

type Ctx = Awaited<ReturnType<typeof isolatedApp>>;
let ctx: Ctx;
let admin: Session;

beforeAll(async () => {
  ctx = await isolatedApp('import_limits');
  admin = await signIn(ctx.app, 'admin');
});
afterAll(async () => {
  await ctx?.close();
});

function upload(name: string, bytes: Uint8Array, query = 'layer=buildings&dryRun=1') {
  const form = new FormData();
  form.append('file', new File([bytes as Uint8Array<ArrayBuffer>], name));
  return ctx.app.request(`/api/import?${query}`, { method: 'POST', body: form, headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf } });
}

async function refused(res: Response, status: number, code: string) {
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(res.status, JSON.stringify(body).slice(0, 300)).toBe(status);
  expect(body.error.code).toBe(code);
  expect(body.error.message).toMatch(/[\u4e00-\u9fff].* \/ [A-Za-z]/); // Chinese / English
  return body.error.message;
}

describe('zip bombs: 413 too_large at once', () => {
  it('the issue\'s 1 MB .zip whose .shp inflates to 1 GiB (dry run): refused in well under a second, health answers meanwhile', async () => {
    const t0 = performance.now();
    const [res, health] = await Promise.all([upload('bomb.zip', shpBomb(1024)), ctx.app.request('/api/health')]);
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(health.status).toBe(200);
    expect(await refused(res, 413, 'too_large')).toMatch(/200 MB/);
  });

  it('a lying header, an .xlsx of 5,000 entries', async () => {
    await refused(await upload('lie.zip', shpBomb(64, 4096)), 413, 'too_large');
    const many = rawZip(Array.from({ length: 5000 }, (_, i) => stored(`xl/f${i}.xml`, new Uint8Array(0))));
    await refused(await upload('many.xlsx', many), 413, 'too_large');
  });
});

describe('malformed files: 400 invalid_file with the reason, never 500', () => {
  const shpType0 = () => {
    const v = new DataView(new ArrayBuffer(100));
    v.setInt32(0, 9994);
    v.setInt32(24, 50);
    v.setInt32(28, 1000, true);
    return new Uint8Array(v.buffer);
  };

  it('shp type 0, a truncated workbook, a non-pbf, a zip that is not one', async () => {
    expect(await refused(await upload('t0.zip', rawZip([stored('a.shp', shpType0())])), 400, 'invalid_file')).toMatch(/shp type "0"/);
    await refused(await upload('cut.xlsx', rawZip([stored('[Content_Types].xml', new TextEncoder().encode('<x'))])), 400, 'invalid_file');
    await refused(await upload('x.osm.pbf', new TextEncoder().encode('{"not":"pbf"}')), 400, 'invalid_file');
    await refused(await upload('x.zip', new TextEncoder().encode('PK but not really')), 400, 'invalid_file');
  });

  it('GeoJSON of bad nesting: each bad feature is a row error, the good one still checks', async () => {
    const ring = [[121.38, 37.53], [121.381, 37.53], [121.381, 37.531], [121.38, 37.53]];
    const features = [
      { type: 'Feature', properties: { code: 'OK-1' }, geometry: { type: 'Polygon', coordinates: [ring] } },
      { type: 'Feature', properties: { code: 'BAD-1' }, geometry: { type: 'Polygon', coordinates: 5 } },
      { type: 'Feature', properties: { code: 'BAD-2' }, geometry: { type: 'Polygon', coordinates: [[[[[121, 37]]]]] } },
      { type: 'Feature', properties: { code: 'BAD-3' }, geometry: { type: 'Hexagon', coordinates: [] } },
      { type: 'Feature', properties: { code: 'BAD-4' }, geometry: 'POLYGON((0 0))' },
      null,
      { type: 'Feature', properties: 7, geometry: { type: 'GeometryCollection', geometries: [{ type: 'GeometryCollection', geometries: [{ type: 'GeometryCollection', geometries: [{ type: 'GeometryCollection', geometries: [{ type: 'GeometryCollection', geometries: [] }] }] }] }] } },
    ];
    const res = await upload('nest.geojson', new TextEncoder().encode(JSON.stringify({ type: 'FeatureCollection', features })), 'layer=buildings&dryRun=1&crs=EPSG:4326');
    const body = (await res.json()) as { counts: { records: number; errors: number }; errors: Array<{ row: number; field: string; en: string }> };
    expect(res.status, JSON.stringify(body).slice(0, 300)).toBe(200);
    expect(body.counts.records).toBe(7);
    const byRow = new Map(body.errors.map((e) => [e.row, e]));
    for (const row of [2, 3, 4, 5, 6, 7]) expect(byRow.get(row)?.field, `row ${row}`).toMatch(/geometry|code/);
    expect(byRow.get(2)?.en).toMatch(/nested wrongly/);
    expect(byRow.get(4)?.en).toMatch(/unknown geometry type "Hexagon"/);
    expect(byRow.get(1)?.en ?? '').not.toMatch(/nested|unknown geometry|not a GeoJSON/); // at most: outside the street
  });
});
