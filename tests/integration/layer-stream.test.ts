/**
 * Issue #17: `/api/layers/:layer` streams its GeoJSON as PostgreSQL sends the features (a cursor
 * on native PostGIS). The document must be the one the single `json_agg` query builds, and the
 * copy kept in the response cache the very bytes that were streamed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/client.js';
import { layerGeoJson } from '../../server/repos/layers.repo.js';
import { testApp } from '../helpers/app.js';

type App = Awaited<ReturnType<typeof testApp>>['app'];
let app: App;
let db: Database;

beforeAll(async () => {
  ({ app, db } = await testApp());
});

describe('GET /api/layers/:layer streamed', () => {
  it('is the same FeatureCollection as the json_agg query, for every layer, and the cached copy is byte-identical', async () => {
    for (const layer of ['buildings', 'grids', 'communities', 'facilities', 'roads'] as const) {
      const first = await app.request(`/api/layers/${layer}`);
      expect(first.status, layer).toBe(200);
      expect(first.headers.get('content-type')).toBe('application/geo+json; charset=utf-8');
      const streamed = Buffer.from(await first.arrayBuffer());
      const oracle = JSON.parse(await layerGeoJson(db, layer, {})) as { features: unknown[] };
      const doc = JSON.parse(streamed.toString('utf8')) as { type: string; features: unknown[] };
      expect(doc.type).toBe('FeatureCollection');
      expect(doc.features.length, layer).toBeGreaterThan(0);
      expect(doc).toEqual(oracle);
      const again = Buffer.from(await (await app.request(`/api/layers/${layer}`)).arrayBuffer());
      expect(again.equals(streamed), `${layer} cached bytes`).toBe(true);
    }
  });

  it('streams an empty layer as an empty FeatureCollection', async () => {
    const res = await app.request('/api/layers/buildings?bbox=0,0,0.001,0.001');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ type: 'FeatureCollection', features: [] });
  });
});
