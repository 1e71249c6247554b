/**
 * `GET /api/export/:layer?format=geojson|shp|xlsx|csv[&community=][&plan=][&street=]` — any map layer of
 * one street as a file. The data are the public layer definitions (server/repos/layer-defs.ts): aggregates and
 * codes only, so no personal field (names, phones, rooms — see server/auth/masking.ts) can leave
 * through an export, whatever the caller's role. The writers are server/services/export-formats.ts.
 */
import { centroid } from '@turf/turf';
import type { Feature, FeatureCollection } from 'geojson';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app.js';
import type { AppEnv } from '../auth/middleware.js';
import { badRequest, notFound, validate } from '../http-error.js';
import { LAYERS, LAYER_NAMES, isLayerName } from '../repos/layer-defs.js';
import { communityExists, layerGeoJson, planExists } from '../repos/layers.repo.js';
import { layerPropertyTypes } from '../repos/layer-types.js';
import { contentDisposition, featureCollectionToShapefileZip, geometryToWkt, rowsToCsv, sheetsToXlsx } from '../services/export-formats.js';
import { communityCodeSchema, idSchema } from './query-schemas.js';
import type { Kind } from '../../data/formats/shapefile-write.js';
import type { LayerDef } from '../repos/layer-defs.js';
import { streetOf } from '../services/street-context.js';

const querySchema = z.object({
  format: z.enum(['geojson', 'shp', 'xlsx', 'csv']).default('geojson'),
  community: communityCodeSchema.optional(),
  plan: idSchema.optional(),
});

/** DBF field names are at most 10 ASCII characters: shorten longer property names, keeping them unique. */
export function dbfNames(keys: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const k of keys) {
    let name = k.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 10);
    if (!/^[A-Za-z]/.test(name)) name = `f${name}`.slice(0, 10);
    for (let i = 1; used.has(name); i++) name = `${name.slice(0, 10 - String(i).length)}${i}`;
    used.add(name);
    out.set(k, name);
  }
  return out;
}

/**
 * Table rows of a layer: properties plus the lng/lat of each feature's centre, and with `wkt` the
 * geometry itself as WKT (CSV: GDAL/QGIS read a column named WKT as the geometry, and so does our
 * importer — a CSV export goes back in whole).
 */
function tableOf(fc: FeatureCollection, keys: string[], opts: { wkt?: boolean } = {}) {
  const columns = [...keys, 'lng', 'lat', ...(opts.wkt ? ['wkt'] : [])].map((k) => ({ header: k, key: k }));
  const rows = fc.features.map((f) => {
    const [lng, lat] = centroid(f as Feature).geometry.coordinates;
    return { ...f.properties, lng: Number(lng.toFixed(6)), lat: Number(lat.toFixed(6)), ...(opts.wkt ? { wkt: geometryToWkt(f.geometry) } : {}) };
  });
  return { columns, rows };
}

/**
 * Decimals of exported coordinates: 9 (PostGIS's default, < 1 mm), so a file carries the stored
 * geometry — re-imported, its walk-network nodes meet the stored ones (matched at 1e-7°).
 */
const EXPORT_DIGITS = 9;

/** The shapefile kind of a layer's geometry type (for a file of no records). */
const SHAPE_KIND: Record<LayerDef['geometryType'], Kind> = { MultiPolygon: 'polygon', Point: 'point', LineString: 'line' };

export function exportRoutes({ db }: AppDeps) {
  return new Hono<AppEnv>().get('/:layer', async (c) => {
    const layer = c.req.param('layer');
    if (!isLayerName(layer)) {
      throw badRequest('unknown_layer', `未知图层“${layer}”，可选：${LAYER_NAMES.join('、')}`, `unknown layer "${layer}"; one of: ${LAYER_NAMES.join(', ')}`);
    }
    const q = validate(querySchema, c.req.query(), '查询参数');
    if (q.plan !== undefined && !(await planExists(db, q.plan))) throw notFound(`方案 ${q.plan} 不存在`, `plan ${q.plan} not found`);
    if (q.community !== undefined && !(await communityExists(db, q.community))) throw notFound(`社区 ${q.community} 不存在`, `community ${q.community} not found`);
    // One street's features (issue #15): ?street=, implied by ?community= / ?plan=; another street than the caller's → 403.
    const street = await streetOf(c, db, { protectedData: true, impliedBy: q });
    const fc = JSON.parse(await layerGeoJson(db, layer, { community: q.community, plan: q.plan, street }, { digits: EXPORT_DIGITS })) as FeatureCollection;
    const keys = LAYERS[layer].props.map(([k]) => k);
    const stamp = new Date().toISOString().slice(0, 10);
    const base = `${layer}-${q.community ?? 'street'}-${stamp}`;
    switch (q.format) {
      case 'geojson':
        return c.body(JSON.stringify(fc), 200, {
          'Content-Type': 'application/geo+json; charset=utf-8', 'Content-Disposition': contentDisposition(`${base}.geojson`),
        });
      case 'shp': {
        const names = dbfNames(keys);
        const renamed: FeatureCollection = {
          type: 'FeatureCollection',
          features: fc.features.map((f) => ({ ...f, properties: Object.fromEntries(keys.map((k) => [names.get(k)!, f.properties?.[k] ?? null])) })),
        };
        // Column types as the database has them (a layer's `load` stays Real where every value is whole).
        const types = await layerPropertyTypes(db, layer);
        const zip = await featureCollectionToShapefileZip(renamed, layer, {
          types: Object.fromEntries(keys.map((k) => [names.get(k)!, types[k]])),
          // Nothing to export (a community with no facilities yet): a shapefile of no records, as the GeoJSON is an empty collection.
          empty: { kind: SHAPE_KIND[LAYERS[layer].geometryType], columns: keys.map((k) => names.get(k)!) },
        });
        return c.body(new Uint8Array(zip), 200, { 'Content-Type': 'application/zip', 'Content-Disposition': contentDisposition(`${base}.zip`) });
      }
      case 'xlsx': {
        const t = tableOf(fc, keys);
        const xlsx = await sheetsToXlsx([{ name: LAYERS[layer].title.zh.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31), columns: t.columns, rows: t.rows }]);
        return c.body(new Uint8Array(xlsx), 200, {
          'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'Content-Disposition': contentDisposition(`${base}.xlsx`),
        });
      }
      case 'csv': {
        const t = tableOf(fc, keys, { wkt: true });
        return c.body(rowsToCsv(t.columns, t.rows), 200, {
          'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': contentDisposition(`${base}.csv`),
        });
      }
    }
  });
}
