/**
 * OGC API – Features Part 1: Core 1.0.1 (Core + GeoJSON + OpenAPI 3.0) under /ogc, so QGIS,
 * GDAL/OGR and ArcGIS open our public layers directly: landing page, /conformance, /api (OpenAPI
 * 3.0) and /api.html (its HTML page, the `service-doc`), /collections, /collections/{id},
 * /collections/{id}/schema (JSON Schema of a feature: property types for GDAL/QGIS),
 * /collections/{id}/items (bbox, datetime, limit, offset, next/prev links,
 * numberMatched/numberReturned) and /collections/{id}/items/{featureId}. Every resource accepts
 * exactly the parameters its OpenAPI operation lists (ogc-params.ts); errors are 400/404 with the
 * standard's exception body `{code, description}` next to our usual `{error}`.
 */
import { type Context, Hono } from 'hono';
import type { AppDeps } from '../app.js';
import type { AppEnv } from '../auth/middleware.js';
import { publicOrigin } from '../auth/client-address.js';
import { HttpError, handleError, notFound } from '../http-error.js';
import { type LayerName, isLayerName } from '../repos/layer-defs.js';
import { dataVersion } from '../repos/derived-figures.repo.js';
import { CONFORMANCE, GEOJSON_TYPE, HTML_TYPE, JSON_TYPE, OGC_COLLECTIONS, OPENAPI_TYPE, SCHEMA_TYPE, collectionDoc, featureSchema, landingPage, openApi } from '../ogc/ogc-docs.js';
import { type PropertyType, layerPropertyTypes } from '../repos/layer-types.js';
import { apiHtml } from '../ogc/ogc-api-html.js';
import { layerExtent, oneFeature, pagedFeatures } from '../ogc/ogc-items.repo.js';
import { F_GEOJSON, F_JSON, canonicalFeatureId, ogcQuery, parseBbox, parseDatetimeParam, parseLimit, parseOffset, parsePropertyFilter } from '../ogc/ogc-params.js';

function collectionOf(c: Context): LayerName {
  const id = c.req.param('collectionId') ?? '';
  if (!isLayerName(id)) throw notFound(`没有这个数据集：${id}`, `no such collection: ${id}`);
  return id;
}

const json = (c: Context, body: unknown, type = JSON_TYPE) => c.body(JSON.stringify(body), 200, { 'Content-Type': `${type}; charset=utf-8` });

/** Errors as OGC 17-069r4 exception.yaml (`code`, `description`), keeping our `{error}` member. */
async function ogcError(err: Error, c: Context<AppEnv>) {
  const res = await handleError(err, c);
  if (!(err instanceof HttpError)) return res;
  return c.json({ code: err.code, description: err.message, error: { code: err.code, message: err.message } }, err.status);
}

export function ogcRoutes({ db, config }: AppDeps) {
  /** The absolute base URL of the service: GRIDATLAS_PUBLIC_URL, else as the client addressed it (client-address.ts). */
  const baseOf = (c: Context) => `${publicOrigin(c, config.publicOrigin)}/ogc`;
  const app = new Hono<AppEnv>();
  /** Every collection's property types (for the property filters the definition lists). */
  const allTypes = async () => Object.fromEntries(await Promise.all(OGC_COLLECTIONS.map(async (id) => [id, await layerPropertyTypes(db, id)] as const))) as Record<LayerName, Record<string, PropertyType>>;
  app.onError(ogcError);
  return app
    .get('/', (c) => {
      ogcQuery(c, [], F_JSON);
      return json(c, landingPage(baseOf(c)));
    })
    .get('/conformance', (c) => {
      ogcQuery(c, [], F_JSON);
      return json(c, { conformsTo: CONFORMANCE });
    })
    .get('/api', async (c) => {
      ogcQuery(c, [], F_JSON);
      return json(c, openApi(baseOf(c), await allTypes()), OPENAPI_TYPE);
    })
    .get('/api.html', async (c) => {
      ogcQuery(c, [], []);
      return c.body(apiHtml(baseOf(c), await allTypes()), 200, { 'Content-Type': `${HTML_TYPE}; charset=utf-8` });
    })
    .get('/collections', async (c) => {
      ogcQuery(c, [], F_JSON);
      const base = baseOf(c);
      const version = await dataVersion(db);
      const collections = [];
      for (const id of OGC_COLLECTIONS) collections.push(collectionDoc(base, id, await layerExtent(db, id, version)));
      return json(c, { links: [{ href: `${base}/collections`, rel: 'self', type: JSON_TYPE, title: 'Collections' }], collections });
    })
    .get('/collections/:collectionId', async (c) => {
      const id = collectionOf(c);
      ogcQuery(c, [], F_JSON);
      return json(c, collectionDoc(baseOf(c), id, await layerExtent(db, id)));
    })
    .get('/collections/:collectionId/schema', async (c) => {
      const id = collectionOf(c);
      ogcQuery(c, [], F_JSON);
      return json(c, featureSchema(baseOf(c), id, await layerPropertyTypes(db, id)), SCHEMA_TYPE);
    })
    .get('/collections/:collectionId/items', async (c) => {
      const id = collectionOf(c);
      // Besides the standard parameters, one equality filter per property (/rec/core/fc-filters), as
      // the collection's own path in /ogc/api lists them: GDAL/QGIS send `-where "code = 'x'"` as `?code=x`.
      const types = await layerPropertyTypes(db, id);
      const raw = ogcQuery(c, ['bbox', 'limit', 'offset', 'datetime', ...Object.keys(types)], F_GEOJSON);
      const limit = parseLimit(raw.limit);
      const offset = parseOffset(raw.offset);
      const boxes = parseBbox(raw.bbox);
      // No collection has a temporal property: a valid datetime matches every feature (/req/core/fc-time-response C).
      parseDatetimeParam(raw.datetime);
      const filters = Object.entries(types).filter(([k]) => raw[k] !== undefined)
        .map(([k, type]) => ({ name: k, type, value: parsePropertyFilter(k, raw[k], type) }));
      const { matched, features } = await pagedFeatures(db, id, { boxes, filters, limit, offset });
      const returned = Math.max(0, Math.min(limit, matched - offset));
      const base = baseOf(c);
      const page = (at: number) => {
        const u = new URLSearchParams();
        for (const k of ['bbox', 'datetime', ...filters.map((f) => f.name), 'f']) if (raw[k] !== undefined) u.set(k, raw[k]);
        u.set('limit', String(limit));
        u.set('offset', String(at));
        return `${base}/collections/${id}/items?${u}`;
      };
      const links = [
        { href: page(offset), rel: 'self', type: GEOJSON_TYPE, title: 'This page' },
        { href: `${base}/collections/${id}`, rel: 'collection', type: JSON_TYPE, title: 'The collection' },
      ];
      if (offset + limit < matched) links.push({ href: page(offset + limit), rel: 'next', type: GEOJSON_TYPE, title: 'Next page' });
      if (offset > 0) links.push({ href: page(Math.max(0, offset - limit)), rel: 'prev', type: GEOJSON_TYPE, title: 'Previous page' });
      const head = JSON.stringify({ type: 'FeatureCollection', numberMatched: matched, numberReturned: returned, timeStamp: new Date().toISOString(), links });
      return c.body(`${head.slice(0, -1)},"features":${features}}`, 200, { 'Content-Type': `${GEOJSON_TYPE}; charset=utf-8` });
    })
    .get('/collections/:collectionId/items/:featureId', async (c) => {
      const id = collectionOf(c);
      ogcQuery(c, [], F_GEOJSON);
      const raw = c.req.param('featureId');
      const fid = canonicalFeatureId(raw);
      const feature = fid === null ? null : await oneFeature(db, id, fid);
      if (!feature) throw notFound(`要素不存在：${raw}`, `no such feature: ${raw}`);
      const base = baseOf(c);
      const links = [
        { href: `${base}/collections/${id}/items/${fid}`, rel: 'self', type: GEOJSON_TYPE, title: 'This feature' },
        { href: `${base}/collections/${id}`, rel: 'collection', type: JSON_TYPE, title: 'The collection' },
      ];
      return c.body(`${feature.slice(0, -1)},"links":${JSON.stringify(links)}}`, 200, { 'Content-Type': `${GEOJSON_TYPE}; charset=utf-8` });
    });
}
