/** Paged features and single features of a layer for the OGC API (GeoJSON assembled in PostGIS). */
import type { Sql } from '../db/client.js';
import { LAYERS, type LayerName } from '../repos/layer-defs.js';
import { type BBox, layerSelect } from '../repos/layers.repo.js';
import { SqlParams } from '../repos/sql-params.js';

function featureJson(name: LayerName) {
  const props = LAYERS[name].props.map(([n]) => `'${n}', f."${n}"`).join(', ');
  return `json_build_object('type', 'Feature', 'id', f.id, 'geometry', ST_AsGeoJSON(f.geom, 7)::json, 'properties', json_build_object(${props}))`;
}

export async function pagedFeatures(db: Sql, name: LayerName, q: { bbox?: BBox; limit: number; offset: number }) {
  const p = new SqlParams();
  const inner = layerSelect(LAYERS[name], { bbox: q.bbox }, p);
  const limit = p.add(q.limit);
  const offset = p.add(q.offset);
  const [row] = await db.query<{ matched: number; features: string }>(
    `WITH f AS (${inner})
     SELECT (SELECT count(*)::int FROM f) AS matched,
            coalesce((SELECT json_agg(${featureJson(name)} ORDER BY f.id) FROM (SELECT * FROM f ORDER BY id LIMIT ${limit} OFFSET ${offset}) f), '[]'::json)::text AS features`,
    p.values,
  );
  return { matched: row.matched, features: row.features };
}

export async function oneFeature(db: Sql, name: LayerName, id: number): Promise<string | null> {
  const p = new SqlParams();
  const inner = layerSelect(LAYERS[name], {}, p);
  const rows = await db.query<{ feature: string }>(`SELECT ${featureJson(name)}::text AS feature FROM (${inner}) f WHERE f.id = ${p.add(id)}`, p.values);
  return rows[0]?.feature ?? null;
}

export async function layerExtent(db: Sql): Promise<[number, number, number, number] | null> {
  const [r] = await db.query<{ a: number | null; b: number; c: number; d: number }>(
    `SELECT ST_XMin(e) AS a, ST_YMin(e) AS b, ST_XMax(e) AS c, ST_YMax(e) AS d FROM (SELECT ST_Extent(geom) AS e FROM communities) x`);
  return r && r.a !== null ? [r.a, r.b, r.c, r.d] : null;
}
