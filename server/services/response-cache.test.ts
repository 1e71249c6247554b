import { describe, expect, it } from 'vitest';
import { ResponseCache } from './response-cache.js';

const bytes = (n: number, v = 1) => new Uint8Array(n).fill(v);

describe('ResponseCache', () => {
  it('computes once and then serves from memory', async () => {
    const cache = new ResponseCache();
    let calls = 0;
    const compute = async () => (calls++, bytes(10));
    await cache.get('a', compute);
    await cache.get('a', compute);
    expect(calls).toBe(1);
    expect([cache.hits, cache.misses]).toEqual([1, 1]);
  });

  it('evicts the least recently used tiles beyond its byte budget', async () => {
    const cache = new ResponseCache(4 * (100 + 1 + 64));
    for (const k of ['a', 'b', 'c', 'x']) await cache.get(k, async () => bytes(100));
    await cache.get('a', async () => bytes(100)); // a is now most recent
    await cache.get('d', async () => bytes(100)); // evicts b
    let recomputed = '';
    for (const k of ['a', 'b']) await cache.get(k, async () => ((recomputed += k), bytes(100)));
    expect(recomputed).toBe('b');
  });

  it('serves but does not keep an answer over a quarter of its budget, so one big layer cannot evict every tile', async () => {
    const cache = new ResponseCache(4000);
    expect(cache.maxEntryBytes).toBe(1000 - 64);
    for (const k of ['t1', 't2', 't3']) await cache.get(k, async () => bytes(900));
    let calls = 0;
    const big = async () => (calls++, bytes(1200));
    expect((await cache.get('layer', big)).length).toBe(1200);
    expect((await cache.get('layer', big)).length).toBe(1200);
    expect(calls).toBe(2);
    let recomputed = 0;
    for (const k of ['t1', 't2', 't3']) await cache.get(k, async () => (recomputed++, bytes(900)));
    expect(recomputed).toBe(0);
  });

  it('forgets everything on invalidate, including a tile computed across the invalidation', async () => {
    const cache = new ResponseCache();
    await cache.get('a', async () => bytes(5, 1));
    let release!: () => void;
    const slow = cache.get('b', () => new Promise<Uint8Array>((r) => (release = () => r(bytes(5, 2)))));
    cache.invalidate();
    release();
    await slow;
    const after = await cache.get('a', async () => bytes(5, 9));
    expect(after[0]).toBe(9);
    const b = await cache.get('b', async () => bytes(5, 7));
    expect(b[0]).toBe(7);
  });

  it('tells its listeners after every invalidation', () => {
    const cache = new ResponseCache();
    const heard: number[] = [];
    cache.onInvalidate(() => heard.push(1));
    cache.onInvalidate(() => heard.push(2));
    cache.invalidate();
    cache.invalidate();
    expect(heard).toEqual([1, 2, 1, 2]);
  });
});

describe('ResponseCache keyed by the data version', () => {
  /** A version source the test moves by hand, counting its reads. */
  const source = () => {
    const s = { version: 'v1', reads: 0, read: async () => (s.reads++, s.version) };
    return s;
  };

  it('serves an entry only while the version it was computed at holds; a new version drops all', async () => {
    const v = source();
    const cache = new ResponseCache(1024 * 1024, v.read);
    const heard: string[] = [];
    cache.onInvalidate(() => heard.push(v.version));
    expect((await cache.get('a', async () => bytes(5, 1)))[0]).toBe(1);
    expect((await cache.get('a', async () => bytes(5, 2)))[0]).toBe(1);
    v.version = 'v2'; // another process committed: no invalidate() here
    expect((await cache.get('a', async () => bytes(5, 3)))[0]).toBe(3);
    expect((await cache.get('b', async () => bytes(5, 4)))[0]).toBe(4);
    expect((await cache.get('a', async () => bytes(5, 5)))[0]).toBe(3);
    expect(heard).toEqual(['v2']); // the first version seen is not a change
    expect(v.reads).toBe(5);
  });

  it('hands compute the version it read, and does not keep an answer computed across a new version', async () => {
    const v = source();
    const cache = new ResponseCache(1024 * 1024, v.read);
    const seen: (string | null)[] = [];
    let release!: () => void;
    const slow = cache.get('a', (version) => (seen.push(version), new Promise<Uint8Array>((r) => (release = () => r(bytes(5, 1))))));
    await new Promise((r) => setTimeout(r, 0));
    v.version = 'v2';
    expect((await cache.get('b', async (version) => (seen.push(version), bytes(5, 2))))[0]).toBe(2);
    release();
    await slow;
    expect((await cache.get('a', async (version) => (seen.push(version), bytes(5, 3))))[0]).toBe(3);
    expect(seen).toEqual(['v1', 'v2', 'v2']);
  });

  it('reads no version when it is off (0 bytes): nothing is kept, so nothing can be stale', async () => {
    const v = source();
    const cache = new ResponseCache(0, v.read);
    let got: string | null | undefined;
    await cache.get('a', async (version) => ((got = version), bytes(5)));
    expect([v.reads, got]).toEqual([0, null]);
  });
});
