import { describe, expect, it } from 'vitest';
import { DataVersionReader } from './data-version-reader.js';

/** A version store whose reads the test answers by hand, recording the version at issue time. */
function manual() {
  const m = {
    version: 1,
    pending: [] as Array<{ at: number; answer: () => void; fail: (e: unknown) => void }>,
    read: () =>
      new Promise<string>((resolve, reject) => {
        const at = m.version; // the snapshot this read takes
        m.pending.push({ at, answer: () => resolve(String(at)), fail: reject });
      }),
  };
  return m;
}
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('DataVersionReader', () => {
  it('never gives a request a read issued before it arrived; requests waiting together share one read', async () => {
    const m = manual();
    const reader = new DataVersionReader(m.read);
    const a = reader.current();
    m.version = 2; // a commit lands after a's read took its snapshot
    const b = reader.current(); // arrived after the commit: must not get a's answer
    const c = reader.current();
    expect(m.pending).toHaveLength(1); // one read at a time
    m.pending.shift()!.answer();
    expect(await a).toBe('1');
    await tick();
    expect(m.pending).toHaveLength(1); // b and c: one read, issued after they arrived
    m.pending.shift()!.answer();
    expect([await b, await c]).toEqual(['2', '2']);
    expect(reader.reads).toBe(2);
  });

  it('passes a failed read to its waiters and keeps working', async () => {
    const m = manual();
    const reader = new DataVersionReader(m.read);
    const a = reader.current();
    const b = reader.current();
    m.pending.shift()!.fail(new Error('down'));
    await expect(a).rejects.toThrow('down');
    await tick();
    m.pending.shift()!.answer();
    expect(await b).toBe('1');
    const c = reader.current();
    m.pending.shift()!.answer();
    expect(await c).toBe('1');
  });
});
