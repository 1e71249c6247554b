/**
 * A photo as it may be kept and shown to staff: a JPEG or PNG whose structure reads to its end,
 * without what a camera or phone writes about the person who took it — EXIF (GPS position, time,
 * device, owner name), XMP, IPTC, comments, PNG text chunks —, nothing after its end (a JPEG/HTML
 * or JPEG/ZIP polyglot keeps only the image), and of dimensions a phone can open (a 200 KB PNG may
 * declare 60,000 × 60,000 pixels: 14 GB to decode on the grid worker's phone).
 *
 * Lossless: the image data itself is copied byte for byte. A JPEG's EXIF orientation is kept (as a
 * minimal EXIF block holding that tag alone), so an upright photo stays upright.
 */

/** Largest side and pixel count a photo may declare (a 12-megapixel phone photo is 4032 × 3024). */
export const PHOTO_MAX_SIDE = 10_000;
export const PHOTO_MAX_PIXELS = 50_000_000;

export class PhotoProblem extends Error {
  constructor(readonly code: 'invalid_photo' | 'photo_too_large', readonly zh: string, readonly en: string) {
    super(en);
  }
}

const damaged = () => new PhotoProblem('invalid_photo', '照片文件已损坏或不是完整的 JPEG/PNG 图像', 'the photo is damaged or not a complete JPEG/PNG image');

function checkSize(width: number, height: number) {
  if (width === 0 || height === 0) throw damaged();
  if (width > PHOTO_MAX_SIDE || height > PHOTO_MAX_SIDE || width * height > PHOTO_MAX_PIXELS) {
    throw new PhotoProblem('photo_too_large', `照片尺寸 ${width}×${height} 过大（每边最多 ${PHOTO_MAX_SIDE} 像素，共最多 5000 万像素）`,
      `photo dimensions ${width}×${height} are too large (at most ${PHOTO_MAX_SIDE} px a side and 50 megapixels)`);
  }
}

const ascii = (b: Uint8Array, at: number, text: string) => [...text].every((ch, i) => b[at + i] === ch.charCodeAt(0));

/** The EXIF orientation (1–8) in an APP1 payload starting with `Exif\0\0`, or null. */
function exifOrientation(p: Uint8Array): number | null {
  if (p.length < 14 || !ascii(p, 0, 'Exif\0\0')) return null;
  const t = p.subarray(6);
  const view = new DataView(t.buffer, t.byteOffset, t.byteLength);
  const little = t[0] === 0x49 && t[1] === 0x49;
  if (!little && !(t[0] === 0x4d && t[1] === 0x4d)) return null;
  const ifd = view.getUint32(4, little);
  if (ifd + 2 > t.length) return null;
  const n = view.getUint16(ifd, little);
  for (let i = 0; i < n && ifd + 2 + i * 12 + 12 <= t.length; i++) {
    const e = ifd + 2 + i * 12;
    if (view.getUint16(e, little) === 0x0112 && view.getUint16(e + 2, little) === 3) {
      const v = view.getUint16(e + 8, little);
      return v >= 1 && v <= 8 ? v : null;
    }
  }
  return null;
}

/** An APP1 segment holding only an EXIF orientation (big-endian TIFF, one IFD entry). */
function orientationSegment(o: number): Uint8Array {
  return Uint8Array.from([
    0xff, 0xe1, 0x00, 0x22, ...[...'Exif\0\0'].map((c) => c.charCodeAt(0)),
    0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08,
    0x00, 0x01, 0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, o, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00,
  ]);
}

/** Start-of-frame markers (C0–CF but DHT C4, JPG C8, DAC CC): they carry the dimensions. */
const isSof = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;

function cleanJpeg(b: Uint8Array): Uint8Array {
  const keep: Uint8Array[] = [b.subarray(0, 2)];
  let orientation: number | null = null;
  let frame = false;
  let p = 2;
  for (;;) {
    if (p >= b.length || b[p] !== 0xff) throw damaged();
    while (b[p] === 0xff) p++;
    const marker = b[p++];
    if (marker === undefined) throw damaged();
    if (marker === 0xd9) {
      if (!frame) throw damaged();
      keep.push(Uint8Array.of(0xff, 0xd9));
      break;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue;
    if (p + 2 > b.length) throw damaged();
    const length = (b[p] << 8) | b[p + 1];
    if (length < 2 || p + length > b.length) throw damaged();
    const segment = b.subarray(p - 2, p + length);
    const payload = b.subarray(p + 2, p + length);
    p += length;
    if (isSof(marker)) {
      if (payload.length < 5) throw damaged();
      checkSize((payload[3] << 8) | payload[4], (payload[1] << 8) | payload[2]);
      frame = true;
    }
    if (marker === 0xe1) {
      orientation ??= exifOrientation(payload);
      continue; // EXIF, XMP
    }
    // APP0 (JFIF), an ICC colour profile (APP2) and Adobe's colour transform (APP14) change how the
    // picture looks; every other APPn (IPTC, maker notes, …) and comments (COM) go.
    const app = marker >= 0xe0 && marker <= 0xef;
    if ((app && !(marker === 0xe0 || (marker === 0xe2 && ascii(payload, 0, 'ICC_PROFILE\0')) || marker === 0xee)) || marker === 0xfe) continue;
    keep.push(segment);
    if (marker !== 0xda) continue;
    if (!frame) throw damaged();
    // Entropy-coded data up to the next marker that is not a stuffed 0xFF00 or a restart marker.
    const start = p;
    while (p + 1 < b.length && !(b[p] === 0xff && b[p + 1] !== 0x00 && !(b[p + 1] >= 0xd0 && b[p + 1] <= 0xd7) && b[p + 1] !== 0xff)) p++;
    if (p + 1 >= b.length) {
      // Image data running to the file's end without its end marker (a phone's upload cut short,
      // which browsers still show): kept, and the end marker added.
      keep.push(b.subarray(start), Uint8Array.of(0xff, 0xd9));
      break;
    }
    keep.push(b.subarray(start, p));
  }
  if (orientation !== null && orientation !== 1) keep.splice(keep[1] && keep[1][1] === 0xe0 ? 2 : 1, 0, orientationSegment(orientation));
  return Buffer.concat(keep);
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Chunks with text about the picture or its maker: EXIF, text of any kind, the modification time. */
const PNG_DROPPED = new Set(['eXIf', 'tEXt', 'zTXt', 'iTXt', 'tIME']);

function cleanPng(b: Uint8Array): Uint8Array {
  if (b.length < 8 || PNG_SIGNATURE.some((v, i) => b[i] !== v)) throw damaged();
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const keep: Uint8Array[] = [b.subarray(0, 8)];
  let p = 8;
  for (let first = true; ; first = false) {
    if (p + 12 > b.length) throw damaged();
    const length = view.getUint32(p);
    const type = String.fromCharCode(...b.subarray(p + 4, p + 8));
    if (!/^[A-Za-z]{4}$/.test(type) || p + 12 + length > b.length) throw damaged();
    if (first) {
      if (type !== 'IHDR' || length !== 13) throw damaged();
      checkSize(view.getUint32(p + 8), view.getUint32(p + 12));
    }
    if (!PNG_DROPPED.has(type)) keep.push(b.subarray(p, p + 12 + length));
    p += 12 + length;
    if (type === 'IEND') break;
  }
  return Buffer.concat(keep);
}

/** The photo as kept: see the module comment. Throws PhotoProblem when it is not one. */
export function cleanPhoto(bytes: Uint8Array, type: 'image/jpeg' | 'image/png'): Buffer {
  return Buffer.from(type === 'image/jpeg' ? cleanJpeg(bytes) : cleanPng(bytes));
}
