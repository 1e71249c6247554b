/**
 * Mapbox Vector Tiles for the map layers, in one of two encodings:
 *
 * - `postgis`: `ST_AsMVTGeom` + `ST_AsMVT` in the database (native PostGIS built with protobuf-c).
 * - `typescript`: the database clips (`ST_ClipByBox2D`), projects into tile pixels (`ST_Affine`)
 *   and snaps to the pixel grid (`ST_SnapToGrid`); geo/mvt/encode-tile.ts writes the protobuf.
 *   PGlite's PostGIS has no protobuf-c, so neither ST_AsMVT nor ST_AsMVTGeom exists there.
 *
 * Both use the same layer definitions (layer-defs.ts), so a tile carries the same features and
 * properties either way; tests/integration/tiles.test.ts decodes both encodings and compares them.
 */
import type * as GeoJSON from 'geojson';
import { encodeTile, type MvtValue } from '../../geo/mvt/encode-tile.js';
import { tileBoundsMercator, mercatorToLngLat } from '../../geo/tiles/tile-math.js';
import type { Database, Sql } from '../db/client.js';
import { LAYERS, type LayerName } from './layer-defs.js';
import { type LayerFilter, layerSelect } from './layers.repo.js';
import { PUBLISHED_PLANS_SQL, SqlParams } from './sql-params.js';
import { DATA_VERSION_SQL, dataVersion } from './data-version.repo.js';

export const TILE_EXTENT = 4096;
export const TILE_BUFFER = 64;

export type TileEncoding = 'postgis' | 'typescript';

export function defaultEncoding(db: Database): TileEncoding {
  return db.capabilities.asMvt ? 'postgis' : 'typescript';
}

interface TileFrame {
  bounds: [number, number, number, number];
  /** Mercator envelope grown by the tile buffer. */
  buffered: [number, number, number, number];
}

function frame(z: number, x: number, y: number): TileFrame {
  const bounds = tileBoundsMercator(z, x, y);
  const [minx, miny, maxx, maxy] = bounds;
  const pad = ((maxx - minx) * TILE_BUFFER) / TILE_EXTENT;
  return { bounds, buffered: [minx - pad, miny - pad, maxx + pad, maxy + pad] };
}

const envelope = (b: number[], srid: number, p: SqlParams) =>
  `ST_MakeEnvelope(${b.map((v) => `${p.add(v)}::float8`).join(', ')}, ${srid})`;

/** The buffered tile as a WGS84 envelope, for the GiST index filter on `geom`. */
function lngLatFilter(f: TileFrame, p: SqlParams) {
  const [w, s] = mercatorToLngLat(f.buffered[0], f.buffered[1]);
  const [e, n] = mercatorToLngLat(f.buffered[2], f.buffered[3]);
  return envelope([w, s, e, n], 4326, p);
}

/**
 * Only one street's features (issue #15, `?street=`): what its GeoJSON layers hold — its
 * communities, compounds, buildings, facilities, its published plan's grids, roads by its extent.
 * Absent: every street's (the tiles stay spatial).
 */
export type TileStreet = LayerFilter['street'];

/** The SQL that ST_AsMVT-encodes a tile (native PostGIS only). Exported for the benchmark. */
export function postgisTileQuery(name: LayerName, z: number, x: number, y: number, street?: TileStreet, opts: { withVersion?: boolean } = {}) {
  const p = new SqlParams();
  const f = frame(z, x, y);
  const env = envelope(f.bounds, 3857, p);
  const inner = layerSelect(LAYERS[name], { street }, p, {
    bboxSql: lngLatFilter(f, p),
    geom: (g) => `ST_AsMVTGeom(ST_Transform(${g}, 3857), ${env}, ${TILE_EXTENT}, ${TILE_BUFFER}, true)`,
  });
  const layer = p.add(name);
  return {
    // In id order: the same data gives the same bytes whatever plan PostgreSQL picks (a parallel
    // scan returns rows in any order), so a tile is comparable byte for byte (and cacheable by hash).
    // `withVersion`: the data version in the same statement, so in the same snapshot as the tile —
    // the version the tile is exactly of, at no extra round trip (the ETag of an uncached tile).
    text: `SELECT ST_AsMVT(f.*, ${layer}, ${TILE_EXTENT}, 'geom', 'id' ORDER BY f.id) AS tile${
      opts.withVersion ? `, (${DATA_VERSION_SQL} FROM data_version) AS version` : ''} FROM (${inner}) f WHERE f.geom IS NOT NULL`,
    params: p.values,
  };
}

async function postgisTile(db: Sql, name: LayerName, z: number, x: number, y: number, street?: TileStreet): Promise<Uint8Array> {
  const { text, params } = postgisTileQuery(name, z, x, y, street);
  const [row] = await db.query<{ tile: Uint8Array | null }>(text, params);
  return row?.tile ? new Uint8Array(row.tile) : new Uint8Array(0);
}

async function typescriptTile(db: Sql, name: LayerName, z: number, x: number, y: number, street?: TileStreet): Promise<Uint8Array> {
  const def = LAYERS[name];
  const p = new SqlParams();
  const f = frame(z, x, y);
  const [minx, miny, maxx, maxy] = f.bounds;
  const sx = TILE_EXTENT / (maxx - minx);
  const sy = TILE_EXTENT / (maxy - miny);
  const affine = [sx, 0, 0, -sy, -minx * sx, maxy * sy].map((v) => `${p.add(v)}::float8`).join(', ');
  const clip = envelope(f.buffered, 3857, p);
  const inner = layerSelect(def, { street }, p, {
    bboxSql: lngLatFilter(f, p),
    geom: (g) => `ST_AsGeoJSON(ST_SnapToGrid(ST_Affine(ST_ClipByBox2D(ST_Transform(${g}, 3857), ${clip}), ${affine}), 1), 0)`,
  });
  const rows = await db.query<Record<string, unknown> & { id: number; geom: string }>(
    `SELECT * FROM (${inner}) f ORDER BY f.id`,
    p.values,
  );
  const features = rows.map((row) => {
    const properties: Record<string, MvtValue | null> = {};
    for (const [prop] of def.props) properties[prop] = row[prop] as MvtValue | null;
    return { id: row.id, properties, geometry: JSON.parse(row.geom) as GeoJSON.Geometry };
  });
  return encodeTile([{ name, extent: TILE_EXTENT, features }]);
}

/** A layer's tile as MVT bytes (one street's features when `street` is given); empty (length 0) when no feature touches the tile. */
export function layerTile(
  db: Database,
  name: LayerName,
  z: number,
  x: number,
  y: number,
  encoding: TileEncoding = defaultEncoding(db),
  street?: TileStreet,
): Promise<Uint8Array> {
  return encoding === 'postgis' ? postgisTile(db, name, z, x, y, street) : typescriptTile(db, name, z, x, y, street);
}

/**
 * {@link layerTile} with the data version it was built from: in the tile's own statement with
 * ST_AsMVT, read just before it otherwise (a lower bound, as everywhere else).
 */
export async function layerTileVersioned(
  db: Database, name: LayerName, z: number, x: number, y: number, street?: TileStreet,
): Promise<{ tile: Uint8Array; version: string }> {
  if (defaultEncoding(db) !== 'postgis') {
    const version = await dataVersion(db);
    return { tile: await typescriptTile(db, name, z, x, y, street), version };
  }
  const { text, params } = postgisTileQuery(name, z, x, y, street, { withVersion: true });
  const [row] = await db.query<{ tile: Uint8Array | null; version: string }>(text, params);
  return { tile: row.tile ? new Uint8Array(row.tile) : new Uint8Array(0), version: row.version };
}

/**
 * Extent of what a layer's tiles show, in WGS84, for TileJSON `bounds`: a layer with conditions
 * (grids: the published plans only, not drafts; households: buildings with households) is measured
 * through its own FROM and WHERE, any other over its table.
 */
export async function layerBounds(db: Sql, name: LayerName): Promise<[number, number, number, number] | null> {
  const def = LAYERS[name];
  const ctx = { plans: PUBLISHED_PLANS_SQL };
  const where = def.where?.(ctx) ?? [];
  const from = where.length ? def.from(ctx) : `${def.from(ctx).trim().split(/\s+/)[0]} t`;
  const [row] = await db.query<{ b: string | null }>(
    `SELECT ST_AsGeoJSON(ST_Extent(${def.geom})::geometry) AS b FROM ${from}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`,
  );
  if (!row?.b) return null;
  const g = JSON.parse(row.b) as GeoJSON.Polygon | GeoJSON.Point;
  if (g.type === 'Point') return [g.coordinates[0], g.coordinates[1], g.coordinates[0], g.coordinates[1]];
  const xs = g.coordinates[0].map((c) => c[0]);
  const ys = g.coordinates[0].map((c) => c[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}
