/**
 * GET /api/plans/:id/export on real PostGIS: GeoJSON, Shapefile (read back with shpjs: WGS84
 * .prj, UTF-8 .cpg, Chinese names intact) and the XLSX roster (read back with exceljs: Chinese
 * headers, grid and building sheets that add up, worker names in clear for a community planner in
 * their community and masked in the others).
 */
import ExcelJS from 'exceljs';
import type { FeatureCollection } from 'geojson';
import JSZip from 'jszip';
import shp from 'shpjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StreetDataset } from '../../data/generate/types.js';
import type { Database } from '../../server/db/client.js';
import { testApp } from '../helpers/app.js';
import { type Session, as, ensureTestUsers, signIn } from '../helpers/auth.js';

type App = Awaited<ReturnType<typeof testApp>>['app'];
let app: App;
let db: Database;
let ds: StreetDataset;
let planner: Session;
let admin: Session;
let planId: number;

beforeAll(async () => {
  const t = await testApp();
  ({ app, db, dataset: ds } = t);
  await ensureTestUsers(db, ds);
  planner = await signIn(app, 'planner');
  admin = await signIn(app, 'admin');
  planId = (await db.query<{ id: number }>(`SELECT id FROM grid_plans WHERE status = 'published'`))[0].id;
});

const get = (format: string, s = planner) => app.request(`/api/plans/${planId}/export?format=${format}`, { headers: as(s) });
const totalHouseholds = () => ds.buildings.reduce((s, b) => s + b.households, 0);

describe('plan export', () => {
  it('GeoJSON: every grid with its tallies, households adding up to the street', async () => {
    const r = await get('geojson');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('geo+json');
    expect(r.headers.get('content-disposition')).toMatch(/^attachment; filename=".*\.geojson"; filename\*=UTF-8''.+\.geojson$/);
    const fc = (await r.json()) as FeatureCollection;
    expect(fc.features).toHaveLength(ds.plan.grids.length);
    expect(fc.features.reduce((s, f) => s + (f.properties!.households as number), 0)).toBe(totalHouseholds());
    expect(fc.features[0].properties).toMatchObject({ code: expect.any(String), status: expect.stringMatching(/^(under|in|over|dedicated)$/) });
    expect(JSON.stringify(fc)).not.toMatch(/1[3-9]\d{9}/);
  });

  it('Shapefile: a zip with .shp/.shx/.dbf/.prj/.cpg that reads back with Chinese names', async () => {
    const r = await get('shp');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/zip');
    const buf = Buffer.from(await r.arrayBuffer());
    const zip = await JSZip.loadAsync(buf);
    const names = Object.keys(zip.files).map((n) => n.replace(/^.*\./, '')).sort();
    expect(names).toEqual(['cpg', 'dbf', 'prj', 'shp', 'shx']);
    const fc = (await shp(buf)) as FeatureCollection;
    expect(fc.features).toHaveLength(ds.plan.grids.length);
    const byCode = new Map(fc.features.map((f) => [f.properties!.code as string, f.properties!]));
    const g = ds.plan.grids[0];
    expect(byCode.get(g.code)!.name).toBe(g.name);
    expect(fc.features.reduce((s, f) => s + (f.properties!.households as number), 0)).toBe(totalHouseholds());
    for (const k of Object.keys(fc.features[0].properties!)) expect(k.length).toBeLessThanOrEqual(10);
  });

  it('XLSX roster: Chinese headers, a grid sheet and a building sheet that agree, worker names masked outside the planner’s community', async () => {
    const r = await get('xlsx');
    expect(r.status).toBe(200);
    expect(decodeURIComponent(r.headers.get('content-disposition')!.split("UTF-8''")[1])).toMatch(/\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await r.arrayBuffer());
    expect(wb.worksheets.map((w) => w.name)).toEqual(['网格', '楼栋']);
    const grids = wb.getWorksheet('网格')!;
    const header = (grids.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(['社区', '网格编号', '网格名称', '类型', '户数', '人口', '党员数', '党员中心户', '楼栋数', '户数状态', '网格员', '党员联系户数', '党员联系覆盖率', '负荷']);
    expect(grids.rowCount).toBe(ds.plan.grids.length + 1);
    const buildings = wb.getWorksheet('楼栋')!;
    expect(buildings.rowCount).toBe(ds.buildings.length + 1);
    let sum = 0;
    buildings.eachRow((row, n) => { if (n > 1) sum += row.getCell(4).value as number; });
    expect(sum).toBe(totalHouseholds());

    // t_planner plans communities[0]: its grids' workers in clear, every other community's masked.
    const own = ds.communities[0].code;
    const withWorkers = ds.plan.grids.find((g) => g.communityCode !== own && g.workers.some((w) => [...w.name].length >= 2))!;
    const ownGrid = ds.plan.grids.find((g) => g.communityCode === own && g.workers.length > 0)!;
    const rowOf = (ws: ExcelJS.Worksheet, code = withWorkers.code) => { let found: ExcelJS.Row | undefined; ws.eachRow((row) => { if (row.getCell(2).value === code) found = row; }); return found!; };
    const masked = String(rowOf(grids).getCell(11).value);
    const clearName = withWorkers.workers[0].name;
    expect(masked).not.toContain(clearName);
    expect(masked).toContain('*');
    expect(String(rowOf(grids, ownGrid.code).getCell(11).value)).toContain(ownGrid.workers[0].name);

    const wbAdmin = new ExcelJS.Workbook();
    await wbAdmin.xlsx.load(await (await get('xlsx', admin)).arrayBuffer());
    expect(String(rowOf(wbAdmin.getWorksheet('网格')!).getCell(11).value)).toContain(clearName);
  });

  it('rejects an unknown format and an unknown plan', async () => {
    expect((await get('kml')).status).toBe(400);
    expect((await app.request('/api/plans/999999/export?format=geojson', { headers: as(planner) })).status).toBe(404);
  });
});
