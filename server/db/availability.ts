/**
 * Database availability gate: while PostgreSQL is known to be unreachable, requests that need it
 * are answered 503 at once instead of each waiting in the driver's queue for a connection that
 * cannot be made (issue #14.11: during a restart requests stalled for the whole 5 s request
 * timeout, one for 10 s — the driver's connect timeout).
 *
 * - A query failing with a connection-level error (see `isDatabaseUnavailable`: refused, reset,
 *   admin shutdown, "cannot connect now", the driver's CONNECTION_* and CONNECT_TIMEOUT) starts a
 *   probe at once; when that probe fails too (a refused or "shutting down" connection fails within
 *   milliseconds) the database is marked **down**.
 * - While down, {@link availabilityGate} answers `503 database_unavailable` with `Retry-After: 1`
 *   before the route (or the session lookup) runs, and the gated database refuses new queries.
 * - One background probe (the backend's `probe()`: a fresh connection running `SELECT 1` with a
 *   1 s connect timeout) then runs every `intervalMs`; its first success marks the database
 *   **up**. When the outage is confirmed, queries still waiting are given up (their requests
 *   answer 503 now, not at the request timeout), and a transaction given up this way can no
 *   longer run a statement or commit later when the connection comes back.
 *
 * The embedded PGlite backend never raises these errors, so its gate never closes.
 */
import type { MiddlewareHandler } from 'hono';
import { type Database, type Sql, decorateDatabase, isDatabaseUnavailable } from './client.js';
import { errorBody } from '../http-error.js';

export const PROBE_INTERVAL_MS = 500;

/** Thrown instead of running a query while the database is down (a 503 like any lost connection). */
export class DatabaseDownError extends Error {
  readonly code = 'DATABASE_DOWN';
  constructor() {
    super('数据库暂时不可用 / database is down (waiting for the next successful probe)');
    this.name = 'DatabaseDownError';
  }
}

export class DatabaseAvailability {
  /** `suspect`: a connection-level error was seen and a probe is checking; requests still run. */
  private state: 'up' | 'suspect' | 'down' = 'up';
  /** The error code that started the outage, for the log. */
  private reason = '';
  private downSince = 0;
  private probing = false;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  /** Rejecters of queries waiting when the outage was confirmed. */
  private readonly waiting = new Set<(err: Error) => void>();

  constructor(
    private readonly probe: () => Promise<unknown>,
    private readonly opts: { intervalMs?: number; log?: (m: string) => void } = {},
  ) {}

  get isDown(): boolean {
    return this.state === 'down';
  }

  /**
   * Every database error passes here. A connection-level one starts a probe at once; only a failed
   * probe marks the database down. One connection lost on its own (a killed backend, a late error
   * the driver delivers after a restart) must not turn every request away.
   */
  report(err: unknown) {
    if (err instanceof DatabaseDownError || !isDatabaseUnavailable(err)) return;
    if (this.state !== 'up' || this.closed) return;
    this.state = 'suspect';
    this.reason = (err as { code: string }).code;
    void this.runProbe();
  }

  /** Marks the database down without waiting for a probe (then probes until one succeeds). */
  markDown(reason: string) {
    if (this.state === 'down' || this.closed) return;
    this.reason = reason;
    this.enterDown();
    if (!this.probing && !this.timer) void this.runProbe();
  }

  /** Stops probing (server shutdown). */
  close() {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Runs `work` unless the database is down; gives it up if an outage is confirmed meanwhile. */
  async guard<T>(work: () => Promise<T>): Promise<T> {
    if (this.state === 'down') throw new DatabaseDownError();
    let giveUp!: (err: Error) => void;
    const givenUp = new Promise<never>((_, reject) => (giveUp = reject));
    this.waiting.add(giveUp);
    const running = work();
    try {
      return await Promise.race([running, givenUp]);
    } catch (err) {
      this.report(err);
      throw err;
    } finally {
      this.waiting.delete(giveUp);
      running.catch(() => undefined); // a query given up may still fail later: nobody waits for it
    }
  }

  private enterDown() {
    if (this.state !== 'down') {
      this.state = 'down';
      this.downSince = performance.now();
      this.opts.log?.(`database down (${this.reason}): answering 503 until a probe succeeds`);
    }
    // Whatever waits for a connection now would wait for nothing.
    for (const giveUp of this.waiting) giveUp(new DatabaseDownError());
    this.waiting.clear();
  }

  private async runProbe() {
    this.timer = null;
    if (this.state === 'up' || this.closed || this.probing) return;
    this.probing = true;
    const started = performance.now();
    try {
      await this.probe();
      if (this.state === 'down') this.opts.log?.(`database up again after ${(performance.now() - this.downSince).toFixed(0)} ms`);
      this.state = 'up';
      return;
    } catch {
      this.enterDown();
    } finally {
      this.probing = false;
    }
    if (this.closed) return;
    // Probes start every interval: a slow failure (a connect timeout) does not delay the next one.
    const wait = Math.max(0, (this.opts.intervalMs ?? PROBE_INTERVAL_MS) - (performance.now() - started));
    this.timer = setTimeout(() => void this.runProbe(), wait);
    this.timer.unref();
  }
}

/** The same database, with every query and transaction passing through the gate. */
export function gateDatabase(db: Database, gate: DatabaseAvailability): Database {
  return decorateDatabase(db, {
    query: <T>(text: string, params?: readonly unknown[]) => gate.guard(() => db.query<T>(text, params)),
    transaction: <T>(fn: (tx: Sql) => Promise<T>) => {
      let abandoned = false;
      // A transaction given up by the gate must not go on when the connection comes back: its
      // next statement fails instead (so it rolls back and never commits after its 503).
      const check = () => {
        if (abandoned) throw new DatabaseDownError();
      };
      const tx = (t: Sql): Sql => ({
        query: <T>(text: string, params?: readonly unknown[]) => {
          check();
          return t.query<T>(text, params);
        },
      });
      return gate
        .guard(() => db.transaction(async (t) => (check(), fn(tx(t)))))
        .catch((err: unknown) => {
          abandoned = true;
          throw err;
        });
    },
    // A streamed read (a layer sent from a cursor) waits for its connection and for each batch
    // like a query does: each step passes the gate, so a stream started as the database goes away
    // is given up with the rest instead of waiting for the connection to come back.
    stream: db.stream && gatedStream(db, gate),
    close: () => {
      gate.close();
      return db.close();
    },
  });
}

function gatedStream(db: Database, gate: DatabaseAvailability): NonNullable<Database['stream']> {
  return async function* <T>(text: string, params: readonly unknown[], batchRows: number) {
    const rows = db.stream!<T>(text, params, batchRows)[Symbol.asyncIterator]();
    let finished = false;
    try {
      for (;;) {
        const next = await gate.guard(() => rows.next());
        if (next.done) {
          finished = true;
          return;
        }
        yield next.value;
      }
    } finally {
      // Given up or abandoned by the reader: close the cursor once its pending batch settles.
      if (!finished) void rows.return?.(undefined)?.catch(() => undefined);
    }
  };
}

/** Paths that answer without the database: the built web app's files. */
const NEEDS_DATABASE = /^\/(api|tiles|ogc|kiosk)(\/|$)/;

/**
 * Answers 503 at once while the database is down, before anything that would query it runs.
 * `/api/health` is left to its route, which says `database: "down"` itself.
 */
export function availabilityGate(gate: DatabaseAvailability): MiddlewareHandler {
  return async (c, next) => {
    if (!gate.isDown || !NEEDS_DATABASE.test(c.req.path) || c.req.path === '/api/health') return next();
    c.header('Retry-After', '1');
    return c.json(errorBody('database_unavailable', '数据库暂时不可用，请稍后重试 / Database temporarily unavailable, please retry shortly'), 503);
  };
}

/** A gate for `db`, probing with the backend's own probe (or a plain `SELECT 1`). */
export function availabilityFor(db: Database, log?: (m: string) => void): DatabaseAvailability {
  return new DatabaseAvailability(() => (db.probe ? db.probe() : db.query('SELECT 1')), { log });
}
