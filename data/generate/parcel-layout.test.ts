import { describe, expect, it } from 'vitest';
import { walkup } from './building-types.js';
import { classSource } from './housing-mix.js';
import { layoutParcel } from './parcel-layout.js';
import { Random } from './random.js';
import type { StreetGrid } from './street-grid.js';
import { WalkGraph } from './walk-graph.js';

const grid: StreetGrid = {
  cols: 1, rows: 1, xs: [0, 220], ys: [0, -200], owner: new Int32Array([0]), parks: new Set(),
  vLines: [{ name: '胜利路', kind: 'arterial' }, { name: '友谊街', kind: 'local' }],
  hLines: [{ name: '北马路', kind: 'arterial' }, { name: '顺泰街', kind: 'local' }],
};
const rect = { x0: 18, x1: 211, y0: -191, y1: -18 };
const frontage = {
  N: { seg: { axis: 'h' as const, line: 0, index: 0 }, road: 0, name: '北马路' },
  S: { seg: { axis: 'h' as const, line: 1, index: 0 }, road: -200, name: '顺泰街' },
};

describe('layoutParcel', () => {
  it('lays walk-ups in rows with sunlight spacing, inside the fence, each with its own entrance', () => {
    const graph = new WalkGraph(grid);
    const quota = { left: 12 };
    const out = layoutParcel(graph, new Random(3), {
      rect, frontage, source: classSource(new Random(4), 'walkup', quota, 1990), from: 'N',
      connect: 'gate', inner: 'path', exits: 2, shrink: true, gateName: '福海花园',
    });
    expect(out.buildings.length).toBe(12 - quota.left);
    expect(out.buildings.length).toBeGreaterThan(4);
    const rows = [...new Set(out.buildings.map((b) => b.rect.y1))].sort((a, b) => b - a);
    for (let k = 0; k + 1 < rows.length; k++) {
      const north = out.buildings.filter((b) => b.rect.y1 === rows[k]);
      const south = out.buildings.filter((b) => b.rect.y1 === rows[k + 1]);
      const gap = Math.min(...north.map((b) => b.rect.y0)) - rows[k + 1];
      expect(gap).toBeGreaterThanOrEqual(Math.max(6, ...south.map((b) => b.tpl.rowGap)) - 1e-9);
    }
    for (const b of out.buildings) {
      expect(b.rect.x0).toBeGreaterThanOrEqual(out.fence.x0 + 5);
      expect(b.rect.x1).toBeLessThanOrEqual(out.fence.x1 - 5);
      expect(b.rect.y0).toBeGreaterThanOrEqual(out.fence.y0 + 5);
      expect(b.rect.y1).toBeLessThanOrEqual(out.fence.y1 - 5);
    }
    expect(new Set(out.buildings.map((b) => b.entrance)).size).toBe(out.buildings.length);
    const { edges } = graph.finish();
    const gates = edges.filter((e) => e.kind === 'gate');
    expect(gates.length).toBeGreaterThanOrEqual(1);
    expect(gates.length).toBeLessThanOrEqual(2);
    expect(gates.every((g) => g.name?.startsWith('福海花园'))).toBe(true);
  });

  it('narrows a slab to fit and gives up when even two stairwells do not fit', () => {
    const rng = new Random(1);
    for (let k = 0; k < 50; k++) {
      const t = walkup(rng, 40, 1990);
      expect(t === null || t.w <= 40).toBe(true);
    }
    expect(walkup(rng, 20, 1990)).toBeNull();
  });
});
