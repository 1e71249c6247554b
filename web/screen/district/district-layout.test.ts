import { describe, expect, it } from 'vitest';
import { outlinePath, projector, shareColor, tileGrid } from './district-layout';

describe('district screen layout', () => {
  it('colours shares from vermillion through amber to green, grey for none', () => {
    expect(shareColor(0.2)).toBe('rgb(232, 102, 61)');
    expect(shareColor(0.7)).toBe('rgb(240, 180, 40)');
    expect(shareColor(1)).toBe('rgb(0, 170, 125)');
    expect(shareColor(null)).toBe('rgb(90, 110, 135)');
  });

  it('lays tiles out near 6:5, side by side in the area', () => {
    expect(tileGrid(1, 1200, 800)).toEqual({ cols: 1, rows: 1 });
    expect(tileGrid(2, 1200, 800)).toEqual({ cols: 2, rows: 1 });
    expect(tileGrid(4, 1200, 800)).toEqual({ cols: 2, rows: 2 });
    const many = tileGrid(40, 1200, 800);
    expect(many.cols * many.rows).toBeGreaterThanOrEqual(24);
    expect(many.cols * many.rows).toBeLessThan(30);
  });

  it('projects a box into the panel, north up, proportions kept', () => {
    const p = projector([121, 37, 121.1, 37.1], 500, 500, 0);
    const [xa, ya] = p([121, 37.1]);
    const [xb, yb] = p([121.1, 37]);
    expect(ya).toBeCloseTo(0, 6);
    expect(yb).toBeCloseTo(500, 6);
    // 0.1° of longitude is shorter than 0.1° of latitude at 37°N.
    expect((xb - xa) / 500).toBeCloseTo(Math.cos((37.05 * Math.PI) / 180), 6);
    expect(outlinePath({ type: 'Polygon', coordinates: [[[121, 37], [121.1, 37], [121.1, 37.1], [121, 37]]] }, p)).toMatch(/^M[\d.,L]+Z$/);
  });
});
