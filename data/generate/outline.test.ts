import { describe, expect, it } from 'vitest';
import { outlineBlocks, signedArea } from './outline.js';
import type { StreetGrid } from './street-grid.js';

function grid(cols: number, rows: number): StreetGrid {
  return {
    cols, rows,
    xs: Array.from({ length: cols + 1 }, (_, i) => i * 100),
    ys: Array.from({ length: rows + 1 }, (_, j) => -j * 100),
    owner: new Int32Array(cols * rows).fill(-1), parks: new Set(), vLines: [], hLines: [],
  };
}

describe('outlineBlocks', () => {
  it('traces an L of three blocks as one counter-clockwise ring without collinear points', () => {
    const g = grid(3, 3);
    const rings = outlineBlocks(g, [0, 1, 3]); // (0,0) (1,0) (0,1)
    expect(rings).toHaveLength(1);
    const ring = rings[0];
    expect(ring[0]).toEqual(ring[ring.length - 1]);
    expect(ring).toHaveLength(7); // six corners + closing point
    expect(signedArea(ring)).toBe(30_000);
  });

  it('returns a hole as a clockwise inner ring', () => {
    const g = grid(3, 3);
    const rings = outlineBlocks(g, [0, 1, 2, 3, 5, 6, 7, 8]);
    expect(rings).toHaveLength(2);
    expect(signedArea(rings[0])).toBe(90_000);
    expect(signedArea(rings[1])).toBe(-10_000);
  });
});
