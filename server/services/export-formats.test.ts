import ExcelJS from 'exceljs';
import type { FeatureCollection } from 'geojson';
import JSZip from 'jszip';
import shp from 'shpjs';
import { describe, expect, it } from 'vitest';
import { contentDisposition, featureCollectionToShapefileZip, rowsToCsv, sheetsToXlsx } from './export-formats.js';

const square = (x: number, y: number, d = 0.001) => [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]];

describe('export formats', () => {
  it('writes a shapefile zip with .prj and .cpg that reads back with Chinese text, numbers and holes', async () => {
    const fc: FeatureCollection = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', geometry: { type: 'Polygon', coordinates: [square(121.38, 37.53, 0.01)[0], [[121.383, 37.533], [121.383, 37.534], [121.384, 37.534], [121.384, 37.533], [121.383, 37.533]]] }, properties: { code: 'A-001', name: '向阳社区第一网格', hh: 351 } },
        { type: 'Feature', geometry: { type: 'MultiPolygon', coordinates: [square(121.40, 37.53), square(121.41, 37.53)] }, properties: { code: 'A-002', name: '专属网格（学校）', hh: 0 } },
      ],
    };
    const zip = await featureCollectionToShapefileZip(fc, 'grids');
    const files = Object.keys((await JSZip.loadAsync(zip)).files).sort();
    expect(files).toEqual(['grids.cpg', 'grids.dbf', 'grids.prj', 'grids.shp', 'grids.shx']);
    const z = await JSZip.loadAsync(zip);
    expect(await z.file('grids.cpg')!.async('string')).toBe('UTF-8');
    expect(await z.file('grids.prj')!.async('string')).toContain('WGS_1984');
    const back = (await shp(zip)) as FeatureCollection;
    expect(back.features.map((f) => f.properties!.name)).toEqual(['向阳社区第一网格', '专属网格（学校）']);
    expect(back.features.map((f) => f.properties!.hh)).toEqual([351, 0]);
    expect(back.features[0].geometry.type).toBe('Polygon');
    expect((back.features[0].geometry as { coordinates: unknown[] }).coordinates).toHaveLength(2); // outer ring + hole
    expect(back.features[1].geometry.type).toBe('MultiPolygon');
  });

  it('refuses DBF field names longer than 10 characters', async () => {
    const fc: FeatureCollection = { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [121.4, 37.5] }, properties: { household_n: 1 } }] };
    await expect(featureCollectionToShapefileZip(fc, 'x')).rejects.toThrow(/household_n/);
  });

  it('cuts long text on a character boundary; one record per line, mixed families side by side', async () => {
    const fc: FeatureCollection = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', geometry: { type: 'LineString', coordinates: [[121.4, 37.5], [121.41, 37.5]] }, properties: { name: '网格'.repeat(200), n: 1, ok: true } },
        { type: 'Feature', geometry: { type: 'MultiLineString', coordinates: [[[121.4, 37.6], [121.41, 37.6]], [[121.5, 37.6], [121.51, 37.6]]] }, properties: { name: '路', n: 2, ok: false } },
        { type: 'Feature', geometry: { type: 'Point', coordinates: [121.45, 37.55] }, properties: { name: '点', n: 3, ok: null } },
      ],
    };
    const zip = await featureCollectionToShapefileZip(fc, 'roads');
    expect(Object.keys((await JSZip.loadAsync(zip)).files).sort()).toEqual([
      'roads_line.cpg', 'roads_line.dbf', 'roads_line.prj', 'roads_line.shp', 'roads_line.shx',
      'roads_point.cpg', 'roads_point.dbf', 'roads_point.prj', 'roads_point.shp', 'roads_point.shx',
    ]);
    const back = (await shp(zip)) as FeatureCollection[];
    const lines = back.find((l) => l.features[0].geometry.type !== 'Point')!;
    expect(lines.features).toHaveLength(2);
    expect(lines.features[0].properties!.name).toBe('网格'.repeat(42)); // 84 characters × 3 bytes = 252 ≤ 254
    expect(lines.features.map((f) => f.geometry.type)).toEqual(['LineString', 'MultiLineString']);
    expect(lines.features.map((f) => f.properties!.ok)).toEqual([true, false]);
  });

  it('writes XLSX sheets with headers that read back', async () => {
    const buf = await sheetsToXlsx([
      { name: '网格', columns: [{ header: '网格编号', key: 'code' }, { header: '户数', key: 'hh' }], rows: [{ code: 'A-001', hh: 351 }, { code: 'A-002', hh: 299 }] },
      { name: '楼栋', columns: [{ header: '楼栋编号', key: 'b' }], rows: [{ b: 'B1' }] },
    ]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['网格', '楼栋']);
    const ws = wb.getWorksheet('网格')!;
    expect(ws.getRow(1).values).toEqual([undefined, '网格编号', '户数']);
    expect(ws.getRow(3).values).toEqual([undefined, 'A-002', 299]);
  });

  it('writes CSV with a BOM, quoting and no formula injection', () => {
    const csv = rowsToCsv([{ header: '名称', key: 'n' }, { header: '值', key: 'v' }], [{ n: '甲,乙 "丙"', v: 1 }, { n: '=cmd()', v: -2 }]);
    expect(csv).toBe('\uFEFF名称,值\r\n"甲,乙 ""丙""",1\r\n\'=cmd(),-2\r\n');
  });

  it('gives a Content-Disposition with an ASCII fallback and the UTF-8 name', () => {
    expect(contentDisposition('网格方案 3.xlsx')).toBe(`attachment; filename="____ 3.xlsx"; filename*=UTF-8''%E7%BD%91%E6%A0%BC%E6%96%B9%E6%A1%88%203.xlsx`);
  });
});
