/** Paged features and single features of a layer for the OGC API (GeoJSON assembled in PostGIS). */
import type { Sql } from '../db/client.js';
import { LAYERS, type LayerName } from '../repos/layer-defs.js';
import { type BBox, geoJsonGeometrySql, layerSelect } from '../repos/layers.repo.js';
import { dataVersion, derivedFigure } from '../repos/derived-figures.repo.js';
import { SqlParams } from '../repos/sql-params.js';

function featureJson(name: LayerName) {
  const props = LAYERS[name].props.map(([n]) => `'${n}', f."${n}"`).join(', ');
  return `json_build_object('type', 'Feature', 'id', f.id, 'geometry', ${geoJsonGeometrySql('f.geom', 7)}, 'properties', json_build_object(${props}))`;
}

const CAST = { integer: 'bigint', number: 'float8', boolean: 'boolean', string: 'text' } as const;

/** An equality filter on a property: its name (one of the layer's), JSON type and value. */
export interface PropertyFilter { name: string; type: keyof typeof CAST; value: string | number | boolean }

/**
 * One page of a layer; `boxes` is the bbox as a union of boxes (see ogc-params.ts parseBbox);
 * `filters`: features whose properties equal these values (all of them).
 */
export async function pagedFeatures(db: Sql, name: LayerName, q: { boxes?: readonly BBox[]; filters?: readonly PropertyFilter[]; limit: number; offset: number }) {
  const p = new SqlParams();
  const def = LAYERS[name];
  let inner = layerSelect(def, { boxes: q.boxes }, p);
  const filters = (q.filters ?? []).filter((f) => def.props.some(([n]) => n === f.name));
  if (filters.length) {
    inner = `SELECT * FROM (${inner}) x WHERE ${filters.map((f) => `x."${f.name}" = ${p.add(f.value)}::${CAST[f.type]}`).join(' AND ')}`;
  }
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

/**
 * The spatial extent of one collection: ST_Extent of that layer's own rows (as the layer serves
 * them: published plan, households only where there are some), or null when it has none — never
 * one box for every layer, nor a box kept from data that has since been replaced (an import).
 * Stored in derived_figures with the data version (data_changes), so it is computed once per change;
 * `version` lets a caller listing every collection read the version once.
 */
export async function layerExtent(db: Sql, name: LayerName, version?: string): Promise<BBox | null> {
  const figure = await derivedFigure(db, `ogc-extent:${name}`, version ?? (await dataVersion(db)), async () => {
    const p = new SqlParams();
    const inner = layerSelect(LAYERS[name], {}, p);
    const [r] = await db.query<{ a: number | null; b: number; c: number; d: number }>(
      `SELECT ST_XMin(e) AS a, ST_YMin(e) AS b, ST_XMax(e) AS c, ST_YMax(e) AS d FROM (SELECT ST_Extent(f.geom) AS e FROM (${inner}) f) x`,
      p.values,
    );
    return { bbox: r && r.a !== null ? ([r.a, r.b, r.c, r.d] as BBox) : null };
  });
  return figure.bbox;
}
