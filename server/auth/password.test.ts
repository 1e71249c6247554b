import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './password.js';

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
});
