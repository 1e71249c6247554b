/**
 * Property tests (fast-check) of party reach on random lattices with random places: agreement with
 * a brute-force distance per pair, conservation of households, monotonicity in the distance and in
 * the centres, and that designating the suggestions reaches exactly the households they promise.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { networkDistance } from '../routing/coverage.js';
import { lattice } from '../routing/test-graphs.js';
import { centreStatus, partyReach, type ReachPlace, suggestCentres } from './reach.js';

const g = lattice(6, 5, 80);

const place = fc.record({
  edge: fc.nat(g.edgeCount - 1),
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  households: fc.nat(120),
  centres: fc.nat(2),
  extraParty: fc.nat(3),
  routed: fc.integer({ min: 0, max: 11 }).map((x) => x > 0),
});

const places = fc.array(place, { minLength: 1, maxLength: 40 }).map((ps): ReachPlace[] =>
  ps.map((p) => ({
    position: p.routed ? { edge: p.edge, offsetM: p.at * g.edgeLength[p.edge] } : null,
    households: p.households,
    centres: p.centres,
    partyHouseholds: p.centres + p.extraParty,
  })),
);
const distance = fc.integer({ min: 0, max: 400 });
const range = { min: 10, max: 15 };
const reachedSet = (r: ReturnType<typeof partyReach>) => new Set([...r.nearest.keys()].filter((i) => r.nearest[i] >= 0));

describe('partyReach (properties)', () => {
  it('reaches exactly the places within the distance of some centre, at the brute-force distance', () => {
    fc.assert(fc.property(places, distance, (ps, d) => {
      const r = partyReach(g, ps, d, range);
      ps.forEach((p, i) => {
        const best = p.position === null ? Infinity : Math.min(Infinity, ...ps.filter((c) => c.centres > 0 && c.position !== null)
          .map((c) => networkDistance(g, c.position!, p.position!)));
        if (best <= d - 1e-6) expect(r.distance[i]).toBeCloseTo(best, 6);
        if (best > d + 1e-6) expect(r.nearest[i]).toBe(-1);
      });
    }), { numRuns: 60 });
  });

  it('conserves households: reached + left out = all, and the centres share exactly the reached ones', () => {
    fc.assert(fc.property(places, distance, (ps, d) => {
      const r = partyReach(g, ps, d, range);
      expect(r.households).toBe(ps.reduce((s, p) => s + p.households, 0));
      const reached = [...reachedSet(r)].reduce((s, i) => s + ps[i].households, 0);
      expect(r.reachedHouseholds).toBe(reached);
      expect(r.centres.reduce((s, c) => s + c.households, 0)).toBe(r.reachedHouseholds);
      for (const c of r.centres) {
        expect(ps[c.place].centres).toBe(c.count);
        expect(c.status).toBe(centreStatus(c.households / c.count, range));
      }
      // A place holding a centre is reached by it (distance 0).
      for (const c of r.centres) expect(r.distance[c.place]).toBe(0);
    }), { numRuns: 80 });
  });

  it('is monotone: a longer distance or one more centre never leaves a reached place out', () => {
    fc.assert(fc.property(places, distance, fc.nat(39), (ps, d, extra) => {
      const near = reachedSet(partyReach(g, ps, d, range));
      const far = reachedSet(partyReach(g, ps, d + 50, range));
      for (const i of near) expect(far.has(i)).toBe(true);
      const more = ps.map((p, i) => (i === extra % ps.length ? { ...p, centres: p.centres + 1, partyHouseholds: p.partyHouseholds + 1 } : p));
      const withMore = reachedSet(partyReach(g, more, d, range));
      for (const i of near) expect(withMore.has(i)).toBe(true);
    }), { numRuns: 60 });
  });

  it('suggestions reach exactly the left-out households they promise, best first, from party households only', () => {
    fc.assert(fc.property(places, distance, fc.integer({ min: 1, max: 5 }), (ps, d, k) => {
      const r = partyReach(g, ps, d, range);
      const s = suggestCentres(g, ps, r, k);
      expect(s.length).toBeLessThanOrEqual(k);
      for (let i = 1; i < s.length; i++) expect(s[i].gainHouseholds).toBeLessThanOrEqual(s[i - 1].gainHouseholds);
      for (const x of s) expect(ps[x.place].partyHouseholds).toBeGreaterThan(ps[x.place].centres);
      const designated = ps.map((p, i) => (s.some((x) => x.place === i) ? { ...p, centres: p.centres + 1 } : p));
      const after = partyReach(g, designated, d, range);
      expect(after.reachedHouseholds).toBe(r.reachedHouseholds + s.reduce((t, x) => t + x.gainHouseholds, 0));
    }), { numRuns: 60 });
  });

  it('rejects a negative distance and an inverted range', () => {
    expect(() => partyReach(g, [], -1, range)).toThrow(RangeError);
    expect(() => partyReach(g, [], 100, { min: 5, max: 2 })).toThrow(RangeError);
  });
});
