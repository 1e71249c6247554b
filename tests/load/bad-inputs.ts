/**
 * A reusable corpus of hostile and malformed inputs. `tests/integration/bad-input.test.ts` sends
 * it to every endpoint that exists today; endpoints added later (imports, geometry editing, …)
 * should run the relevant lists too — in particular GEOJSON_CASES, which no endpoint accepts yet.
 *
 * Data only: no test framework, no I/O.
 */

/** Strings aimed at SQL built by concatenation (none should ever reach SQL as code). */
export const SQL_INJECTIONS: readonly string[] = [
  "'; DROP TABLE buildings;--",
  "' OR '1'='1",
  "1 OR 1=1",
  "1; DELETE FROM users",
  "370602001001' UNION SELECT password_hash, null FROM users--",
  "1)); DROP TABLE grids; --",
  "'; SELECT pg_sleep(5);--",
  "$1",
  "\\'; TRUNCATE sessions; --",
  "1' AND (SELECT count(*) FROM pg_catalog.pg_tables) > 0 --",
  "'||(SELECT current_setting('data_directory'))||'",
  '"; DROP TABLE "households"; --',
  "370602001001--",
  "-1 UNION ALL SELECT NULL",
  "ＳＥＬＥＣＴ＊ＦＲＯＭ users",
];

/** Bodies that are not valid JSON, or JSON of the wrong shape, for JSON endpoints. */
export const MALFORMED_JSON: readonly { name: string; body: string }[] = [
  { name: 'empty body', body: '' },
  { name: 'lone brace', body: '{' },
  { name: 'trailing comma', body: '{"username":"a","password":"b",}' },
  { name: 'missing value', body: '{"username": }' },
  { name: 'single quotes', body: "{'username':'a'}" },
  { name: 'unquoted keys', body: '{username:"a",password:"b"}' },
  { name: 'two objects', body: '{"a":1}{"b":2}' },
  { name: 'NaN literal', body: '{"username":NaN}' },
  { name: 'comment', body: '{"username":"a" /* hi */}' },
  { name: 'null', body: 'null' },
  { name: 'array', body: '[]' },
  { name: 'string', body: '"username"' },
  { name: 'number', body: '42' },
  { name: 'wrong field types', body: '{"username":["a"],"password":{"x":1},"label":123}' },
  { name: 'prototype pollution', body: '{"__proto__":{"admin":true},"constructor":{"prototype":{"admin":true}}}' },
  { name: 'deep nesting (100k arrays)', body: `${'['.repeat(100_000)}${']'.repeat(100_000)}` },
  { name: 'unterminated deep nesting', body: '{"a":'.repeat(50_000) },
  { name: 'NUL bytes', body: '{"username":"a\u0000b","password":"\u0000"}' },
  { name: 'BOM then JSON of the wrong shape', body: '\uFEFF{"label":123}' },
  { name: 'huge number', body: `{"label":1${'0'.repeat(5000)}}` },
];

/** Content types that are not JSON (the body itself is valid JSON). */
export const WRONG_CONTENT_TYPES: readonly (string | null)[] = [
  null,
  'text/plain',
  'text/html',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=----x',
  'application/xml',
  'application/octet-stream',
  'image/png',
];

/** Raw bytes that are not valid UTF-8, wrapped in otherwise valid JSON (`%s` marks the bytes). */
export const INVALID_UTF8: readonly { name: string; bytes: Buffer }[] = [
  { name: 'GBK 网格', bytes: Buffer.from([0xcd, 0xf8, 0xb8, 0xf1]) },
  { name: 'GBK 社区网格地图', bytes: Buffer.from([0xc9, 0xe7, 0xc7, 0xf8, 0xcd, 0xf8, 0xb8, 0xf1, 0xb5, 0xd8, 0xcd, 0xbc]) },
  { name: 'lone continuation byte', bytes: Buffer.from([0x61, 0x80, 0x62]) },
  { name: '0xFF 0xFE', bytes: Buffer.from([0xff, 0xfe]) },
  { name: 'overlong slash (C0 AF)', bytes: Buffer.from([0xc0, 0xaf]) },
  { name: 'UTF-16 surrogate as UTF-8 (ED A0 80)', bytes: Buffer.from([0xed, 0xa0, 0x80]) },
  { name: 'truncated 3-byte sequence', bytes: Buffer.from([0xe7, 0xbd]) },
];

/** `{"<field>":"<bytes>", ...rest}` as raw bytes. */
export function jsonWithBytes(field: string, bytes: Buffer, rest: Record<string, string> = {}): Buffer {
  const tail = Object.entries(rest).map(([k, v]) => `,${JSON.stringify(k)}:${JSON.stringify(v)}`).join('');
  return Buffer.concat([Buffer.from(`{${JSON.stringify(field)}:"`), bytes, Buffer.from(`"${tail}}`)]);
}

/** Tile coordinates `z/x/y` that must be refused (with a valid layer). */
export const BAD_TILES: readonly string[] = [
  '99/0/0', '23/0/0', '-1/0/0', '15/-1/0', '15/0/-1', 'abc/0/0', '15/abc/0', '15/0/abc',
  '15/32768/0', '15/0/32768', '0/1/0', '0/0/1', '15.5/0/0', '1e1/0/0', '0x0f/0/0', '15/1e3/0',
  '9999999999/0/0', '15/99999999999/0', '15/0/99999999999', '%20/0/0', '15/0/0 ', '15/%00/0',
];

/** Things that are not `minx,miny,maxx,maxy` in WGS84 with min < max. */
export const BAD_BBOXES: readonly string[] = [
  '121.5,37.5,121.3,37.6', // inverted x
  '121.3,37.6,121.5,37.5', // inverted y
  '121.3,37.5,121.3,37.6', // zero width
  '-181,0,0,1', '0,-91,1,0', '0,0,181,1', '0,0,1,91', '-1e9,-1e9,1e9,1e9',
  '1,2,3', '1,2,3,4,5', '', ',,,', 'a,b,c,d', '1,2,3,abc', 'NaN,0,1,1', 'Infinity,0,1,1', '0,0,1,Infinity',
  '1;2;3;4', `${'1,'.repeat(2000)}1`,
];

/** Requests for files outside the web root (raw paths; some clients normalise `..` away). */
export const PATH_TRAVERSALS: readonly string[] = [
  '/../../etc/passwd',
  '/%2e%2e/%2e%2e/etc/passwd',
  '/assets/..%2f..%2fpackage.json',
  '/assets/..%2f..%2f..%2fetc%2fpasswd',
  '/..%2f..%2f..%2fetc%2fpasswd',
  '/assets/%2e%2e/%2e%2e/package.json',
  '/%252e%252e/%252e%252e/etc/passwd',
  '/assets/..\\..\\package.json',
  '/assets/..%5c..%5cpackage.json',
  '//etc/passwd',
  '/assets//../../package.json',
  '/.env',
  '/.git/config',
  '/package.json',
  '/server/db/client.ts',
  '/etc/passwd%00.js',
  '/assets/%00../../package.json',
];

/** Markers of files that must never be served: /etc/passwd, package.json, .git/config, sources. */
export const LEAK_MARKERS: readonly RegExp[] = [/root:.*:0:0:/, /"name":\s*"gridatlas"/, /\[core\]/, /export async function openNative/];

/** Field values beyond the accepted length or character set. */
export const OVERLONG = {
  /** Login usernames are at most 64 characters. */
  username65: 'u'.repeat(65),
  username10k: '网'.repeat(10_000),
  /** Passwords at most 200. */
  password201: `Aa1-${'x'.repeat(197)}`,
  /** Kiosk link labels at most 60. */
  label61: 'L'.repeat(61),
  label10k: '屏'.repeat(10_000),
} as const;

/**
 * Strings that are valid JSON but that PostgreSQL cannot store or that no name should contain:
 * an escaped NUL (`\u0000`; PostgreSQL text cannot hold U+0000), other control characters,
 * a lone surrogate (`\ud800`; not encodable as UTF-8).
 */
export const ODD_STRINGS: readonly { name: string; value: string }[] = [
  { name: 'escaped NUL', value: 'admin\u0000' },
  { name: 'NUL in the middle', value: 'a\u0000b' },
  { name: 'terminal escape', value: 'admin\u001b[31m\u0007' },
  { name: 'lone surrogate', value: 'admin\ud800' },
];

export type GeoJsonVerdict =
  /** Must be rejected (400) by any endpoint that stores geometry. */
  | 'reject'
  /** Parsable and valid for PostGIS, but an endpoint may reasonably refuse or normalise it. */
  | 'suspicious';

/** Malformed and invalid GeoJSON geometries, for endpoints that accept geometry (none yet). */
export const GEOJSON_CASES: readonly { name: string; verdict: GeoJsonVerdict; geometry: unknown }[] = [
  {
    name: 'bow-tie polygon (self-intersecting ring)',
    verdict: 'reject',
    geometry: { type: 'Polygon', coordinates: [[[121.40, 37.50], [121.41, 37.51], [121.41, 37.50], [121.40, 37.51], [121.40, 37.50]]] },
  },
  {
    name: 'unclosed ring',
    verdict: 'reject',
    geometry: { type: 'Polygon', coordinates: [[[121.40, 37.50], [121.41, 37.50], [121.41, 37.51], [121.40, 37.51]]] },
  },
  {
    name: 'ring with three positions',
    verdict: 'reject',
    geometry: { type: 'Polygon', coordinates: [[[121.40, 37.50], [121.41, 37.50], [121.40, 37.50]]] },
  },
  {
    name: 'zero-area ring (all points on a line)',
    verdict: 'reject',
    geometry: { type: 'Polygon', coordinates: [[[121.40, 37.50], [121.41, 37.50], [121.42, 37.50], [121.40, 37.50]]] },
  },
  {
    name: 'hole outside its shell',
    verdict: 'reject',
    geometry: {
      type: 'Polygon',
      coordinates: [
        [[121.40, 37.50], [121.41, 37.50], [121.41, 37.51], [121.40, 37.51], [121.40, 37.50]],
        [[121.50, 37.60], [121.51, 37.60], [121.51, 37.61], [121.50, 37.61], [121.50, 37.60]],
      ],
    },
  },
  {
    name: 'multipolygon with overlapping parts',
    verdict: 'reject',
    geometry: {
      type: 'MultiPolygon',
      coordinates: [
        [[[121.40, 37.50], [121.42, 37.50], [121.42, 37.52], [121.40, 37.52], [121.40, 37.50]]],
        [[[121.41, 37.51], [121.43, 37.51], [121.43, 37.53], [121.41, 37.53], [121.41, 37.51]]],
      ],
    },
  },
  { name: 'longitude out of range', verdict: 'reject', geometry: { type: 'Point', coordinates: [200, 37.5] } },
  { name: 'latitude out of range', verdict: 'reject', geometry: { type: 'Point', coordinates: [121.4, 95] } },
  { name: 'coordinates as strings', verdict: 'reject', geometry: { type: 'Point', coordinates: ['121.4', '37.5'] } },
  { name: 'null coordinate (JSON has no NaN)', verdict: 'reject', geometry: { type: 'Point', coordinates: [null, 37.5] } },
  { name: 'one-dimensional position', verdict: 'reject', geometry: { type: 'Point', coordinates: [121.4] } },
  { name: 'empty coordinates', verdict: 'reject', geometry: { type: 'Polygon', coordinates: [] } },
  { name: 'unknown type', verdict: 'reject', geometry: { type: 'Circle', coordinates: [121.4, 37.5], radius: 10 } },
  { name: 'missing coordinates', verdict: 'reject', geometry: { type: 'Polygon' } },
  { name: 'polygon nested one level too deep', verdict: 'reject', geometry: { type: 'Polygon', coordinates: [[[[121.4, 37.5]]]] } },
  { name: 'not an object', verdict: 'reject', geometry: 'POLYGON((0 0,1 0,1 1,0 0))' },
  {
    name: 'clockwise exterior ring (RFC 7946 says counter-clockwise; parsers must accept)',
    verdict: 'suspicious',
    geometry: { type: 'Polygon', coordinates: [[[121.40, 37.50], [121.40, 37.51], [121.41, 37.51], [121.41, 37.50], [121.40, 37.50]]] },
  },
  {
    name: 'repeated consecutive positions',
    verdict: 'suspicious',
    geometry: { type: 'Polygon', coordinates: [[[121.40, 37.50], [121.41, 37.50], [121.41, 37.50], [121.41, 37.51], [121.40, 37.51], [121.40, 37.50]]] },
  },
  {
    name: 'crs member (GeoJSON 2008; RFC 7946 is always WGS84)',
    verdict: 'suspicious',
    geometry: { type: 'Point', coordinates: [121.4, 37.5], crs: { type: 'name', properties: { name: 'EPSG:3857' } } },
  },
];

/** A ring with `n` vertices around a centre, for size limits (n ≥ 3). */
export function hugeRing(n: number, [cx, cy] = [121.4, 37.5], r = 0.01): number[][] {
  const ring = Array.from({ length: n }, (_, i) => {
    const a = (2 * Math.PI * i) / n;
    return [cx + r * Math.cos(a), cy + r * Math.sin(a)];
  });
  return [...ring, ring[0]];
}
