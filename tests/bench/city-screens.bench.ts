/**
 * The city bench's wall screens, on a server with the response cache on (production default),
 * started after the cache-off server has stored the screen figures: the street screen
 * (`/screen?street=`) and the district screen (`/screen/district?district=`, issue #15 part 4) —
 * or, where that page does not exist, `GET /api/screen/district`, else a loud "not measured".
 */
import type { City } from '../../data/generate/city.js';
import type { Database } from '../../server/db/client.js';
import { sampleStreets } from './city-endpoints.bench.js';
import { type ChildServer, loadAvg, waitIdle } from './city-server.js';
import { measureScreen, type ScreenRender } from './screen.bench.js';
import { fmt, table } from './stats.js';

const GOAL_MS = 3000;
/**
 * The district screen (branch h/territory-web) has no ready hook of its own: it is drawn once its
 * KPI strip is (the SVG map and street tiles come from the same answer); the time is then the
 * page's performance.now() when that is seen.
 */
const DISTRICT_READY = '[data-testid="district-kpis"]';

function renderRow(what: string, load: string, r: ScreenRender): string[] {
  if (r.firstRenderMs === null || r.wallMs === null) return [what, load, 'not ready', '—', `≤ ${GOAL_MS} ms MISSED`, '—'];
  const from = r.tiles ? `vector tiles (${r.tileRequests} requests)` : `GeoJSON layers / other (${r.tileRequests} tile requests)`;
  return [what, load, `${r.firstRenderMs} ms`, `${r.wallMs} ms`, `≤ ${GOAL_MS} ms ${r.firstRenderMs <= GOAL_MS ? 'OK' : 'MISSED'}`, from];
}

async function status(url: string): Promise<{ status: number; ms: number; bytes: number }> {
  const t0 = performance.now();
  const res = await fetch(url);
  const body = await res.arrayBuffer();
  return { status: res.status, ms: performance.now() - t0, bytes: body.byteLength };
}

/**
 * Whether this build has the district screen: its data route answers (anything but 404). The page
 * itself cannot be probed by status (unknown paths get the single-page app).
 */
async function districtPageExists(base: string): Promise<boolean> {
  const api = await fetch(`${base}/api/screen/district`).then((r) => r.status, () => 0);
  return api !== 404 && api !== 0;
}

/** Street and district wall screens' first render, and the server's memory around them. */
export async function benchCityScreens(db: Database, city: City, spawn: (cacheMb: number) => Promise<ChildServer>, loads: string[]) {
  const server = await spawn(64);
  try {
    const idleMs = await waitIdle(db, server);
    const warmed = server.memory();
    const street = sampleStreets(city)[1] ?? city.plan[0];
    const rows = [['page', 'load', 'first full render', 'wall (goto → ready)', 'goal', 'map data from']];
    const path = `/screen?street=${street.code}`;
    rows.push(renderRow(`${path} (${street.name})`, 'cold server (restarted, stored figures current)', await measureScreen(server.base, path)));
    rows.push(renderRow(path, 'warm server', await measureScreen(server.base, path)));
    loads.push(`after street screen ${loadAvg()}`);

    const district = city.districts[0];
    const apiRows = [['request', 'status', 'time', 'bytes']];
    if (await districtPageExists(server.base)) {
      for (let i = 0; i < 3; i++) {
        const r = await status(`${server.base}/api/screen/district?district=${district.code}`);
        apiRows.push([`GET /api/screen/district?district=${district.code} (${i === 0 ? 'first' : 'again'})`, String(r.status), fmt(r.ms), String(r.bytes)]);
      }
      const dpath = `/screen/district?district=${district.code}`;
      rows.push(renderRow(`${dpath} (${district.name})`, 'after the API calls above', await measureScreen(server.base, dpath, DISTRICT_READY)));
      rows.push(renderRow(dpath, 'again', await measureScreen(server.base, dpath, DISTRICT_READY)));
      loads.push(`after district screen ${loadAvg()}`);
    } else {
      console.log('\n!!! NOT MEASURED: the district wall screen — neither /screen/district nor GET /api/screen/district exists on this branch (issue #15 part 4, branch h/territory-web) !!!');
    }
    const end = server.memory();
    console.log(`\n## Wall screens first render — headless Chromium, software WebGL, response cache on, load average ${loadAvg()}`);
    table(rows);
    if (apiRows.length > 1) table(apiRows);
    console.log(`\n## Server process (server/main.ts, response cache on, 64 MB)`);
    table([
      ['until idle after start', 'RSS after warm-up', 'RSS after the screens', 'peak RSS'],
      [`${(idleMs / 1000).toFixed(1)} s`, `${warmed.rssMb} MB`, `${end.rssMb} MB`, `${end.peakMb} MB`],
    ]);
  } finally {
    await server.close();
  }
}
