/**
 * The static documents of our OGC API – Features Part 1 service (Core + GeoJSON + OpenAPI 3.0):
 * landing page, conformance declaration, collection descriptions and the OpenAPI definition.
 * Only the public map layers are offered (aggregates and codes, no personal fields).
 */
import { LAYERS, LAYER_NAMES, type LayerName } from '../repos/layer-defs.js';

export const CONFORMANCE = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
];
export const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
export const JSON_TYPE = 'application/json';
export const GEOJSON_TYPE = 'application/geo+json';
export const OPENAPI_TYPE = 'application/vnd.oai.openapi+json;version=3.0';

export const OGC_COLLECTIONS: readonly LayerName[] = LAYER_NAMES;

export function landingPage(base: string) {
  return {
    title: 'GridAtlas 社区网格地图 — OGC API Features',
    description: '街道、社区、网格、楼栋、设施与步行网络（公开汇总数据，不含个人信息） / Street, communities, grids, buildings, facilities and the walk network (public aggregates, no personal data).',
    links: [
      { href: `${base}?f=json`, rel: 'self', type: JSON_TYPE, title: 'This document' },
      { href: `${base}/api`, rel: 'service-desc', type: OPENAPI_TYPE, title: 'OpenAPI 3.0 definition' },
      { href: `${base}/conformance`, rel: 'conformance', type: JSON_TYPE, title: 'Conformance classes' },
      { href: `${base}/conformance`, rel: 'http://www.opengis.net/def/rel/ogc/1.0/conformance', type: JSON_TYPE, title: 'Conformance classes' },
      { href: `${base}/collections`, rel: 'data', type: JSON_TYPE, title: 'Collections' },
      { href: `${base}/collections`, rel: 'http://www.opengis.net/def/rel/ogc/1.0/data', type: JSON_TYPE, title: 'Collections' },
    ],
  };
}

export function collectionDoc(base: string, id: LayerName, bbox: [number, number, number, number] | null) {
  const def = LAYERS[id];
  return {
    id,
    title: `${def.title.zh} / ${def.title.en}`,
    description: `${def.title.en}: ${def.props.map(([k]) => k).join(', ')}`,
    itemType: 'feature',
    crs: [CRS84],
    storageCrs: CRS84,
    ...(bbox ? { extent: { spatial: { bbox: [bbox], crs: CRS84 } } } : {}),
    links: [
      { href: `${base}/collections/${id}`, rel: 'self', type: JSON_TYPE, title: def.title.en },
      { href: `${base}/collections/${id}/items`, rel: 'items', type: GEOJSON_TYPE, title: `${def.title.en} (GeoJSON)` },
    ],
  };
}

const param = (name: string, description: string, schema: object, inWhere: 'query' | 'path' = 'query', required = false) => ({
  name, in: inWhere, description, required: inWhere === 'path' ? true : required, schema, style: 'form', explode: false,
});

/** A compact OpenAPI 3.0 definition of the endpoints above. */
export function openApi(base: string) {
  const json = (description: string, type = JSON_TYPE) => ({ description, content: { [type]: { schema: { type: 'object' } } } });
  const collectionId = { ...param('collectionId', 'collection id', { type: 'string', enum: [...OGC_COLLECTIONS] }, 'path'), style: 'simple' };
  const f = param('f', 'output format', { type: 'string', enum: ['json'] });
  return {
    openapi: '3.0.3',
    info: { title: 'GridAtlas OGC API Features', version: '1.0.0', description: 'OGC API – Features Part 1 (Core, GeoJSON)' },
    servers: [{ url: base }],
    paths: {
      '/': { get: { operationId: 'getLandingPage', summary: 'Landing page', parameters: [f], responses: { 200: json('landing page') } } },
      '/conformance': { get: { operationId: 'getConformance', summary: 'Conformance classes', parameters: [f], responses: { 200: json('conformance') } } },
      '/api': { get: { operationId: 'getApi', summary: 'This definition', responses: { 200: json('OpenAPI', OPENAPI_TYPE) } } },
      '/collections': { get: { operationId: 'getCollections', summary: 'Collections', parameters: [f], responses: { 200: json('collections') } } },
      '/collections/{collectionId}': {
        get: { operationId: 'describeCollection', parameters: [collectionId, f], responses: { 200: json('collection'), 404: json('not found') } },
      },
      '/collections/{collectionId}/items': {
        get: {
          operationId: 'getFeatures',
          parameters: [
            collectionId,
            param('limit', 'number of features (1–10000)', { type: 'integer', minimum: 1, maximum: 10000, default: 100 }),
            param('offset', 'features to skip', { type: 'integer', minimum: 0, default: 0 }),
            { ...param('bbox', 'minx,miny,maxx,maxy in CRS84', { type: 'array', minItems: 4, maxItems: 4, items: { type: 'number' } }) },
            param('datetime', 'accepted and ignored (no temporal data)', { type: 'string' }),
            f,
          ],
          responses: { 200: json('features', GEOJSON_TYPE), 400: json('bad request'), 404: json('not found') },
        },
      },
      '/collections/{collectionId}/items/{featureId}': {
        get: {
          operationId: 'getFeature',
          parameters: [collectionId, { ...param('featureId', 'feature id', { type: 'integer' }, 'path'), style: 'simple' }, f],
          responses: { 200: json('feature', GEOJSON_TYPE), 404: json('not found') },
        },
      },
    },
  };
}
