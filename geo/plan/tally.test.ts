import { describe, expect, it } from 'vitest';
import { tallyPlan, type TallyBuilding } from './tally.js';

/** A small deterministic pseudo-random sequence for property tests. */
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe('tallyPlan', () => {
  it('sums buildings into grids and classifies the band', () => {
    const buildings: TallyBuilding[] = [
      { id: 'a', households: 200, residents: 500, partyMembers: 30 },
      { id: 'b', households: 150, residents: 400, partyMembers: 20 },
      { id: 'c', households: 120, residents: 300, partyMembers: 5 },
      { id: 'd', households: 0, residents: 0, partyMembers: 0 },
      { id: 'e', households: 10, residents: 20, partyMembers: 1 },
    ];
    const t = tallyPlan(
      [{ id: 'g1', kind: 'basic' }, { id: 'g2', kind: 'basic' }, { id: 'g3', kind: 'dedicated' }],
      buildings,
      new Map([['a', 'g1'], ['b', 'g1'], ['c', 'g2'], ['d', 'g3'], ['e', 'nope']]),
    );
    expect(t.grids.get('g1')).toMatchObject({ buildings: 2, households: 350, residents: 900, partyMembers: 50, deviation: 0, status: 'in' });
    expect(t.grids.get('g2')).toMatchObject({ households: 120, deviation: -230, status: 'under' });
    expect(t.grids.get('g3')).toMatchObject({ buildings: 1, status: 'dedicated' });
    expect(t.unassigned).toEqual(['e']);
  });

  it('conserves every household across random assignments (property)', () => {
    const rnd = lcg(42);
    for (let trial = 0; trial < 200; trial++) {
      const grids = Array.from({ length: 1 + Math.floor(rnd() * 8) }, (_, i) => ({ id: `g${i}`, kind: rnd() < 0.2 ? 'dedicated' as const : 'basic' as const }));
      const buildings = Array.from({ length: Math.floor(rnd() * 60) }, (_, i) => ({
        id: `b${i}`, households: Math.floor(rnd() * 80), residents: Math.floor(rnd() * 200), partyMembers: Math.floor(rnd() * 10),
      }));
      const assignment = new Map(buildings.map((b) => [b.id, rnd() < 0.9 ? grids[Math.floor(rnd() * grids.length)].id : 'missing']));
      const t = tallyPlan(grids, buildings, assignment);
      const assigned = buildings.filter((b) => assignment.get(b.id) !== 'missing');
      const sum = (k: 'households' | 'residents' | 'partyMembers') => [...t.grids.values()].reduce((s, g) => s + g[k], 0);
      expect(sum('households')).toBe(assigned.reduce((s, b) => s + b.households, 0));
      expect(sum('residents')).toBe(assigned.reduce((s, b) => s + b.residents, 0));
      expect([...t.grids.values()].reduce((s, g) => s + g.buildings, 0) + t.unassigned.length).toBe(buildings.length);
      for (const g of t.grids.values()) {
        if (g.kind === 'dedicated') expect(g.status).toBe('dedicated');
        else expect(g.status).toBe(g.households < 300 ? 'under' : g.households > 400 ? 'over' : 'in');
      }
    }
  });
});
