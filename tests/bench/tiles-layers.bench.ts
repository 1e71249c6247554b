/**
 * Issue #2 bar: endpoint p50 next to the p50 of the same SQL run directly (goal ≤ 1.2×),
 * for a z15 and a z17 buildings tile and for /api/layers/buildings.
 */
import type { Database } from '../../server/db/client.js';
import { layerGeoJsonQuery } from '../../server/repos/layers.repo.js';
import { layerTile, postgisTileQuery } from '../../server/repos/tiles.repo.js';
import { lngLatToTile } from '../../geo/tiles/tile-math.js';
import { fmt, httpGet, percentile, sample, table } from './stats.js';

export async function benchTilesAndLayers(db: Database, baseUrl: string, label: string, n = 60) {
  const [c] = await db.query<{ lng: number; lat: number }>(
    `SELECT ST_X(ST_Centroid(ST_Extent(geom)::geometry)) AS lng, ST_Y(ST_Centroid(ST_Extent(geom)::geometry)) AS lat FROM buildings`,
  );
  const rows: string[][] = [['what', 'endpoint p50', 'direct SQL p50', 'ratio', 'goal', 'direct = …']];
  for (const z of [15, 17]) {
    const [x, y] = lngLatToTile(c.lng, c.lat, z);
    const url = `${baseUrl}/tiles/buildings/${z}/${x}/${y}.mvt`;
    const endpoint = await sample(n, () => httpGet(url));
    let direct: number[];
    let what: string;
    if (db.capabilities.asMvt) {
      const q = postgisTileQuery('buildings', z, x, y);
      direct = await sample(n, () => db.query(q.text, q.params));
      what = 'ST_AsMVT SQL';
    } else {
      direct = await sample(n, () => layerTile(db, 'buildings', z, x, y, 'typescript'));
      what = 'clip SQL + TS encoder in-process (no ST_AsMVT on PGlite)';
    }
    const [e, d] = [percentile(endpoint, 50), percentile(direct, 50)];
    rows.push([`buildings tile z${z} (${x},${y})`, fmt(e), fmt(d), `${(e / d).toFixed(2)}×`, '≤ 1.2×', what]);
  }
  const q = layerGeoJsonQuery('buildings', {});
  const endpoint = await sample(Math.ceil(n / 2), () => httpGet(`${baseUrl}/api/layers/buildings`));
  const direct = await sample(Math.ceil(n / 2), () => db.query(q.text, q.params));
  const [e, d] = [percentile(endpoint, 50), percentile(direct, 50)];
  rows.push(['/api/layers/buildings', fmt(e), fmt(d), `${(e / d).toFixed(2)}×`, '≤ 1.2×', 'json_agg SQL']);
  console.log(`\n## Tiles and layers — ${label} (${db.backend}, ${n} samples after 5 warm-up)`);
  table(rows);
}
