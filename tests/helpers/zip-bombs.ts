/**
 * Hostile archives for the import-limit tests (issue #14.2), built in the test rather than stored:
 * a raw-deflate stream of zeros of any size in ~1 KB per MiB (one sync-flushed MiB repeated — zeros
 * reference zeros, so the copies are a valid stream), and a zip writer that writes whatever sizes
 * it is told, so a central directory can lie about what an entry inflates to.
 */
import { constants, crc32, deflateRawSync } from 'node:zlib';

const MiB = 1024 * 1024;

/** Raw deflate of `mib` MiB of zeros: 1 GiB → about 1 MB, in milliseconds. */
export function deflatedZeros(mib: number): Uint8Array {
  const unit = deflateRawSync(Buffer.alloc(MiB), { level: 9, finishFlush: constants.Z_SYNC_FLUSH });
  const out = new Uint8Array(unit.length * mib + 2);
  for (let i = 0; i < mib; i++) out.set(unit, i * unit.length);
  out.set([0x03, 0x00], unit.length * mib); // an empty final block
  return out;
}

export interface RawEntry {
  name: string;
  /** The bytes stored in the archive (already deflated when method is 8). */
  data: Uint8Array;
  method: 0 | 8;
  /** The uncompressed size the headers declare — true or not. */
  size: number;
  crc?: number;
}

/** A zip archive whose headers say exactly what the entries say. */
export function rawZip(entries: RawEntry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = new TextEncoder().encode(e.name);
    const head = (sig: number, len: number) => {
      const v = new DataView(new ArrayBuffer(len));
      v.setUint32(0, sig, true);
      return v;
    };
    const local = head(0x04034b50, 30);
    local.setUint16(4, 20, true);
    local.setUint16(8, e.method, true);
    local.setUint32(14, e.crc ?? 0, true);
    local.setUint32(18, e.data.length, true);
    local.setUint32(22, e.size, true);
    local.setUint16(26, name.length, true);
    parts.push(new Uint8Array(local.buffer), name, e.data);
    const cd = head(0x02014b50, 46);
    cd.setUint16(4, 20, true);
    cd.setUint16(6, 20, true);
    cd.setUint16(10, e.method, true);
    cd.setUint32(16, e.crc ?? 0, true);
    cd.setUint32(20, e.data.length, true);
    cd.setUint32(24, e.size, true);
    cd.setUint16(28, name.length, true);
    cd.setUint32(42, offset, true);
    central.push(new Uint8Array(cd.buffer), name);
    offset += 30 + name.length + e.data.length;
  }
  const size = central.reduce((s, c) => s + c.length, 0);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, entries.length, true);
  end.setUint16(10, entries.length, true);
  end.setUint32(12, size, true);
  end.setUint32(16, offset, true);
  return Buffer.concat([...parts, ...central, new Uint8Array(end.buffer)]);
}

/** A stored entry, honestly described. */
export const stored = (name: string, data: Uint8Array): RawEntry => ({ name, data, method: 0, size: data.length, crc: crc32(data) >>> 0 });

/** The case: a ~1 MB shapefile .zip whose .shp inflates to `mib` MiB of zeros, declared as `declared` bytes. */
export function shpBomb(mib = 1024, declared = mib * MiB): Uint8Array {
  return rawZip([{ name: 'bomb.shp', data: deflatedZeros(mib), method: 8, size: declared }, stored('bomb.dbf', new Uint8Array(33))]);
}
