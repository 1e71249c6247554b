import { describe, expect, it } from 'vitest';
import { DEFAULT_BAND, bandStatus } from './band.js';

describe('bandStatus', () => {
  it('puts 300 and 400 inside the band and exempts dedicated grids', () => {
    expect(bandStatus(299, 'basic')).toBe('under');
    expect(bandStatus(300, 'basic')).toBe('in');
    expect(bandStatus(400, 'basic')).toBe('in');
    expect(bandStatus(401, 'basic')).toBe('over');
    expect(bandStatus(5000, 'dedicated')).toBe('dedicated');
    expect(bandStatus(10, 'basic', { lo: 5, hi: 8, target: 6 })).toBe('over');
    expect(DEFAULT_BAND.target).toBe(350);
  });
});
