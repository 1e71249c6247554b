import { describe, expect, it } from 'vitest';
import { type Bounds, boundsOf, generateCity, STREET_GAP_DEG, YANTAI_DISTRICTS } from './city.js';
import { generateStreet } from './demo-street.js';
import type { Position, StreetDataset } from './types.js';
import { pointInPolygon } from './validate.js';

const OPTS = { districts: 3, streetsPerDistrict: 3, seed: 42, buildingsPerStreet: 300 };
const city = generateCity(OPTS);
const streets: StreetDataset[] = [...city.streets()];

function centroid(ring: readonly Position[]): Position {
  const pts = ring.slice(0, -1);
  return [pts.reduce((s, p) => s + p[0], 0) / pts.length, pts.reduce((s, p) => s + p[1], 0) / pts.length];
}

function expectUnique(values: readonly (string | number)[]) {
  expect(new Set(values).size).toBe(values.length);
}

describe('generateCity', () => {
  it('plans real-looking Yantai codes: 6-digit districts under 3706, streets = district + 3 digits', () => {
    expect(city.districts.map((d) => d.code)).toEqual(['370602', '370611', '370612']);
    expect(city.plan.map((s) => s.code)).toEqual([
      '370602001', '370602002', '370602003', '370611001', '370611002', '370611003', '370612001', '370612002', '370612003',
    ]);
    for (const s of city.plan) expect(s.code.startsWith(s.districtCode)).toBe(true);
    expectUnique(city.plan.map((s) => s.name));
    expect(city.plan[0].name).toBe('向阳街道');
    expect(streets.map((s) => s.street.code)).toEqual(city.plan.map((s) => s.code));
  });

  it('gives every street, community, building, grid, facility and walk node a code or id unique in the city', () => {
    expectUnique(streets.flatMap((s) => s.communities.map((c) => c.code)));
    expectUnique(streets.flatMap((s) => s.compounds.map((c) => c.code)));
    expectUnique(streets.flatMap((s) => s.buildings.map((b) => b.code)));
    expectUnique(streets.flatMap((s) => s.plan.grids.map((g) => g.code)));
    expectUnique(streets.flatMap((s) => s.facilities.map((f) => f.code)));
    expectUnique(streets.flatMap((s) => s.walkNodes.map((n) => n.id)));
    for (const s of streets) {
      for (const c of s.communities) expect(c.code).toMatch(new RegExp(`^${s.street.code}\\d{3}$`));
      const nodes = new Set(s.walkNodes.map((n) => n.id));
      for (const e of s.walkEdges) expect(nodes.has(e.source) && nodes.has(e.target)).toBe(true);
    }
  });

  it('lays streets side by side: bounding boxes at least the gap apart, districts in rows north to south', () => {
    const boxes = streets.map(boundsOf);
    const apart = (a: Bounds, b: Bounds) =>
      a[2] + STREET_GAP_DEG * 0.99 <= b[0] || b[2] + STREET_GAP_DEG * 0.99 <= a[0] ||
      a[3] + STREET_GAP_DEG * 0.99 <= b[1] || b[3] + STREET_GAP_DEG * 0.99 <= a[1];
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) expect(apart(boxes[i], boxes[j])).toBe(true);
    const rowTop = (d: number) => Math.max(...boxes.slice(d * 3, d * 3 + 3).map((b) => b[3]));
    const rowBottom = (d: number) => Math.min(...boxes.slice(d * 3, d * 3 + 3).map((b) => b[1]));
    expect(rowTop(1)).toBeLessThan(rowBottom(0));
    expect(rowTop(2)).toBeLessThan(rowBottom(1));
  });

  it('puts every building inside its community (and its street)', () => {
    for (const s of streets) {
      const community = new Map(s.communities.map((c) => [c.code, c.polygon]));
      for (const b of s.buildings) {
        expect(b.communityCode.startsWith(s.street.code)).toBe(true);
        const c = centroid(b.footprint[0]);
        expect(pointInPolygon(c, community.get(b.communityCode)!)).toBe(true);
        expect(pointInPolygon(c, s.street.polygon)).toBe(true);
      }
    }
  });

  it('keeps each street\'s buildings and household totals (those of its own generated street)', () => {
    streets.forEach((s, i) => {
      const own = generateStreet({ seed: city.plan[i].seed, buildings: OPTS.buildingsPerStreet });
      expect(s.buildings.length).toBe(own.buildings.length);
      expect(s.households.length).toBe(own.households.length);
      const total = s.buildings.reduce((n, b) => n + b.households, 0);
      expect(s.households.length).toBe(total);
      const codes = new Set(s.buildings.map((b) => b.code));
      for (const h of s.households) expect(codes.has(h.buildingCode)).toBe(true);
    });
    // Streets have seeds of their own: not copies of one another.
    expect(new Set(streets.map((s) => s.households.length)).size).toBeGreaterThan(1);
  });

  it('is deterministic and refuses impossible sizes', () => {
    const again = generateCity(OPTS);
    expect(again.plan).toEqual(city.plan);
    expect(again.streets().next().value).toEqual(streets[0]);
    expect(() => generateCity({ ...OPTS, districts: YANTAI_DISTRICTS.length + 1 })).toThrow();
    expect(() => generateCity({ ...OPTS, streetsPerDistrict: 0 })).toThrow();
    expect(() => generateCity({ ...OPTS, buildingsPerStreet: 10 })).toThrow();
  });
});
