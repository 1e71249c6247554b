/**
 * Issue #8 figures: how long an import takes, stage by stage — parse (read the file into records),
 * dry run (parse + map + resolve against the database: what the preview costs) and write (the same
 * plus the one-transaction write) — for
 *   (a) a roster XLSX of the whole demo street (every residential building unit),
 *   (b) a GeoJSON of 20,000 building footprints, and
 *   (c) the same 20,000 footprints as OpenStreetMap XML and as .osm.pbf (parse time and bytes).
 * The footprints are synthesised at random points inside the seeded communities (data/generate
 * only grows a street by adding communities around the real ones, which would not resolve in the
 * demo database). Everything written is removed again, so the bench database stays the demo street.
 */
import ExcelJS from 'exceljs';
import type { Feature } from 'geojson';
import { generateStreet } from '../../data/generate/index.js';
import { writeOsmPbf } from '../../data/formats/osm-pbf-write.js';
import type { OsmData, OsmNode, OsmWay } from '../../data/import/osm-xml.js';
import { readImportFile } from '../../data/import/read-file.js';
import type { ImportLayer } from '../../data/import/types.js';
import type { Database } from '../../server/db/client.js';
import { runImport } from '../../server/services/import/run-import.js';
import { percentile, table } from './stats.js';

const CODE_PREFIX = 'BENCH-IMPORT-';

async function rosterXlsx(seed: number): Promise<{ bytes: Uint8Array; units: number }> {
  const ds = generateStreet({ seed });
  const tally = new Map<string, { households: number; residents: number; party: number }>();
  for (const h of ds.households) {
    const key = `${h.buildingCode}\t${h.unit}`;
    const t = tally.get(key) ?? { households: 0, residents: 0, party: 0 };
    t.households++;
    t.residents += h.size;
    t.party += h.partyMembers;
    tally.set(key, t);
  }
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('户籍台账');
  ws.addRow(['楼栋编码', '单元号', '总户数', '常住人口', '党员人数']);
  for (const [key, t] of [...tally.entries()].sort()) {
    const [code, unit] = key.split('\t');
    ws.addRow([code, Number(unit), t.households, t.residents, t.party]);
  }
  return { bytes: new Uint8Array(await wb.xlsx.writeBuffer()), units: tally.size };
}

/** `n` small rectangles (≈ 12 × 9 m) centred on random points inside the seeded communities. */
async function footprints(db: Database, n: number): Promise<Array<[number, number][]>> {
  const pts = await db.query<{ x: number; y: number }>(`
    SELECT ST_X(d.geom) AS x, ST_Y(d.geom) AS y
    FROM ST_Dump(ST_GeneratePoints((SELECT ST_Union(geom) FROM communities), $1::int, 8)) d`, [n]);
  const [dx, dy] = [0.00007, 0.00004];
  return pts.map(({ x, y }) => [[x - dx, y - dy], [x + dx, y - dy], [x + dx, y + dy], [x - dx, y + dy], [x - dx, y - dy]]);
}

function buildingsGeoJson(rings: Array<[number, number][]>): Uint8Array {
  const features: Feature[] = rings.map((ring, i) => ({
    type: 'Feature',
    properties: { 编码: `${CODE_PREFIX}${String(i + 1).padStart(5, '0')}`, 楼栋号: `${(i % 40) + 1}号楼`, 层数: 6 + (i % 12), 单元数: 1 + (i % 4), 用途: '住宅' },
    geometry: { type: 'Polygon', coordinates: [ring] },
  }));
  return new TextEncoder().encode(JSON.stringify({ type: 'FeatureCollection', features }));
}

function buildingsOsm(rings: Array<[number, number][]>): OsmData {
  const nodes = new Map<string, OsmNode>();
  const ways: OsmWay[] = [];
  let nid = 1;
  rings.forEach((ring, i) => {
    const refs = ring.slice(0, -1).map(([lon, lat]) => {
      const id = String(nid++);
      nodes.set(id, { id, lon: Number(lon.toFixed(7)), lat: Number(lat.toFixed(7)), tags: {} });
      return id;
    });
    ways.push({ id: String(i + 1), refs: [...refs, refs[0]], tags: { building: 'residential', 'building:levels': String(6 + (i % 12)), name: `基准楼${i + 1}` } });
  });
  return { nodes, ways, relations: [] };
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

function osmXml(data: OsmData): Uint8Array {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6" generator="GridAtlas bench">\n'];
  const tags = (t: Record<string, string>) => Object.entries(t).map(([k, v]) => `    <tag k="${esc(k)}" v="${esc(v)}"/>\n`).join('');
  for (const n of data.nodes.values()) out.push(`  <node id="${n.id}" version="1" lat="${n.lat.toFixed(7)}" lon="${n.lon.toFixed(7)}"/>\n`);
  for (const w of data.ways) out.push(`  <way id="${w.id}" version="1">\n${w.refs.map((r) => `    <nd ref="${r}"/>\n`).join('')}${tags(w.tags)}  </way>\n`);
  out.push('</osm>\n');
  return new TextEncoder().encode(out.join(''));
}

const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const perSec = (rows: number, ms: number) => `${Math.round(rows / (ms / 1000)).toLocaleString('en-US')}/s`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const out = await fn();
  return [out, performance.now() - t0];
}

/** Median parse time of `runs` reads (the first one warms the code up and is not counted). */
async function parseMs(name: string, bytes: Uint8Array, layer: ImportLayer, runs = 3): Promise<{ ms: number; records: number }> {
  let records = 0;
  await readImportFile(name, bytes, layer);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const [f, ms] = await timed(() => readImportFile(name, bytes, layer));
    records = f.records.length;
    times.push(ms);
  }
  return { ms: percentile(times, 50), records };
}

async function stages(db: Database, what: string, name: string, bytes: Uint8Array, layer: ImportLayer, crs?: string): Promise<string[][]> {
  const input = { filename: name, bytes, layer, crs, allowedCommunities: null, actor: 'bench' };
  const parse = await parseMs(name, bytes, layer);
  const [dry, dryMs] = await timed(() => runImport(db, { ...input, dryRun: true }));
  const [write, writeMs] = await timed(() => runImport(db, { ...input, dryRun: false }));
  const c = write.counts;
  const label = `${what} — ${mb(bytes.length)}, ${parse.records.toLocaleString('en-US')} records`;
  return [
    [label, 'parse', secs(parse.ms), perSec(parse.records, parse.ms), `median of 3`],
    ['', 'dry run (parse + map + resolve)', secs(dryMs), perSec(dry.counts.valid, dryMs), `${dry.counts.valid} valid, ${dry.counts.errors} errors`],
    ['', 'write (dry run + one transaction)', secs(writeMs), perSec(c.valid, writeMs), `${c.inserts} inserts, ${c.updates} updates`],
  ];
}

export async function benchImport(db: Database, seed: number, buildings = 20_000) {
  const rows: string[][] = [['file', 'stage', 'time', 'rows/s', 'notes']];

  // (a) the demo street's roster; the write is undone (rosters removed, building totals restored).
  const roster = await rosterXlsx(seed);
  const rostersBefore = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM building_unit_rosters'))[0].n;
  const totals = await db.query<{ id: number; households: number; residents: number; units: number }>('SELECT id, households, residents, units FROM buildings');
  rows.push(...(await stages(db, `(a) roster XLSX, demo street (${roster.units} units)`, 'roster-demo.xlsx', roster.bytes, 'households')));
  if (rostersBefore === 0) await db.query('DELETE FROM building_unit_rosters');
  await db.query(`UPDATE buildings b SET households = t.households, residents = t.residents, units = t.units
    FROM json_to_recordset($1::json) AS t(id int, households int, residents int, units int) WHERE b.id = t.id`, [JSON.stringify(totals)]);

  // (b) 20,000 footprints as GeoJSON (WGS84 given, as a confirmed upload would); removed afterwards.
  const rings = await footprints(db, buildings);
  try {
    rows.push(...(await stages(db, `(b) GeoJSON, ${buildings.toLocaleString('en-US')} buildings`, 'buildings-20k.geojson', buildingsGeoJson(rings), 'buildings', 'EPSG:4326')));
  } finally {
    await db.query('DELETE FROM buildings WHERE code LIKE $1', [`${CODE_PREFIX}%`]);
  }
  console.log(`\n## Import (${db.backend}): parse, dry run, write — one run each unless noted`);
  table(rows);

  // (c) the same footprints as OSM XML and PBF: bytes and parse time.
  const osm = buildingsOsm(rings);
  const xml = osmXml(osm);
  const pbf = writeOsmPbf(osm);
  const px = await parseMs('buildings-20k.osm', xml, 'buildings');
  const pp = await parseMs('buildings-20k.osm.pbf', pbf, 'buildings');
  console.log(`\n## OpenStreetMap ${buildings.toLocaleString('en-US')} buildings (${osm.nodes.size.toLocaleString('en-US')} nodes): .osm vs .osm.pbf, parse median of 3`);
  table([
    ['format', 'bytes', 'parse', 'records/s'],
    ['.osm (XML)', mb(xml.length), secs(px.ms), perSec(px.records, px.ms)],
    ['.osm.pbf', mb(pbf.length), secs(pp.ms), perSec(pp.records, pp.ms)],
    ['pbf / xml', `${((pbf.length / xml.length) * 100).toFixed(1)} %`, `${(px.ms / pp.ms).toFixed(1)}× faster`, ''],
  ]);
}
