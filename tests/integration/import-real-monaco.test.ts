/**
 * Real files this product had not seen, from an EMPTY deployment through the HTTP API:
 * - Geofabrik's Monaco extract (2019, ODbL): its country and commune boundaries lack their sea
 *   borders, so only the six quartiers (admin_level 10) are whole. The boundary import is a clear
 *   400 naming the levels cut by the extract and where districts and streets come from — not a
 *   sliver of the commune taken for a district, nor "choose with osmLevels" when no level can be.
 * - Beijing's districts as a Highcharts Maps `.js` (positions in projected chart units): read back
 *   to longitude/latitude, confirmed as GCJ-02 like the DataV file it was made from.
 * - Monaco's quartiers as a boundary GeoJSON, the extract's buildings, and the street's first plan:
 *   `POST /api/plans` without `from` on a street with nothing published is an empty draft.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureStandards } from '../../data/seed.js';
import { createUser } from '../../server/auth/users.repo.js';
import { type Session, TEST_PASSWORD, as, signInAs } from '../helpers/auth.js';
import { isolatedApp } from '../helpers/isolated-db.js';
import { okJson, uploadAs } from '../helpers/import-upload.js';

const sample = (path: string) => readFileSync(new URL(`../../data/samples/${path}`, import.meta.url));
const PBF = sample('osm-monaco/monaco-latest-2019.osm.pbf');

let ctx: Awaited<ReturnType<typeof isolatedApp>>;
let root: Session;
const upload = (name: string, bytes: Uint8Array, query: string) => uploadAs(ctx.app, root, name, bytes, query);
interface Answer { written: boolean; counts: { valid: number; errors: number }; errors: Array<{ en: string }>; crs: { used: string | null } }

beforeAll(async () => {
  ctx = await isolatedApp('monaco', { empty: true });
  await ensureStandards(ctx.db);
  await createUser(ctx.db, { username: 't_root', password: TEST_PASSWORD, grants: [{ role: 'admin', scopeType: 'street', scopeCode: '*' }] });
  root = await signInAs(ctx.app, 't_root');
});
afterAll(async () => {
  await ctx?.close();
});

describe('an OSM extract whose upper boundaries are cut by its edge (Monaco)', () => {
  it('boundaries: 400 invalid_file naming the cut levels (zh + en), dry run and write alike; nothing written', async () => {
    for (const q of ['layer=boundaries&dryRun=1', 'layer=boundaries']) {
      const res = await upload('monaco-latest.osm.pbf', PBF, q);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(res.status).toBe(400);
      expect(body.error.code).toBe('invalid_file');
      expect(body.error.message).toMatch(/被文件范围截断.*admin_level=8 Monaco/);
      expect(body.error.message).toMatch(/cut by the extract's edge: .*admin_level=8 Monaco/);
      expect(body.error.message).toMatch(/import the districts and streets from another file/);
    }
    // osmLevels=8,10: the commune's 1,003 m² closed sliver is no admin_level=8 boundary.
    const res = await upload('monaco-latest.osm.pbf', PBF, 'layer=boundaries&dryRun=1&osmLevels=8,10');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/no complete admin_level=8 boundary in the file \(found: 10\)/);
    expect(await ctx.db.query('SELECT code FROM districts')).toEqual([]);
  });
});

describe('a Highcharts Maps file of Beijing (projected chart units)', () => {
  const JS = sample('highmaps/110000_full.js');
  it('is read as longitude/latitude: without crs the write asks (lng/lat cannot tell WGS84 from GCJ-02); with crs=gcj02 the 16 districts land where DataV has them', async () => {
    const res = await upload('110000_full.js', JS, 'layer=boundaries');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('crs_required');
    const r = await okJson<Answer>(await upload('110000_full.js', JS, 'layer=boundaries&crs=gcj02'));
    expect(r.counts).toMatchObject({ valid: 16, errors: 0 });
    // The same districts from DataV's own file (which the Highmaps one was made from), imported
    // the same way over them: every Highmaps outline within ~one unit (~500 m) of DataV's.
    const highmaps = await ctx.db.query<{ code: string; g: string }>('SELECT code, ST_AsGeoJSON(geom) AS g FROM districts ORDER BY code');
    const dv = await okJson<Answer>(await upload('110000_full.json', sample('highmaps/110000_full.datav.json'), 'layer=boundaries&crs=gcj02'));
    expect(dv.counts).toMatchObject({ valid: 16, errors: 0 });
    const rows = await ctx.db.query<{ code: string; name: string; d: number; iou: number }>(`
      WITH x AS (SELECT x.code, ST_SetSRID(ST_GeomFromGeoJSON(x.g), 4326) AS g FROM json_to_recordset($1::json) AS x(code text, g text))
      SELECT d.code, d.name, ST_Distance(ST_Centroid(d.geom)::geography, ST_Centroid(x.g)::geography) AS d,
        ST_Area(ST_Intersection(d.geom, x.g)) / ST_Area(ST_Union(d.geom, x.g)) AS iou
      FROM districts d JOIN x ON x.code = d.code ORDER BY d.code`, [JSON.stringify(highmaps)]);
    expect(rows).toHaveLength(16);
    for (const r2 of rows) {
      expect(r2.d, r2.name).toBeLessThan(500);
      expect(r2.iou, r2.name).toBeGreaterThan(0.75); // 东城区 (42 km²) 0.82 at a 500 m grain
    }
  });
});

describe('Monaco from a boundary file, then the street\'s first plan', () => {
  it('quartiers as communities, buildings from the extract, and POST /api/plans without from is an empty draft', async () => {
    const b = await okJson<Answer>(await upload('monaco-quartiers.geojson', sample('osm-monaco/monaco-quartiers.geojson'), 'layer=boundaries&crs=wgs84'));
    expect(b.counts).toMatchObject({ valid: 8, errors: 0 });
    const bl = await okJson<Answer>(await upload('monaco-latest.osm.pbf', PBF, 'layer=buildings'));
    expect(bl.counts.valid).toBeGreaterThan(700);
    let res = await ctx.app.request('/api/plans?street=999001001', { method: 'POST', headers: as(root), body: JSON.stringify({ name: '首个方案' }) });
    expect(res.status, await res.clone().text()).toBe(201);
    const { id } = (await res.json()) as { id: number };
    const plan = await ctx.db.query<{ status: string; grids: number }>('SELECT status, (SELECT count(*)::int FROM grids WHERE plan_id = $1) AS grids FROM grid_plans WHERE id = $1', [id]);
    expect(plan).toEqual([{ status: 'draft', grids: 0 }]);
    // Asking for a copy of the published plan explicitly still says there is none.
    res = await ctx.app.request('/api/plans?street=999001001', { method: 'POST', headers: as(root), body: JSON.stringify({ from: 'published' }) });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/没有已发布的方案可复制 .*no published plan to copy/);
  });
});
