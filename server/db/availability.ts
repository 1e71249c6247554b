/**
 * Database availability gate: while PostgreSQL is known to be unreachable, requests that need it
 * are answered 503 at once instead of each waiting in the driver's queue for a connection that
 * cannot be made (issue #14.11: during a restart requests stalled for the whole 5 s request
 * timeout, one for 10 s — the driver's connect timeout).
 *
 * - A query failing with a connection-level error (see `isDatabaseUnavailable`: refused, reset,
 *   admin shutdown, "cannot connect now", the driver's CONNECTION_* and CONNECT_TIMEOUT) marks the
 *   database **down**.
 * - While down, {@link availabilityGate} answers `503 database_unavailable` with `Retry-After: 1`
 *   before the route (or the session lookup) runs, and the gated database refuses new queries.
 * - One background probe (the backend's `probe()`: a fresh connection running `SELECT 1` with a
 *   short connect timeout) runs at once and then every `intervalMs`; its first success marks the
 *   database **up**. Its first failure confirms the outage: queries still waiting then are given
 *   up (their requests answer 503 now, not at the request timeout), and a transaction given up
 *   this way can no longer run a statement or commit later when the connection comes back.
 *
 * The embedded PGlite backend never raises these errors, so its gate never closes.
 */
import type { MiddlewareHandler } from 'hono';
import { type Database, type Sql, isDatabaseUnavailable } from './client.js';
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
  private down = false;
  private downSince = 0;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  /** Rejecters of queries waiting when the outage was confirmed. */
  private readonly waiting = new Set<(err: Error) => void>();

  constructor(
    private readonly probe: () => Promise<unknown>,
    private readonly opts: { intervalMs?: number; log?: (m: string) => void } = {},
  ) {}

  get isDown(): boolean {
    return this.down;
  }

  /** Milliseconds since the database was marked down, or 0 while up. */
  get downForMs(): number {
    return this.down ? performance.now() - this.downSince : 0;
  }

  /** Every database error passes here: a connection-level one marks the database down. */
  report(err: unknown) {
    if (err instanceof DatabaseDownError || !isDatabaseUnavailable(err)) return;
    this.markDown((err as { code: string }).code);
  }

  markDown(reason: string) {
    if (this.down || this.closed) return;
    this.down = true;
    this.downSince = performance.now();
    this.opts.log?.(`database down (${reason}): answering 503 until a probe succeeds`);
    void this.runProbe();
  }

  /** Stops probing (server shutdown). */
  close() {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Runs `work` unless the database is down; gives it up if an outage is confirmed meanwhile. */
  async guard<T>(work: () => Promise<T>): Promise<T> {
    if (this.down) throw new DatabaseDownError();
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

  private async runProbe() {
    this.timer = null;
    if (!this.down || this.closed) return;
    const started = performance.now();
    try {
      await this.probe();
      this.down = false;
      this.opts.log?.(`database up again after ${(performance.now() - this.downSince).toFixed(0)} ms`);
      return;
    } catch {
      // Still down: whatever waits for a connection now would wait for nothing.
      for (const giveUp of this.waiting) giveUp(new DatabaseDownError());
      this.waiting.clear();
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
  return {
    get backend() {
      return db.backend;
    },
    get capabilities() {
      return db.capabilities;
    },
    set capabilities(c) {
      db.capabilities = c;
    },
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
    probe: db.probe,
    close: () => {
      gate.close();
      return db.close();
    },
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
