import { describe, expect, it } from 'vitest';
import { boundaryOf, parseMultipart } from './multipart.js';

describe('multipart/form-data without stalling', () => {
  it('reads what the platform FormData writes: a file with a Chinese name, a text field, binary bytes', async () => {
    const bytes = new Uint8Array([0, 13, 10, 45, 45, 255, 1]);
    const form = new FormData();
    form.append('file', new File([bytes], '楼栋 "A".geojson'));
    form.append('mapping', '{"code":"编码"}');
    const req = new Request('http://x/', { method: 'POST', body: form });
    const boundary = boundaryOf(req.headers.get('content-type') ?? undefined)!;
    const parts = parseMultipart(new Uint8Array(await req.arrayBuffer()), boundary)!;
    expect(parts.map((p) => [p.name, p.filename])).toEqual([['file', '楼栋 %22A%22.geojson'], ['mapping', undefined]]);
    expect([...parts[0].data]).toEqual([...bytes]);
    expect(new TextDecoder().decode(parts[1].data)).toBe('{"code":"编码"}');
  });

  it('refuses what is not multipart', () => {
    expect(boundaryOf('application/json')).toBeNull();
    expect(parseMultipart(new TextEncoder().encode('--b\r\nno end'), 'b')).toBeNull();
  });
});
