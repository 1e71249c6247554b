/**
 * Follow-ups of the Monaco probe, from an EMPTY deployment through the HTTP app on PostGIS:
 * - a boundaries dry run has a map preview (outlines by level), nothing written;
 * - communities alone (the extract's six quartiers, admin_level 10; a GeoJSON without codes) go
 *   in under the street that contains each, coded as the OSM importer codes communities;
 * - buildings beyond the deployment's communities (Monaco's French side) are one plain line with
 *   a count, "wrong CRS?" only when the file as a whole misses the communities;
 * - facilities in no community: a warning in the report (dry run and write), as set-up status says;
 * - partitioning community by community names the street-wide draft after what it holds.
 */
import { readFileSync } from 'node:fs';
import type { Feature, FeatureCollection, Polygon } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureStandards } from '../../data/seed.js';
import { createUser } from '../../server/auth/users.repo.js';
import { type Session, TEST_PASSWORD, as, signInAs } from '../helpers/auth.js';
import { isolatedApp } from '../helpers/isolated-db.js';
import { okJson, uploadAs } from '../helpers/import-upload.js';

const sample = (path: string) => readFileSync(new URL(`../../data/samples/${path}`, import.meta.url));
const PBF = sample('osm-monaco/monaco-latest-2019.osm.pbf');
const QUARTIERS = JSON.parse(sample('osm-monaco/monaco-quartiers.geojson').toString('utf8')) as FeatureCollection<Polygon>;
const STREET = '999001001';
const json = (fc: unknown) => new TextEncoder().encode(JSON.stringify(fc));
const fc = (features: Feature[]) => ({ type: 'FeatureCollection', features });

interface Line { row: number; field?: string; zh: string; en: string; count?: number; rows?: number[] }
interface Entry { row: number; code: string; name: string; level: string; status: string; parent: string | null; parentBy: string | null; codeBy: string }
interface Answer {
  written: boolean;
  counts: { rows: number; valid: number; errors: number; warnings: number; inserts: number; updates: number };
  errors: Line[]; warnings: Line[];
  outside?: { count: number; rows: number[] };
  preview: FeatureCollection;
  boundaries?: { boundaries: Entry[]; counts: { new: number; updated: number; unchanged: number } };
}

let ctx: Awaited<ReturnType<typeof isolatedApp>>;
let root: Session;
const upload = (name: string, bytes: Uint8Array, query: string) => uploadAs(ctx.app, root, name, bytes, query);
const ok = async (name: string, bytes: Uint8Array, query: string) => okJson<Answer>(await upload(name, bytes, query));
const count = async (table: string) => (await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0].n;
const levelsOf = (p: FeatureCollection) => p.features.map((f) => f.properties!.level as string);

beforeAll(async () => {
  ctx = await isolatedApp('monaco_followups', { empty: true });
  await ensureStandards(ctx.db);
  await createUser(ctx.db, { username: 't_root', password: TEST_PASSWORD, grants: [{ role: 'admin', scopeType: 'street', scopeCode: '*' }] });
  root = await signInAs(ctx.app, 't_root');
});
afterAll(async () => {
  await ctx?.close();
});

describe('Monaco from an empty deployment', () => {
  it('a boundaries dry run previews every outline by level (district, street, communities), new, where it lands; nothing written', async () => {
    const r = await ok('monaco-quartiers.geojson', sample('osm-monaco/monaco-quartiers.geojson'), 'layer=boundaries&crs=wgs84&dryRun=1');
    expect(r.counts).toMatchObject({ valid: 8, errors: 0 });
    expect(levelsOf(r.preview)).toEqual(['district', 'street', 'community', 'community', 'community', 'community', 'community', 'community']);
    for (const f of r.preview.features) {
      expect(f.geometry.type).toBe('MultiPolygon');
      expect(f.properties).toMatchObject({ status: 'new', update: false, error: false });
    }
    expect(r.preview.features[2].properties).toMatchObject({ parent: STREET });
    // Where it lands: Monaco, in lng/lat.
    const [x, y] = (r.preview.features[0].geometry as unknown as { coordinates: number[][][][] }).coordinates[0][0][0];
    expect(x).toBeCloseTo(7.42, 1);
    expect(y).toBeCloseTo(43.73, 1);
    expect(await count('districts')).toBe(0);
  });

  it('the quartiers alone (OSM admin_level 10): refused while there is no street; then under the street that contains each, coded as OSM communities; a re-import keeps the codes', async () => {
    const res = await upload('monaco-latest.osm.pbf', PBF, 'layer=boundaries&dryRun=1&osmLevels=10');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/请先导入区县和街道边界.*it has none yet/);
    // The district and street from the boundary file, without its communities.
    const upper = fc(QUARTIERS.features.filter((f) => f.properties!.level !== 'community'));
    expect((await ok('upper.geojson', json(upper), 'layer=boundaries&crs=wgs84')).counts).toMatchObject({ valid: 2, errors: 0 });

    const dry = await ok('monaco-latest.osm.pbf', PBF, 'layer=boundaries&dryRun=1');
    expect(dry.counts).toMatchObject({ valid: 6, errors: 0 });
    const entries = dry.boundaries!.boundaries;
    expect(entries).toHaveLength(6);
    for (const e of entries) {
      expect(e).toMatchObject({ level: 'community', status: 'new', parent: STREET, parentBy: 'containment', codeBy: 'assigned' });
      expect(e.code).toMatch(new RegExp(`^${STREET}\\d{3}$`));
    }
    expect(new Set(entries.map((e) => e.code)).size).toBe(6);
    expect(levelsOf(dry.preview)).toEqual(Array(6).fill('community'));
    expect(await count('communities')).toBe(0);

    const w = await ok('monaco-latest.osm.pbf', PBF, 'layer=boundaries');
    expect(w.written).toBe(true);
    expect(w.boundaries!.boundaries.map((e) => e.code)).toEqual(entries.map((e) => e.code));
    const rows = await ctx.db.query<{ code: string; street: string }>('SELECT c.code, s.code AS street FROM communities c JOIN streets s ON s.id = c.street_id ORDER BY c.code');
    expect(rows.map((x) => x.code)).toEqual(entries.map((e) => e.code).sort());
    expect(new Set(rows.map((x) => x.street))).toEqual(new Set([STREET]));
    // Again: the same codes, unchanged, and the same with osmLevels=10.
    const again = await ok('monaco-latest.osm.pbf', PBF, 'layer=boundaries&osmLevels=10');
    expect(again.boundaries!.counts).toEqual({ new: 0, updated: 0, unchanged: 6 });
    expect(again.boundaries!.boundaries.map((e) => e.code).sort()).toEqual(rows.map((x) => x.code));
    expect(await count('communities')).toBe(6);
  });

  it('a GeoJSON of communities without code and parent columns: each under its street, an existing name keeps its code, a new one is coded there, one beyond every street is a row error', async () => {
    const stored = new Map((await ctx.db.query<{ code: string; name: string }>('SELECT code, name FROM communities')).map((c) => [c.name, c.code]));
    const communities = QUARTIERS.features.filter((f) => f.properties!.level === 'community');
    const plain = communities.map((f, i) => ({ ...f, properties: { 名称: i === 0 ? 'Nouveau quartier' : (f.properties!.name as string) } }));
    const far: Feature = { type: 'Feature', properties: { 名称: 'Ailleurs' }, geometry: { type: 'Polygon', coordinates: [[[116.39, 39.9], [116.4, 39.9], [116.4, 39.91], [116.39, 39.9]]] } };
    const r = await ok('quartiers-sans-code.geojson', json(fc([...plain, far])), 'layer=boundaries&crs=wgs84&dryRun=1');
    expect(r.counts).toMatchObject({ valid: 6, errors: 1 });
    expect(r.errors).toEqual([expect.objectContaining({ row: 7, field: 'geometry', en: expect.stringMatching(/lies in no street of the deployment/) })]);
    const byRow = new Map(r.boundaries!.boundaries.map((e) => [e.row, e]));
    expect(byRow.get(1)).toMatchObject({ name: 'Nouveau quartier', status: 'new', codeBy: 'assigned', parent: STREET, parentBy: 'containment' });
    expect(byRow.get(1)!.code).toMatch(new RegExp(`^${STREET}\\d{3}$`));
    expect([...stored.values()]).not.toContain(byRow.get(1)!.code);
    for (const row of [2, 3, 4, 5, 6]) {
      const e = byRow.get(row)!;
      expect(e, e.name).toMatchObject({ codeBy: 'name', code: stored.get(e.name), parentBy: 'containment' });
    }
    // The rejected row is in the preview too (drawn as an error), so a misplaced one is seen.
    expect(r.preview.features.find((f) => f.properties!.row === 7)?.properties).toMatchObject({ error: true, status: null });
  });

  it('buildings: the French side of the extract is one plain line with a count, not "wrong CRS?" on each; a file that misses the communities as a whole asks about the CRS', async () => {
    const r = await ok('monaco-latest.osm.pbf', PBF, 'layer=buildings&dryRun=1');
    expect(r.counts.valid).toBeGreaterThan(700);
    const lines = r.errors.filter((e) => e.count !== undefined);
    expect(lines).toHaveLength(1);
    const [line] = lines;
    expect(line.count).toBe(r.outside!.count);
    expect(line.count).toBeGreaterThan(300);
    expect(line.rows).toEqual(r.outside!.rows);
    expect(line.row).toBe(r.outside!.rows[0]);
    expect(line.en).toMatch(new RegExp(`^${line.count} buildings lie outside every community of the deployment: not imported \\(rows \\d+, `));
    expect(line.zh).toMatch(new RegExp(`^${line.count} 栋楼位于本系统所有社区之外，未导入（第 \\d+、`));
    expect(r.errors.some((e) => /wrong CRS/.test(e.en))).toBe(false);
    // counts.errors still counts the rows refused.
    expect(r.counts.errors).toBe(r.errors.reduce((n, e) => n + (e.count ?? 1), 0));
    expect(r.counts.valid + r.counts.errors).toBe(r.counts.rows);
    expect(r.preview.features.filter((f) => f.properties!.outside).length).toBe(line.count);

    // The same place in Beijing (a wrong CRS would put it far away): every row outside → "wrong CRS?".
    const sq = (x: number, y: number): Feature => ({ type: 'Feature', properties: { code: `B-${x}-${y}` }, geometry: { type: 'Polygon', coordinates: [[[x, y], [x + 0.0002, y], [x + 0.0002, y + 0.0002], [x, y + 0.0002], [x, y]]] } });
    const beijing = fc([sq(116.39, 39.9), sq(116.391, 39.9), sq(116.392, 39.9)]);
    const b = await ok('moved.geojson', json(beijing), 'layer=buildings&crs=wgs84&dryRun=1');
    expect(b.counts).toMatchObject({ valid: 0, errors: 3 });
    expect(b.errors).toHaveLength(1);
    expect(b.errors[0].en).toBe('3 of 3 buildings lie in no community: not imported — the file as a whole does not land on the deployment\'s communities (wrong CRS?) (rows 1, 2, 3)');
    expect(b.errors[0].zh).toBe('3 / 3 栋楼不在任何社区范围内，未导入：整个文件没有落在本系统的社区上（坐标系是否选错？）（第 1、2、3 行）');
    // One in Monaco, one outside: not the file's fault, said plainly (singular).
    const mixed = await ok('mixed.geojson', json(fc([sq(7.4205, 43.7315), sq(116.39, 39.9)])), 'layer=buildings&crs=wgs84&dryRun=1');
    expect(mixed.counts).toMatchObject({ valid: 1, errors: 1 });
    expect(mixed.errors[0]).toMatchObject({ row: 2, count: 1, en: '1 building lies outside every community of the deployment: not imported (row 2)' });
  });

  it('facilities in no community: imported, with one warning line (dry run and write) and drawn as outside', async () => {
    const pt = (code: string, x: number, y: number): Feature => ({ type: 'Feature', properties: { 编码: code, 名称: code, 类别: 'pharmacy' }, geometry: { type: 'Point', coordinates: [x, y] } });
    const file = json(fc([pt('F-1', 7.4205, 43.7315), pt('F-2', 7.4195, 43.7325), pt('F-3', 7.45, 43.76)]));
    for (const q of ['layer=facilities&crs=wgs84&dryRun=1', 'layer=facilities&crs=wgs84']) {
      const r = await ok('pharmacies.geojson', file, q);
      expect(r.counts).toMatchObject({ valid: 3, errors: 0, warnings: 1 });
      expect(r.warnings).toEqual([{ row: 3, field: 'geometry', count: 1, rows: [3],
        zh: '1 个设施位于本系统所有社区之外：已导入，但不属于任何社区（第 3 行）',
        en: '1 facility lies outside every community of the deployment: imported, but in no community (row 3)' }]);
      expect(r.outside).toEqual({ count: 1, rows: [3] });
      expect(r.preview.features.filter((f) => f.properties!.outside).map((f) => f.properties!.row)).toEqual([3]);
      expect(r.preview.features).toHaveLength(3);
    }
    expect(await count('facilities')).toBe(3);
    // Set-up status says the same.
    const s = (await (await ctx.app.request(`/api/setup/status?street=${STREET}`, { headers: as(root) })).json()) as { steps: Array<{ key: string; problems: Array<{ code: string; count: number }> }> };
    expect(s.steps.find((x) => x.key === 'facilities')!.problems).toEqual([expect.objectContaining({ code: 'facilities_outside_communities', count: 1 })]);
  });

  it('partitioning community by community (as the set-up page does) names the street-wide draft after what it holds', async () => {
    await ok('monaco-latest.osm.pbf', PBF, 'layer=buildings');
    expect((await ctx.app.request(`/api/setup/rosters?street=${STREET}`, { method: 'POST', headers: as(root) })).status).toBe(200);
    const two = await ctx.db.query<{ code: string; name: string }>(`SELECT c.code, c.name FROM communities c
      WHERE EXISTS (SELECT 1 FROM buildings b WHERE b.community_id = c.id AND b.households > 0) ORDER BY c.code LIMIT 2`);
    expect(two).toHaveLength(2);
    const res = await ctx.app.request(`/api/plans?street=${STREET}`, { method: 'POST', headers: as(root), body: JSON.stringify({ name: '初始化自动划分 set-up partition', from: 'empty' }) });
    expect(res.status).toBe(201);
    let plan = ((await res.json()) as { id: number }).id;
    const names: string[] = [];
    for (const c of two) {
      const start = await ctx.app.request(`/api/plans/${plan}/partition?street=${STREET}`, { method: 'POST', headers: as(root), body: JSON.stringify({ community: c.code, mode: 'fresh', seed: 1 }) });
      expect(start.status, await start.clone().text()).toBe(202);
      const { job } = (await start.json()) as { job: { id: string } };
      let view: { status: string; result: { plan: number } | null } = { status: 'running', result: null };
      for (let i = 0; i < 600 && !['done', 'failed', 'cancelled'].includes(view.status); i++) {
        await new Promise((r) => setTimeout(r, 200));
        view = (await (await ctx.app.request(`/api/jobs/${job.id}`, { headers: as(root) })).json()) as typeof view;
      }
      expect(view.status).toBe('done');
      plan = view.result!.plan;
      names.push((await ctx.db.query<{ name: string }>('SELECT name FROM grid_plans WHERE id = $1', [plan]))[0].name);
    }
    // The first draft holds one community; the second holds both, so it is named after the street.
    expect(names).toEqual([`${two[0].name}自动划分（重新划分）`, 'Monaco 街道自动划分（2个社区）']);
  });
});
