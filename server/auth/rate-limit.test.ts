import { describe, expect, it } from 'vitest';
import { FailureLimiter } from './rate-limit.js';

describe('FailureLimiter', () => {
  it('blocks after the limit within the window and forgets after it', () => {
    let now = 0;
    const l = new FailureLimiter(3, 60_000, () => now);
    for (let i = 0; i < 3; i++) {
      expect(l.retryAfter('ip:1', 'user:a')).toBe(0);
      l.fail('ip:1', 'user:a');
    }
    expect(l.retryAfter('ip:1')).toBe(60);
    expect(l.retryAfter('ip:2', 'user:a')).toBe(60);
    expect(l.retryAfter('ip:2', 'user:b')).toBe(0);
    now = 60_001;
    expect(l.retryAfter('ip:1', 'user:a')).toBe(0);
  });

  it('clears a key on success', () => {
    const l = new FailureLimiter(2, 60_000, () => 0);
    l.fail('user:a');
    l.fail('user:a');
    expect(l.retryAfter('user:a')).toBeGreaterThan(0);
    l.succeed('user:a');
    expect(l.retryAfter('user:a')).toBe(0);
  });
});
