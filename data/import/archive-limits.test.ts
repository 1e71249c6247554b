/**
 * Issue #14.2, the reader side: every archive (shapefile .zip, .xlsx) and every zlib block of an
 * .osm.pbf is vetted from its declared sizes before inflating and inflated with a hard bound, so a
 * bomb is refused at once (too_large) without the memory it asks for; and whatever a parser throws
 * on malformed bytes is an ImportFileError (invalid_file) naming the reason.
 */
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { PbfWriter } from 'pbf';
import { describe, expect, it } from 'vitest';
import { deflatedZeros, rawZip, shpBomb, stored } from '../../tests/helpers/zip-bombs.js';
import { writeShapefileZip } from '../formats/shapefile-write.js';
import { ImportFileError } from './errors.js';
import { readImportFile } from './read-file.js';
import { readZip } from './zip.js';

const MiB = 1024 * 1024;
/** Test fixtures shipped inside installed npm packages (real files from other projects). */
const fixture = (pkg: string, path: string) => new Uint8Array(readFileSync(new URL(`../../node_modules/${pkg}/${path}`, import.meta.url)));

async function refusal(p: Promise<unknown>): Promise<ImportFileError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e, 'expected the file to be refused').toBeInstanceOf(ImportFileError);
  return e as ImportFileError;
}

/** Runs `fn` and reports its duration and how much the process's resident memory grew. */
async function measured<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number; grewMb: number }> {
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t0, grewMb: (process.memoryUsage().rss - rss0) / MiB };
}

async function xlsxEntries(): Promise<Map<string, Uint8Array>> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('s').addRows([['编码', '名称'], ['A1', '一号楼']]);
  return readZip(new Uint8Array(await wb.xlsx.writeBuffer()));
}

describe('zip bombs are refused before inflating (too_large)', () => {
  it('the issue\'s case: a ~1 MB .zip whose .shp inflates to 1 GiB — at once, without the memory', async () => {
    const bomb = shpBomb(1024);
    expect(bomb.length).toBeLessThan(1.2 * MiB);
    const { value: e, ms, grewMb } = await measured(() => refusal(readImportFile('bomb.zip', bomb, 'buildings')));
    expect(e.code).toBe('too_large');
    expect(e.en).toMatch(/over the 200 MB limit/);
    expect(e.zh).toMatch(/上限/);
    expect(ms).toBeLessThan(500);
    expect(grewMb).toBeLessThan(64);
  });

  it('a header that lies (declares 1 KiB, or 2 MiB, for 64 MiB of zeros) stops at the declared size', async () => {
    for (const declared of [1024, 2 * MiB]) {
      const { value: e, grewMb } = await measured(() => refusal(readImportFile('lie.zip', shpBomb(64, declared), 'buildings')));
      expect(e.code).toBe('too_large');
      expect(grewMb).toBeLessThan(40);
    }
  });

  it('a ratio over 200:1 is refused even under the total limit (16 MiB of zeros from 16 KB)', async () => {
    expect((await refusal(readImportFile('ratio.zip', shpBomb(16), 'buildings'))).code).toBe('too_large');
  });

  it('many entries: an archive of 5,000 empty files', async () => {
    const many = rawZip(Array.from({ length: 5000 }, (_, i) => stored(`f${i}.txt`, new Uint8Array(0))));
    const e = await refusal(readImportFile('many.zip', many, 'buildings'));
    expect([e.code, e.en]).toEqual(['too_large', 'the archive has 5000 entries, over the limit of 1000']);
  });

  it('an .xlsx bomb (a sheet declared 1 GiB, or lying small) never reaches ExcelJS', async () => {
    const entries = await xlsxEntries();
    const parts = [...entries].filter(([n]) => n !== 'xl/worksheets/sheet1.xml').map(([n, d]) => stored(n, d));
    for (const declared of [1024 * MiB, 4096]) {
      const bomb = rawZip([...parts, { name: 'xl/worksheets/sheet1.xml', data: deflatedZeros(1024), method: 8, size: declared }]);
      const { value: e, ms, grewMb } = await measured(() => refusal(readImportFile('bomb.xlsx', bomb, 'buildings')));
      expect(e.code).toBe('too_large');
      expect(ms).toBeLessThan(1000);
      expect(grewMb).toBeLessThan(64);
    }
    // The same parts with an honest sheet still read (the check is not refusing every workbook).
    const good = rawZip([...parts, stored('xl/worksheets/sheet1.xml', entries.get('xl/worksheets/sheet1.xml')!)]);
    expect((await readImportFile('good.xlsx', good, 'buildings')).records[0].props).toEqual({ 编码: 'A1', 名称: '一号楼' });
  });

  it('.osm.pbf: a zlib block of zeros over the ratio, a raw_size over 32 MiB and a lying raw_size', async () => {
    const blob = (type: string, rawSize: number, zlib: Uint8Array) => {
      const b = new PbfWriter();
      b.writeVarintField(2, rawSize);
      b.writeBytesField(3, zlib);
      const body = b.finish();
      const h = new PbfWriter();
      h.writeStringField(1, type);
      h.writeVarintField(3, body.length);
      const head = h.finish();
      const len = new Uint8Array(4);
      new DataView(len.buffer).setUint32(0, head.length);
      return Buffer.concat([len, head, body]);
    };
    const zlibZeros = (mib: number) => Buffer.concat([Buffer.from([0x78, 0x9c]), deflatedZeros(mib)]);
    const ratio = await refusal(readImportFile('x.osm.pbf', blob('OSMHeader', 30 * MiB, zlibZeros(30)), 'buildings'));
    expect(ratio.code).toBe('too_large');
    const over = await refusal(readImportFile('x.osm.pbf', blob('OSMHeader', 33 * MiB, zlibZeros(33)), 'buildings'));
    expect([over.code, over.en]).toEqual(['invalid_file', expect.stringMatching(/raw_size/)]);
    const lie = await refusal(readImportFile('x.osm.pbf', blob('OSMHeader', 100, zlibZeros(30)), 'buildings'));
    expect(lie.code).toBe('too_large');
  });
});

describe('malformed files are invalid_file with the reason, never an unexpected exception', () => {
  const shpHeader = (type: number) => {
    const v = new DataView(new ArrayBuffer(100));
    v.setInt32(0, 9994);
    v.setInt32(24, 50);
    v.setInt32(28, 1000, true);
    v.setInt32(32, type, true);
    return new Uint8Array(v.buffer);
  };

  it('a .shp of type 0 ("I don\'t know shp type 0")', async () => {
    const e = await refusal(readImportFile('t0.zip', rawZip([stored('a.shp', shpHeader(0)), stored('a.dbf', new Uint8Array(33))]), 'buildings'));
    expect([e.code, e.en]).toEqual(['invalid_file', expect.stringMatching(/could not be parsed \(shapefile\): I don't know shp type "0"/)]);
  });

  it('a real .dbf from the parsedbf package, truncated, beside a good .shp', async () => {
    const good = readZip(writeShapefileZip([{ type: 'Feature', properties: { code: 'A' }, geometry: { type: 'Point', coordinates: [121, 37] } }], { name: 'p', kind: 'point' }));
    const shp = [...good].find(([n]) => n.endsWith('.shp'))![1];
    const dbf = fixture('parsedbf', 'test/data/watershed.dbf');
    const e = await refusal(readImportFile('cut.zip', rawZip([stored('p.shp', shp), stored('p.dbf', dbf.slice(0, 40))]), 'facilities'));
    expect(e.code).toBe('invalid_file');
    // Its header no longer fits the file: said so before the parser runs (read-file.ts checkDbf).
    expect(e.en).toMatch(/^p\.dbf declares a header of \d+ bytes in a file of 40$/);
  });

  it('a real .xlsx from the but-unzip package, truncated or with its bytes flipped', async () => {
    const xlsx = fixture('but-unzip', 'test/testfile.xlsx');
    expect((await readImportFile('ok.xlsx', xlsx, 'buildings')).format).toBe('xlsx');
    const flipped = xlsx.slice();
    for (let i = 200; i < 600; i++) flipped[i] ^= 0x5a;
    for (const bad of [xlsx.slice(0, xlsx.length >> 1), flipped, new TextEncoder().encode('not a workbook')]) {
      expect((await refusal(readImportFile('bad.xlsx', bad, 'buildings'))).code).toBe('invalid_file');
    }
  });

  it('a zip whose central directory points outside the file', async () => {
    const z = rawZip([stored('a.shp', shpHeader(1))]);
    new DataView(z.buffer, z.byteOffset).setUint32(z.length - 22 - 46 - 5 + 42, 1e9, true);
    expect((await refusal(readImportFile('x.zip', z, 'buildings'))).code).toBe('invalid_file');
  });
});
