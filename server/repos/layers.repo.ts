/**
 * GeoJSON for the map layers. The FeatureCollection is assembled inside PostGIS (json_agg) and
 * passed through as text, so the server never parses or re-serialises thousands of features.
 */
import { type Database, type Sql, streamRows } from '../db/client.js';
import { LAYERS, type LayerDef, type LayerName } from './layer-defs.js';
import { PUBLISHED_PLANS_SQL, PUBLISHED_PLAN_SQL, SqlParams, publishedPlanSql } from './sql-params.js';

export type BBox = [number, number, number, number];

export interface LayerFilter {
  bbox?: BBox;
  /** Several boxes whose union is the area (a box across the anti-meridian, split in two); may be lines or points. */
  boxes?: readonly BBox[];
  community?: string;
  plan?: number;
  /** Only the features of this street (issue #15): its id, and its extent for spatial layers (roads). */
  street?: { id: number; bbox: BBox | null } | null;
}

/**
 * The inner SELECT of a layer: `id`, `geom` (as `geomExpr(def.geom)`) and one column per property,
 * filtered by plan, bbox and community. Shared by the GeoJSON and the vector-tile queries.
 */
export function layerSelect(
  def: LayerDef,
  filter: LayerFilter,
  p: SqlParams,
  opts: { geom?: (g: string) => string; bboxSql?: string } = {},
): string {
  // A parameter is added only when the layer's SQL uses the plans (an unused one has no type).
  let plans: string | undefined;
  const ctx = {
    get plans() {
      plans ??= filter.plan !== undefined ? `${p.add(filter.plan)}::int`
        : filter.street ? `SELECT id FROM grid_plans WHERE status = 'published' AND street_id = ${p.add(filter.street.id)}::int`
          : PUBLISHED_PLANS_SQL;
      return plans;
    },
  };
  const where = [...(def.where?.(ctx) ?? [])];
  if (opts.bboxSql) where.push(`${def.geom} && ${opts.bboxSql}`);
  const boxes = filter.boxes ?? (filter.bbox ? [filter.bbox] : []);
  if (boxes.length) {
    // ST_Intersects tests the geometry itself (its && envelope test is only the index prefilter): a
    // feature whose envelope touches the box but whose shape does not is not in the result.
    where.push(`(${boxes.map((box) => `ST_Intersects(${def.geom}, ${boxSql(box, p)})`).join(' OR ')})`);
  }
  if (filter.community !== undefined) {
    const code = p.add(filter.community);
    where.push(
      def.community === 'spatial'
        ? `ST_Intersects(${def.geom}, (SELECT geom FROM communities WHERE code = ${code}))`
        : `${def.community.codeExpr} = ${code}`,
    );
  }
  if (filter.street) {
    const { id, bbox } = filter.street;
    if (def.street !== 'spatial') where.push(`${def.street.idExpr} = ${p.add(id)}::int`);
    else where.push(bbox ? `ST_Intersects(${def.geom}, ${boxSql(bbox, p)})` : 'false');
  }
  const geom = opts.geom ? opts.geom(def.geom) : def.geom;
  const cols = def.props.map(([name, expr]) => `${expr} AS "${name}"`).join(', ');
  return `SELECT ${def.id} AS id, ${geom} AS geom, ${cols}
          FROM ${def.from(ctx)}
          ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`;
}

/**
 * A box as a geometry: a polygon, or a line or a point when it has no width or height (the
 * envelope of its two corners), which a zero-area ST_MakeEnvelope polygon would not intersect correctly.
 */
function boxSql(box: BBox, p: SqlParams): string {
  const [a, b, c, d] = box.map((v) => `${p.add(v)}::float8`);
  return `ST_SetSRID(ST_Envelope(ST_MakeLine(ST_MakePoint(${a}, ${b}), ST_MakePoint(${c}, ${d}))), 4326)`;
}

/**
 * A geometry as RFC 7946 GeoJSON: polygon rings by the right-hand rule (exterior counter-clockwise,
 * holes clockwise — PostGIS keeps whatever order a union or import left, often the reverse), with
 * `digits` decimals (6 ≈ 0.1 m for maps; exports and OGC use more, see their callers).
 */
export const geoJsonGeometrySql = (geom: string, digits: number) => `ST_AsGeoJSON(ST_ForcePolygonCCW(${geom}), ${digits})::json`;

/** The SQL and parameters that produce a layer's features array as one JSON text value. */
export function layerGeoJsonQuery(name: LayerName, filter: LayerFilter, opts: { digits?: number } = {}): { text: string; params: unknown[] } {
  const def = LAYERS[name];
  const p = new SqlParams();
  const inner = layerSelect(def, filter, p);
  const props = def.props.map(([n]) => `'${n}', f."${n}"`).join(', ');
  const text = `SELECT coalesce(json_agg(json_build_object(
      'type', 'Feature', 'id', f.id, 'geometry', ${geoJsonGeometrySql('f.geom', opts.digits ?? 6)},
      'properties', json_build_object(${props})) ORDER BY f.id), '[]'::json)::text AS features
    FROM (${inner}) f`;
  return { text, params: p.values };
}

/**
 * Features per batch of a streamed layer: about 2 MB of buildings. Each batch is one round trip to
 * PostgreSQL (the portal is fetched in steps), so fewer, larger batches; 25 on a 100k-building street.
 */
const STREAM_BATCH_ROWS = 4000;

/**
 * The SQL of a layer's features, one GeoJSON Feature text per row in id order (the features of
 * {@link layerGeoJsonQuery}). The rows are ordered *before* the JSON is built, so PostgreSQL sends
 * the first features while it still builds the rest.
 */
export function layerFeaturesQuery(name: LayerName, filter: LayerFilter): { text: string; params: unknown[] } {
  const def = LAYERS[name];
  const p = new SqlParams();
  const inner = layerSelect(def, filter, p);
  const props = def.props.map(([n]) => `'${n}', f."${n}"`).join(', ');
  const text = `SELECT json_build_object(
      'type', 'Feature', 'id', f.id, 'geometry', ${geoJsonGeometrySql('f.geom', 6)},
      'properties', json_build_object(${props}))::text AS feature
    FROM (${inner} ORDER BY 1) f`;
  return { text, params: p.values };
}

/**
 * A layer as a GeoJSON FeatureCollection (RFC 7946) in pieces of text, as PostgreSQL sends the
 * features (`db.stream`): the first piece leaves before the query ends, and the server never
 * holds the whole layer (49 MB of buildings on a 100k-building street) as one string.
 */
export async function* layerGeoJsonPieces(db: Database, name: LayerName, filter: LayerFilter): AsyncGenerator<string> {
  const { text, params } = layerFeaturesQuery(name, filter);
  let sep = '{"type":"FeatureCollection","features":[';
  for await (const rows of streamRows<{ feature: string }>(db, text, params, STREAM_BATCH_ROWS)) {
    if (rows.length === 0) continue;
    yield sep + rows.map((r) => r.feature).join(',');
    sep = ',';
  }
  yield sep === ',' ? ']}' : `${sep}]}`;
}

/** A layer as a GeoJSON FeatureCollection string (RFC 7946); `digits` decimals of coordinates (default 6). */
export async function layerGeoJson(db: Sql, name: LayerName, filter: LayerFilter, opts: { digits?: number } = {}): Promise<string> {
  const { text, params } = layerGeoJsonQuery(name, filter, opts);
  const [row] = await db.query<{ features: string }>(text, params);
  return `{"type":"FeatureCollection","features":${row?.features ?? '[]'}}`;
}

/** Whether a plan exists (grids layer `?plan=` must name a real plan). */
export async function planExists(db: Sql, planId: number): Promise<boolean> {
  const rows = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM grid_plans WHERE id = $1', [planId]);
  return (rows[0]?.n ?? 0) > 0;
}

/** Whether a community code exists. */
export async function communityExists(db: Sql, code: string): Promise<boolean> {
  const rows = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM communities WHERE code = $1', [code]);
  return (rows[0]?.n ?? 0) > 0;
}

/** Whether a grid code exists in a plan (default: the published plan of `streetId`, else the first published plan). */
export async function gridExists(db: Sql, code: string, planId?: number, streetId?: number | null): Promise<boolean> {
  const rows = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM grids WHERE code = $1 AND plan_id = coalesce($2::int, ${streetId ? publishedPlanSql('$3::int') : PUBLISHED_PLAN_SQL})`,
    streetId ? [code, planId ?? null, streetId] : [code, planId ?? null],
  );
  return (rows[0]?.n ?? 0) > 0;
}
