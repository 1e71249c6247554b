/**
 * Vector tiles on real PostGIS: the HTTP contract, and the two encodings (ST_AsMVT in PostGIS vs
 * our TypeScript encoder fed by ST_ClipByBox2D/ST_Affine/ST_SnapToGrid) decoded and compared.
 */
import { VectorTile, type VectorTileFeature } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { beforeAll, describe, expect, it } from 'vitest';
import { lngLatToTile } from '../../geo/tiles/tile-math.js';
import type { StreetDataset } from '../../data/generate/types.js';
import type { Database } from '../../server/db/client.js';
import type { LayerName } from '../../server/repos/layer-defs.js';
import { layerTile } from '../../server/repos/tiles.repo.js';
import { STORED_MAX_ZOOM, storedTile } from '../../server/repos/tile-store.repo.js';
import { dataVersion } from '../../server/repos/derived-figures.repo.js';
import { PERSONAL_KEYS, testApp } from '../helpers/app.js';
import { announceNativeOnly, isNative } from '../helpers/test-db.js';

type App = Awaited<ReturnType<typeof testApp>>['app'];
let app: App;
let db: Database;
let ds: StreetDataset;

beforeAll(async () => {
  ({ app, db, dataset: ds } = await testApp());
});

/** The tile at zoom z that contains the centre of the street's first community. */
function dataTile(z: number): [number, number, number] {
  const ring = ds.communities[0].polygon[0];
  const lng = ring.reduce((s, p) => s + p[0], 0) / ring.length;
  const lat = ring.reduce((s, p) => s + p[1], 0) / ring.length;
  const [x, y] = lngLatToTile(lng, lat, z);
  return [z, x, y];
}

function decode(bytes: Uint8Array, layer: string) {
  const tile = new VectorTile(new PbfReader(bytes));
  const l = tile.layers[layer];
  const features: VectorTileFeature[] = [];
  for (let i = 0; l && i < l.length; i++) features.push(l.feature(i));
  return { extent: l?.extent, features };
}

function bboxOf(f: VectorTileFeature): [number, number, number, number] {
  const pts = f.loadGeometry().flat();
  return [
    Math.min(...pts.map((p) => p.x)),
    Math.min(...pts.map((p) => p.y)),
    Math.max(...pts.map((p) => p.x)),
    Math.max(...pts.map((p) => p.y)),
  ];
}

describe('GET /tiles/:layer/:z/:x/:y.mvt', () => {
  it('serves a decodable buildings tile with the layer properties and no personal fields', async () => {
    const [z, x, y] = dataTile(16);
    const res = await app.request(`/tiles/buildings/${z}/${x}/${y}.mvt`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile');
    const { extent, features } = decode(new Uint8Array(await res.arrayBuffer()), 'buildings');
    expect(extent).toBe(4096);
    expect(features.length).toBeGreaterThan(0);
    const props = features[0].properties;
    expect(props).toHaveProperty('households');
    expect(props).toHaveProperty('floors');
    for (const f of features) {
      expect(f.type).toBe(3);
      for (const k of PERSONAL_KEYS) expect(f.properties).not.toHaveProperty(k);
    }
  });

  it('answers 204 for an empty tile and 400 for impossible coordinates', async () => {
    expect((await app.request('/tiles/buildings/15/0/0.mvt')).status).toBe(204);
    for (const path of [
      '/tiles/buildings/99/0/0.mvt',
      '/tiles/buildings/3/8/0.mvt',
      '/tiles/buildings/3/0/-1.mvt',
      '/tiles/buildings/a/b/c.mvt',
      '/tiles/buildings/3/0/0.png',
      '/tiles/secrets/3/0/0.mvt',
    ]) {
      const res = await app.request(path);
      expect(res.status, path).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('serves TileJSON 3.0 for every tiled layer', async () => {
    for (const layer of ['buildings', 'grids', 'facilities', 'roads', 'communities']) {
      const res = await app.request(`http://localhost/tiles/${layer}.json`);
      expect(res.status).toBe(200);
      const tj = (await res.json()) as { tilejson: string; tiles: string[]; bounds: number[]; vector_layers: { id: string }[] };
      expect(tj.tilejson).toBe('3.0.0');
      expect(tj.tiles[0]).toBe(`http://localhost/tiles/${layer}/{z}/{x}/{y}.mvt`);
      expect(tj.vector_layers[0].id).toBe(layer);
      const [w, s, e, n] = tj.bounds;
      expect(w).toBeGreaterThan(121);
      expect(e).toBeLessThan(122);
      expect(s).toBeGreaterThan(37);
      expect(n).toBeLessThan(38);
    }
  });
});

describe('TileJSON bounds', () => {
  it('the grids layer is measured over the published plans only: a draft drawn far away does not widen it', async () => {
    const bounds = async () => ((await (await app.request('http://localhost/tiles/grids.json')).json()) as { bounds: number[] }).bounds;
    const before = await bounds();
    const [plan] = await db.query<{ id: number }>(
      `INSERT INTO grid_plans (name, status, street_id) SELECT 'far draft', 'draft', street_id FROM grid_plans WHERE status = 'published' LIMIT 1 RETURNING id`,
    );
    try {
      await db.query(
        `INSERT INTO grids (plan_id, community_id, code, name, kind, geom)
         SELECT $1::int, community_id, code || '-far', name, kind, ST_Translate(geom, 3, 2) FROM grids
         WHERE plan_id = (SELECT id FROM grid_plans WHERE status = 'published' LIMIT 1) LIMIT 1`,
        [plan.id],
      );
      const after = await bounds();
      expect(after).toEqual(before);
      // The extent is that of the published grids, not of the whole table.
      const [all] = await db.query<{ e: number }>('SELECT ST_XMax(ST_Extent(geom)) AS e FROM grids');
      expect(Number(all.e)).toBeGreaterThan(after[2] + 2);
    } finally {
      await db.query('DELETE FROM grid_plans WHERE id = $1', [plan.id]);
    }
  });
});

describe('TypeScript tile encoder vs ST_AsMVT', () => {
  it('decodes the TypeScript encoding of every layer on this backend', async () => {
    for (const layer of ['buildings', 'grids', 'facilities', 'roads', 'communities', 'households'] as LayerName[]) {
      const [z, x, y] = dataTile(15);
      const { features } = decode(await layerTile(db, layer, z, x, y, 'typescript'), layer);
      expect(features.length, layer).toBeGreaterThan(0);
      for (const f of features) expect(f.loadGeometry().length, layer).toBeGreaterThan(0);
    }
  });

  it('gives the same features, properties and shapes as ST_AsMVT (native PostGIS)', async () => {
    if (!isNative()) {
      announceNativeOnly('ST_AsMVT vs TypeScript encoder tile comparison');
      return;
    }
    expect(db.capabilities.asMvt).toBe(true);
    for (const z of [15, 17]) {
      for (const layer of ['buildings', 'grids', 'facilities', 'roads'] as LayerName[]) {
        const [, x, y] = dataTile(z);
        const a = decode(await layerTile(db, layer, z, x, y, 'postgis'), layer);
        const b = decode(await layerTile(db, layer, z, x, y, 'typescript'), layer);
        const byId = new Map(b.features.map((f) => [f.id, f]));
        expect(a.features.length, `${layer} z${z}`).toBeGreaterThan(0);
        expect(new Set(a.features.map((f) => f.id)), `${layer} z${z} ids`).toEqual(new Set(byId.keys()));
        for (const fa of a.features) {
          const fb = byId.get(fa.id)!;
          expect(fb.type).toBe(fa.type);
          expect(fb.properties).toEqual(fa.properties);
          const [ba, bb] = [bboxOf(fa), bboxOf(fb)];
          for (let i = 0; i < 4; i++) expect(Math.abs(ba[i] - bb[i]), `${layer} ${fa.id} bbox`).toBeLessThanOrEqual(2);
        }
      }
    }
  });
});

describe('backend in CI', () => {
  it('is native PostGIS with ST_AsMVT whenever CI runs, so native-only checks always run there', () => {
    if (process.env.CI !== 'true') return;
    expect(isNative()).toBe(true);
    expect(db.backend).toBe('postgis');
    expect(db.capabilities.asMvt).toBe(true);
    expect(db.capabilities.pgRouting).toBe(true);
  });
});

describe('stored low-zoom tiles (tile_store under the data version)', () => {
  it('serve a z ≤ 13 tile from the store while the data is unchanged and rebuild it after a committed change', async () => {
    const [z, x, y] = dataTile(12);
    const key = { layer: 'grids', z, x, y };
    const build = () => layerTile(db, 'grids', z, x, y);
    const built = await storedTile(db, key, build);
    expect(decode(built, 'grids').features.length).toBeGreaterThan(0);
    const row = async () =>
      (await db.query<{ version: string; tile: Uint8Array }>('SELECT version, tile FROM tile_store WHERE layer = $1 AND z = $2 AND x = $3 AND y = $4', ['grids', z, x, y]))[0];
    expect((await row()).version).toBe(await dataVersion(db));
    expect(Buffer.from((await row()).tile).equals(Buffer.from(built))).toBe(true);

    // While the version holds, the stored bytes are served (marked here by hand) …
    await db.query(`UPDATE tile_store SET tile = '\\x0102'::bytea WHERE layer = 'grids' AND z = $1 AND x = $2 AND y = $3`, [z, x, y]);
    expect([...(await storedTile(db, key, build))]).toEqual([1, 2]);
    // … and a committed change to the data (a grid renamed) rebuilds the tile with it.
    const code = String(decode(built, 'grids').features[0].properties.code);
    const [{ name }] = await db.query<{ name: string }>('SELECT name FROM grids WHERE code = $1', [code]);
    try {
      await db.query('UPDATE grids SET name = $2 WHERE code = $1', [code, `${name}（测）`]);
      const rebuilt = await storedTile(db, key, build);
      expect(rebuilt.length).toBeGreaterThan(2);
      expect(decode(rebuilt, 'grids').features.some((f) => f.properties.name === `${name}（测）`)).toBe(true);
      expect((await row()).version).toBe(await dataVersion(db));
    } finally {
      await db.query('UPDATE grids SET name = $2 WHERE code = $1', [code, name]);
    }
  });

  it('leaves tiles above z13 to the in-memory cache', async () => {
    const [z, x, y] = dataTile(STORED_MAX_ZOOM + 2);
    await storedTile(db, { layer: 'grids', z, x, y }, () => layerTile(db, 'grids', z, x, y));
    const [{ n }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM tile_store WHERE z > $1', [STORED_MAX_ZOOM]);
    expect(n).toBe(0);
  });
});
