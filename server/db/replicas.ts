/**
 * Read replicas (issue #19.3): `DATABASE_URL` is the primary, `DATABASE_REPLICA_URLS` optional
 * streaming replicas. Reads of the read-mostly routes (layers, tiles, stats, OGC, screen) go to a
 * replica; everything else — writes, transactions, sessions' own writes, jobs — to the primary.
 *
 * Why a router at the query-function level and not drizzle-orm's `withReplicas`: the repositories
 * run raw parameterised SQL through {@link Database.query} (PostGIS functions, `ST_AsMVT`), not
 * drizzle's query builder, so `withReplicas`' select/write split never sees them; and the choice
 * depends on the HTTP request (its route and the caller's last write), which a query builder
 * cannot know. The router is small: the request's choice travels in an AsyncLocalStorage, and
 * {@link routedDatabase} sends each statement of that request to it.
 *
 * Read-your-writes: after a successful write request the server reads the primary's WAL position
 * (`pg_current_wal_lsn()`, after the commit) and gives the client a cookie with it; a later read
 * by that client — through ANY app server, the cookie travels with the client — goes to a replica
 * only once the replica has replayed past it (`pg_last_wal_replay_lsn()`), else to the primary.
 * Others read the replica at once: they see the write within the replica's lag.
 *
 * A replica that lags more than `maxLagMs`, or did not answer its last check, is skipped; a
 * statement that fails on a replica because it is down, because it wrote (a read that stores a
 * tile or a figure: "read-only transaction"), or because it was cancelled by a recovery conflict,
 * is run again on the primary — so a replica going away costs no request.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { type Database, type Row, decorateDatabase, isDatabaseUnavailable } from './client.js';

/** Cookie with the primary's WAL position after the client's last write. */
export const WRITE_LSN_COOKIE = 'ga_lsn';

/** Routes whose GET/HEAD requests may read a replica. */
const READ_PREFIXES = ['/tiles/', '/ogc', '/api/layers', '/api/stats', '/api/screen'];

/** Statements run again on the primary when a replica refuses them. */
const RETRY_ON_PRIMARY = new Set(['25006', '40001']);

/** The replica chosen for the current request (its index), or none: the primary. */
const chosen = new AsyncLocalStorage<{ replica: number | null }>();

/** Index of the replica chosen for the current request, or null (the primary). */
export const currentReplica = (): number | null => chosen.getStore()?.replica ?? null;

/** An LSN `X/Y` (hex) as a number (fits: 2^53 bytes of WAL is far away). */
export function lsnValue(lsn: string): number {
  const [hi, lo] = lsn.split('/');
  return parseInt(hi, 16) * 2 ** 32 + parseInt(lo, 16);
}

interface ReplicaState {
  /** Replay position at the last check; null: not answering. */
  replayLsn: number | null;
  /** How far behind the primary, in ms (time since the primary was where the replica now is). */
  lagMs: number;
  /** Requests sent here (for the cluster test and /api/health). */
  reads: number;
}

export interface ReplicaOptions {
  /** Skip a replica further behind than this. */
  maxLagMs?: number;
  /** How often the primary's and replicas' WAL positions are read. */
  checkMs?: number;
}

/**
 * Watches the replicas' replay positions against the primary's and picks one for a read.
 * `replicas` are their connection pools; `checks` are connections used only for the checks.
 */
export class ReplicaRouter {
  readonly states: ReplicaState[];
  private readonly samples: { at: number; lsn: number }[] = [];
  private timer: ReturnType<typeof setInterval> | null = null;
  private next = 0;
  private checking = false;
  private readonly maxLagMs: number;
  primaryReads = 0;

  constructor(
    private readonly primary: Database,
    readonly replicas: Database[],
    opts: ReplicaOptions = {},
  ) {
    this.maxLagMs = opts.maxLagMs ?? 2000;
    this.states = replicas.map(() => ({ replayLsn: null, lagMs: Infinity, reads: 0 }));
    if (replicas.length) {
      const check = () => void this.check();
      this.timer = setInterval(check, opts.checkMs ?? 100);
      this.timer.unref();
    }
  }

  /** Reads the positions once (also called by the timer). */
  async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      await this.checkOnce();
    } finally {
      this.checking = false;
    }
  }

  private async checkOnce(): Promise<void> {
    const [p] = await this.primary.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn').catch(() => [] as { lsn: string }[]);
    const now = Date.now();
    if (p) this.samples.push({ at: now, lsn: lsnValue(p.lsn) });
    while (this.samples.length > 2 && now - this.samples[1].at > this.maxLagMs * 2) this.samples.shift();
    await Promise.all(this.replicas.map(async (r, i) => {
      const state = this.states[i];
      try {
        // Only a server in recovery is a replica: a promoted one (or a primary that replayed WAL in
        // crash recovery) also reports a replay position, but it no longer follows the primary.
        const [row] = await r.query<{ lsn: string | null }>('SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()::text END AS lsn');
        state.replayLsn = row?.lsn ? lsnValue(row.lsn) : null;
      } catch {
        state.replayLsn = null;
      }
      // The newest primary position this replica has reached: its lag is the time since then.
      const reached = state.replayLsn === null ? undefined : this.samples.findLast((s) => s.lsn <= state.replayLsn!);
      const newest = this.samples.at(-1);
      state.lagMs = reached ? (newest && reached.lsn >= newest.lsn ? 0 : now - reached.at) : Infinity;
    }));
  }

  /** A replica for a read by a client whose last write left the primary at `afterLsn`; null: the primary. */
  pick(afterLsn: number | null): number | null {
    const n = this.replicas.length;
    for (let k = 0; k < n; k++) {
      const i = (this.next + k) % n;
      const s = this.states[i];
      if (s.replayLsn === null || s.lagMs > this.maxLagMs) continue;
      if (afterLsn !== null && s.replayLsn < afterLsn) continue;
      this.next = (i + 1) % n;
      return i;
    }
    return null;
  }

  /**
   * Runs `fn` as one request's read of a read route: its statements go to a replica that has
   * replayed past `afterLsn` (or the primary). `fn` gets the `X-GridAtlas-Read` value. Used by the
   * middleware and by the tile fast path (http/tile-fast-path.ts), which answers before Hono.
   */
  read<T>(afterLsn: number | null, fn: (label: string) => T): T {
    const replica = this.pick(afterLsn);
    if (replica === null) this.primaryReads++;
    else this.states[replica].reads++;
    return chosen.run({ replica }, () => fn(replica === null ? 'primary' : `replica-${replica + 1}`));
  }

  /** The request's reads of a read route go to a replica; writes leave the read-your-writes cookie. */
  middleware(): MiddlewareHandler {
    return async (c, next) => {
      const method = c.req.method;
      if (method === 'GET' || method === 'HEAD') {
        if (!READ_PREFIXES.some((p) => c.req.path.startsWith(p))) return next();
        const cookie = getCookie(c, WRITE_LSN_COOKIE);
        const after = cookie && /^[0-9A-F]{1,8}\/[0-9A-F]{1,8}$/i.test(cookie) ? lsnValue(cookie) : null;
        return this.read(after, (label) => {
          c.header('X-GridAtlas-Read', label);
          return next();
        });
      }
      await next();
      if (method === 'OPTIONS' || c.res.status >= 400) return;
      const [row] = await this.primary.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn').catch(() => []);
      // Five minutes: far beyond any lag a replica may have and still be used (maxLagMs).
      if (row) setCookie(c, WRITE_LSN_COOKIE, row.lsn, { path: '/', httpOnly: true, sameSite: 'Lax', maxAge: 300 });
    };
  }

  close() {
    if (this.timer) clearInterval(this.timer);
  }
}

/**
 * `primary` whose plain statements run on the replica the current request chose (see
 * {@link ReplicaRouter.middleware}); transactions always on the primary. A statement a replica
 * cannot answer (down, read-only, recovery conflict) is run again on the primary.
 */
export function routedDatabase(primary: Database, replicas: Database[]): Database {
  const query = async <T = Row>(text: string, params?: readonly unknown[]): Promise<T[]> => {
    const i = currentReplica();
    const replica = i === null ? undefined : replicas[i];
    if (!replica) return primary.query<T>(text, params);
    try {
      return await replica.query<T>(text, params);
    } catch (err) {
      const code = (err as { code?: string }).code ?? '';
      if (!isDatabaseUnavailable(err) && !RETRY_ON_PRIMARY.has(code)) throw err;
      return primary.query<T>(text, params);
    }
  };
  return decorateDatabase(primary, {
    query,
    transaction: (fn) => primary.transaction(fn),
    close: async () => {
      await Promise.all([primary, ...replicas].map((d) => d.close()));
    },
  });
}
