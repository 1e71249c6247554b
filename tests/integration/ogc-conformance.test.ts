/**
 * /ogc against OGC API – Features Part 1: Core 1.0.1 (OGC 17-069r4): every document validated with
 * the standard's published schemas (tests/ogc-schemas, ajv), and the /req/ rules an outside check
 * found broken: per-collection extents (/req/core/fc-md-extent), bbox on geometry with 6-number,
 * anti-meridian and degenerate boxes (/req/core/fc-bbox-definition, fc-bbox-response), limit above
 * the maximum (/req/core/fc-limit-response-1), unknown and invalid parameters on every resource
 * (/req/core/query-param-unknown, query-param-invalid), datetime (/req/core/fc-time-response),
 * canonical feature ids, the service-doc link and the 400/404 responses of the OpenAPI document.
 * Geometry answers are checked against turf, an oracle independent of PostGIS.
 */
import * as turf from '@turf/turf';
import type { Feature, Geometry } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../helpers/app.js';
import { isolatedApp } from '../helpers/isolated-db.js';
import { type SchemaName, publishedParameter, schemaErrors } from './ogc-published-schemas.js';

type App = { request: (url: string) => Response | Promise<Response> };
let app: App;
const COLLECTIONS = ['communities', 'compounds', 'grids', 'buildings', 'households', 'facilities', 'roads'];

beforeAll(async () => {
  ({ app } = await testApp());
});

async function get(path: string, on: App = app) {
  const res = await on.request(`http://gridatlas.test${path}`);
  const type = res.headers.get('content-type') ?? '';
  return { res, status: res.status, type, body: type.includes('json') ? await res.json() : await res.text() };
}

/** GET that must succeed and conform to a published schema. */
async function valid(path: string, schema: SchemaName, on: App = app) {
  const r = await get(path, on);
  expect(r.status, path).toBe(200);
  expect(schemaErrors(schema, r.body), `${path} against ${schema}.yaml`).toEqual([]);
  return r.body;
}

/** GET that must be a 400 whose body is the standard's exception. */
async function refused(path: string, status = 400) {
  const r = await get(path);
  expect(r.status, path).toBe(status);
  expect(schemaErrors('exception', r.body), `${path} error body`).toEqual([]);
}

type FC = { numberMatched: number; numberReturned: number; features: (Feature<Geometry> & { id: number })[]; links: { rel: string; href: string }[] };
const all = new Map<App, Map<string, FC>>();
async function everything(id: string, on: App = app): Promise<FC> {
  if (!all.has(on)) all.set(on, new Map());
  const seen = all.get(on)!;
  if (!seen.has(id)) seen.set(id, (await get(`/ogc/collections/${id}/items?limit=10000`, on)).body as FC);
  return seen.get(id)!;
}
const ids = (fc: FC) => fc.features.map((f) => f.id).sort((a, b) => a - b);

describe('documents conform to the published 1.0.1 schemas', () => {
  it('landing page, conformance, collections and each collection', async () => {
    await valid('/ogc', 'landingPage');
    await valid('/ogc?f=json', 'landingPage');
    await valid('/ogc/conformance', 'confClasses');
    const cols = (await valid('/ogc/collections', 'collections')) as { collections: { id: string }[] };
    expect(cols.collections.map((c) => c.id)).toEqual(COLLECTIONS);
    for (const id of COLLECTIONS) await valid(`/ogc/collections/${id}`, 'collection');
  });

  it('items pages at several limits, offsets and boxes, and single features', async () => {
    for (const id of COLLECTIONS) {
      const fc = (await valid(`/ogc/collections/${id}/items`, 'featureCollectionGeoJSON')) as FC;
      for (const q of ['limit=1', 'limit=7&offset=5', `limit=3&offset=${fc.numberMatched - 1}`, `offset=${fc.numberMatched + 10}`, 'limit=10000', 'limit=50000&f=geojson']) {
        await valid(`/ogc/collections/${id}/items?${q}`, 'featureCollectionGeoJSON');
      }
      const first = fc.features[0];
      const [x0, y0, x1, y1] = turf.bbox(first);
      const boxed = (await valid(`/ogc/collections/${id}/items?bbox=${x0 - 0.001},${y0 - 0.001},${x1 + 0.001},${y1 + 0.001}`, 'featureCollectionGeoJSON')) as FC;
      expect(ids(boxed)).toContain(first.id);
      for (const f of fc.features.slice(0, 5)) await valid(`/ogc/collections/${id}/items/${f.id}`, 'featureGeoJSON');
    }
  });
});

describe('/req/core/fc-md-extent: each collection’s extent from its own data', () => {
  it('the extent is the box of that collection’s features, not one box for all', async () => {
    const boxes = new Set<string>();
    for (const id of COLLECTIONS) {
      const doc = (await get(`/ogc/collections/${id}`)).body as { extent: { spatial: { bbox: number[][]; crs: string } } };
      const [a, b, c, d] = doc.extent.spatial.bbox[0];
      const [x0, y0, x1, y1] = turf.bbox(turf.featureCollection((await everything(id)).features));
      // Contains every feature (up to the 7 decimals of the GeoJSON) and is no bigger than rounding.
      const e = 1e-7;
      for (const [got, want] of [[a, x0], [b, y0], [c, x1], [d, y1]]) expect(Math.abs(got - want), `${id} extent`).toBeLessThan(1e-4);
      expect(a <= x0 + e && b <= y0 + e && c >= x1 - e && d >= y1 - e, `${id} extent contains its features`).toBe(true);
      boxes.add(JSON.stringify(doc.extent.spatial.bbox[0]));
    }
    expect(boxes.size).toBeGreaterThan(1);
  });

  it('follows the data when it changes (an import, an edit), per collection', async () => {
    const iso = await isolatedApp('ogc_extent');
    try {
      const before = (await get('/ogc/collections', iso.app)).body as { collections: { id: string; extent: unknown }[] };
      await iso.db.query('UPDATE facilities SET geom = ST_Translate(geom, 0.5, 0.25) WHERE id = (SELECT min(id) FROM facilities)');
      const after = (await get('/ogc/collections', iso.app)).body as { collections: { id: string; extent: { spatial: { bbox: number[][] } } }[] };
      const fac = after.collections.find((c) => c.id === 'facilities')!;
      const moved = (await iso.db.query<{ x: number; y: number }>('SELECT ST_X(geom) AS x, ST_Y(geom) AS y FROM facilities ORDER BY id LIMIT 1'))[0];
      const [a, b, c, d] = fac.extent.spatial.bbox[0];
      expect(moved.x >= a && moved.x <= c && moved.y >= b && moved.y <= d).toBe(true);
      for (const col of after.collections) {
        const was = before.collections.find((x) => x.id === col.id)!;
        if (col.id === 'facilities') expect(col.extent).not.toEqual(was.extent);
        else expect(col.extent, col.id).toEqual(was.extent);
      }
      expect((await get('/ogc/collections/facilities', iso.app)).body.extent).toEqual(fac.extent);
    } finally {
      await iso.close();
    }
  });
});

describe('/req/core/fc-bbox-definition and fc-bbox-response: bbox on the geometry', () => {
  // A database of its own: the answers are compared with features read earlier, so no other test
  // file may publish a plan (and move grid edges) in between.
  let iso: Awaited<ReturnType<typeof isolatedApp>>;
  beforeAll(async () => {
    iso = await isolatedApp('ogc_bbox');
  });
  afterAll(async () => {
    await iso.close();
  });
  const matching = (fc: FC, area: Feature<Geometry>[]) => fc.features.filter((f) => area.some((a) => turf.booleanIntersects(f, a))).map((f) => f.id).sort((x, y) => x - y);

  it('returns exactly the features whose geometry intersects the box (boxes over the whole extent)', async () => {
    let envelopeOnly = 0;
    for (const id of ['grids', 'buildings', 'roads', 'communities']) {
      const fc = await everything(id, iso.app);
      const [x0, y0, x1, y1] = turf.bbox(turf.featureCollection(fc.features));
      const w = (x1 - x0) / 7;
      const h = (y1 - y0) / 7;
      for (let i = 0; i < 6; i++) {
        const box = [x0 + i * w + 0.37 * w, y0 + ((i * 3) % 6) * h + 0.29 * h, x0 + i * w + 1.41 * w, y0 + ((i * 3) % 6) * h + 1.33 * h];
        const got = (await get(`/ogc/collections/${id}/items?limit=10000&bbox=${box.join(',')}`, iso.app)).body as FC;
        expect(ids(got), `${id} bbox=${box}`).toEqual(matching(fc, [turf.bboxPolygon(box as [number, number, number, number])]));
        envelopeOnly += fc.features.filter((f) => {
          const [a, b, c, d] = turf.bbox(f);
          return a <= box[2] && c >= box[0] && b <= box[3] && d >= box[1];
        }).length - got.numberMatched;
      }
    }
    // The boxes do catch features whose envelope meets the box while their shape does not.
    expect(envelopeOnly).toBeGreaterThan(0);
  });

  it('accepts 6 numbers (CRS84h), anti-meridian boxes, and point or line boxes', async () => {
    const fc = await everything('grids', iso.app);
    const [x0, y0, x1, y1] = turf.bbox(turf.featureCollection(fc.features));
    const q = (bbox: string) => get(`/ogc/collections/grids/items?limit=10000&bbox=${bbox}`, iso.app);
    const four = (await q(`${x0},${y0},${(x0 + x1) / 2},${y1}`)).body as FC;
    const six = await q(`${x0},${y0},-100,${(x0 + x1) / 2},${y1},100`);
    expect(six.status).toBe(200);
    expect(ids(six.body as FC)).toEqual(ids(four));
    // West edge east of the east edge: the box spans the anti-meridian (two boxes).
    const mid = (x0 + x1) / 2;
    const across = await q(`${mid},-90,${x0 - 10},90`);
    expect(across.status).toBe(200);
    const east = [turf.bboxPolygon([mid, -90, 180, 90]), turf.bboxPolygon([-180, -90, x0 - 10, 90])];
    expect(ids(across.body as FC)).toEqual(matching(fc, east));
    expect((across.body as FC).numberMatched).toBeGreaterThan(0);
    expect((across.body as FC).numberMatched).toBeLessThan(fc.numberMatched);
    // A point inside a grid, and a horizontal line across the street.
    const inside = turf.pointOnFeature(fc.features[0]).geometry.coordinates;
    const point = await q(`${inside[0]},${inside[1]},${inside[0]},${inside[1]}`);
    expect(point.status).toBe(200);
    expect(ids(point.body as FC)).toEqual(matching(fc, [turf.point(inside)]));
    expect(ids(point.body as FC)).toContain(fc.features[0].id);
    const ym = (y0 + y1) / 2;
    const line = await q(`${x0},${ym},${x1},${ym}`);
    expect(line.status).toBe(200);
    expect(ids(line.body as FC)).toEqual(matching(fc, [turf.lineString([[x0, ym], [x1, ym]])]));
    expect((line.body as FC).numberMatched).toBeGreaterThan(0);
  });

  it('refuses what is not a box: 400', async () => {
    for (const bad of ['1,2,3', '1,2,3,4,5', '1,2,3,4,5,6,7', '1,,3,4', 'a,b,c,d', '0x1,2,3,4', '1,2,3,4,', ' 1,2,3,4', '-181,0,10,10', '0,0,181,10', '0,-91,10,10', '0,50,10,40', '0,0,5,10,10,4', 'Infinity,0,1,1', '']) {
      await refused(`/ogc/collections/grids/items?bbox=${encodeURIComponent(bad)}`);
    }
  });
});

describe('/req/core/fc-limit-response-1 and query-param-invalid: limit and offset', () => {
  it('a limit above the maximum is served with the maximum, next link included', async () => {
    const max = (await get('/ogc/collections/buildings/items?limit=10000')).body as FC;
    for (const big of ['10001', '50000', '99999999999999999999']) {
      const r = await get(`/ogc/collections/buildings/items?limit=${big}`);
      expect(r.status, big).toBe(200);
      const fc = r.body as FC;
      expect(fc.numberReturned).toBe(Math.min(10000, fc.numberMatched));
      expect(ids(fc)).toEqual(ids(max));
      expect(new URL(fc.links.find((l) => l.rel === 'self')!.href).searchParams.get('limit')).toBe('10000');
    }
    const paged = (await get('/ogc/collections/buildings/items?limit=20000&offset=3')).body as FC;
    expect(paged.links.find((l) => l.rel === 'prev')!.href).toContain('limit=10000');
  });

  it('integers only in plain decimal digits: 400 otherwise', async () => {
    for (const bad of ['1e2', '0x10', '+5', '1.0', '-1', '0', '', ' 5', '5 ', '010', '1_0', 'ten']) {
      await refused(`/ogc/collections/grids/items?limit=${encodeURIComponent(bad)}`);
      if (bad !== '0') await refused(`/ogc/collections/grids/items?offset=${encodeURIComponent(bad)}`);
    }
    await refused('/ogc/collections/grids/items?limit=5&limit=6');
    expect((await get('/ogc/collections/grids/items?limit=5&offset=0')).status).toBe(200);
  });
});

describe('/req/core/fc-time-response: datetime', () => {
  it('valid instants and intervals match every feature (no collection has a temporal property)', async () => {
    const n = ((await get('/ogc/collections/facilities/items?limit=1')).body as FC).numberMatched;
    for (const ok of ['2018-02-12T23:20:50Z', '2018-02-12T23:20:50.52+08:00', '1996-12-19t16:39:57-08:00', '2018-02-12T00:00:00Z/2018-03-18T12:31:12Z', '2018-02-12T00:00:00Z/..', '../2018-03-18T12:31:12Z', '2018-02-12T00:00:00Z/', '/2018-03-18T12:31:12Z', '2016-12-31T23:59:60Z']) {
      const r = await get(`/ogc/collections/facilities/items?limit=1&datetime=${encodeURIComponent(ok)}`);
      expect(r.status, ok).toBe(200);
      expect((r.body as FC).numberMatched, ok).toBe(n);
    }
  });

  it('anything else is a 400', async () => {
    for (const bad of ['garbage', '', '2018', '2018-02-12', '2018-02-12 23:20:50Z', '2018-02-30T00:00:00Z', '2018-02-12T24:00:00Z', '2018-02-12T23:20:50', '2018-13-01T00:00:00Z', '../..', '/', '..', '2018-03-18T00:00:00Z/2018-02-12T00:00:00Z', '2018-02-12T00:00:00Z/2018-03-18T00:00:00Z/..', '2018-02-12T00:00:00+25:00']) {
      await refused(`/ogc/collections/facilities/items?datetime=${encodeURIComponent(bad)}`);
    }
  });
});

describe('/req/core/query-param-unknown: the OpenAPI document is what the server accepts', () => {
  const concrete = async (path: string) => {
    const grid = ((await get('/ogc/collections/grids/items?limit=1')).body as FC).features[0].id;
    return path.replace('{collectionId}', 'grids').replace('{featureId}', String(grid));
  };

  it('every operation declares 400, and 404 where a path names a resource; its parameters match the published ones', async () => {
    const api = (await get('/ogc/api')).body as { paths: Record<string, { get: { parameters: { name: string; in: string; schema: Record<string, unknown> }[]; responses: Record<string, unknown> } }> };
    for (const [path, { get: op }] of Object.entries(api.paths)) {
      expect(Object.keys(op.responses), path).toContain('400');
      if (path.includes('{')) expect(Object.keys(op.responses), path).toContain('404');
    }
    const items = api.paths['/collections/{collectionId}/items'].get.parameters;
    for (const name of ['bbox', 'limit', 'datetime', 'collectionId'] as const) {
      const pub = publishedParameter(name);
      const ours = items.find((p) => p.name === name);
      expect(ours, name).toBeDefined();
      expect(ours!.in).toBe(pub.in);
      expect(ours!.schema.type).toBe(pub.schema.type);
    }
    expect(items.find((p) => p.name === 'bbox')!.schema.oneOf).toEqual(publishedParameter('bbox').schema.oneOf);
    expect(items.find((p) => p.name === 'limit')!.schema.maximum).toBe(10000);
  });

  it('each resource: listed f values served, others and unknown parameters 400', async () => {
    const api = (await get('/ogc/api')).body as { paths: Record<string, { get: { parameters: { name: string; in: string; schema: { enum?: string[] } }[] } }> };
    for (const [path, item] of Object.entries(api.paths)) {
      const resource = path === '/' ? '' : await concrete(path);
      // OpenAPI matches a concrete path before a templated one: /collections/grids/items is described
      // by its own operation (which adds the grids' property filters) where the definition has one.
      const op = (api.paths[resource] ?? item).get;
      const url = `/ogc${resource}`;
      const sep = url.includes('?') ? '&' : '?';
      expect((await get(url)).status, url).toBe(200);
      const f = op.parameters.find((p) => p.name === 'f');
      for (const value of f?.schema.enum ?? []) expect((await get(`${url}${sep}f=${value}`)).status, `${url} f=${value}`).toBe(200);
      for (const value of ['html', 'xml', 'geojson', 'JSON', ''].filter((v) => !(f?.schema.enum ?? []).includes(v))) {
        await refused(`${url}${sep}f=${value}`);
      }
      for (const unknown of ['foo=bar', 'name=x', 'LIMIT=5', 'bbox-crs=x', 'limit']) {
        // A listed parameter with a value is served (a collection's property filter, e.g. name=x on grids).
        if (unknown.includes('=') && op.parameters.some((p) => p.name === unknown.split('=')[0])) continue;
        await refused(`${url}${sep}${unknown}`);
      }
    }
  });
});

describe('feature ids and the service-doc', () => {
  it('only the canonical spelling of an id is served', async () => {
    const id = ((await get('/ogc/collections/grids/items?limit=1&offset=2')).body as FC).features[0].id;
    expect((await get(`/ogc/collections/grids/items/${id}`)).status).toBe(200);
    for (const alias of [`${id}.0`, `0${id}`, `+${id}`, `${id}e0`, `0x${id.toString(16)}`, ` ${id}`, `${id} `, `${id}.`, `${id}%00`, '-1', '0', '99999999999']) {
      await refused(`/ogc/collections/grids/items/${encodeURIComponent(alias).replace('%2500', '%00')}`, 404);
    }
    await refused('/ogc/collections/nope/items/1', 404);
    await refused('/ogc/collections/nope', 404);
  });

  it('the landing page links an HTML page of the API that we serve', async () => {
    const landing = (await get('/ogc')).body as { links: { rel: string; href: string; type?: string }[] };
    const doc = landing.links.find((l) => l.rel === 'service-doc');
    expect(doc?.type).toBe('text/html');
    const page = await get(new URL(doc!.href).pathname);
    expect(page.status).toBe(200);
    expect(page.type).toMatch(/^text\/html/);
    for (const path of ['/conformance', '/collections/{collectionId}/items', '/collections/{collectionId}/items/{featureId}', 'bbox', 'datetime']) expect(page.body).toContain(path);
  });
});

afterAll(() => all.clear());
