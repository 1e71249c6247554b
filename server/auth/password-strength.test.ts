import { describe, expect, it } from 'vitest';
import { passwordProblem } from './password-strength.js';

const owner = (username: string, displayName?: string) => ({ username, displayName });

describe('password strength (issue #14.10)', () => {
  it('refuses common and guessable passwords that pass a character-class rule', async () => {
    for (const weak of ['password12', 'Password123', 'qwertyuiop1', 'abc123abc123', '1234567890a', 'iloveyou2024', 'admin12345!']) {
      const p = await passwordProblem(weak, owner('li_ming'));
      expect(p, weak).not.toBeNull();
      expect(p!.code).toBe('weak_password');
      expect(p!.zh).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('refuses a password containing the username in any case', async () => {
    for (const pw of ['wang2024wang', 'WANG-Correct-Horse-88', 'xx-Wang-battery-staple-7']) {
      expect((await passwordProblem(pw, owner('wang')))?.en, pw).toMatch(/username/);
    }
  });

  it('counts the display name and product words as known to the attacker', async () => {
    expect(await passwordProblem('Zhangwei2024', owner('zw01', 'Zhangwei'))).not.toBeNull();
    expect(await passwordProblem('Gridatlas2024', owner('zw01'))).not.toBeNull();
  });

  it('keeps the minimum length and accepts strong passwords', async () => {
    expect((await passwordProblem('Xq7#pL', owner('wang')))?.zh).toMatch(/至少 10/);
    for (const strong of ['correct horse 42 battery', 'Tq7!vR2#pLm9x', 'Test-password-2024', '网格员-Secret-2024']) {
      expect(await passwordProblem(strong, owner('wang')), strong).toBeNull();
    }
  });
});
