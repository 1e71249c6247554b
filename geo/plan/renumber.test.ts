import { describe, expect, it } from 'vitest';
import { type RenumberGrid, readingOrder, renumberCodes } from './renumber.js';

const g = (code: string, x: number, y: number, kind: RenumberGrid['kind'] = 'basic', locked = false): RenumberGrid =>
  ({ id: code, code, kind, locked, anchor: [x, y], height: 0.004 });

describe('renumber', () => {
  it('reads rows north→south and west→east within a row, despite small latitude differences', () => {
    const order = readingOrder([g('a', 0.005, 0.001), g('b', 0.001, 0.0052), g('c', 0.004, 0.0049), g('d', 0.002, 0.0012)]);
    expect(order.map((x) => x.code)).toEqual(['b', 'c', 'd', 'a']);
  });

  it('numbers basic grids first, dedicated after, skips locked codes and lists only changes', () => {
    const map = renumberCodes('C', [
      g('C-001', 0.005, 0.001), g('C-002', 0.001, 0.005), g('C-003', 0.004, 0.005, 'basic', true),
      g('C-004', 0.001, 0.001, 'dedicated'), g('C-005', 0.002, 0.001),
    ]);
    // rows: north (C-002, [C-003 locked]), south (C-005, C-001); then the dedicated C-004.
    expect(map.get('C-002')).toBe('C-001');
    expect(map.get('C-005')).toBe('C-002');
    expect(map.get('C-001')).toBe('C-004');
    expect(map.get('C-004')).toBe('C-005');
    expect(map.has('C-003')).toBe(false);
  });
});
