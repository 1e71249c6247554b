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
    const cache = new ResponseCache(3 * (100 + 1 + 64));
    for (const k of ['a', 'b', 'c']) await cache.get(k, async () => bytes(100));
    await cache.get('a', async () => bytes(100)); // a is now most recent
    await cache.get('d', async () => bytes(100)); // evicts b
    let recomputed = '';
    for (const k of ['a', 'b']) await cache.get(k, async () => ((recomputed += k), bytes(100)));
    expect(recomputed).toBe('b');
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
