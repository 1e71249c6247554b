/**
 * Limits on everything an upload may expand into (issue #14.2: a 1 MB .zip whose .shp inflated to
 * 1 GiB took the server from 285 MB to 3.4 GB). Every compressed input — zip entries (shapefile
 * archives, .xlsx workbooks) and zlib blocks of .osm.pbf — is checked against its *declared* size
 * before anything is inflated, and inflated with a hard output bound, so a header that lies about
 * its size stops at the bound instead of at the end of memory.
 */
import { inflateRawSync, inflateSync } from 'node:zlib';
import { ImportFileError } from './errors.js';

const MiB = 1024 * 1024;

export const INFLATE_LIMITS = {
  /** Entries in one archive: a shapefile has ≤ 8 parts, a workbook a few dozen. */
  maxEntries: 1000,
  /** Everything one upload may inflate to, all entries or blocks together (4× the 50 MB upload limit). */
  maxTotalBytes: 200 * MiB,
  /** Inflated ÷ compressed above which an entry is a bomb (zeros deflate ~1000:1; real .dbf/.xml ≲ 50:1)… */
  maxRatio: 200,
  /** …once it is this big (tiny entries of repeated text may legitimately compress very well). */
  ratioFloorBytes: 1 * MiB,
} as const;

const mb = (n: number) => (n / MiB).toFixed(n < MiB ? 2 : 0);

export function tooLarge(what: string, whatEn: string, bytes: number): ImportFileError {
  return new ImportFileError(
    `${what}解压后约 ${mb(bytes)} MB，超过 ${mb(INFLATE_LIMITS.maxTotalBytes)} MB 的上限（或压缩比异常），已拒绝`,
    `${whatEn} would inflate to about ${mb(bytes)} MB, over the ${mb(INFLATE_LIMITS.maxTotalBytes)} MB limit (or an abnormal compression ratio): refused`,
    'too_large',
  );
}

/**
 * What one upload may still inflate. Shared by all entries/blocks of a file, so many small bombs
 * add up to the same refusal as one big one.
 */
export class InflateBudget {
  private used = 0;

  constructor(readonly limit: number = INFLATE_LIMITS.maxTotalBytes) {}

  /** Checks a declared size (and its ratio) before inflating; reserves it. */
  reserve(declared: number, compressed: number, what: string, whatEn: string): void {
    const ratioBomb = declared > INFLATE_LIMITS.ratioFloorBytes && declared > compressed * INFLATE_LIMITS.maxRatio;
    if (ratioBomb || this.used + declared > this.limit) throw tooLarge(what, whatEn, this.used + declared);
    this.used += declared;
  }
}

/**
 * Inflates `data` (raw deflate for zip entries, zlib for .osm.pbf) to exactly `declared` bytes:
 * zlib stops at `declared + 1`, so a stream that would produce more never gets further than that.
 */
export function boundedInflate(data: Uint8Array, declared: number, kind: 'raw' | 'zlib', what: string, whatEn: string): Uint8Array {
  let out: Buffer;
  try {
    out = (kind === 'raw' ? inflateRawSync : inflateSync)(data, { maxOutputLength: declared + 1 });
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(what, whatEn, declared + 1);
    throw new ImportFileError(`${what}的压缩数据已损坏`, `the compressed data of ${whatEn} is corrupt`);
  }
  if (out.length > declared) throw tooLarge(what, whatEn, out.length);
  if (out.length < declared) throw new ImportFileError(`${what}解压后的长度与声明不符`, `${whatEn} inflates to fewer bytes than it declares`);
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}
