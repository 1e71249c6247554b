/**
 * Login throttling: at most `limit` failures per key (IP, and username) within `windowMs`; further
 * attempts are refused with the seconds to wait. In memory: a restart forgets, which is acceptable
 * for a single-process server and keeps the embedded backend simple.
 */
export class FailureLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limit = 5,
    private readonly windowMs = 15 * 60 * 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until another attempt is allowed for any of the keys, or 0. */
  retryAfter(...keys: string[]): number {
    const t = this.now();
    let wait = 0;
    for (const key of keys) {
      const recent = (this.failures.get(key) ?? []).filter((at) => t - at < this.windowMs);
      this.failures.set(key, recent);
      if (recent.length >= this.limit) wait = Math.max(wait, Math.ceil((recent[0] + this.windowMs - t) / 1000));
    }
    return wait;
  }

  fail(...keys: string[]) {
    const t = this.now();
    for (const key of keys) this.failures.set(key, [...(this.failures.get(key) ?? []), t]);
  }

  succeed(...keys: string[]) {
    for (const key of keys) this.failures.delete(key);
  }
}
