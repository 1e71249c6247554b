import { describe, expect, it } from 'vitest';
import { footprintCentroid, predictMove, predictReshape } from './optimistic';

const rect = (x0: number, y0: number, x1: number, y1: number): GeoJSON.Polygon => ({ type: 'Polygon', coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] });

describe('optimistic predictions', () => {
  const centroids = [
    { code: 'b1', at: [0.5, 0.5] as [number, number] },
    { code: 'b2', at: [1.5, 0.5] as [number, number] },
    { code: 'b3', at: [2.5, 0.5] as [number, number] },
  ];
  const grids = new Map<string, GeoJSON.Polygon>([['A', rect(0, 0, 1, 1)], ['B', rect(1, 0, 2, 1)], ['C', rect(2, 0, 3, 1)]]);
  const assignment = new Map([['b1', 'A'], ['b2', 'B'], ['b3', 'C']]);

  it('a grown grid takes the buildings whose centroid it now contains', () => {
    const next = predictReshape(assignment, centroids, 'A', rect(0, 0, 1.8, 1), grids, new Set());
    expect(next.get('b2')).toBe('A');
    expect(next.get('b3')).toBe('C');
  });

  it('a shrunk grid gives its buildings to the grid containing them, and locked grids keep theirs', () => {
    const moved = new Map(grids);
    moved.set('B', rect(0.2, 0, 2, 1));
    const shrunk = predictReshape(assignment, centroids, 'A', rect(0, 0, 0.2, 1), moved, new Set());
    expect(shrunk.get('b1')).toBe('B');
    const locked = predictReshape(assignment, centroids, 'A', rect(0, 0, 2.8, 1), grids, new Set(['C']));
    expect(locked.get('b2')).toBe('A');
    expect(locked.get('b3')).toBe('C');
  });

  it('merge / delete move every building of the removed grids', () => {
    expect([...predictMove(assignment, ['B', 'C'], 'A').values()]).toEqual(['A', 'A', 'A']);
  });

  it('the footprint centroid is the area centroid', () => {
    expect(footprintCentroid(rect(0, 0, 2, 1))).toEqual([1, 0.5]);
  });
});
