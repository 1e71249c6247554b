/**
 * Layer exports as a GIS user opens them: GDAL (ogrinfo) reads every layer's Shapefile, CSV and
 * GeoJSON export — one record per feature, the counts of the layer, integer columns as integers,
 * short unique DBF names, .prj and .cpg, Chinese text intact, CSV geometry from its WKT column —
 * GeoJSON follows RFC 7946 (right-hand rule, no `crs`), and each export goes back through our own
 * importer whole (dry run: every row valid, every row matched to what is stored, no new walk node).
 * Needs gdal-bin (fails without it; CI installs it).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FeatureCollection, Position } from 'geojson';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreetDataset } from '../../data/generate/types.js';
import type { Database } from '../../server/db/client.js';
import { testApp } from '../helpers/app.js';
import { type Session, as, ensureTestUsers, signIn } from '../helpers/auth.js';
import { ogrSummary, ogrinfo, requireGdal } from '../helpers/gdal.js';

type App = Awaited<ReturnType<typeof testApp>>['app'];
let app: App;
let ds: StreetDataset;
let db: Database;
let admin: Session;
let dir: string;

const LAYERS = ['communities', 'compounds', 'grids', 'buildings', 'households', 'facilities', 'roads'] as const;
const GEOMETRY: Record<(typeof LAYERS)[number], string> = {
  communities: 'Polygon', compounds: 'Polygon', grids: 'Polygon', buildings: 'Polygon',
  households: 'Point', facilities: 'Point', roads: 'Line String',
};

beforeAll(async () => {
  requireGdal();
  const t = await testApp();
  ({ app, dataset: ds, db } = t);
  await ensureTestUsers(t.db, t.dataset);
  admin = await signIn(app, 'admin');
  dir = mkdtempSync(join(tmpdir(), 'gridatlas-gdal-'));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function download(layer: string, format: string): Promise<Uint8Array> {
  const res = await app.request(`/api/export/${layer}?format=${format}`, { headers: as(admin) });
  expect(res.status, `${layer} ${format}`).toBe(200);
  return new Uint8Array(await res.arrayBuffer());
}

const save = (name: string, bytes: Uint8Array) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};

/** Twice the signed area of a ring (> 0: counter-clockwise). */
const ringArea = (r: Position[]) => r.reduce((s, p, i) => (i ? s + r[i - 1][0] * p[1] - p[0] * r[i - 1][1] : s), 0);

describe('exports read by GDAL', () => {
  it.each(LAYERS)('%s: Shapefile, CSV and GeoJSON hold every feature, typed and readable', async (layer) => {
    const fc = JSON.parse(new TextDecoder().decode(await download(layer, 'geojson'))) as FeatureCollection & Record<string, unknown>;
    const n = fc.features.length;
    expect(n).toBeGreaterThan(0);
    if (layer === 'buildings') expect(n).toBe(ds.buildings.length);
    if (layer === 'roads') expect(n).toBe(ds.walkEdges.length);

    // GeoJSON: RFC 7946 — no crs member, lon/lat, exterior rings counter-clockwise and holes clockwise.
    expect(fc).not.toHaveProperty('crs');
    for (const f of fc.features) {
      const g = f.geometry;
      const polygons = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
      for (const rings of polygons) rings.forEach((ring, i) => expect(ringArea(ring) > 0, `${layer} ${f.id} ring ${i}`).toBe(i === 0));
      const first = JSON.stringify(g).match(/-?\d+\.\d+/g)!.map(Number);
      expect(first[0]).toBeGreaterThan(first[1]); // longitude (121°) before latitude (37°)
    }
    const geojson = ogrSummary(await ogrinfo(['-ro', '-so', '-al', save(`${layer}.geojson`, new TextEncoder().encode(JSON.stringify(fc)))]));
    expect(geojson.count).toBe(n);

    // Shapefile: one .shp of one geometry type, one record per feature, .prj WGS84, .cpg UTF-8.
    const zipBytes = await download(layer, 'shp');
    const zip = await JSZip.loadAsync(zipBytes);
    expect(Object.keys(zip.files).sort()).toEqual(['cpg', 'dbf', 'prj', 'shp', 'shx'].map((e) => `${layer}.${e}`));
    expect(await zip.file(`${layer}.cpg`)!.async('string')).toBe('UTF-8');
    const zipPath = save(`${layer}.zip`, zipBytes);
    const shp = ogrSummary(await ogrinfo(['-ro', '-so', '-al', `/vsizip/${zipPath}`]));
    expect(shp.geometry).toBe(GEOMETRY[layer]);
    expect(shp.count).toBe(n);
    expect((await ogrinfo(['-ro', '-so', '-al', `/vsizip/${zipPath}`])).match(/ID\["EPSG",4326\]/)).not.toBeNull();
    // DBF names: ≤ 10 characters, unique; each column typed as the collection's JSON Schema
    // (the database) types the property — integers Integer, other numbers Real, text String —
    // not every number a Real 18.3, nor a type guessed from the values.
    const keys = Object.keys(fc.features[0].properties!);
    expect([...shp.fields.keys()]).toHaveLength(keys.length);
    for (const name of shp.fields.keys()) expect(name.length).toBeLessThanOrEqual(10);
    const byPrefix = (k: string) => [...shp.fields.keys()].find((name) => k.startsWith(name))!;
    const schema = (await (await app.request(`/ogc/collections/${layer}/schema`)).json()) as { properties: { properties: { properties: Record<string, { type: string }> } } };
    const GDAL_TYPE: Record<string, string> = { integer: 'Integer', number: 'Real', string: 'String', boolean: 'String' /* DBF logical: T/F */ };
    for (const k of keys) expect(shp.fields.get(byPrefix(k)), `${layer}.${k}`).toBe(GDAL_TYPE[schema.properties.properties.properties[k].type]);
    // Chinese text reads back as written (the .cpg says UTF-8).
    const named = fc.features.find((f) => typeof f.properties!.name === 'string' && /[\u4e00-\u9fff]/.test(f.properties!.name as string));
    if (named) expect(await ogrinfo(['-ro', '-q', '-al', `/vsizip/${zipPath}`])).toContain(`name (String) = ${named.properties!.name as string}`);

    // CSV: GDAL takes the WKT column as the geometry.
    const csv = ogrSummary(await ogrinfo(['-ro', '-so', '-al', save(`${layer}.csv`, await download(layer, 'csv'))]));
    expect(csv.count).toBe(n);
    expect(csv.geometry).not.toBe('None');
    expect([...csv.fields.keys()][0]).toBe(keys[0]); // the BOM is not part of the first header
  });
});

describe('an export with nothing in it', () => {
  it('a plan with no grids yet exports as a shapefile of no records — typed columns, Polygon — like its empty GeoJSON, not a 404', async () => {
    const [plan] = await db.query<{ id: number }>(
      `INSERT INTO grid_plans (name, status, street_id) SELECT '空草稿', 'draft', street_id FROM grid_plans WHERE status = 'published' LIMIT 1 RETURNING id`,
    );
    try {
      const empty = (format: string) => app.request(`/api/export/grids?format=${format}&plan=${plan.id}`, { headers: as(admin) });
      expect(((await (await empty('geojson')).json()) as FeatureCollection).features).toEqual([]);
      const res = await empty('shp');
      expect(res.status).toBe(200);
      const zipBytes = new Uint8Array(await res.arrayBuffer());
      expect(Object.keys((await JSZip.loadAsync(zipBytes)).files).sort()).toEqual(['cpg', 'dbf', 'prj', 'shp', 'shx'].map((e) => `grids.${e}`));
      const shp = ogrSummary(await ogrinfo(['-ro', '-so', '-al', `/vsizip/${save('empty-grids.zip', zipBytes)}`]));
      expect(shp.geometry).toBe('Polygon');
      expect(shp.count).toBe(0);
      // The same columns, typed the same, as the published plan's grids export.
      const full = ogrSummary(await ogrinfo(['-ro', '-so', '-al', `/vsizip/${save('grids-full.zip', await download('grids', 'shp'))}`]));
      expect([...shp.fields]).toEqual([...full.fields]);
      // The plan's own export (/api/plans/:id/export) likewise.
      const planRes = await app.request(`/api/plans/${plan.id}/export?format=shp`, { headers: as(admin) });
      expect(planRes.status).toBe(200);
      const planShp = ogrSummary(await ogrinfo(['-ro', '-so', '-al', `/vsizip/${save('empty-plan.zip', new Uint8Array(await planRes.arrayBuffer()))}`]));
      expect([planShp.geometry, planShp.count, planShp.fields.get('households'), planShp.fields.get('load')]).toEqual(['Polygon', 0, 'Integer', 'Real']);
    } finally {
      await db.query('DELETE FROM grid_plans WHERE id = $1', [plan.id]);
    }
  });
});

describe('plan export read by GDAL', () => {
  it('the published plan\'s shapefile: every grid, integer tallies as Integer, shares and loads as Real', async () => {
    const plans = (await (await app.request('/api/plans', { headers: as(admin) })).json()) as Array<{ id: number; status: string }>;
    const plan = plans.find((p) => p.status === 'published')!;
    const res = await app.request(`/api/plans/${plan.id}/export?format=shp`, { headers: as(admin) });
    expect(res.status).toBe(200);
    const path = save(`plan-${plan.id}.zip`, new Uint8Array(await res.arrayBuffer()));
    const shp = ogrSummary(await ogrinfo(['-ro', '-so', '-al', `/vsizip/${path}`]));
    expect(shp.geometry).toBe('Polygon');
    expect(shp.count).toBe(ds.plan.grids.length);
    expect(Object.fromEntries(['households', 'deviation', 'reach_hh', 'reach_shr', 'load', 'name'].map((k) => [k, shp.fields.get(k)]))).toEqual({
      households: 'Integer', deviation: 'Integer', reach_hh: 'Integer', reach_shr: 'Real', load: 'Real', name: 'String',
    });
  });
});

interface DryRun { counts: { records: number; valid: number; errors: number; inserts: number; updates: number; nodes?: number } }

describe('exports re-imported by our own importer (dry run)', () => {
  const cases: Array<[string, string, 'geojson' | 'shp' | 'csv', string]> = [
    ['roads', 'walk', 'shp', 'roads.zip'],
    ['roads', 'walk', 'csv', 'roads.csv'],
    ['roads', 'walk', 'geojson', 'roads.geojson'],
    ['buildings', 'buildings', 'shp', 'buildings.zip'],
    ['buildings', 'buildings', 'csv', 'buildings.csv'],
    ['facilities', 'facilities', 'shp', 'facilities.zip'],
    ['compounds', 'compounds', 'csv', 'compounds.csv'],
  ];
  it.each(cases)('%s as %s from %s goes in whole, matched to what is stored', async (layer, target, format, fileName) => {
    const bytes = await download(layer, format);
    const form = new FormData();
    form.append('file', new File([bytes as Uint8Array<ArrayBuffer>], fileName));
    const res = await app.request(`/api/import?layer=${target}&dryRun=1`, { method: 'POST', body: form, headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf } });
    const body = (await res.json()) as DryRun;
    expect(res.status, JSON.stringify(body).slice(0, 400)).toBe(200);
    const rows = layer === 'roads' ? ds.walkEdges.length : layer === 'buildings' ? ds.buildings.length : body.counts.records;
    expect(body.counts).toMatchObject({ records: rows, valid: rows, errors: 0, inserts: 0, updates: rows });
    if (target === 'walk') expect(body.counts.nodes ?? 0).toBe(0); // every node met the stored one
  });
});
