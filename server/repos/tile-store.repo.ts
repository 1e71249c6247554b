/**
 * Low-zoom vector tiles kept in PostGIS across restarts (migration 0012).
 *
 * The street-wide tiles of a big street are the dearest to build and the first every screen and
 * map asks for (a z11 grid tile of the 100k-building street aggregates 5,600 grids: 0.5 s of SQL,
 * seconds while the server is busy). A tile of zoom ≤ STORED_MAX_ZOOM is stored with the data
 * version it was built from and served from the store while the version holds; any committed
 * change to the data rebuilds it on the next request. Higher zooms are cheap and countless, and
 * are left to the in-memory response cache. An empty tile is stored too (zero bytes).
 */
import type { Sql } from '../db/client.js';
import { dataVersion } from './data-version.repo.js';

export const STORED_MAX_ZOOM = 13;

/**
 * The stored tile of the current data version, or `build()`'s, stored. `knownVersion`: the version
 * the caller (the response cache) already read for this request, to save a second read.
 */
export async function storedTile(
  db: Sql,
  tile: { layer: string; z: number; x: number; y: number },
  build: () => Promise<Uint8Array>,
  knownVersion: string | null = null,
): Promise<Uint8Array> {
  if (tile.z > STORED_MAX_ZOOM) return build();
  const key = [tile.layer, tile.z, tile.x, tile.y];
  // Read before building: the tile built next is at least as new as this version.
  const version = knownVersion ?? (await dataVersion(db));
  const [row] = await db.query<{ tile: Uint8Array }>(
    'SELECT tile FROM tile_store WHERE layer = $1 AND z = $2 AND x = $3 AND y = $4 AND version = $5',
    [...key, version],
  );
  if (row) return new Uint8Array(row.tile);
  const bytes = await build();
  await db.query(
    `INSERT INTO tile_store (layer, z, x, y, version, tile) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (layer, z, x, y) DO UPDATE SET version = EXCLUDED.version, tile = EXCLUDED.tile, stored_at = now()`,
    [...key, version, bytes],
  );
  return bytes;
}
