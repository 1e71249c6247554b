/**
 * OGC API – Features Part 1 (Core + GeoJSON) under /ogc: every response validated against the
 * standard's schemas (ogc-schemas.ts), paging links, bbox, content types, 400/404 rules, no
 * personal fields; and GDAL's ogrinfo as a real client of /ogc and of an MVT tile.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StreetDataset } from '../../data/generate/types.js';
import { PERSONAL_KEYS, PHONE_PATTERN, testApp } from '../helpers/app.js';
import { ogr2ogr, ogrSummary, ogrinfo, ogrinfoDebug, requireGdal } from '../helpers/gdal.js';
import { startTestServer } from '../helpers/server.js';
import * as S from './ogc-schemas.js';

type App = Awaited<ReturnType<typeof testApp>>['app'];
let app: App;
let ds: StreetDataset;

beforeAll(async () => {
  ({ app, dataset: ds } = await testApp());
});

async function get(path: string) {
  const res = await app.request(`http://gridatlas.test${path}`);
  return { res, body: res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text() };
}

describe('OGC API Features documents', () => {
  it('landing page links service-desc, conformance and data', async () => {
    for (const path of ['/ogc', '/ogc?f=json']) {
      const { res, body } = await get(path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const doc = S.landingPage.parse(body);
      const rels = doc.links.map((l) => l.rel);
      expect(rels).toEqual(expect.arrayContaining(['self', 'service-desc', 'conformance', 'data']));
    }
  });

  it('conformance declares Core, GeoJSON and OpenAPI 3.0', async () => {
    const { body } = await get('/ogc/conformance');
    expect(S.confClasses.parse(body).conformsTo).toEqual(expect.arrayContaining([
      'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
      'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
      'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
    ]));
  });

  it('the OpenAPI document is OpenAPI 3 with every path', async () => {
    const { res, body } = await get('/ogc/api');
    expect(res.headers.get('content-type')).toMatch(/^application\/vnd\.oai\.openapi\+json/);
    expect(body.openapi).toMatch(/^3\./);
    expect(Object.keys(body.paths)).toEqual(expect.arrayContaining(['/', '/conformance', '/collections', '/collections/{collectionId}', '/collections/{collectionId}/items', '/collections/{collectionId}/items/{featureId}']));
  });

  it('collections and each collection have items links and a CRS84 extent', async () => {
    const { body } = await get('/ogc/collections');
    const doc = S.collections.parse(body);
    expect(doc.collections.map((c) => c.id)).toEqual(expect.arrayContaining(['buildings', 'facilities', 'grids', 'roads']));
    for (const c of doc.collections) {
      expect(c.links.some((l) => l.rel === 'items' && l.type === 'application/geo+json')).toBe(true);
      expect(c.extent?.spatial?.bbox[0][0]).toBeGreaterThan(100);
    }
    const one = await get('/ogc/collections/buildings');
    expect(S.collection.parse(one.body).id).toBe('buildings');
    expect((await get('/ogc/collections/nope')).res.status).toBe(404);
  });
});

describe('items', () => {
  it('pages with limit/offset, numberMatched/numberReturned and next/prev links that walk the whole collection', async () => {
    const first = await get('/ogc/collections/buildings/items?limit=400');
    expect(first.res.headers.get('content-type')).toMatch(/^application\/geo\+json/);
    const fc = S.featureCollectionGeoJSON.parse(first.body);
    expect(fc.numberMatched).toBe(ds.buildings.length);
    expect(fc.numberReturned).toBe(400);
    expect(fc.features).toHaveLength(400);
    const ids = new Set(fc.features.map((f) => f.id));
    let next = fc.links!.find((l) => l.rel === 'next')?.href;
    expect(fc.links!.some((l) => l.rel === 'prev')).toBe(false);
    let pages = 1;
    while (next) {
      const page = S.featureCollectionGeoJSON.parse((await get(new URL(next).pathname + new URL(next).search)).body);
      page.features.forEach((f) => ids.add(f.id));
      expect(page.links!.some((l) => l.rel === 'prev')).toBe(true);
      next = page.links!.find((l) => l.rel === 'next')?.href;
      pages++;
    }
    expect(pages).toBe(Math.ceil(ds.buildings.length / 400));
    expect(ids.size).toBe(ds.buildings.length);
  });

  it('bbox filters; bad parameters are 400, unknown parameters too', async () => {
    const all = S.featureCollectionGeoJSON.parse((await get('/ogc/collections/facilities/items?limit=10000')).body);
    const [x, y] = all.features[0].geometry!.coordinates as number[];
    const box = `${x - 0.001},${y - 0.001},${x + 0.001},${y + 0.001}`;
    const some = S.featureCollectionGeoJSON.parse((await get(`/ogc/collections/facilities/items?bbox=${box}`)).body);
    expect(some.numberMatched).toBeGreaterThan(0);
    expect(some.numberMatched).toBeLessThan(all.numberMatched!);
    for (const bad of ['limit=0', 'offset=-1', 'bbox=1,2,3', 'bbox=5,5,1,1', 'foo=bar', 'f=html']) {
      expect((await get(`/ogc/collections/facilities/items?${bad}`)).res.status, bad).toBe(400);
    }
  });

  it('a single feature by id, 404 for a missing one', async () => {
    const page = S.featureCollectionGeoJSON.parse((await get('/ogc/collections/grids/items?limit=1')).body);
    const id = page.features[0].id;
    const { res, body } = await get(`/ogc/collections/grids/items/${id}`);
    expect(res.headers.get('content-type')).toMatch(/^application\/geo\+json/);
    const f = S.featureGeoJSON.parse(body);
    expect(f.id).toBe(id);
    expect(f.links!.map((l) => l.rel)).toEqual(expect.arrayContaining(['self', 'collection']));
    expect((await get('/ogc/collections/grids/items/999999')).res.status).toBe(404);
    expect((await get('/ogc/collections/grids/items/abc')).res.status).toBe(404);
  });

  it('no personal fields in any collection', async () => {
    for (const id of ['households', 'buildings', 'grids', 'facilities']) {
      const { body } = await get(`/ogc/collections/${id}/items?limit=10000`);
      const text = JSON.stringify(body);
      for (const k of PERSONAL_KEYS) expect(text).not.toContain(`"${k}"`);
      expect(PHONE_PATTERN.test(text)).toBe(false);
    }
  });
});

describe('property filters (/rec/core/fc-filters)', () => {
  it('?<property>=<value> filters by the property\'s type, keeps the filter in the paging links, refuses a value of the wrong type', async () => {
    const community = ds.communities[0].code;
    const { res, body } = await get(`/ogc/collections/buildings/items?communityCode=${community}&limit=5`);
    expect(res.status).toBe(200);
    const fc = S.featureCollectionGeoJSON.parse(body) as unknown as { numberMatched: number; features: Array<{ properties: Record<string, unknown> }>; links: Array<{ rel: string; href: string }> };
    expect(fc.numberMatched).toBe(ds.buildings.filter((b) => b.communityCode === community).length);
    for (const f of fc.features) expect(f.properties.communityCode).toBe(community);
    expect(fc.links.find((l) => l.rel === 'next')!.href).toContain(`communityCode=${community}`);
    const floors = ds.buildings[0].floors;
    const byFloors = S.featureCollectionGeoJSON.parse((await get(`/ogc/collections/buildings/items?floors=${floors}&limit=1`)).body);
    expect(byFloors.numberMatched).toBe(ds.buildings.filter((b) => b.floors === floors).length);
    const gated = S.featureCollectionGeoJSON.parse((await get('/ogc/collections/compounds/items?gated=true&limit=1')).body);
    expect(gated.numberMatched).toBe(ds.compounds.filter((c) => c.gated).length);
    for (const bad of ['floors=3.5', 'floors=x', 'gated=yes', 'lengthM=1']) expect((await get(`/ogc/collections/buildings/items?${bad}`)).res.status, bad).toBe(400);
    expect((await get('/ogc/collections/roads/items?lengthM=abc')).res.status).toBe(400);
  });
});

describe('GDAL ogrinfo as a real client', () => {
  it('opens /ogc (OAPIF driver) and a vector tile (MVT driver)', async () => {
    requireGdal(); // fails (not skips) without gdal-bin: CI installs it
    const server = await startTestServer();
    try {
      const list = await ogrinfo(['-ro', '-so', `OAPIF:${server.baseUrl}/ogc`]);
      expect(list).toMatch(/buildings .*Multi Polygon/);
      expect(list).toMatch(/facilities .*Point/);
      const layer = await ogrinfo(['-ro', '-so', `OAPIF:${server.baseUrl}/ogc`, 'facilities']);
      expect(layer).toMatch(new RegExp(`Feature Count: ${ds.facilities.length}`));
      const features = await ogrinfo(['-ro', '-q', `OAPIF:${server.baseUrl}/ogc`, 'communities']);
      expect(features).toContain(ds.communities[0].name);
      // Every collection, read to the end through the next links, gives every feature once.
      for (const id of ['communities', 'compounds', 'grids', 'buildings', 'households', 'facilities', 'roads']) {
        const { numberMatched } = S.featureCollectionGeoJSON.parse((await get(`/ogc/collections/${id}/items?limit=1`)).body);
        const out = await ogrinfo(['-ro', '-q', `OAPIF:${server.baseUrl}/ogc`, id]);
        expect(out.match(/^OGRFeature\(/gm)?.length ?? 0, `ogrinfo ${id}`).toBe(numberMatched);
      }
      // A tile over the first community's first building, at z16.
      const [lng, lat] = ds.buildings[0].footprint[0][0];
      const z = 16;
      const x = Math.floor(((lng + 180) / 360) * 2 ** z);
      const r = (lat * Math.PI) / 180;
      const y = Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z);
      const tile = await ogrinfo(['-ro', '-q', `MVT:${server.baseUrl}/tiles/buildings/${z}/${x}/${y}.mvt`, 'buildings']);
      expect(tile).toMatch(/OGRFeature\(buildings\)/);
      expect(tile).toContain(ds.buildings[0].code);
    } finally {
      await server.close();
    }
  });
});

describe('GDAL ogr2ogr copies every collection as a GIS user would', () => {
  it('types fields from the collection\'s JSON Schema, not from the first page; copies every feature to a GeoPackage, valid, in WGS84; pushes bbox down', async () => {
    requireGdal();
    const server = await startTestServer();
    const dir = mkdtempSync(join(tmpdir(), 'gridatlas-oapif-'));
    try {
      const url = `OAPIF:${server.baseUrl}/ogc`;
      // One feature per page: without the schema GDAL would type roads.lengthM from the first road
      // alone (36.0 → Integer) and cut every later length (21.7 → 21).
      const roads = ogrSummary(await ogrinfo(['-ro', '-so', '-oo', 'PAGE_SIZE=1', url, 'roads']));
      expect(roads.fields.get('lengthM')).toBe('Real');
      const grids = ogrSummary(await ogrinfo(['-ro', '-so', '-oo', 'PAGE_SIZE=1', url, 'grids']));
      expect(grids.fields.get('load')).toBe('Real');
      expect(grids.fields.get('households')).toBe('Integer');
      const compounds = ogrSummary(await ogrinfo(['-ro', '-so', '-oo', 'PAGE_SIZE=1', url, 'compounds']));
      expect(compounds.fields.get('gated')).toBe('Integer(Boolean)');
      // TileJSON says the same types (Mapbox's Number/String/Boolean).
      const tj = (await (await fetch(`${server.baseUrl}/tiles/roads.json`)).json()) as { vector_layers: Array<{ fields: Record<string, string> }> };
      expect(tj.vector_layers[0].fields).toEqual({ kind: 'String', name: 'String', lengthM: 'Number' });

      const gpkg = join(dir, 'all.gpkg');
      await ogr2ogr(['-f', 'GPKG', gpkg, url]);
      for (const id of ['communities', 'compounds', 'grids', 'buildings', 'households', 'facilities', 'roads']) {
        const { numberMatched } = S.featureCollectionGeoJSON.parse((await get(`/ogc/collections/${id}/items?limit=1`)).body);
        const out = await ogrinfo(['-ro', '-q', '-sql', `SELECT count(*) AS n, sum(ST_IsValid(geom)) AS valid FROM "${id}"`, gpkg]);
        expect(Number(/n \(Integer\) = (\d+)/.exec(out)?.[1]), id).toBe(numberMatched);
        expect(Number(/valid \(Integer\) = (\d+)/.exec(out)?.[1]), id).toBe(numberMatched);
        expect(await ogrinfo(['-ro', '-so', gpkg, id]), id).toMatch(/ID\["EPSG",4326\]/);
      }
      const lengths = await ogrinfo(['-ro', '-q', '-sql', 'SELECT count(*) AS n FROM roads WHERE lengthM <> CAST(lengthM AS INTEGER)', gpkg]);
      expect(Number(/n \(Integer\) = (\d+)/.exec(lengths)?.[1])).toBeGreaterThan(0); // fractions kept

      // -spat is sent as bbox= and gives what the API gives for that box.
      const [lng, lat] = ds.buildings[0].footprint[0][0];
      const box = [lng - 0.002, lat - 0.002, lng + 0.002, lat + 0.002];
      const { numberMatched: inBox } = S.featureCollectionGeoJSON.parse((await get(`/ogc/collections/buildings/items?limit=1&bbox=${box.join(',')}`)).body);
      expect(inBox).toBeGreaterThan(0);
      const spat = await ogrinfo(['-ro', '-q', '-spat', ...box.map(String), url, 'buildings']);
      expect(spat.match(/^OGRFeature\(/gm)?.length ?? 0).toBe(inBox);
      // -where on a property is sent as ?<property>=<value> (the collection's path in /ogc/api lists
      // its property filters), paged with the filter kept, and gives exactly the matching rows.
      const community = ds.communities[0].code;
      const where = await ogrinfoDebug(['-ro', '-q', '-where', `communityCode = '${community}'`, url, 'buildings']);
      expect(where.stderr).toContain(`/ogc/collections/buildings/items?communityCode=${community}&limit=10&offset=10`);
      expect(where.stdout.match(/^OGRFeature\(/gm)?.length ?? 0).toBe(ds.buildings.filter((b) => b.communityCode === community).length);
      // A filter GDAL cannot send (a comparison) is evaluated by GDAL, the equality part by us.
      const mixed = await ogrinfoDebug(['-ro', '-q', '-where', `kind = 'footway' AND lengthM > 20`, url, 'roads']);
      expect(mixed.stderr).toContain('kind=footway');
      const expected = ds.walkEdges.filter((e) => e.kind === 'footway').length;
      const got = mixed.stdout.match(/^OGRFeature\(/gm)?.length ?? 0;
      expect(got).toBeGreaterThan(0);
      expect(got).toBeLessThanOrEqual(expected);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await server.close();
    }
  });
});
