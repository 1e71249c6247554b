import { describe, expect, it } from 'vitest';
import { formatDetail, formatLocalTime, localDayIso } from './format';

describe('admin formatting', () => {
  it('turns a date input into local midnight, optionally a day later', () => {
    const from = new Date(localDayIso('2024-06-01')!);
    expect([from.getFullYear(), from.getMonth(), from.getDate(), from.getHours(), from.getMinutes()]).toEqual([2024, 5, 1, 0, 0]);
    const to = new Date(localDayIso('2024-06-30', 1)!);
    expect([to.getMonth(), to.getDate(), to.getHours()]).toEqual([6, 1, 0]);
    expect(localDayIso('')).toBeUndefined();
    expect(localDayIso('2024-6-1')).toBeUndefined();
  });

  it('formats times in local 24-hour form and tolerates bad input', () => {
    const iso = new Date(2024, 5, 1, 14, 3, 5).toISOString();
    expect(formatLocalTime(iso, 'zh-CN')).toMatch(/2024\/6\/1\s+14:03:05/);
    expect(formatLocalTime(null, 'en')).toBe('—');
    expect(formatLocalTime('nonsense', 'en')).toBe('nonsense');
  });

  it('lists detail fields compactly', () => {
    expect(formatDetail({ households: 12, contacts: false })).toBe('households: 12 · contacts: false');
    expect(formatDetail({})).toBe('');
    expect(formatDetail(null)).toBe('');
  });
});
