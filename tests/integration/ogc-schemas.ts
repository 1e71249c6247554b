/**
 * zod schemas of the OGC API – Features Part 1 response documents, written from the required
 * members of the standard's OpenAPI/JSON schemas (OGC 17-069r4, openapi/schemas: landingPage.yaml,
 * confClasses.yaml, collections.yaml, collection.yaml, extent.yaml, link.yaml,
 * featureCollectionGeoJSON.yaml, featureGeoJSON.yaml, numberMatched/numberReturned/timeStamp).
 */
import { z } from 'zod';

export const link = z.object({
  href: z.string().url(),
  rel: z.string().optional(),
  type: z.string().optional(),
  hreflang: z.string().optional(),
  title: z.string().optional(),
  length: z.number().int().optional(),
});

export const landingPage = z.object({ title: z.string().optional(), description: z.string().optional(), links: z.array(link) });
export const confClasses = z.object({ conformsTo: z.array(z.string()) });

const bbox = z.array(z.number()).refine((a) => a.length === 4 || a.length === 6, 'bbox has 4 or 6 numbers');
export const extent = z.object({
  spatial: z.object({ bbox: z.array(bbox).min(1), crs: z.literal('http://www.opengis.net/def/crs/OGC/1.3/CRS84').optional() }).optional(),
  temporal: z.object({ interval: z.array(z.array(z.string().nullable())), trs: z.string().optional() }).optional(),
});

export const collection = z.object({
  id: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  links: z.array(link),
  extent: extent.optional(),
  itemType: z.string().optional(),
  crs: z.array(z.string()).optional(),
});
export const collections = z.object({ links: z.array(link), collections: z.array(collection) });

const position = z.array(z.number()).min(2);
const geometry = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Point'), coordinates: position }),
  z.object({ type: z.literal('MultiPoint'), coordinates: z.array(position) }),
  z.object({ type: z.literal('LineString'), coordinates: z.array(position).min(2) }),
  z.object({ type: z.literal('MultiLineString'), coordinates: z.array(z.array(position).min(2)) }),
  z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(position).min(4)) }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(z.array(position).min(4))) }),
]);
export const featureGeoJSON = z.object({
  type: z.literal('Feature'),
  geometry: geometry.nullable(),
  properties: z.record(z.string(), z.unknown()).nullable(),
  id: z.union([z.string(), z.number().int()]).optional(),
  links: z.array(link).optional(),
});
export const featureCollectionGeoJSON = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(featureGeoJSON),
  links: z.array(link).optional(),
  timeStamp: z.string().datetime().optional(),
  numberMatched: z.number().int().min(0).optional(),
  numberReturned: z.number().int().min(0).optional(),
});
