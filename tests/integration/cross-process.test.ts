/**
 * Issue #16.2 — every process sees the same data. A real `server/main.ts` process with its response
 * cache ON answers layers, tiles, stats, the wall screen and OGC items; then ANOTHER process writes
 * to the same database — the CLI importer (`scripts/import.ts`) or a plain second connection (as
 * psql or a second app server would) — and the server's very next answers must show the change.
 * Before the fix the response cache was emptied only by writes made through the same process, so
 * `/api/layers/roads` kept its old features after a CLI import, and a restore needed a restart.
 *
 * Native PostgreSQL only: embedded PGlite is one process by construction (its data folder is
 * locked by the server), so no other process can write to it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lngLatToTile } from '../../geo/tiles/tile-math.js';
import { type ServerProcess, freshRequest, startServerProcess } from '../helpers/server-process.js';
import { announceNativeOnly, isNative } from '../helpers/test-db.js';

interface Features { features: Array<{ geometry: { coordinates: number[] }; properties: Record<string, unknown> }> }

let server: ServerProcess | undefined;
let dir: string;

beforeAll(async () => {
  if (!isNative()) return;
  server = await startServerProcess('xproc', { GRIDATLAS_CACHE_MB: '64' });
  dir = mkdtempSync(join(tmpdir(), 'gridatlas-xproc-'));
});
afterAll(async () => {
  await server?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function get(path: string): Promise<string> {
  const res = await freshRequest(server!.port, path);
  expect(res.status, `${path}: ${res.body.slice(0, 300)} ${res.status === 500 ? server!.output().slice(-3000) : ''}`).toBe(200);
  return res.body;
}
const json = async <T>(path: string) => JSON.parse(await get(path)) as T;
const tilePath = (layer: string, z: number, [lng, lat]: number[]) => {
  const [x, y] = lngLatToTile(lng, lat, z);
  return `/tiles/${layer}/${z}/${x}/${y}.mvt`;
};
const matched = async (collection: string) => (await json<{ numberMatched: number }>(`/ogc/collections/${collection}/items?limit=1`)).numberMatched;

/** `npx tsx scripts/import.ts` in a process of its own, on the server's database. */
function cliImport(name: string, body: unknown, layer: string) {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(body));
  const run = spawnSync('npx', ['tsx', 'scripts/import.ts', file, '--layer', layer, '--crs', 'wgs84'], {
    env: { ...process.env, ...server!.databaseEnv }, encoding: 'utf8', timeout: 90_000,
  });
  expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
  return run.stdout;
}

const point = (lng: number, lat: number) => ({ type: 'Point', coordinates: [lng, lat] });

describe('writes by another process (real server process, response cache on)', () => {
  it('a CLI import of facilities and walk lines shows in the next layers, tiles, stats, screen and OGC answers', async () => {
    if (!server) return announceNativeOnly('cross-process cache freshness');
    const before = await json<Features>('/api/layers/facilities');
    const spot = before.features[0].geometry.coordinates;
    const category = String(before.features[0].properties.category);
    const roads = (await json<Features>('/api/layers/roads')).features.length;
    const stats = await json<{ facilities: { total: number } }>('/api/stats');
    const screenCount = async () => (await json<{ facilities: { count: number }[] }>('/api/screen/summary')).facilities.reduce((s, f) => s + f.count, 0);
    const screen = await screenCount();
    const [ogcFacilities, ogcRoads] = [await matched('facilities'), await matched('roads')];
    const tiles = [tilePath('facilities', 15, spot), tilePath('facilities', 13, spot), tilePath('roads', 16, spot)];
    const tileBefore = [];
    for (const t of tiles) tileBefore.push((await get(t)) + (await get(t))); // the second read is a cache hit

    const names = ['跨进程药店甲', '跨进程药店乙', '跨进程药店丙'];
    const out = cliImport('xproc-facilities.geojson', {
      type: 'FeatureCollection',
      features: names.map((name, i) => ({
        type: 'Feature', properties: { 编号: `XPROC-${i}`, 名称: name, 类别: category }, geometry: point(spot[0] + 0.00003 * i, spot[1] + 0.00002),
      })),
    }, 'facilities');
    expect(out).toMatch(/insert 3/);

    const after = await json<Features>('/api/layers/facilities');
    expect(after.features.length).toBe(before.features.length + 3);
    expect(after.features.map((f) => f.properties.name)).toEqual(expect.arrayContaining(names));
    for (const t of tiles.slice(0, 2)) expect(await get(t), t).toContain(names[0]); // MVT keeps strings as UTF-8
    expect((await json<{ facilities: { total: number } }>('/api/stats')).facilities.total).toBe(stats.facilities.total + 3);
    expect(await screenCount()).toBe(screen + 3);
    expect(await matched('facilities')).toBe(ogcFacilities + 3);

    const [lng, lat] = spot;
    cliImport('xproc-walk.geojson', {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: { name: '跨进程小路' }, geometry: { type: 'LineString', coordinates: [[lng, lat], [lng + 0.0004, lat + 0.0003]] } }],
    }, 'walk');
    expect((await json<Features>('/api/layers/roads')).features.length).toBeGreaterThan(roads);
    expect(await matched('roads')).toBeGreaterThan(ogcRoads);
    expect(await get(tiles[2])).toContain('跨进程小路');
  });

  it('a write on a second connection (psql, another app server) shows in the next answers', async () => {
    if (!server) return announceNativeOnly('cross-process cache freshness');
    const layer = await json<Features>('/api/layers/facilities');
    const f = layer.features[layer.features.length - 1];
    const code = String(f.properties.code);
    const tile = tilePath('facilities', 15, f.geometry.coordinates);
    await get(tile);
    const sql = postgres(server.databaseEnv.DATABASE_URL, { max: 1, onnotice: () => {} });
    try {
      await sql`UPDATE facilities SET name = '改名于另一连接' WHERE code = ${code}`;
    } finally {
      await sql.end();
    }
    const renamed = await json<Features>('/api/layers/facilities');
    expect(renamed.features.find((x) => x.properties.code === code)!.properties.name).toBe('改名于另一连接');
    expect(await get(tile)).toContain('改名于另一连接');
    const items = await json<Features>(`/ogc/collections/facilities/items?limit=10000`);
    expect(items.features.find((x) => x.properties.code === code)?.properties.name).toBe('改名于另一连接');
  });

  it('a restore (pg_restore --clean, another process) shows in the next answers, no restart needed', async () => {
    if (!server) return announceNativeOnly('cross-process cache freshness');
    const url = server.databaseEnv.DATABASE_URL;
    const dump = join(dir, 'before.dump');
    const tool = (cmd: string, args: string[]) => {
      const run = spawnSync(cmd, args, { encoding: 'utf8', timeout: 120_000 });
      expect(run.status, run.stderr).toBe(0);
    };
    const first = async () => (await json<Features>('/api/layers/facilities')).features[0].properties;
    const original = await first();
    // As `npm run backup` does: without the job queue's schema (pg-boss, issue #19; see scripts/backup.ts).
    tool('pg_dump', ['-Fc', '--exclude-schema=pgboss', '-f', dump, url]);
    const rename = async (name: string) => {
      const sql = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await sql`UPDATE facilities SET name = ${name} WHERE code = ${String(original.code)}`;
      } finally {
        await sql.end();
      }
    };
    const restore = () => tool('pg_restore', ['--clean', '--if-exists', '--no-owner', '--single-transaction', '--exit-on-error', `--dbname=${url}`, dump]);
    await rename('恢复前的名字');
    expect((await first()).name).toBe('恢复前的名字');
    restore();
    expect((await first()).name).toBe(original.name);
    // The restored counter is the dumped one, so one more write brings it back to the number the
    // server cached '恢复前的名字' under: only the restored table's new OID tells the two apart.
    await rename('恢复前的名字');
    expect((await first()).name).toBe('恢复前的名字');
    restore();
    await rename('恢复后的名字');
    expect((await first()).name).toBe('恢复后的名字');
  });

  it('a cached answer does not wait for the connection pool: the version has a connection of its own', async () => {
    if (!server) return announceNativeOnly('cross-process cache freshness');
    const tile = tilePath('buildings', 16, (await json<Features>('/api/layers/facilities')).features[0].geometry.coordinates);
    const locker = postgres(server.databaseEnv.DATABASE_URL, { max: 1, onnotice: () => {} });
    const version = async () => (await locker`SELECT version FROM data_version`)[0].version as string;
    // Cached under a version that still holds (the server's first background work may write once).
    for (let v = ''; v !== (await version()); ) {
      v = await version();
      await get(tile);
    }
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const holding = locker.begin(async (tx) => {
      await tx`LOCK TABLE buildings IN ACCESS EXCLUSIVE MODE`;
      locked();
      await held;
    });
    try {
      await isLocked;
      // More waiting requests than the pool has connections (16): every one of them is taken.
      const stuck = Array.from({ length: 24 }, () => freshRequest(server!.port, '/api/stats'));
      await new Promise((r) => setTimeout(r, 500));
      const hit = await freshRequest(server.port, tile);
      expect(hit.status, `${hit.ms} ms ${hit.body}`).toBe(200);
      expect(hit.ms).toBeLessThan(1000);
      release();
      for (const r of await Promise.all(stuck)) expect(r.status).toBe(200);
    } finally {
      release();
      await holding;
      await locker.end();
    }
  });
});
