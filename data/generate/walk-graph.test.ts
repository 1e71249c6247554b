import { describe, expect, it } from 'vitest';
import type { StreetGrid } from './street-grid.js';
import { WalkGraph } from './walk-graph.js';

function grid(): StreetGrid {
  return {
    cols: 1, rows: 1, xs: [0, 200], ys: [0, -180], owner: new Int32Array([0]), parks: new Set(),
    vLines: [{ name: '胜利路', kind: 'arterial' }, { name: '解放路', kind: 'arterial' }],
    hLines: [{ name: '北马路', kind: 'arterial' }, { name: '南大街', kind: 'arterial' }],
  };
}

describe('WalkGraph', () => {
  it('emits each road segment split at the points where paths join it, in order', () => {
    const g = new WalkGraph(grid());
    const seg = { axis: 'h' as const, line: 0, index: 0 };
    const a = g.roadNode(seg, 120);
    const b = g.roadNode(seg, 40);
    expect(g.roadNode(seg, 40.6)).toBe(b); // joins within 1 m share a node
    const inside = g.node(40, -30);
    g.edge(inside, b, 'footway');
    const { nodes, edges } = g.finish();
    const north = edges.filter((e) => e.name === '北马路');
    expect(north).toHaveLength(3);
    const xs = (id: number) => nodes[id - 1].position[0];
    const chain = north.map((e) => [xs(e.source), xs(e.target)]);
    for (const [s, t] of chain) expect(s).toBeLessThan(t);
    expect(north.map((e) => e.target)).toContain(a);
    expect(edges.filter((e) => e.kind === 'arterial')).toHaveLength(6); // 4 sides, one split twice
    expect(nodes.map((n) => n.id)).toEqual(nodes.map((_, i) => i + 1));
  });

  it('measures edges on the sphere in metres', () => {
    const g = new WalkGraph(grid());
    const { edges } = g.finish();
    const north = edges.find((e) => e.name === '北马路')!;
    expect(north.lengthM).toBeCloseTo(200, 0);
    expect(north.line).toHaveLength(2);
  });
});
