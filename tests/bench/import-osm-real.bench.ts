/**
 * Issue #16: how much of a real OpenStreetMap extract goes in. On the real Liechtenstein extract
 * (data/samples/osm-real, 2013, ODbL), per layer: the objects GDAL's OSM driver reads (counted in
 * this run with `ogrinfo -sql "SELECT COUNT(*) …"`: `ogrinfo -so -al` prints "Feature Count: -1"
 * for OSM files, the driver knows a count only by reading) vs the records our importer reads, the
 * objects it leaves out (`skipped`, with reasons), the rows it refuses, and what it writes — with
 * the time of each. The writes go to a database of their own (`<bench database>_osm_real`, made
 * afresh each run) holding one street with one community covering the extract, so every building
 * lies in a community and nothing of the bench's demo street changes.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import postgres from 'postgres';
import { generateStreet } from '../../data/generate/index.js';
import { walkKindOfHighway } from '../../data/import/osm-highway.js';
import { parseOsmPbf } from '../../data/import/osm-pbf.js';
import { readImportFile } from '../../data/import/read-file.js';
import type { ImportLayer } from '../../data/import/types.js';
import type { Database } from '../../server/db/client.js';
import { openDatabase } from '../../server/db/open.js';
import { runImport } from '../../server/services/import/run-import.js';
import { table } from './stats.js';

const FILE = new URL('../../data/samples/osm-real/liechtenstein-2013-08-03.osm.pbf', import.meta.url);

/** What GDAL's OSM driver reads, per question: [label, OGR SQL]. */
const GDAL_QUERIES: Array<[string, string]> = [
  ['points (all)', 'SELECT COUNT(*) FROM points'],
  ['points with amenity/shop/leisure or highway=bus_stop', `SELECT COUNT(*) FROM points WHERE other_tags LIKE '%"amenity"=>%' OR other_tags LIKE '%"shop"=>%' OR other_tags LIKE '%"leisure"=>%' OR highway = 'bus_stop'`],
  ['lines (all)', 'SELECT COUNT(*) FROM lines'],
  ['lines with highway', 'SELECT COUNT(*) FROM lines WHERE highway IS NOT NULL'],
  ['multipolygons (all: closed ways and relations)', 'SELECT COUNT(*) FROM multipolygons'],
  ['multipolygons with building', 'SELECT COUNT(*) FROM multipolygons WHERE building IS NOT NULL'],
  ['multipolygons with amenity/shop/leisure', `SELECT COUNT(*) FROM multipolygons WHERE amenity IS NOT NULL OR shop IS NOT NULL OR leisure IS NOT NULL`],
  ['multilinestrings', 'SELECT COUNT(*) FROM multilinestrings'],
  ['other_relations', 'SELECT COUNT(*) FROM other_relations'],
];

/** GDAL's answers, or null (said loudly) when ogrinfo is not installed. */
function gdalCounts(path: string): Array<{ label: string; count: number; ms: number }> | null {
  try {
    execFileSync('ogrinfo', ['--version'], { stdio: 'pipe' });
  } catch {
    console.log('\n!! ogrinfo (gdal-bin) is not installed: the GDAL column of the real-extract bench is SKIPPED. Install gdal-bin to compare.');
    return null;
  }
  return GDAL_QUERIES.map(([label, sql]) => {
    const t0 = performance.now();
    const out = execFileSync('ogrinfo', ['-ro', '-q', '-sql', sql, path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const count = Number(/COUNT_\*.*= (\d+)/.exec(out)?.[1] ?? NaN);
    return { label, count, ms: performance.now() - t0 };
  });
}

/** A fresh database with one street and one community covering `bbox` (lng/lat). */
async function freshDatabase(benchUrl: string, bbox: [number, number, number, number]): Promise<Database> {
  const u = new URL(benchUrl);
  const name = `${u.pathname.slice(1) || 'postgres'}_osm_real`.slice(0, 63);
  const adminUrl = new URL(benchUrl);
  adminUrl.pathname = '/postgres';
  const admin = postgres(adminUrl.toString(), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.unsafe(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  u.pathname = `/${name}`;
  const db = await openDatabase({ url: u.toString() });
  const [x0, y0, x1, y1] = bbox;
  const box = `ST_Multi(ST_MakeEnvelope(${x0 - 0.01}, ${y0 - 0.01}, ${x1 + 0.01}, ${y1 + 0.01}, 4326))`;
  await db.query(`INSERT INTO streets (code, name, geom) VALUES ('999999001', 'Liechtenstein (bench)', ${box})`);
  await db.query(`INSERT INTO communities (code, name, short_name, street_id, geom)
    SELECT '999999001001', 'Liechtenstein', 'LI', id, ${box} FROM streets WHERE code = '999999001'`);
  // The facility categories every deployment has (seeded with the demo street elsewhere).
  await db.query(`INSERT INTO facility_categories (code, name, name_en, level, color, sort)
    SELECT r.code, r.name, r."nameEn", r.level, r.color, r.sort
    FROM json_to_recordset($1::json) AS r(code text, name text, "nameEn" text, level text, color text, sort int)`, [JSON.stringify(generateStreet({ seed: 1 }).categories)]);
  return db;
}

const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const fmt = (n: number | undefined) => (n ?? 0).toLocaleString('en-US');

/** Reasons of refused rows and skipped objects, most frequent first. */
function reasons(items: Array<{ en: string }>): string {
  const by = new Map<string, number>();
  for (const i of items) {
    const key = i.en.replace(/osm-(way|relation|node)-\d+/g, 'osm-$1-…').replace(/"[^"]*"/g, '"…"').replace(/\d+/g, 'n').slice(0, 70);
    by.set(key, (by.get(key) ?? 0) + 1);
  }
  return [...by.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([k, n]) => `${n}× ${k}`).join('; ');
}

/** Highway ways of the file by what the walk importer does with them (GDAL's `lines with highway` excludes closed area ways). */
function highwayBreakdown(bytes: Uint8Array): string[][] {
  const by = new Map<string, number>();
  const add = (k: string) => by.set(k, (by.get(k) ?? 0) + 1);
  for (const w of parseOsmPbf(bytes).ways) {
    const h = w.tags.highway;
    if (!h) continue;
    if (walkKindOfHighway(h) === null) add(`not a walk way: highway=${h}`);
    else if (w.tags.foot === 'no') add('foot=no');
    else if (w.tags.access === 'private') add('access=private');
    else add(w.refs[0] === w.refs[w.refs.length - 1] && w.tags.area === 'yes' ? 'taken: closed area=yes (GDAL: multipolygons)' : 'taken');
  }
  return [['highway ways of the file', 'ways'], ...[...by.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => [k, fmt(n)])];
}

/** The bench: GDAL's counts, then per layer what our importer reads, leaves out, refuses and writes. */
export async function benchImportRealOsm(benchUrl: string | undefined): Promise<void> {
  const bytes = new Uint8Array(readFileSync(FILE));
  const cpu = cpus();
  console.log(`\n## How much of a real extract goes in — Liechtenstein 2013 (${(bytes.length / 1e6).toFixed(2)} MB .osm.pbf)`);
  console.log(`machine: ${cpu.length} × ${cpu[0]?.model ?? '?'}, load average before: ${loadavg().map((l) => l.toFixed(2)).join(' / ')}`);
  const gdal = gdalCounts(FILE.pathname);
  if (gdal) table([['GDAL OSM driver (ogr)', 'objects', 'time'], ...gdal.map((g) => [g.label, fmt(g.count), secs(g.ms)])]);
  if (!benchUrl) {
    console.log('!! no PostgreSQL URL (DATABASE_URL): the write half of the real-extract bench is SKIPPED');
    return;
  }
  const probe = await readImportFile('li.osm.pbf', bytes, 'buildings');
  const xs = probe.records.flatMap((r) => (r.geometry?.type === 'Polygon' ? r.geometry.coordinates[0] : []));
  const bbox: [number, number, number, number] = [Math.min(...xs.map((p) => p[0])), Math.min(...xs.map((p) => p[1])), Math.max(...xs.map((p) => p[0])), Math.max(...xs.map((p) => p[1]))];
  const db = await freshDatabase(benchUrl, bbox);
  try {
    const rows: string[][] = [['layer', 'records read', 'left out (skipped)', 'partial', 'rows refused', 'written', 'warnings', 'read', 'import (write)', 'why rows were refused / left out']];
    for (const layer of ['buildings', 'facilities', 'walk'] as ImportLayer[]) {
      const t0 = performance.now();
      const file = await readImportFile('li.osm.pbf', bytes, layer);
      const readMs = performance.now() - t0;
      const t1 = performance.now();
      const r = await runImport(db, { filename: 'li.osm.pbf', bytes, layer, dryRun: false, allowedCommunities: null, actor: 'bench' });
      const written = layer === 'walk' ? `${fmt(r.counts.valid)} edges, ${fmt(r.counts.nodes)} nodes` : fmt(r.counts.inserts + r.counts.updates);
      const why = [reasons(r.errors), reasons((r.skipped ?? []).filter((s) => !s.kept))].filter(Boolean).join(' | ');
      rows.push([layer, fmt(file.records.length), fmt(r.counts.skipped), fmt(r.counts.partial), fmt(r.counts.errors), written, fmt(r.counts.warnings), secs(readMs), secs(performance.now() - t1), why]);
    }
    table(rows);
    table(highwayBreakdown(bytes));
    console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' / ')}`);
  } finally {
    await db.close();
  }
}
