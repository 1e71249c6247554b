import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblem, verifyPassword } from './password.js';

describe('password hashing', () => {
  it('verifies the right password only, with a fresh salt each time', async () => {
    const a = await hashPassword('网格员-Secret-2024');
    const b = await hashPassword('网格员-Secret-2024');
    expect(a).not.toBe(b);
    expect(a.startsWith('scrypt$')).toBe(true);
    expect(await verifyPassword('网格员-Secret-2024', a)).toBe(true);
    expect(await verifyPassword('网格员-Secret-2025', a)).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
  });

  it('rejects weak passwords with a bilingual reason', () => {
    expect(passwordProblem('short1')).toMatch(/至少 10/);
    expect(passwordProblem('aaaaaaaaaaaa')).toMatch(/two kinds/);
    expect(passwordProblem('correct horse 42')).toBeNull();
  });
});
