import { describe, expect, it } from 'vitest';
import { bandStatus } from '../../geo/band.js';
import { generateStreet } from './index.js';
import type { StreetDataset } from './types.js';

const demo = generateStreet({});

function components(ds: StreetDataset): number {
  const parent = new Map<number, number>(ds.walkNodes.map((n) => [n.id, n.id]));
  const find = (x: number): number => (parent.get(x) === x ? x : find(parent.get(x)!));
  for (const e of ds.walkEdges) parent.set(find(e.source), find(e.target));
  return new Set(ds.walkNodes.map((n) => find(n.id))).size;
}

describe('generateStreet (demo 向阳街道)', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    expect(generateStreet({})).toEqual(demo);
    expect(generateStreet({ seed: 7 }).households[0]).not.toEqual(demo.households[0]);
  });

  it('has the figures of the seed articles', () => {
    expect(demo.communities.map((c) => c.code)).toEqual(Array.from({ length: 8 }, (_, i) => `37060200100${i + 1}`));
    expect(demo.buildings.length).toBe(985);
    expect(demo.households.length).toBeGreaterThanOrEqual(16_500); // "17,000+ household records", about
    expect(demo.households.length).toBeLessThanOrEqual(17_800);
    const residents = demo.households.reduce((s, h) => s + h.size, 0);
    const party = demo.households.reduce((s, h) => s + h.partyMembers, 0);
    expect(party / residents).toBeGreaterThan(0.06);
    expect(party / residents).toBeLessThan(0.08);
    expect(demo.households.filter((h) => h.isPartyCenter).every((h) => h.partyMembers > 0)).toBe(true);
    for (const b of demo.buildings) {
      expect(demo.households.filter((h) => h.buildingCode === b.code).length).toBe(b.households);
    }
    expect(new Set(demo.facilities.map((f) => f.category))).toEqual(new Set(demo.categories.map((c) => c.code)));
  });

  it('publishes 53 basic and 27 dedicated grids covering every building once, 15–25% out of band', () => {
    const basic = demo.plan.grids.filter((g) => g.kind === 'basic');
    expect(basic.length).toBe(53);
    expect(demo.plan.grids.length - basic.length).toBe(27);
    const seen = new Map<string, string>();
    for (const g of demo.plan.grids) for (const b of g.buildingCodes) {
      expect(seen.has(b), b).toBe(false);
      seen.set(b, g.communityCode);
    }
    for (const b of demo.buildings) expect(seen.get(b.code)).toBe(b.communityCode);
    const hh = new Map(demo.buildings.map((b) => [b.code, b.households]));
    const out = basic.filter((g) => bandStatus(g.buildingCodes.reduce((s, c) => s + hh.get(c)!, 0), 'basic') !== 'in');
    expect(out.length / basic.length).toBeGreaterThanOrEqual(0.15);
    expect(out.length / basic.length).toBeLessThanOrEqual(0.25);
    const dedicated = demo.plan.grids.filter((g) => g.kind === 'dedicated');
    expect(dedicated.every((g) => g.buildingCodes.every((c) => hh.get(c) === 0))).toBe(true);
  });

  it('keeps footprints apart and inside their community', () => {
    const box = (p: number[][][]) => {
      const xs = p[0].map((c) => c[0]);
      const ys = p[0].map((c) => c[1]);
      return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
    };
    const communities = new Map(demo.communities.map((c) => [c.code, box(c.polygon)]));
    const boxes = demo.buildings.map((b) => box(b.footprint));
    demo.buildings.forEach((b, i) => {
      const [x0, y0, x1, y1] = boxes[i];
      const [cx0, cy0, cx1, cy1] = communities.get(b.communityCode)!;
      expect(x0 >= cx0 && x1 <= cx1 && y0 >= cy0 && y1 <= cy1, b.code).toBe(true);
    });
    const sorted = boxes.map((b, i) => [b, i] as const).sort((a, b) => a[0][0] - b[0][0]);
    for (let i = 0; i < sorted.length; i++) {
      for (let j = i + 1; j < sorted.length && sorted[j][0][0] < sorted[i][0][2]; j++) {
        const [a, b] = [sorted[i][0], sorted[j][0]];
        expect(a[1] < b[3] && b[1] < a[3], `${sorted[i][1]} overlaps ${sorted[j][1]}`).toBe(false);
      }
    }
  });

  it('has one connected walk network entered by gates only into gated compounds', () => {
    expect(components(demo)).toBe(1);
    const pos = new Map(demo.walkNodes.map((n) => [n.id, n.position]));
    const inside = (p: number[], poly: number[][][]) => {
      const xs = poly[0].map((c) => c[0]);
      const ys = poly[0].map((c) => c[1]);
      return p[0] >= Math.min(...xs) && p[0] <= Math.max(...xs) && p[1] >= Math.min(...ys) && p[1] <= Math.max(...ys);
    };
    for (const c of demo.compounds.filter((k) => k.gated)) {
      const crossing = demo.walkEdges.filter((e) => inside(pos.get(e.source)!, c.polygon) !== inside(pos.get(e.target)!, c.polygon));
      expect(crossing.length, c.code).toBeGreaterThan(0);
      expect(crossing.every((e) => e.kind === 'gate'), c.code).toBe(true);
    }
    expect(demo.walkEdges.every((e) => e.lengthM > 0)).toBe(true);
  });

  it('scales to 10,000 buildings with the same invariants', () => {
    const big = generateStreet({ buildings: 10_000 });
    expect(big.buildings.length).toBe(10_000);
    expect(new Set(big.communities.map((c) => c.code)).size).toBe(big.communities.length);
    expect(big.plan.grids.reduce((s, g) => s + g.buildingCodes.length, 0)).toBe(10_000);
    expect(components(big)).toBe(1);
  });
});
