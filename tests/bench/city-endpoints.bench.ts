/**
 * The city bench's server figures with the response cache off (every answer computed): start and
 * background warm-up, memory, tiles z12–z16 (endpoint vs bare ST_AsMVT, alternating), and the
 * per-street statistics and wall-screen summary.
 */
import type { City } from '../../data/generate/city.js';
import type { Database } from '../../server/db/client.js';
import { postgisTileQuery } from '../../server/repos/tiles.repo.js';
import { lngLatToTile } from '../../geo/tiles/tile-math.js';
import { type ChildServer, loadAvg, waitIdle } from './city-server.js';
import { fmt, httpGet, percentile, sampleAlternating, table } from './stats.js';

/** Tile samples per zoom and layer (pairs endpoint/bare), after 2 warm-up pairs. */
const TILE_SAMPLES = 15;
/** Repeats of each per-street request after its first (computing) call. */
const STREET_SAMPLES = 5;

/** Street centre (point on surface) from the database. */
export async function streetCentre(db: Database, code: string): Promise<[number, number]> {
  const [c] = await db.query<{ lng: number; lat: number }>(
    `SELECT ST_X(p) AS lng, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(geom) AS p FROM streets WHERE code = $1) s`, [code],
  );
  return [c.lng, c.lat];
}

/** The first, middle and last street of the city (the ones the per-street figures are taken on). */
export function sampleStreets(city: City) {
  const p = city.plan;
  return [...new Set([p[0], p[Math.floor(p.length / 2)], p[p.length - 1]])];
}

/** GET returning the time, status and text (for scope checks). */
async function timedGet(url: string): Promise<{ ms: number; status: number; text: string }> {
  const t0 = performance.now();
  const res = await fetch(url);
  const text = await res.text();
  return { ms: performance.now() - t0, status: res.status, text };
}

/** Tiles of `layers` at `centre` (`where` names it), z12–z16. */
async function benchTiles(db: Database, base: string, centre: [number, number], layers: readonly ('buildings' | 'grids')[], where: string) {
  const rows = [['layer', 'tile', 'bytes', 'endpoint first call', 'endpoint p50', 'endpoint p95', 'bare ST_AsMVT p50', 'bare p95', 'p50 ratio']];
  for (const layer of layers) {
    for (let z = 12; z <= 16; z++) {
      const [x, y] = lngLatToTile(centre[0], centre[1], z);
      const q = postgisTileQuery(layer, z, x, y);
      const t0 = performance.now();
      let bytes = await httpGet(`${base}/tiles/${layer}/${z}/${x}/${y}.mvt`);
      const first = performance.now() - t0;
      const [e, d] = await sampleAlternating(
        TILE_SAMPLES,
        async () => (bytes = await httpGet(`${base}/tiles/${layer}/${z}/${x}/${y}.mvt`)),
        () => db.query(q.text, q.params),
        2,
      );
      const [e50, d50] = [percentile(e, 50), percentile(d, 50)];
      rows.push([layer, `z${z} (${x},${y})`, String(bytes), fmt(first), fmt(e50), fmt(percentile(e, 95)), fmt(d50), fmt(percentile(d, 95)), `${(e50 / d50).toFixed(2)}×`]);
    }
  }
  console.log(`\n## Tiles at ${where} — response cache off, ${TILE_SAMPLES} alternating pairs after 2 warm-up, load average ${loadAvg()}`);
  console.log('(z ≤ 13: the first call computes the tile and stores it in tile_store, later calls read it from there; 0 bytes = empty tile, 204)');
  table(rows);
}

/**
 * `/api/stats?street=` and `/api/screen/summary?street=` on three streets: the first call and the
 * p50 of the repeats, the answer's size, and whether it is about that street only (a building
 * count equal to the street's; no other street's codes in the summary).
 */
async function benchPerStreet(db: Database, base: string, city: City) {
  const rows = [['street', 'request', 'status', 'first call', `p50 of ${STREET_SAMPLES}`, 'bytes', 'scoped to the street?']];
  const others = city.plan;
  for (const s of sampleStreets(city)) {
    const [{ n }] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM buildings b JOIN communities c ON c.id = b.community_id JOIN streets s ON s.id = c.street_id WHERE s.code = $1`, [s.code],
    );
    const other = others.find((o) => o.code !== s.code);
    for (const path of [`/api/stats?street=${s.code}`, `/api/screen/summary?street=${s.code}`]) {
      const first = await timedGet(`${base}${path}`);
      const times: number[] = [];
      for (let i = 0; i < STREET_SAMPLES; i++) times.push((await timedGet(`${base}${path}`)).ms);
      let scoped = '—';
      if (first.status === 200 && path.startsWith('/api/stats')) {
        const got = (JSON.parse(first.text) as { buildings: number }).buildings;
        scoped = got === n ? `yes (${got} buildings)` : `NO: ${got} buildings, the street has ${n}`;
      } else if (first.status === 200) {
        scoped = other && first.text.includes(`"${other.code}`) ? `NO: holds ${other.code}'s codes too` : 'yes';
      }
      rows.push([`${s.code} ${s.name}`, path.split('?')[0], String(first.status), fmt(first.ms), fmt(percentile(times, 50)), String(first.text.length), scoped]);
    }
  }
  console.log(`\n## Per street — response cache off (the summary is still stored in derived_figures after its first computation), load average ${loadAvg()}`);
  table(rows);
}

/** Server with the response cache off: start, warm-up, memory, tiles and per-street answers. */
export async function benchCityServer(db: Database, city: City, spawn: (cacheMb: number) => Promise<ChildServer>, loads: string[]) {
  const server = await spawn(0);
  try {
    const started = server.memory();
    const idleMs = await waitIdle(db, server);
    const warmed = server.memory();
    loads.push(`after server warm-up ${loadAvg()}`);
    const mid = sampleStreets(city)[1] ?? city.plan[0];
    await benchTiles(db, server.base, await streetCentre(db, mid.code), ['buildings', 'grids'], `the middle street's centre (${mid.code})`);
    loads.push(`after tiles ${loadAvg()}`);
    await benchPerStreet(db, server.base, city);
    loads.push(`after per-street ${loadAvg()}`);
    const end = server.memory();
    console.log(`\n## Server process (server/main.ts, response cache off)`);
    table([
      ['health answered after', 'RSS then', 'background warm-up (screen figures) until idle', 'RSS after warm-up', 'RSS after tiles + per-street', 'peak RSS'],
      [`${server.startMs} ms`, `${started.rssMb} MB`, `${(idleMs / 1000).toFixed(1)} s`, `${warmed.rssMb} MB`, `${end.rssMb} MB`, `${end.peakMb} MB`],
    ]);
  } finally {
    await server.close();
  }
}

/**
 * Grid tiles at the first street's centre: the grids layer draws one published plan (the first
 * street's) until tiles take a street, so elsewhere its tiles are empty.
 */
export async function benchCityGridTiles(db: Database, city: City, spawn: (cacheMb: number) => Promise<ChildServer>, loads: string[]) {
  const server = await spawn(0);
  try {
    await waitIdle(db, server);
    const first = city.plan[0];
    await benchTiles(db, server.base, await streetCentre(db, first.code), ['grids'], `the first street's centre (${first.code})`);
    loads.push(`after grid tiles ${loadAvg()}`);
  } finally {
    await server.close();
  }
}
