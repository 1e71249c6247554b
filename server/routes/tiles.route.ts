import { Hono } from 'hono';
import type { AppDeps } from '../app.js';
import { isValidTile } from '../../geo/tiles/tile-math.js';
import { badRequest } from '../http-error.js';
import { LAYERS, type LayerName, isLayerName } from '../repos/layer-defs.js';
import { layerBounds, layerTile, layerTileVersioned } from '../repos/tiles.repo.js';
import { type PropertyType, layerPropertyTypes } from '../repos/layer-types.js';
import { STORED_MAX_ZOOM, storedTile } from '../repos/tile-store.repo.js';
import type { AppEnv } from '../auth/middleware.js';
import { publicOrigin } from '../auth/client-address.js';
import { streetOf, type StreetRef } from '../services/street-context.js';

export const TILE_LAYERS: LayerName[] = ['communities', 'compounds', 'grids', 'buildings', 'households', 'facilities', 'roads'];
export const MAX_ZOOM = 22;

const TILEJSON_FIELD: Record<PropertyType, string> = { integer: 'Number', number: 'Number', boolean: 'Boolean', string: 'String' };

function tileLayer(name: string): LayerName {
  if (!isLayerName(name)) {
    throw badRequest('unknown_layer', `未知图层“${name}”`, `unknown layer "${name}"; one of: ${TILE_LAYERS.join(', ')}`);
  }
  return name;
}

/** A tile address parsed from its path segments, or why it is not one. */
export function parseTile(zs: string, xs: string, file: string): { z: number; x: number; y: number } | 'invalid_path' | 'out_of_range' {
  const m = /^(\d{1,8})\.mvt$/.exec(file);
  if (!m || !/^\d{1,3}$/.test(zs) || !/^\d{1,8}$/.test(xs)) return 'invalid_path';
  const [z, x, y] = [Number(zs), Number(xs), Number(m[1])];
  return isValidTile(z, x, y, MAX_ZOOM) ? { z, x, y } : 'out_of_range';
}

/**
 * A layer's tile from the response cache, else from `tile_store` (z ≤ 13), else built, with the
 * data version read for it before it was computed (null when the cache is off, unless `withVersion`:
 * then the version it was built from). Shared by the route
 * and the raw Node listener that answers plain tile GETs (http/tile-fast-path.ts), which tags the
 * tile with that version instead of reading it a second time.
 */
export async function versionedTile(
  { db, cache }: Pick<AppDeps, 'db' | 'cache'>, layer: LayerName, z: number, x: number, y: number, street: StreetRef | null = null,
  opts: { withVersion?: boolean } = {},
): Promise<{ tile: Uint8Array; version: string | null }> {
  // One street's tiles are kept apart from the spatial ones, in memory and in tile_store.
  const stored = street ? `${layer}@${street.code}` : layer;
  const slot = await cache.slot(`${stored}/${z}/${x}/${y}`);
  if (slot.body) return { tile: slot.body, version: slot.version };
  const build = () => layerTile(db, layer, z, x, y, undefined, street);
  // Cache off and the version wanted (the fast path's ETag): read with the tile, not before it.
  if (opts.withVersion && slot.version === null) {
    if (z > STORED_MAX_ZOOM) return layerTileVersioned(db, layer, z, x, y, street);
    const version = await cache.currentVersion();
    return { tile: await storedTile(db, { layer: stored, z, x, y }, build, version), version };
  }
  const tile = await storedTile(db, { layer: stored, z, x, y }, build, slot.version);
  slot.keep(tile);
  return { tile, version: slot.version };
}

/** {@link versionedTile}'s tile. */
export async function cachedTile(...args: Parameters<typeof versionedTile>): Promise<Uint8Array> {
  return (await versionedTile(...args)).tile;
}

const TILE_HEADERS = Object.freeze({ 'Content-Type': 'application/vnd.mapbox-vector-tile', 'Cache-Control': 'public, max-age=60' });

/**
 * Status and headers of a tile answer (204 when empty), besides the security headers every
 * response gets. The one place both the route and the fast path take them from.
 */
export function tileAnswer(tile: Uint8Array): { status: 200 | 204; headers: Readonly<Record<string, string>> } {
  return { status: tile.length === 0 ? 204 : 200, headers: TILE_HEADERS };
}

/**
 * `GET /tiles/:layer/:z/:x/:y.mvt` (Mapbox Vector Tile; 204 when empty) and
 * `GET /tiles/:layer.json` (TileJSON 3.0.0). Public: tiles carry no personal fields.
 * Kept in memory under the data version (services/response-cache.ts); tiles up to z13 also in
 * PostGIS under it (repos/tile-store.repo.ts), so a write by any process is in the next tile.
  * Plain tile GETs without a query string on a served port are answered before this app by
 * http/tile-fast-path.ts, which hands everything else (a session cookie, `?street=`, errors, odd
 * paths) to this route.
 * `?street=<code>` (issue #15): only that street's features, as its GeoJSON layers hold them (the
 * wall screen of one street in a city draws no neighbours, and asks only for its own extent's
 * tiles); without it a tile holds every street's.
 */
export function tileRoutes(deps: AppDeps) {
  const { db } = deps;
  return new Hono<AppEnv>()
    .get('/:layer/:z/:x/:file', async (c) => {
      const layer = tileLayer(c.req.param('layer'));
      const t = parseTile(c.req.param('z'), c.req.param('x'), c.req.param('file'));
      if (t === 'invalid_path') {
        throw badRequest('invalid_tile', '瓦片地址应为 /tiles/<图层>/<z>/<x>/<y>.mvt', 'tile path must be /tiles/<layer>/<z>/<x>/<y>.mvt');
      }
      if (t === 'out_of_range') {
        throw badRequest('invalid_tile', `瓦片坐标越界：z 应在 0–${MAX_ZOOM}，x、y 应在 0–2^z−1`,
          `tile out of range: z must be 0–${MAX_ZOOM} and x, y within 0…2^z−1`);
      }
      // Only an explicit ?street= scopes a tile (a malformed or unknown code: 400 / 404, a kiosk's
      // other street: 403, as everywhere); without it the tile stays spatial.
      const street = c.req.query('street') === undefined ? null : await streetOf(c, db);
      const tile = await cachedTile(deps, layer, t.z, t.x, t.y, street);
      const { status, headers } = tileAnswer(tile);
      if (status === 204) return c.body(null, 204, headers);
      return c.body(tile as Uint8Array<ArrayBuffer>, 200, headers);
    })
    .get('/:file', async (c) => {
      const m = /^([a-z]+)\.json$/.exec(c.req.param('file'));
      if (!m) throw badRequest('invalid_tile', 'TileJSON 地址应为 /tiles/<图层>.json', 'TileJSON path must be /tiles/<layer>.json');
      const layer = tileLayer(m[1]);
      const def = LAYERS[layer];
      const origin = publicOrigin(c, deps.config.publicOrigin);
      // ?street=: the tiles of that street (their URL carries it) over its extent, as for the tiles themselves.
      const street = c.req.query('street') === undefined ? null : await streetOf(c, db);
      return c.json({
        tilejson: '3.0.0',
        name: street ? `${layer}@${street.code}` : layer,
        description: `${def.title.zh} / ${def.title.en}${street ? ` — ${street.name}` : ''}`,
        scheme: 'xyz',
        tiles: [`${origin}/tiles/${layer}/{z}/{x}/{y}.mvt${street ? `?street=${street.code}` : ''}`],
        minzoom: def.minzoom,
        maxzoom: MAX_ZOOM,
        bounds: (street ? street.bbox : await layerBounds(db, layer)) ?? [-180, -85.0511, 180, 85.0511],
        vector_layers: [
          {
            id: layer,
            description: def.title.en,
            minzoom: def.minzoom,
            maxzoom: MAX_ZOOM,
            // Mapbox's convention (tippecanoe, GDAL's MVT driver): Number, Boolean or String.
            fields: Object.fromEntries(Object.entries(await layerPropertyTypes(db, layer)).map(([name, t]) => [name, TILEJSON_FIELD[t]])),
          },
        ],
      });
    });
}
