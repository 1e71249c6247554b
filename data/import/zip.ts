/**
 * Reads the entries of a .zip archive (stored or deflated) — a zipped shapefile, or the parts of
 * an .xlsx to vet before ExcelJS opens it. Walks the central directory from the end-of-central-
 * directory record and checks every entry's declared size, the entry count and the compression
 * ratio BEFORE inflating anything (inflate-limits.ts); inflation is bounded by the declared size.
 */
import { ImportFileError } from './errors.js';
import { INFLATE_LIMITS, InflateBudget, boundedInflate, tooLarge } from './inflate-limits.js';

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  /** Offset of the local file header. */
  local: number;
}

const bad = (zh: string, en: string) => new ImportFileError(`ZIP 文件无法读取：${zh}`, `the ZIP archive could not be read: ${en}`);
const ZIP64 = 0xffffffff;

function findEocd(view: DataView): number {
  for (let i = view.byteLength - 22; i >= Math.max(0, view.byteLength - 22 - 65535); i--) {
    if (view.getUint32(i, true) === 0x06054b50) return i;
  }
  throw bad('不是 ZIP 文件', 'not a zip archive');
}

/** The central directory, with the entry-count cap applied before any entry is read. */
export function listZip(bytes: Uint8Array): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eocd = findEocd(view);
  const count = view.getUint16(eocd + 10, true);
  if (count === 0xffff || view.getUint32(eocd + 16, true) === ZIP64) throw bad('不支持 ZIP64', 'ZIP64 archives are not supported');
  if (count > INFLATE_LIMITS.maxEntries) {
    throw new ImportFileError(`压缩包有 ${count} 个文件，超过 ${INFLATE_LIMITS.maxEntries} 个的上限`, `the archive has ${count} entries, over the limit of ${INFLATE_LIMITS.maxEntries}`, 'too_large');
  }
  let p = view.getUint32(eocd + 16, true);
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (p + 46 > bytes.length || view.getUint32(p, true) !== 0x02014b50) throw bad('中央目录损坏', 'corrupt central directory');
    const nameLen = view.getUint16(p + 28, true);
    const entry: ZipEntry = {
      name: new TextDecoder().decode(bytes.subarray(p + 46, p + 46 + nameLen)),
      method: view.getUint16(p + 10, true),
      compressedSize: view.getUint32(p + 20, true),
      size: view.getUint32(p + 24, true),
      local: view.getUint32(p + 42, true),
    };
    if (view.getUint16(p + 8, true) & 1) throw bad(`${entry.name} 已加密`, `${entry.name} is encrypted`);
    if (entry.size === ZIP64 || entry.compressedSize === ZIP64) throw bad('不支持 ZIP64', 'ZIP64 archives are not supported');
    entries.push(entry);
    p += 46 + nameLen + view.getUint16(p + 30, true) + view.getUint16(p + 32, true);
  }
  return entries;
}

/**
 * Checks the whole archive against the limits from its central directory alone — entry count,
 * total declared size, per-entry ratio — without inflating anything: microseconds, so the server
 * can refuse a bomb before it even hands the file to a worker. Returns the stored/deflated entries.
 */
export function vetZip(bytes: Uint8Array, budget = new InflateBudget()): ZipEntry[] {
  const entries = listZip(bytes).filter((e) => e.method === 0 || e.method === 8);
  const total = entries.reduce((s, e) => s + e.size, 0);
  if (total > budget.limit) throw tooLarge('压缩包', 'the archive', total);
  for (const e of entries) budget.reserve(e.size, e.compressedSize, `压缩包中的 ${e.name} `, `${e.name} in the archive`);
  return entries;
}

/**
 * Vets the archive (vetZip), then inflates each entry bounded by its declared size, so an entry
 * whose header lies stops there. Entries of other methods than stored/deflate are left out.
 */
export function readZip(bytes: Uint8Array, budget = new InflateBudget()): Map<string, Uint8Array> {
  const entries = vetZip(bytes, budget);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Map<string, Uint8Array>();
  for (const e of entries) {
    if (e.local + 30 > bytes.length || view.getUint32(e.local, true) !== 0x04034b50) throw bad(`${e.name} 的文件头损坏`, `corrupt local header of ${e.name}`);
    const dataStart = e.local + 30 + view.getUint16(e.local + 26, true) + view.getUint16(e.local + 28, true);
    if (dataStart + e.compressedSize > bytes.length) throw bad(`${e.name} 被截断`, `${e.name} is truncated`);
    const data = bytes.subarray(dataStart, dataStart + e.compressedSize);
    if (e.method === 0 && e.size !== e.compressedSize) throw bad(`${e.name} 的长度不一致`, `${e.name} has inconsistent sizes`);
    out.set(e.name, e.method === 0 ? data : boundedInflate(data, e.size, 'raw', `压缩包中的 ${e.name} `, `${e.name} in the archive`));
  }
  return out;
}
