import { describe, expect, it } from 'vitest';
import { GraphBuilder, buildGraph, edgeLine } from './graph.js';

describe('GraphBuilder (rows streamed into typed arrays)', () => {
  it('grows past its first arrays and keeps every node, edge, polyline and adjacency', () => {
    const b = new GraphBuilder();
    const n = 5000;
    for (let i = 0; i < n; i++) b.addNode(100 + i, 120 + i * 1e-4, 30 + (i % 7) * 1e-5);
    for (let i = 0; i < n - 1; i++) {
      // Every third edge straight (no geometry), the others with a bend in the middle.
      const bend = i % 3 === 0 ? [] : [120 + i * 1e-4, 30, 120 + (i + 0.5) * 1e-4, 30.0001, 120 + (i + 1) * 1e-4, 30];
      b.addEdge(9000 + i, 100 + i, 101 + i, 11, i % 2 ? 'path' : 'street', bend);
    }
    const g = b.build();
    expect([g.nodeCount, g.edgeCount]).toEqual([n, n - 1]);
    expect(g.indexOfNode(100 + 4321)).toBe(4321);
    expect(g.kinds).toEqual(['street', 'path']);
    expect(edgeLine(g, 4)).toEqual([[120 + 4 * 1e-4, 30], [120 + 4.5 * 1e-4, 30.0001], [120 + 5 * 1e-4, 30]]);
    // A straight edge runs between its nodes' positions.
    expect(edgeLine(g, 3000)).toEqual([[g.nodeLng[3000], g.nodeLat[3000]], [g.nodeLng[3001], g.nodeLat[3001]]]);
    // A chain: the inner nodes have two neighbours, the ends one.
    expect(g.adjStart[1] - g.adjStart[0]).toBe(1);
    expect(Array.from(g.adjNode.subarray(g.adjStart[2500], g.adjStart[2501])).sort((x, y) => x - y)).toEqual([2499, 2501]);
    // The same graph as from input objects.
    const again = buildGraph(
      Array.from({ length: n }, (_, i) => ({ id: 100 + i, position: [g.nodeLng[i], g.nodeLat[i]] as [number, number] })),
      Array.from({ length: n - 1 }, (_, e) => ({ id: 9000 + e, source: 100 + e, target: 101 + e, lengthM: 11, kind: g.kinds[g.edgeKind[e]], line: e % 3 === 0 ? undefined : edgeLine(g, e) })),
    );
    expect(again.coords).toEqual(g.coords);
    expect(again.adjEdge).toEqual(g.adjEdge);
  });

  it('refuses an edge to an unknown node and a negative length', () => {
    const b = new GraphBuilder();
    b.addNode(1, 0, 0);
    expect(() => b.addEdge(1, 1, 1, -3, '', [])).toThrow(/invalid length/);
    b.addEdge(2, 1, 2, 5, '', []);
    expect(() => b.build()).toThrow(/unknown node 2/);
  });
});
