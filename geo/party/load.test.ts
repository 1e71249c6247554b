/** Properties of the load and its spread (fast-check): linearity, defaults, spread bounds. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LOAD_WEIGHTS, LOAD_TERMS, LOAD_WEIGHT_REASONS, type LoadAttributes, loadOf, spreadOf, weightProblems } from './load.js';

const attrs = fc.record({ households: fc.nat(400), elderlyAlone: fc.nat(40), rentedUnits: fc.nat(80), shops: fc.nat(60), requests12m: fc.nat(50) });
const weights = fc.record({
  households: fc.double({ min: 0, max: 10, noNaN: true }), elderlyAlone: fc.double({ min: 0, max: 10, noNaN: true }),
  rentedUnits: fc.double({ min: 0, max: 10, noNaN: true }), shops: fc.double({ min: 0, max: 10, noNaN: true }),
  requests12m: fc.double({ min: 0, max: 10, noNaN: true }),
});
const add = (a: LoadAttributes, b: LoadAttributes) => Object.fromEntries(LOAD_TERMS.map((t) => [t, a[t] + b[t]])) as unknown as LoadAttributes;

describe('loadOf', () => {
  it('is linear: the load of two buildings together is the sum of their loads', () => {
    fc.assert(fc.property(attrs, attrs, weights, (a, b, w) => {
      expect(loadOf(add(a, b), w)).toBeCloseTo(loadOf(a, w) + loadOf(b, w), 6);
    }));
  });

  it('with only the household weight equals the household count; never below it with the defaults', () => {
    fc.assert(fc.property(attrs, (a) => {
      expect(loadOf(a, { households: 1, elderlyAlone: 0, rentedUnits: 0, shops: 0, requests12m: 0 })).toBe(a.households);
      expect(loadOf(a)).toBeGreaterThanOrEqual(a.households);
    }));
  });

  it('documents a reason for every default weight, in Chinese and English, and accepts the defaults', () => {
    for (const t of LOAD_TERMS) {
      expect(LOAD_WEIGHT_REASONS[t].zh.length).toBeGreaterThan(5);
      expect(LOAD_WEIGHT_REASONS[t].en.length).toBeGreaterThan(5);
    }
    expect(weightProblems({ ...DEFAULT_LOAD_WEIGHTS })).toEqual([]);
    expect(weightProblems({ ...DEFAULT_LOAD_WEIGHTS, shops: -1, requests12m: Number.NaN })).toEqual(['shops', 'requests12m']);
  });
});

describe('spreadOf', () => {
  it('brackets the mean, has cv ≥ 0, ratio ≥ 1, and is scale-free', () => {
    fc.assert(fc.property(fc.array(fc.double({ min: 1, max: 1e4, noNaN: true }), { minLength: 1, maxLength: 30 }), fc.double({ min: 0.1, max: 10, noNaN: true }), (xs, k) => {
      const s = spreadOf(xs);
      expect(s.min).toBeLessThanOrEqual(s.mean + 1e-9);
      expect(s.max).toBeGreaterThanOrEqual(s.mean - 1e-9);
      expect(s.cv).toBeGreaterThanOrEqual(0);
      expect(s.ratio).toBeGreaterThanOrEqual(1);
      const scaled = spreadOf(xs.map((x) => x * k));
      expect(scaled.cv).toBeCloseTo(s.cv, 6);
      expect(scaled.ratio).toBeCloseTo(s.ratio, 6);
    }));
  });

  it('is 0 / 1 for equal loads and empty input', () => {
    expect(spreadOf([5, 5, 5])).toMatchObject({ cv: 0, ratio: 1, mean: 5 });
    expect(spreadOf([])).toMatchObject({ count: 0, cv: 0, ratio: 1 });
  });
});
