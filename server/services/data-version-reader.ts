/**
 * Reads the data version (repos/data-version.repo.ts) for the response cache: once per cached
 * request, but never more than one read at a time, shared by the requests waiting for it.
 *
 * Why a read per request and not a version pushed by LISTEN/NOTIFY or polled every 100 ms: both
 * leave a window. A notification reaches this process some time after the other process committed
 * (and a poll up to its interval later), so a request that starts after that commit could still
 * be answered from the old entry. A read issued after the request arrived cannot miss a commit
 * made before it. It is a one-row primary-key lookup: p50 0.12–0.16 ms on the demo street, the
 * same as `SELECT 1` (the round-trip floor); a cached tile hit went from p50 0.17 to 0.49 ms on a
 * busy 2-core machine (docs/life-of-a-tile-request.md). The server gives it a connection of its
 * own (server/main.ts), so it never queues behind slow queries in the pool.
 *
 * Sharing rule: a request may only use a read that was *issued after it arrived* — a read already
 * in flight may have taken its snapshot before a commit the request must see. So requests that
 * arrive while a read is in flight wait for the next one, which then serves all of them: a burst
 * of 30 tile requests costs two reads, not thirty, and reads run one after another, so the
 * versions handed out never go backwards.
 */
import type { Sql } from '../db/client.js';
import { dataVersion } from '../repos/data-version.repo.js';

interface Waiter {
  resolve: (version: string) => void;
  reject: (err: unknown) => void;
}

export class DataVersionReader {
  /** A read is in flight, or about to be issued (at the end of this event-loop turn). */
  private running = false;
  private waiting: Waiter[] = [];
  /** Reads issued so far (for tests and figures). */
  reads = 0;

  constructor(private readonly readVersion: () => Promise<string>) {}

  /** The data version as of some moment after this call: a read issued now or soon after. */
  current(): Promise<string> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      if (!this.running) this.issueSoon();
    });
  }

  /**
   * Issues the next read once this event-loop turn's I/O is handled (issue #17): requests that
   * arrived together — 64 keep-alive clients answered by one read send their next requests in one
   * burst — share one read, instead of the first taking a read alone and the rest waiting for the
   * one after it. The read is still issued after every request it serves arrived.
   */
  private issueSoon() {
    this.running = true;
    setImmediate(() => this.issue());
  }

  private issue() {
    const batch = this.waiting;
    this.waiting = [];
    this.running = true;
    this.reads++;
    const settle = (deliver: (w: Waiter) => void) => {
      this.running = false;
      for (const w of batch) deliver(w);
      if (this.waiting.length) this.issueSoon();
    };
    this.readVersion().then(
      (version) => settle((w) => w.resolve(version)),
      (err: unknown) => settle((w) => w.reject(err)),
    );
  }
}

/** A reader of `db`'s data version. */
export const dataVersionReader = (db: Sql) => new DataVersionReader(() => dataVersion(db));
