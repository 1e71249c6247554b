/**
 * One database interface, two backends.
 *
 * - `postgis`: native PostgreSQL + PostGIS through the `postgres` driver (DATABASE_URL set).
 * - `pglite`: embedded PGlite + `@electric-sql/pglite-postgis`, data kept in a local folder
 *   (the default, so `npm start` works on a machine with no database server).
 *
 * Both speak the same SQL; repositories call {@link Sql.query} with `$1`-style parameters and
 * never see which backend they run on. The few capability differences (ST_AsMVT, pgRouting)
 * are probed once at open and exposed as {@link Database.capabilities}.
 */
import type { PGlite } from '@electric-sql/pglite';
import type { Sql as PostgresSql } from 'postgres';

export type Row = Record<string, unknown>;

/** Something that runs parameterised SQL: the database itself or an open transaction. */
export interface Sql {
  query<T = Row>(text: string, params?: readonly unknown[]): Promise<T[]>;
}

export interface Capabilities {
  /** `ST_AsMVT` works (needs PostGIS built with protobuf-c; PGlite's is not). */
  asMvt: boolean;
  /** pgRouting is installed (native only; used as a test oracle). */
  pgRouting: boolean;
  postgisVersion: string;
}

export interface Database extends Sql {
  readonly backend: 'postgis' | 'pglite';
  capabilities: Capabilities;
  /** Runs `fn` in one transaction: everything or nothing. */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  /**
   * Checks on a fresh connection, outside the pool, that the database answers (`SELECT 1`);
   * rejects fast when it does not. Used by the availability gate (db/availability.ts) to learn
   * when a lost PostgreSQL is back, without queueing behind the pool's requests.
   */
  probe?(): Promise<void>;
  /**
   * Runs a SELECT and yields its rows in batches of about `batchRows` as PostgreSQL sends them
   * (a portal fetched in steps), so a large result never sits whole in memory. Native only; see
   * {@link streamRows} for the fallback.
   */
  stream?<T = Row>(text: string, params: readonly unknown[], batchRows: number): AsyncIterable<T[]>;
  close(): Promise<void>;
}

/** `db.stream(…)` where the backend has it; otherwise the whole result as one batch (PGlite). */
export async function* streamRows<T = Row>(db: Database, text: string, params: readonly unknown[], batchRows: number): AsyncGenerator<T[]> {
  if (!db.stream) {
    yield await db.query<T>(text, params);
    return;
  }
  yield* db.stream<T>(text, params, batchRows);
}

/**
 * The same database with its statements passed through `around` (the availability gate, a test's
 * error recorder): backend, capabilities and probe stay those of `db`; `close` defaults to db's.
 */
export function decorateDatabase(
  db: Database,
  around: Pick<Database, 'query' | 'transaction'> & Partial<Pick<Database, 'stream'>> & { close?: () => Promise<void> },
): Database {
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
    query: around.query,
    transaction: around.transaction,
    probe: db.probe,
    stream: 'stream' in around ? around.stream : db.stream,
    close: around.close ?? (() => db.close()),
  };
}

/** Driver and server codes that mean "the database is not reachable right now". */
const UNAVAILABLE = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT', 'DATABASE_DOWN', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006',
]);

export function isDatabaseUnavailable(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && UNAVAILABLE.has(code);
}

let rejectionGuard = false;

/**
 * postgres.js `begin()` races a transaction against its connection closing; when the socket dies
 * the losing branch still sends ROLLBACK, and that rejection has no listener (the caller already
 * got the error). Left alone, Node would exit. Only that class — a lost connection — is logged
 * and dropped; any other unhandled rejection still ends the process as usual.
 */
function guardLostConnectionRejections() {
  if (rejectionGuard) return;
  rejectionGuard = true;
  process.on('unhandledRejection', (reason) => {
    if (isDatabaseUnavailable(reason)) {
      console.warn(`[gridatlas] database connection lost during a transaction (${(reason as { code: string }).code}); request already answered`);
      return;
    }
    throw reason;
  });
}

/** A probe that cannot connect within this is a failed probe (the database counts as down). */
export const PROBE_CONNECT_TIMEOUT_S = 1;
/** The pool's connect timeout (seconds); see `neverSent` for what happens to the statement. */
export const CONNECT_TIMEOUT_S = 2;

/** No single statement runs longer than this on the native backend. */
export const STATEMENT_TIMEOUT_MS = 300_000;

/**
 * A statement's connection died under it (its backend terminated by a shutdown or
 * `pg_terminate_backend`: 57P01, or the socket closed or reset first): it did not complete.
 */
const LOST_STATEMENT = new Set(['57P01', 'CONNECTION_CLOSED', 'ECONNRESET']);
function isTerminatedBackend(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && LOST_STATEMENT.has(code);
}

/**
 * The driver gave up connecting (`CONNECT_TIMEOUT`) before the statement was sent: postgres.js
 * binds a statement to the connection it opens for it and sends it only once PostgreSQL is ready
 * for queries, which also stops that timer. Such a statement never ran, so running it again — a
 * write or a whole transaction included — cannot do anything twice.
 */
export function neverSent(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 'CONNECT_TIMEOUT';
}

/** A plain read: running it again cannot change data (no data-modifying CTE, no sequence or notify). */
export function isReadOnlyStatement(text: string): boolean {
  return /^\s*(SELECT|WITH)\b/i.test(text) && !/\b(INSERT|UPDATE|DELETE|MERGE|nextval|setval|pg_notify|pg_advisory\w*|FOR\s+UPDATE)\b/i.test(text);
}

/** How long a read retried after its backend was terminated may take before the original error stands. */
const READ_RETRY_MS = 500;

/**
 * One more try of a read whose backend was terminated, on another connection: a single killed
 * backend (an administrator's `pg_terminate_backend`, the backends a restarting server still had)
 * costs the request nothing. When the server is really going away the retry fails at once
 * (refused, "shutting down") or is abandoned after {@link READ_RETRY_MS}, and the original error
 * stands — the availability gate then answers 503 as before, no later (tests/load/pg-restart.ts).
 */
async function retryRead<T>(again: () => Promise<T>, original: unknown): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(original), READ_RETRY_MS)));
  const retried = again();
  retried.catch(() => undefined);
  try {
    return await Promise.race([retried, late]);
  } catch {
    throw original;
  } finally {
    clearTimeout(timer);
  }
}

/** Native PostgreSQL via `postgres`. int8 is parsed to number (counts fit easily). */
export async function openNative(url: string, opts: { max?: number } = {}): Promise<Database> {
  const { default: postgres } = await import('postgres');
  guardLostConnectionRejections();
  const connect = (): PostgresSql => postgres(url, {
    max: opts.max ?? 16,
    onnotice: () => {},
    idle_timeout: 30,
    // A connection PostgreSQL does not complete within 2 s is given up, and the statement waiting
    // for it runs once more on another connection (`neverSent`). The restart test saw a socket
    // opened within ~20 ms of PostgreSQL starting to listen never answered (no backend logged it):
    // its request waited the whole timeout — 10 s, then 5 s — for its 503.
    connect_timeout: CONNECT_TIMEOUT_S,
    // Retry a lost server every 250 ms rather than the driver's growing back-off (up to 20 s),
    // so requests recover as soon as PostgreSQL accepts connections again.
    backoff: () => 0.25,
    // A request given up after its timeout (503) does not cancel its query; this bounds how long
    // such a query can keep a connection and a core busy. Generous: the longest legitimate
    // statements (seeding or importing a 100k-building street) take well under a minute.
    connection: { statement_timeout: STATEMENT_TIMEOUT_MS },
    types: {
      bigint: { to: 20, from: [20], parse: (v: string) => Number(v), serialize: (v: number) => String(v) },
      // A string bound to a json parameter is already JSON (as with PGlite): do not encode it twice.
      json: {
        to: 114,
        from: [114, 3802],
        parse: (v: string) => JSON.parse(v),
        serialize: (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v)),
      },
    },
  });
  let sql = connect();
  // PostGIS caches catalogue OIDs in each backend: when its extension is dropped and created again
  // under a running server (another process's `pg_restore --clean`, issue #16.2), every connection
  // that ran spatial SQL before fails with these until it is replaced. The pool is then replaced
  // (the old one ends once its queries are done) and the statement retried once on a new connection;
  // a transaction is not retried (its function may have done more than SQL), the next one is fresh.
  const renew = (failed: PostgresSql, err: unknown): boolean => {
    if (!isStaleExtensionCache(err)) return false;
    if (failed === sql) {
      sql = connect();
      void failed.end({ timeout: 5 }).catch(() => undefined);
    }
    return true;
  };
  const run = (s: PostgresSql) => ({
    query: async <T = Row>(text: string, params: readonly unknown[] = []) =>
      (await s.unsafe(text, params as never[])) as unknown as T[],
  });
  const db: Database = {
    backend: 'postgis',
    capabilities: { asMvt: false, pgRouting: false, postgisVersion: '' },
    query: async <T = Row>(text: string, params: readonly unknown[] = []) => {
      const s = sql;
      try {
        return await run(s).query<T>(text, params);
      } catch (err) {
        if (renew(s, err)) return run(sql).query<T>(text, params);
        if (neverSent(err)) return run(sql).query<T>(text, params);
        if (isTerminatedBackend(err) && isReadOnlyStatement(text)) return retryRead(() => run(sql).query<T>(text, params), err);
        throw err;
      }
    },
    transaction: async <T>(fn: (tx: Sql) => Promise<T>) => {
      const s = sql;
      const attempt = (p: PostgresSql) => p.begin((tx) => fn(run(tx as unknown as PostgresSql))) as Promise<T>;
      try {
        return await attempt(s);
      } catch (err) {
        renew(s, err);
        // BEGIN never reached PostgreSQL, so `fn` never ran: the whole transaction runs once more.
        if (neverSent(err)) return attempt(sql);
        throw err;
      }
    },
    stream: async function* <T = Row>(text: string, params: readonly unknown[], batchRows: number) {
      const cursor = (s: PostgresSql) => s.unsafe(text, params as never[]).cursor(batchRows) as unknown as AsyncIterable<T[]>;
      const s = sql;
      let sent = false;
      try {
        for await (const rows of cursor(s)) {
          sent = true;
          yield rows;
        }
      } catch (err) {
        // As `query`: retried once on a new pool, unless rows already went out.
        if (sent || !renew(s, err)) throw err;
        yield* cursor(sql);
      }
    },
    probe: async () => {
      const one = postgres(url, { max: 1, connect_timeout: PROBE_CONNECT_TIMEOUT_S, idle_timeout: 1, onnotice: () => {} });
      try {
        await one`SELECT 1`;
      } finally {
        await one.end({ timeout: 0 }).catch(() => undefined);
      }
    },
    close: () => sql.end({ timeout: 5 }),
  };
  return db;
}

/**
 * PostGIS's per-backend caches pointing at a dropped extension's objects (XX000 "no spatial operator
 * found for 'st_intersects': opfamily …", "cache lookup failed for …"): the backend must be replaced.
 */
export function isStaleExtensionCache(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | null;
  return e?.code === 'XX000' && /no spatial operator found|cache lookup failed for/.test(e.message ?? '');
}

/** Embedded PGlite with PostGIS, persisted under `dataDir` (created on first start). */
export async function openEmbedded(dataDir: string | undefined): Promise<Database> {
  const [{ PGlite }, { postgis }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite-postgis'),
  ]);
  if (dataDir) {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dataDir, { recursive: true });
  }
  const pg: PGlite = await PGlite.create({ dataDir, extensions: { postgis } });
  const run = (s: Pick<PGlite, 'query'>) => ({
    query: async <T = Row>(text: string, params: readonly unknown[] = []) => {
      const result = await s.query<T>(text, params as unknown[]);
      const returnsRows = RETURNS_ROWS.test(text) || (READS_ROWS.test(text) && !MODIFIES_ROWS.test(text));
      if (result.fields.length === 0 && returnsRows) throw new SilentQueryFailure(text);
      return result.rows;
    },
  });
  // PGlite is single-connection: serialise transactions so two requests never interleave inside one.
  let queue: Promise<unknown> = Promise.resolve();
  const db: Database = {
    backend: 'pglite',
    capabilities: { asMvt: false, pgRouting: false, postgisVersion: '' },
    ...run(pg),
    transaction: <T>(fn: (tx: Sql) => Promise<T>) => {
      const next = queue.then(() => pg.transaction((tx) => fn(run(tx))));
      queue = next.catch(() => undefined);
      return next as Promise<T>;
    },
    close: () => pg.close(),
  };
  return db;
}

/** A query that reads rows: it always has a row description, even with no rows. */
const READS_ROWS = /^\s*(SELECT|WITH)\b/i;
const MODIFIES_ROWS = /\b(INSERT|UPDATE|DELETE)\b/i;
/** A write with RETURNING also always has a row description (even when it failed this way). */
const RETURNS_ROWS = /\bRETURNING\b/i;

/**
 * PGlite's PostGIS (GEOS compiled to WebAssembly) can fail inside a geometry function without
 * reporting it: the query then answers no rows and no row description instead of an error (seen
 * with ST_Difference on valid polygons that native GEOS handles). Such an answer is turned into
 * this error, so it is never mistaken for "no rows" (a plan validation that finds nothing wrong).
 * A write failing this way answers "no rows changed" (with RETURNING: a row description and no
 * rows), which only the writer can tell from a real "nothing matched": the polygon editor counts
 * the rows of every geometry write (repos/plan-polygon-ops.repo.ts).
 */
export class SilentQueryFailure extends Error {
  constructor(text: string) {
    super(`PGlite answered without a result (an error inside an extension, e.g. GEOS, went unreported): ${text.replace(/\s+/g, ' ').trim().slice(0, 160)}`);
    this.name = 'SilentQueryFailure';
  }
}

/** Probes what this PostGIS can do. Called once after migrations. */
export async function probeCapabilities(db: Database): Promise<Capabilities> {
  const [{ v }] = await db.query<{ v: string }>('SELECT postgis_lib_version() AS v');
  let asMvt = false;
  try {
    await db.query(
      `SELECT ST_AsMVT(q, 'probe') FROM (SELECT ST_AsMVTGeom(ST_Point(0, 0, 3857), ST_TileEnvelope(0, 0, 0)) AS geom) q`,
    );
    asMvt = true;
  } catch {
    // PostGIS without protobuf-c (PGlite): tiles are encoded in TypeScript.
  }
  const pgr = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_extension WHERE extname = 'pgrouting'`,
  );
  db.capabilities = { asMvt, pgRouting: (pgr[0]?.n ?? 0) > 0, postgisVersion: v };
  return db.capabilities;
}
