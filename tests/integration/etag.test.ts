/**
 * Issue #19.4 — tiles, layers and the public figures carry an ETag from the data version and honour
 * If-None-Match with 304, until data changes (whichever process changes it); a signed-in caller's
 * tag differs from the public one (their answers may differ: masking, scope).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { lngLatToTile } from '../../geo/tiles/tile-math.js';
import type { StreetDataset } from '../../data/generate/types.js';
import type { Database } from '../../server/db/client.js';
import { matchesIfNoneMatch } from '../../server/services/etag.js';
import { testApp } from '../helpers/app.js';
import { as, ensureTestUsers, signIn } from '../helpers/auth.js';

type App = Awaited<ReturnType<typeof testApp>>['app'];
let app: App;
let db: Database;
let ds: StreetDataset;
let tile: string;

beforeAll(async () => {
  ({ app, db, dataset: ds } = await testApp());
  await ensureTestUsers(db, ds);
  const ring = ds.communities[0].polygon[0];
  const lng = ring.reduce((sum, p) => sum + p[0], 0) / ring.length;
  const lat = ring.reduce((sum, p) => sum + p[1], 0) / ring.length;
  const [x, y] = lngLatToTile(lng, lat, 16);
  tile = `/tiles/buildings/16/${x}/${y}.mvt`;
});

const touch = () => db.query('UPDATE facilities SET name = name WHERE id = (SELECT min(id) FROM facilities)');

describe('ETag from the data version', () => {
  it.each([['tile', () => tile], ['layer', () => '/api/layers/grids'], ['wall-screen figures', () => '/api/screen/summary'], ['stats', () => '/api/stats']])(
    '%s: 200 with an ETag, 304 for If-None-Match, 200 again after a write',
    async (_what, path) => {
      const first = await app.request(path());
      expect(first.status).toBe(200);
      const etag = first.headers.get('etag');
      expect(etag).toMatch(/^W\/"\d+:\d+\.public"$/);
      const again = await app.request(path(), { headers: { 'If-None-Match': etag! } });
      expect(again.status).toBe(304);
      expect(again.headers.get('etag')).toBe(etag);
      expect((await again.arrayBuffer()).byteLength).toBe(0);

      await touch(); // another connection, as another process would: the version moves on
      const after = await app.request(path(), { headers: { 'If-None-Match': etag! } });
      expect(after.status).toBe(200);
      expect(after.headers.get('etag')).not.toBe(etag);
      expect((await after.arrayBuffer()).byteLength).toBeGreaterThan(0);
    },
  );

  it('gives a signed-in caller a tag of its own, and leaves other routes untagged', async () => {
    const viewer = await signIn(app, 'viewer');
    const pub = (await app.request('/api/layers/grids')).headers.get('etag');
    const mine = await app.request('/api/layers/grids', { headers: as(viewer) });
    expect(mine.headers.get('etag')).not.toBe(pub);
    expect((await app.request('/api/layers/grids', { headers: { ...as(viewer), 'If-None-Match': pub! } })).status).toBe(200);
    expect((await app.request('/api/health')).headers.get('etag')).toBeNull();
  });

  it('compares If-None-Match weakly, lists and *', () => {
    expect(matchesIfNoneMatch('"1:2.public"', 'W/"1:2.public"')).toBe(true);
    expect(matchesIfNoneMatch('W/"0:1.x", W/"1:2.public"', 'W/"1:2.public"')).toBe(true);
    expect(matchesIfNoneMatch('*', 'W/"1:2.public"')).toBe(true);
    expect(matchesIfNoneMatch('W/"1:3.public"', 'W/"1:2.public"')).toBe(false);
    expect(matchesIfNoneMatch(undefined, 'W/"1:2.public"')).toBe(false);
  });
});
