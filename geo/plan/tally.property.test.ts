/** Property tests (fast-check) of the live tallies: conservation, counting once, band boundaries. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bandStatus, DEFAULT_BAND } from '../band.js';
import { tallyPlan } from './tally.js';

const instance = fc
  .record({
    grids: fc.uniqueArray(fc.record({ id: fc.string({ minLength: 1, maxLength: 4 }), kind: fc.constantFrom('basic' as const, 'dedicated' as const) }), { minLength: 1, maxLength: 12, selector: (g) => g.id }),
    buildings: fc.uniqueArray(fc.record({ id: fc.string({ minLength: 1, maxLength: 5 }), households: fc.nat(500), residents: fc.nat(1500), partyMembers: fc.nat(40) }), { maxLength: 80, selector: (b) => b.id }),
  })
  .chain(({ grids, buildings }) =>
    fc.tuple(fc.constant(grids), fc.constant(buildings), fc.array(fc.option(fc.constantFrom(...grids.map((g) => g.id), 'nope'), { nil: undefined }), { minLength: buildings.length, maxLength: buildings.length })),
  );

describe('tallyPlan (properties)', () => {
  it('conserves households, residents and party members, and counts every building exactly once', () => {
    fc.assert(fc.property(instance, ([grids, buildings, picks]) => {
      const assignment = new Map<string, string>();
      buildings.forEach((b, i) => picks[i] !== undefined && assignment.set(b.id, picks[i]!));
      const t = tallyPlan(grids, buildings, assignment);
      const valid = new Set(grids.map((g) => g.id));
      const assigned = buildings.filter((b) => valid.has(assignment.get(b.id) ?? ''));
      const sum = (k: 'households' | 'residents' | 'partyMembers' | 'buildings') => [...t.grids.values()].reduce((s, g) => s + g[k], 0);
      expect(sum('households')).toBe(assigned.reduce((s, b) => s + b.households, 0));
      expect(sum('residents')).toBe(assigned.reduce((s, b) => s + b.residents, 0));
      expect(sum('partyMembers')).toBe(assigned.reduce((s, b) => s + b.partyMembers, 0));
      expect(sum('buildings') + t.unassigned.length).toBe(buildings.length);
      expect(new Set(t.unassigned).size).toBe(t.unassigned.length);
      for (const b of t.unassigned) expect(valid.has(assignment.get(b) ?? '')).toBe(false);
      for (const g of t.grids.values()) expect(g.deviation).toBe(g.households - DEFAULT_BAND.target);
    }));
  });

  it('judges the band with both ends inclusive: 300 and 400 are in, 299 under, 401 over; dedicated never judged', () => {
    fc.assert(fc.property(fc.nat(1000), fc.constantFrom('basic' as const, 'dedicated' as const), (households, kind) => {
      const t = tallyPlan([{ id: 'g', kind }], [{ id: 'b', households, residents: 0, partyMembers: 0 }], new Map([['b', 'g']]));
      const status = t.grids.get('g')!.status;
      expect(status).toBe(bandStatus(households, kind));
      if (kind === 'dedicated') expect(status).toBe('dedicated');
      else expect(status).toBe(households < 300 ? 'under' : households > 400 ? 'over' : 'in');
    }));
    for (const [h, s] of [[299, 'under'], [300, 'in'], [400, 'in'], [401, 'over']] as const) expect(bandStatus(h, 'basic')).toBe(s);
  });
});
