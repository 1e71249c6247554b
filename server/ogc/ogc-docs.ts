/**
 * The static documents of our OGC API – Features Part 1 service (Core + GeoJSON + OpenAPI 3.0):
 * landing page, conformance declaration, collection descriptions and the OpenAPI definition.
 * Only the public map layers are offered (aggregates and codes, no personal fields).
 */
import { LAYERS, LAYER_NAMES, type LayerName } from '../repos/layer-defs.js';
import type { PropertyType } from '../repos/layer-types.js';
import { DEFAULT_LIMIT, F_GEOJSON, F_JSON, MAX_LIMIT, MAX_OFFSET } from './ogc-params.js';

export const CONFORMANCE = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
];
export const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
export const JSON_TYPE = 'application/json';
export const GEOJSON_TYPE = 'application/geo+json';
export const OPENAPI_TYPE = 'application/vnd.oai.openapi+json;version=3.0';
export const HTML_TYPE = 'text/html';
export const SCHEMA_TYPE = 'application/schema+json';

export const OGC_COLLECTIONS: readonly LayerName[] = LAYER_NAMES;

export function landingPage(base: string) {
  return {
    title: 'GridAtlas 社区网格地图 — OGC API Features',
    description: '街道、社区、网格、楼栋、设施与步行网络（公开汇总数据，不含个人信息） / Street, communities, grids, buildings, facilities and the walk network (public aggregates, no personal data).',
    links: [
      { href: `${base}?f=json`, rel: 'self', type: JSON_TYPE, title: 'This document' },
      { href: `${base}/api`, rel: 'service-desc', type: OPENAPI_TYPE, title: 'OpenAPI 3.0 definition' },
      { href: `${base}/api.html`, rel: 'service-doc', type: HTML_TYPE, title: 'API documentation (HTML)' },
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
      // The features' JSON Schema, under the IANA relation and under the spelling GDAL's OAPIF
      // driver looks for (`describedBy`): GDAL/QGIS then type the fields from it instead of
      // guessing from the first page of features.
      ...(['describedby', 'describedBy'] as const).map((rel) => ({ href: `${base}/collections/${id}/schema`, rel, type: SCHEMA_TYPE, title: `${def.title.en}: JSON Schema of a feature` })),
    ],
  };
}

/**
 * JSON Schema of one feature of a collection (a GeoJSON Feature; `properties` typed as PostgreSQL
 * types them, layer-types.ts). A property may be null where the data has no value (e.g. a
 * building's name), said by `nullable` (OpenAPI's keyword; clients reading types ignore it).
 */
export function featureSchema(base: string, id: LayerName, types: Record<string, PropertyType>) {
  const def = LAYERS[id];
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `${base}/collections/${id}/schema`,
    title: `${def.title.zh} / ${def.title.en}`,
    type: 'object',
    required: ['type', 'id', 'geometry', 'properties'],
    properties: {
      type: { type: 'string', enum: ['Feature'] },
      id: { type: 'integer', minimum: 1 },
      geometry: {
        type: 'object',
        required: ['type', 'coordinates'],
        properties: { type: { type: 'string', enum: [def.geometryType] }, coordinates: { type: 'array' } },
      },
      properties: {
        type: 'object',
        properties: Object.fromEntries(def.props.map(([name]) => [name, { type: types[name], nullable: true, title: name }])),
      },
    },
  };
}

const param = (name: string, description: string, schema: object, inWhere: 'query' | 'path' = 'query') => ({
  name, in: inWhere, description, required: inWhere === 'path', schema, style: inWhere === 'path' ? 'simple' : 'form', explode: false,
});

const formatParam = (values: readonly string[]) => param('f', `output format (${values.join(', ')})`, { type: 'string', enum: [...values] });

/** The response bodies: documents as JSON objects, errors as the standard's exception.yaml. */
const exception = {
  type: 'object',
  required: ['code'],
  properties: { code: { type: 'string' }, description: { type: 'string' } },
};
const ok = (description: string, type = JSON_TYPE) => ({ description, content: { [type]: { schema: type === HTML_TYPE ? { type: 'string' } : { type: 'object' } } } });
const err = (description: string) => ({ description, content: { [JSON_TYPE]: { schema: exception } } });
const BAD = { 400: err('invalid or unknown query parameter, or an f value not listed') };
const MISSING = { 404: err('no such collection or feature') };

/**
 * The OpenAPI 3.0 definition of the endpoints above. Its parameters are exactly what the server
 * accepts (ogc-params.ts): anything else is a 400, which each operation declares.
 */
export function openApi(base: string, types: Record<LayerName, Record<string, PropertyType>>) {
  const collectionId = param('collectionId', 'collection id (a layer name)', { type: 'string', enum: [...OGC_COLLECTIONS] }, 'path');
  const featureId = param('featureId', 'feature id: a positive integer in canonical decimal form (no sign, leading zeros, exponent or fraction)', { type: 'string', pattern: '^[1-9][0-9]{0,9}$' }, 'path');
  const get = (operationId: string, summary: string, parameters: object[], responses: object) => ({ get: { operationId, summary, parameters, responses } });
  const itemParams = [
    param('limit', `number of features; above ${MAX_LIMIT} the maximum is served`, { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT }),
    param('offset', 'features to skip (paging, as the next/prev links use it)', { type: 'integer', minimum: 0, maximum: MAX_OFFSET, default: 0 }),
    param('bbox', 'minx,miny,maxx,maxy in CRS84 (or six numbers in CRS84h, heights ignored: the data is 2D); minx > maxx spans the anti-meridian; features whose geometry intersects the box', {
      type: 'array', oneOf: [{ minItems: 4, maxItems: 4 }, { minItems: 6, maxItems: 6 }], items: { type: 'number' },
    }),
    param('datetime', 'RFC 3339 date-time or interval (open ends ".." or empty); no collection has a temporal property, so every feature matches a valid value', { type: 'string' }),
    formatParam(F_GEOJSON),
  ];
  return {
    openapi: '3.0.3',
    info: { title: 'GridAtlas OGC API Features', version: '1.0.0', description: 'OGC API – Features Part 1: Core 1.0.1 (Core, GeoJSON, OpenAPI 3.0)' },
    servers: [{ url: base }],
    paths: {
      '/': get('getLandingPage', 'Landing page', [formatParam(F_JSON)], { 200: ok('landing page'), ...BAD }),
      '/conformance': get('getConformanceDeclaration', 'Conformance classes', [formatParam(F_JSON)], { 200: ok('conformance'), ...BAD }),
      '/api': get('getApi', 'This definition', [formatParam(F_JSON)], { 200: ok('OpenAPI 3.0 definition', OPENAPI_TYPE), ...BAD }),
      '/api.html': get('getApiDocs', 'This definition as an HTML page', [], { 200: ok('documentation', HTML_TYPE), ...BAD }),
      '/collections': get('getCollections', 'Collections', [formatParam(F_JSON)], { 200: ok('collections'), ...BAD }),
      '/collections/{collectionId}': get('describeCollection', 'One collection', [collectionId, formatParam(F_JSON)], { 200: ok('collection'), ...BAD, ...MISSING }),
      '/collections/{collectionId}/schema': get('getSchema', 'JSON Schema of a feature of the collection (property types)', [collectionId, formatParam(F_JSON)], {
        200: ok('JSON Schema', SCHEMA_TYPE), ...BAD, ...MISSING,
      }),
      '/collections/{collectionId}/items': get('getFeatures', 'Features of a collection', [collectionId, ...itemParams], { 200: ok('features', GEOJSON_TYPE), ...BAD, ...MISSING }),
      // Each collection's items again, with its property filters (/rec/core/fc-filters): GDAL's
      // OAPIF driver reads them here and sends `-where "<property> = <value>"` as `?<property>=<value>`.
      ...Object.fromEntries(OGC_COLLECTIONS.map((id) => [`/collections/${id}/items`, get(`getFeatures_${id}`, `Features of ${LAYERS[id].title.en}`, [
        ...itemParams,
        ...Object.entries(types[id]).map(([name, type]) => param(name, `features whose ${name} equals this value`, { type })),
      ], { 200: ok('features', GEOJSON_TYPE), ...BAD })])),
      '/collections/{collectionId}/items/{featureId}': get('getFeature', 'One feature', [collectionId, featureId, formatParam(F_GEOJSON)], {
        200: ok('feature', GEOJSON_TYPE), ...BAD, ...MISSING,
      }),
    },
  };
}
