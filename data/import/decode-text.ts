/**
 * Text of an uploaded file: UTF-8 when the bytes are valid UTF-8 (strictly, BOM stripped),
 * otherwise GB18030 — the superset of GBK/GB2312 that Chinese Excel and WPS save CSV files in.
 */
import iconv from 'iconv-lite';

export function decodeText(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'gb18030' } {
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    return { text, encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(Buffer.from(bytes), 'gb18030'), encoding: 'gb18030' };
  }
}
