import { describe, expect, it } from 'vitest';
import { DEFAULT_TOGGLES, initialToggles } from './toggles';

describe('initial layer toggles', () => {
  it('uses the defaults without ?layers', () => {
    expect(initialToggles('')).toEqual(DEFAULT_TOGGLES);
    expect(DEFAULT_TOGGLES.partyDensity).toBe(false);
  });

  it('turns on exactly the listed layers', () => {
    const t = initialToggles('?layers=grids,buildings');
    expect(t.grids).toBe(true);
    expect(t.buildings).toBe(true);
    expect(t.roads).toBe(false);
    expect(t.communities).toBe(false);
  });
});
