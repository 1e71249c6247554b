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
/** The end of this event-loop turn, when the reader issues its next read. */
const tick = () => new Promise((r) => setImmediate(r));

describe('DataVersionReader', () => {
  it('never gives a request a read issued before it arrived; requests waiting together share one read', async () => {
    const m = manual();
    const reader = new DataVersionReader(m.read);
    const a = reader.current();
    await tick(); // a's read is issued at the end of the event-loop turn a arrived in
    m.version = 2; // a commit lands after a's read took its snapshot
    const b = reader.current(); // arrived after the commit: must not get a's answer
    const c = reader.current();
    await tick();
    expect(m.pending).toHaveLength(1); // one read at a time
    m.pending.shift()!.answer();
    expect(await a).toBe('1');
    await tick();
    expect(m.pending).toHaveLength(1); // b and c: one read, issued after they arrived
    m.pending.shift()!.answer();
    expect([await b, await c]).toEqual(['2', '2']);
    expect(reader.reads).toBe(2);
  });

  it('lets requests that arrive in one event-loop turn share the read issued at its end', async () => {
    const m = manual();
    const reader = new DataVersionReader(m.read);
    const burst = [reader.current(), reader.current(), reader.current()];
    m.version = 2; // before the turn ends: the read, issued after every request of the burst, sees it
    await tick();
    expect(m.pending).toHaveLength(1);
    m.pending.shift()!.answer();
    expect(await Promise.all(burst)).toEqual(['2', '2', '2']);
    expect(reader.reads).toBe(1);
  });

  it('passes a failed read to its waiters and keeps working', async () => {
    const m = manual();
    const reader = new DataVersionReader(m.read);
    const a = reader.current();
    await tick();
    const b = reader.current();
    m.pending.shift()!.fail(new Error('down'));
    await expect(a).rejects.toThrow('down');
    await tick();
    m.pending.shift()!.answer();
    expect(await b).toBe('1');
    const c = reader.current();
    await tick();
    m.pending.shift()!.answer();
    expect(await c).toBe('1');
  });
});
