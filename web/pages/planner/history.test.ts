import { describe, expect, it } from 'vitest';
import { isGeometric, restoreOps, type GridSnap, type Snapshot } from './history';

const sq = (x: number): GridSnap['geometry'] => ({ type: 'Polygon', coordinates: [[[x, 0], [x + 1, 0], [x + 1, 1], [x, 1], [x, 0]]] });
const grid = (code: string, x: number, locked = false): GridSnap => ({ code, name: code, kind: 'basic', communityCode: '370602001001', locked, geometry: sq(x) });
const snap = (grids: GridSnap[], a: [string, string][]): Snapshot => ({ grids, assignment: new Map(a) });

describe('restoreOps (undo)', () => {
  it('assignment edits: assign the moved buildings back, grouped by their previous grid', () => {
    const before = snap([grid('A', 0), grid('B', 1)], [['b1', 'A'], ['b2', 'A'], ['b3', 'B']]);
    const now = snap([grid('A', 0), grid('B', 1)], [['b1', 'B'], ['b2', 'B'], ['b3', 'B']]);
    expect(restoreOps(before, now, false)).toEqual([{ op: 'assign', grid: 'A', buildings: ['b1', 'b2'] }]);
  });

  it('a reshape is undone by reshaping only the changed grids back', () => {
    const before = snap([grid('A', 0), grid('B', 1), grid('C', 2)], []);
    const now = snap([{ ...grid('A', 0), geometry: sq(0.5) }, { ...grid('B', 1), geometry: sq(1.5) }, grid('C', 2)], []);
    expect(restoreOps(before, now, true)).toEqual([
      { op: 'reshape', grid: 'A', polygon: sq(0) },
      { op: 'reshape', grid: 'B', polygon: sq(1) },
    ]);
  });

  it('a split is undone by deleting the new grid and reshaping every unlocked grid back', () => {
    const before = snap([grid('A', 0, true), grid('B', 1), grid('C', 2)], []);
    const now = snap([grid('A', 0, true), { ...grid('B', 1), geometry: sq(1.2) }, grid('C', 2), grid('D', 1.5)], []);
    expect(restoreOps(before, now, true)).toEqual([
      { op: 'deleteGrid', grid: 'D', into: 'B' },
      { op: 'reshape', grid: 'B', polygon: sq(1) },
      { op: 'reshape', grid: 'C', polygon: sq(2) },
    ]);
  });

  it('a merge is undone by adding the removed grid back under its old code, then reshaping', () => {
    const before = snap([grid('A', 0), grid('B', 1)], []);
    const now = snap([{ ...grid('A', 0), geometry: { type: 'Polygon', coordinates: [[[0, 0], [2, 0], [2, 1], [0, 1], [0, 0]]] } }], []);
    expect(restoreOps(before, now, true)).toEqual([
      { op: 'addGrid', community: '370602001001', name: 'B', kind: 'basic', code: 'B' },
      { op: 'reshape', grid: 'A', polygon: sq(0) },
      { op: 'reshape', grid: 'B', polygon: sq(1) },
    ]);
  });

  it('restores locks and tells geometric ops apart', () => {
    const before = snap([grid('A', 0)], []);
    const now = snap([grid('A', 0, true)], []);
    expect(restoreOps(before, now, false)).toEqual([{ op: 'lock', grid: 'A', locked: false }]);
    expect(isGeometric([{ op: 'assign', grid: 'A', buildings: ['x'] }])).toBe(false);
    expect(isGeometric([{ op: 'split', grid: 'A', line: { type: 'LineString', coordinates: [[0, 0], [1, 1]] } }])).toBe(true);
  });
});
