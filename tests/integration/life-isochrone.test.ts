/**
 * Life circle (issue #6) on real PostGIS: isochrone bands and nearest facilities from the seeded
 * demo street, and the 400s for bad or off-street points.
 */
import { area, booleanPointInPolygon, length, lineString, point } from '@turf/turf';
import type * as GeoJSON from 'geojson';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StreetDataset } from '../../data/generate/types.js';
import { type BandLines, bandPolygonsFromLines, decodeBandLines } from '../../geo/routing/index.js';
import { testApp } from '../helpers/app.js';

type App = Awaited<ReturnType<typeof testApp>>['app'];
let app: App;
let ds: StreetDataset;
let db: Awaited<ReturnType<typeof testApp>>['db'];

interface IsoReply {
  type: 'FeatureCollection';
  start: { snapped: [number, number]; snapDistanceM: number };
  features: GeoJSON.Feature<GeoJSON.Polygon | GeoJSON.MultiPolygon, { minutes: number; distanceM: number; networkM: number }>[];
  facilities: { count: number; byCategory: { category: string; facilities: { code: string; distanceM: number; minutes: number; band: number | null }[] }[] };
}

interface LinesReply {
  type: 'IsochroneLines';
  start: IsoReply['start'];
  corridorM: number;
  bands: { minutes: number; distanceM: number; networkM: number }[];
  lines: BandLines;
  facilities: IsoReply['facilities'];
}

beforeAll(async () => {
  ({ app, dataset: ds, db } = await testApp());
});

/** A point on a road of the demo street: the midpoint of an arterial edge. */
function onStreet(): [number, number] {
  const e = ds.walkEdges.find((x) => x.kind === 'arterial' && x.lengthM > 40)!;
  return [(e.line[0][0] + e.line[1][0]) / 2, (e.line[0][1] + e.line[1][1]) / 2];
}

describe('GET /api/isochrone', () => {
  it('returns nested band polygons built from the streets and the facilities reached by category', async () => {
    const [lng, lat] = onStreet();
    const res = await app.request(`/api/isochrone?lng=${lng}&lat=${lat}&minutes=5,10,15&speed=60`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as IsoReply;
    expect(body.features.map((f) => f.properties.minutes)).toEqual([5, 10, 15]);
    const areas = body.features.map((f) => area(f));
    expect(areas[0]).toBeLessThan(areas[1]);
    expect(areas[1]).toBeLessThan(areas[2]);
    // Built from reached streets, so smaller than the crow-flies disc of the same radius.
    expect(areas[2]).toBeLessThan(Math.PI * 900 * 900);
    for (const f of body.features) expect(booleanPointInPolygon(point(body.start.snapped), f)).toBe(true);
    expect(body.start.snapDistanceM).toBeLessThan(1);
    expect(body.facilities.count).toBeGreaterThan(0);
    for (const g of body.facilities.byCategory) {
      for (const f of g.facilities) {
        expect(f.distanceM).toBeLessThanOrEqual(900);
        expect(f.minutes).toBeCloseTo(f.distanceM / 60, 0);
        expect(f.band).toBe([5, 10, 15].find((m) => f.distanceM <= m * 60 + 0.05));
      }
    }
    expect(JSON.stringify(body)).not.toMatch(/head_name|phone/);
  });

  it('geometry=lines sends the reached streets per band, from which the client draws the very same polygons', async () => {
    const [lng, lat] = onStreet();
    const q = `lng=${lng}&lat=${lat}&minutes=15,5,10&speed=60`;
    const polygons = (await (await app.request(`/api/isochrone?${q}`)).json()) as IsoReply;
    const res = await app.request(`/api/isochrone?${q}&geometry=lines`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as LinesReply;
    expect(body.type).toBe('IsochroneLines');
    expect(body.bands.map((b) => b.minutes)).toEqual([5, 10, 15]);
    expect(body.lines.bands).toHaveLength(3);
    expect(body.lines.bands.every((lines) => lines.every((l) => l.every(Number.isInteger)))).toBe(true);
    // The same facilities, start and network lengths as the polygon answer.
    expect(body.facilities).toEqual(polygons.facilities);
    expect(body.start).toEqual(polygons.start);
    expect(body.bands.map((b) => b.networkM)).toEqual(polygons.features.map((f) => f.properties.networkM));
    // Each band's lines lie inside its polygon and the bands' metres add up to the network length.
    const decoded = decodeBandLines(body.lines);
    decoded.forEach((lines, k) => {
      const metres = lines.reduce((sum, l) => sum + (l.length > 1 ? length(lineString(l), { units: 'meters' }) : 0), 0);
      const before = k === 0 ? 0 : body.bands[k - 1].networkM;
      expect(Math.abs(metres - (body.bands[k].networkM - before))).toBeLessThan(2 + 0.3 * lines.length);
      for (const l of lines) for (const p of l) expect(booleanPointInPolygon(point(p), polygons.features[k])).toBe(true);
    });
    // Drawn from the wire: the polygon answer's shapes, exactly.
    const drawn = bandPolygonsFromLines(decoded, body.corridorM, body.lines.origin);
    expect(drawn.map((f) => f!.geometry)).toEqual(polygons.features.map((f) => f.geometry));
    // Smaller on the wire than the polygons.
    expect(JSON.stringify(body).length).toBeLessThan(JSON.stringify(polygons).length);
    const bad = await app.request(`/api/isochrone?${q}&geometry=svg`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/[\u4e00-\u9fff].*geometry/);
  });

  it('defaults to 5/10/15 minutes at the standard speed', async () => {
    const [lng, lat] = onStreet();
    const body = (await (await app.request(`/api/isochrone?lng=${lng}&lat=${lat}`)).json()) as IsoReply;
    expect(body.features.map((f) => f.properties.distanceM)).toEqual([300, 600, 900]);
  });

  it('answers 400 with zh/en messages for bad coordinates and points off the street network', async () => {
    for (const q of ['lng=abc&lat=37.5', 'lat=37.5', 'lng=121.38&lat=95', 'lng=200&lat=37']) {
      const res = await app.request(`/api/isochrone?${q}`);
      expect(res.status, q).toBe(400);
      const err = (await res.json()) as { error: { code: string; message: string } };
      expect(err.error.code).toBe('invalid_coordinates');
      expect(err.error.message).toMatch(/[\u4e00-\u9fff].* \/ .*[a-z]/);
    }
    const far = await app.request('/api/isochrone?lng=121.0&lat=37.0');
    expect(far.status).toBe(400);
    expect(((await far.json()) as { error: { code: string } }).error.code).toBe('off_network');
    const [lng, lat] = onStreet();
    for (const m of ['0', '5,abc', '61', '1,2,3,4,5,6']) {
      expect((await app.request(`/api/isochrone?lng=${lng}&lat=${lat}&minutes=${m}`)).status, m).toBe(400);
    }
    expect((await app.request(`/api/isochrone?lng=${lng}&lat=${lat}&speed=5`)).status).toBe(400);
  });
});

describe('GET /api/isochrone after a write (issue #17: answered from the context of the data version read for it)', () => {
  it('sees a new standard speed and a new facility in the very next answer', async () => {
    const [lng, lat] = onStreet();
    const url = `/api/isochrone?lng=${lng}&lat=${lat}&minutes=5,10`;
    const before = (await (await app.request(url)).json()) as IsoReply & { speedMPerMin: number };
    const [{ speed }] = await db.query<{ speed: number }>('SELECT speed_m_per_min AS speed FROM life_circle_settings');
    try {
      await db.query('UPDATE life_circle_settings SET speed_m_per_min = $1', [speed + 20]);
      await db.query(
        `INSERT INTO facilities (code, name, category, geom) VALUES ('ISO17-NEW', '新药店', 'pharmacy', ST_SetSRID(ST_MakePoint($1, $2), 4326))`,
        [lng, lat],
      );
      const after = (await (await app.request(url)).json()) as IsoReply & { speedMPerMin: number };
      expect(before.speedMPerMin).toBe(speed);
      expect(after.speedMPerMin).toBe(speed + 20);
      expect(after.features.map((f) => f.properties.distanceM)).toEqual([5 * (speed + 20), 10 * (speed + 20)]);
      const codes = after.facilities.byCategory.flatMap((g) => g.facilities.map((f) => f.code));
      expect(codes).toContain('ISO17-NEW');
      expect(before.facilities.byCategory.flatMap((g) => g.facilities.map((f) => f.code))).not.toContain('ISO17-NEW');
    } finally {
      await db.query(`DELETE FROM facilities WHERE code = 'ISO17-NEW'`);
      await db.query('UPDATE life_circle_settings SET speed_m_per_min = $1', [speed]);
    }
  });
});

describe('GET /api/nearest', () => {
  it('returns the k nearest facilities of a category by walking distance, with routes from the start', async () => {
    const [lng, lat] = onStreet();
    const res = await app.request(`/api/nearest?lng=${lng}&lat=${lat}&category=elderly_canteen&k=3`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      start: { snapped: [number, number] };
      results: { code: string; distanceM: number; minutes: number; position: [number, number]; route: GeoJSON.LineString }[];
    };
    expect(body.results).toHaveLength(3);
    const d = body.results.map((r) => r.distanceM);
    expect([...d].sort((a, b) => a - b)).toEqual(d);
    for (const r of body.results) {
      const codes = ds.facilities.filter((f) => f.category === 'elderly_canteen').map((f) => f.code);
      expect(codes).toContain(r.code);
      const km = length(lineString(r.route.coordinates));
      // The route's own length agrees with the network distance (edge lengths are haversine).
      expect(km * 1000).toBeCloseTo(r.distanceM, -1);
      expect(r.route.coordinates[0][0]).toBeCloseTo(body.start.snapped[0], 6);
      // Walking is never shorter than the straight line.
      const crow = length(lineString([[lng, lat], r.position])) * 1000;
      expect(r.distanceM).toBeGreaterThanOrEqual(crow - 30);
    }
  });

  it('refuses unknown categories and bad k', async () => {
    const [lng, lat] = onStreet();
    expect((await app.request(`/api/nearest?lng=${lng}&lat=${lat}&category=nope`)).status).toBe(404);
    expect((await app.request(`/api/nearest?lng=${lng}&lat=${lat}&category=DROP%20TABLE`)).status).toBe(400);
    expect((await app.request(`/api/nearest?lng=${lng}&lat=${lat}&category=pharmacy&k=0`)).status).toBe(400);
    expect((await app.request(`/api/nearest?lng=${lng}&lat=${lat}`)).status).toBe(400);
  });
});
