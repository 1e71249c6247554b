import { describe, expect, it } from 'vitest';
import { DEFAULT_BAND, bandStatus } from './band.js';

describe('bandStatus', () => {
  it('uses the 300–400 band aiming at 350', () => {
    expect(DEFAULT_BAND).toEqual({ lo: 300, hi: 400, target: 350 });
    expect(Object.isFrozen(DEFAULT_BAND)).toBe(true);
  });

  it('puts 300 and 400 themselves inside the band', () => {
    expect(bandStatus(0, 'basic')).toBe('under');
    expect(bandStatus(299, 'basic')).toBe('under');
    expect(bandStatus(299.5, 'basic')).toBe('under');
    expect(bandStatus(300, 'basic')).toBe('in');
    expect(bandStatus(350, 'basic')).toBe('in');
    expect(bandStatus(400, 'basic')).toBe('in');
    expect(bandStatus(400.5, 'basic')).toBe('over');
    expect(bandStatus(401, 'basic')).toBe('over');
  });

  it('never judges dedicated grids', () => {
    for (const n of [0, 10, 350, 5000]) expect(bandStatus(n, 'dedicated')).toBe('dedicated');
  });

  it('accepts another band', () => {
    const band = { lo: 5, hi: 8, target: 6 };
    expect(bandStatus(4, 'basic', band)).toBe('under');
    expect(bandStatus(5, 'basic', band)).toBe('in');
    expect(bandStatus(8, 'basic', band)).toBe('in');
    expect(bandStatus(10, 'basic', band)).toBe('over');
  });

  it('refuses a missing or negative count instead of calling it in band', () => {
    expect(() => bandStatus(NaN, 'basic')).toThrow(RangeError);
    expect(() => bandStatus(-1, 'basic')).toThrow(RangeError);
    expect(() => bandStatus(undefined as unknown as number, 'basic')).toThrow(RangeError);
    expect(() => bandStatus(350, 'basic', { lo: 400, hi: 300, target: 350 })).toThrow(RangeError);
  });
});
