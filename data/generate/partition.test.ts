import { describe, expect, it } from 'vitest';
import type { GridTarget } from './grid-targets.js';
import { partitionSequence, readingOrder } from './partition.js';

const sums = (items: { households: number }[], runOf: number[], k: number) =>
  Array.from({ length: k }, (_, j) => items.filter((_, i) => runOf[i] === j).reduce((s, x) => s + x.households, 0));

describe('partitionSequence', () => {
  it('cuts a sequence into contiguous runs that land in the wanted band status', () => {
    // 30 walk-ups of 36 households, one unit each.
    const items = Array.from({ length: 30 }, (_, i) => ({ households: 36, unit: i }));
    const targets: GridTarget[] = [
      { status: 'in', households: 330 },
      { status: 'under', households: 260 },
      { status: 'over', households: 430 },
    ];
    const runOf = partitionSequence(items, targets);
    expect(runOf).toEqual([...runOf].sort((a, b) => a - b)); // contiguous, in order
    const [a, b, c] = sums(items, runOf, 3);
    expect(a).toBeGreaterThanOrEqual(303);
    expect(a).toBeLessThanOrEqual(397);
    expect(b).toBeLessThan(297);
    expect(c).toBeGreaterThan(403);
  });

  it('keeps a compound whole when a cut at its edge is nearly as good', () => {
    // Two compounds of 10 × 34 households; targets 365 / 315 would rather cut one building into B.
    const items = Array.from({ length: 20 }, (_, i) => ({ households: 34, unit: i < 10 ? 1 : 2 }));
    const targets: GridTarget[] = [
      { status: 'in', households: 365 },
      { status: 'in', households: 315 },
    ];
    expect(partitionSequence(items, targets).indexOf(1)).toBe(10);
    // Without compounds the same targets move the cut.
    const loose = items.map((it, i) => ({ ...it, unit: i }));
    expect(partitionSequence(loose, targets).indexOf(1)).toBe(11);
  });

  it('never leaves a run empty', () => {
    const items = Array.from({ length: 7 }, (_, i) => ({ households: i === 0 ? 900 : 1, unit: i }));
    const runOf = partitionSequence(items, Array.from({ length: 4 }, () => ({ status: 'in' as const, households: 330 })));
    expect(new Set(runOf)).toEqual(new Set([0, 1, 2, 3]));
  });
});

describe('readingOrder', () => {
  it('numbers west→east within a band, bands north→south', () => {
    // y is north-positive metres; the community's north edge is at y = 0.
    const centroids: [number, number][] = [[500, -350], [100, -50], [300, -120], [50, -260]];
    expect(readingOrder(centroids, 0, 200)).toEqual([1, 2, 3, 0]);
  });
});
