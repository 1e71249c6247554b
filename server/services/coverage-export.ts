/**
 * Exports of a coverage audit: CSV (UTF-8 with BOM so Excel opens the Chinese right), an Excel
 * workbook (buildings + aggregates by community, grid and category) and GeoJSON (building points
 * with their flags, or footprints when given). Aggregates and building codes only — no personal data.
 */
import ExcelJS from 'exceljs';
import type { CoverageResult } from './coverage.js';

const HEAD = ['楼栋编码 building', '楼号 number', '社区 community', '网格 grid', '户数 households', '覆盖 covered'];

export function coverageCsv(r: CoverageResult): string {
  const esc = (v: unknown) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [[...HEAD, ...r.categories.map((c) => `${c} 步行距离 m`)].map(esc).join(',')];
  for (const b of r.buildings) {
    lines.push([b.code, b.number, b.communityName, b.grid ?? '', b.households, b.covered ? 1 : 0, ...r.categories.map((c) => b.distances[c] ?? '')].map(esc).join(','));
  }
  return `\ufeff${lines.join('\r\n')}\r\n`;
}

export async function coverageXlsx(r: CoverageResult): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'GridAtlas';
  const sheet = wb.addWorksheet('楼栋 buildings');
  sheet.addRow([...HEAD, ...r.categories.map((c) => `${c} (m)`)]);
  for (const b of r.buildings) sheet.addRow([b.code, b.number, b.communityName, b.grid ?? '', b.households, b.covered ? 1 : 0, ...r.categories.map((c) => b.distances[c])]);
  sheet.getRow(1).font = { bold: true };
  const aggSheet = (name: string, rows: { key: string; name: string; buildings: number; households: number; coveredHouseholds: number; share: number }[]) => {
    const s = wb.addWorksheet(name);
    s.addRow(['编码 key', '名称 name', '楼栋 buildings', '户数 households', '覆盖户数 covered', '覆盖率 share']);
    s.getRow(1).font = { bold: true };
    for (const a of rows) s.addRow([a.key, a.name, a.buildings, a.households, a.coveredHouseholds, a.share]);
    s.getColumn(6).numFmt = '0.0%';
  };
  aggSheet('社区 communities', r.byCommunity);
  aggSheet('网格 grids', r.byGrid);
  aggSheet('类别 categories', r.byCategory);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export function coverageGeoJson(r: CoverageResult, footprints?: Map<string, unknown>) {
  return {
    type: 'FeatureCollection',
    level: r.level,
    distanceM: r.distanceM,
    categories: r.categories,
    features: r.buildings.map((b) => ({
      type: 'Feature',
      geometry: footprints?.get(b.code) ?? { type: 'Point', coordinates: b.position },
      properties: { code: b.code, number: b.number, community: b.community, grid: b.grid, households: b.households, covered: b.covered, ...Object.fromEntries(r.categories.map((c) => [`d_${c}`, b.distances[c]])) },
    })),
  };
}
