import { describe, expect, it } from 'vitest';
import { generateStreet } from './index.js';
import { relocateStreet } from './relocate.js';

describe('relocateStreet', () => {
  const ds = generateStreet({ buildings: 200 });
  const moved = relocateStreet(ds, { code: '370613002', name: '第二街道', offset: [0.1, -0.05], nodeIdBase: 1_000_000 });

  it('gives every code of the street the new prefix and keeps references consistent', () => {
    expect(moved.street.code).toBe('370613002');
    for (const c of moved.communities) expect(c.code.startsWith('370613002')).toBe(true);
    const buildings = new Set(moved.buildings.map((b) => b.code));
    expect(buildings.size).toBe(ds.buildings.length);
    for (const b of moved.buildings) expect(b.code.startsWith('370613002')).toBe(true);
    for (const h of moved.households) expect(buildings.has(h.buildingCode)).toBe(true);
    for (const g of moved.plan.grids) for (const b of g.buildingCodes) expect(buildings.has(b)).toBe(true);
    const original = new Set(ds.facilities.map((f) => f.code));
    for (const f of moved.facilities) expect(original.has(f.code)).toBe(false);
  });

  it('shifts every coordinate by the offset and walk node ids past the base', () => {
    const [x0, y0] = ds.buildings[0].footprint[0][0];
    const [x1, y1] = moved.buildings[0].footprint[0][0];
    expect(x1 - x0).toBeCloseTo(0.1, 9);
    expect(y1 - y0).toBeCloseTo(-0.05, 9);
    const ids = new Set(moved.walkNodes.map((n) => n.id));
    for (const e of moved.walkEdges) expect(ids.has(e.source) && ids.has(e.target)).toBe(true);
    expect(Math.min(...ids)).toBeGreaterThanOrEqual(1_000_000);
  });

  it('leaves the input as it was (pure)', () => {
    expect(ds.street.code).toBe('370602001');
    expect(generateStreet({ buildings: 200 })).toEqual(ds);
  });
});
