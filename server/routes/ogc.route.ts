/**
 * OGC API – Features Part 1 (Core + GeoJSON) under /ogc, so QGIS, GDAL/OGR and ArcGIS open our
 * public layers directly: landing page, /conformance, /collections, /collections/{id},
 * /collections/{id}/items (bbox, limit, offset, next/prev links, numberMatched/numberReturned),
 * /collections/{id}/items/{featureId} and /api (OpenAPI 3.0). JSON only (?f=json); errors are
 * JSON with a 400/404 as the standard asks.
 */
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app.js';
import type { AppEnv } from '../auth/middleware.js';
import { HttpError, badRequest, notFound } from '../http-error.js';
import { type LayerName, isLayerName } from '../repos/layer-defs.js';
import { bboxSchema } from './query-schemas.js';
import { CONFORMANCE, GEOJSON_TYPE, JSON_TYPE, OGC_COLLECTIONS, OPENAPI_TYPE, collectionDoc, landingPage, openApi } from '../ogc/ogc-docs.js';
import { layerExtent, oneFeature, pagedFeatures } from '../ogc/ogc-items.repo.js';

const MAX_LIMIT = 10_000;
const ITEMS_PARAMS = new Set(['bbox', 'limit', 'offset', 'f', 'datetime']);

const itemsSchema = z.object({
  bbox: bboxSchema.optional(),
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(100),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  f: z.enum(['json', 'geojson']).optional(),
  datetime: z.string().max(100).optional(),
});

/** The absolute base URL of the service as the client addressed it. */
const baseOf = (c: Context) => `${new URL(c.req.url).origin}/ogc`;

function checkFormat(c: Context) {
  const f = c.req.query('f');
  if (f !== undefined && f !== 'json' && f !== 'geojson') {
    throw new HttpError(400, 'invalid_format', `不支持的格式 f=${f}（仅 json）`, `unsupported format f=${f} (json only)`);
  }
}

function collectionOf(c: Context): LayerName {
  const id = c.req.param('collectionId') ?? '';
  if (!isLayerName(id)) throw notFound(`没有这个数据集：${id}`, `no such collection: ${id}`);
  return id;
}

const json = (c: Context, body: unknown, type = JSON_TYPE) => c.body(JSON.stringify(body), 200, { 'Content-Type': `${type}; charset=utf-8` });

export function ogcRoutes({ db }: AppDeps) {
  return new Hono<AppEnv>()
    .get('/', (c) => {
      checkFormat(c);
      return json(c, landingPage(baseOf(c)));
    })
    .get('/conformance', (c) => {
      checkFormat(c);
      return json(c, { conformsTo: CONFORMANCE });
    })
    .get('/api', (c) => json(c, openApi(baseOf(c)), OPENAPI_TYPE))
    .get('/collections', async (c) => {
      checkFormat(c);
      const base = baseOf(c);
      const extent = await layerExtent(db);
      return json(c, {
        links: [{ href: `${base}/collections`, rel: 'self', type: JSON_TYPE, title: 'Collections' }],
        collections: OGC_COLLECTIONS.map((id) => collectionDoc(base, id, extent)),
      });
    })
    .get('/collections/:collectionId', async (c) => {
      checkFormat(c);
      return json(c, collectionDoc(baseOf(c), collectionOf(c), await layerExtent(db)));
    })
    .get('/collections/:collectionId/items', async (c) => {
      const id = collectionOf(c);
      const raw = c.req.query();
      const unknown = Object.keys(raw).filter((k) => !ITEMS_PARAMS.has(k));
      if (unknown.length) throw badRequest('invalid_input', `未知参数：${unknown.join('、')}`, `unknown query parameters: ${unknown.join(', ')}`);
      const parsed = itemsSchema.safeParse(raw);
      if (!parsed.success) {
        const msg = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
        throw badRequest('invalid_input', `参数无效（${msg}）`, `invalid parameters (${msg})`);
      }
      const q = parsed.data;
      const { matched, features } = await pagedFeatures(db, id, q);
      const returned = Math.max(0, Math.min(q.limit, matched - q.offset));
      const base = baseOf(c);
      const page = (offset: number) => {
        const u = new URLSearchParams();
        if (raw.bbox) u.set('bbox', raw.bbox);
        u.set('limit', String(q.limit));
        u.set('offset', String(offset));
        return `${base}/collections/${id}/items?${u}`;
      };
      const links = [
        { href: page(q.offset), rel: 'self', type: GEOJSON_TYPE, title: 'This page' },
        { href: `${base}/collections/${id}`, rel: 'collection', type: JSON_TYPE, title: 'The collection' },
      ];
      if (q.offset + q.limit < matched) links.push({ href: page(q.offset + q.limit), rel: 'next', type: GEOJSON_TYPE, title: 'Next page' });
      if (q.offset > 0) links.push({ href: page(Math.max(0, q.offset - q.limit)), rel: 'prev', type: GEOJSON_TYPE, title: 'Previous page' });
      const head = JSON.stringify({ type: 'FeatureCollection', numberMatched: matched, numberReturned: returned, timeStamp: new Date().toISOString(), links });
      return c.body(`${head.slice(0, -1)},"features":${features}}`, 200, { 'Content-Type': `${GEOJSON_TYPE}; charset=utf-8` });
    })
    .get('/collections/:collectionId/items/:featureId', async (c) => {
      checkFormat(c);
      const id = collectionOf(c);
      const fid = Number(c.req.param('featureId'));
      const feature = Number.isInteger(fid) && fid > 0 && fid < 2 ** 31 ? await oneFeature(db, id, fid) : null;
      if (!feature) throw notFound(`要素不存在：${c.req.param('featureId')}`, `no such feature: ${c.req.param('featureId')}`);
      const base = baseOf(c);
      const links = [
        { href: `${base}/collections/${id}/items/${fid}`, rel: 'self', type: GEOJSON_TYPE, title: 'This feature' },
        { href: `${base}/collections/${id}`, rel: 'collection', type: JSON_TYPE, title: 'The collection' },
      ];
      return c.body(`${feature.slice(0, -1)},"links":${JSON.stringify(links)}}`, 200, { 'Content-Type': `${GEOJSON_TYPE}; charset=utf-8` });
    });
}
