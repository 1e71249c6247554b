/**
 * Derived figures kept in PostGIS across restarts.
 *
 * Some figures cost seconds to compute and change only when the data does — the 10-minute
 * life-circle share needs the whole walk network built and routed (3.3 s on a 100k-building
 * street). The in-memory response cache is empty after every restart; this store is not. Each row
 * holds the figure and the signature of the data it came from: {@link derivedFigure} returns the
 * stored value only while the caller's current signature still matches, else computes it again
 * and replaces the row. The signature is the caller's business (the walk network's is
 * `networkSignature` plus the life-circle standard), so a stale figure is never served.
 */
import type { Sql } from '../db/client.js';

/** The data version (repos/data-version.repo.ts), the signature of figures that depend on all data. */
export { dataVersion } from './data-version.repo.js';

/** Computations under way, so concurrent callers share one (per database, per key and signature). */
const inFlight = new WeakMap<Sql, Map<string, Promise<unknown>>>();

export async function readDerivedFigure<T>(db: Sql, key: string, signature: string): Promise<T | null> {
  const [row] = await db.query<{ value: T }>('SELECT value FROM derived_figures WHERE key = $1 AND signature = $2', [key, signature]);
  return row ? row.value : null;
}

/** Whether the figure is stored for this signature (without reading it: some are megabytes). */
export async function hasDerivedFigure(db: Sql, key: string, signature: string): Promise<boolean> {
  return (await db.query('SELECT 1 FROM derived_figures WHERE key = $1 AND signature = $2', [key, signature])).length > 0;
}

export async function storeDerivedFigure(db: Sql, key: string, signature: string, value: unknown, computedMs: number) {
  await db.query(
    `INSERT INTO derived_figures (key, signature, value, computed_ms) VALUES ($1, $2, $3::jsonb, $4)
     ON CONFLICT (key) DO UPDATE SET signature = EXCLUDED.signature, value = EXCLUDED.value,
       computed_ms = EXCLUDED.computed_ms, computed_at = now()`,
    [key, signature, JSON.stringify(value), Math.round(computedMs)],
  );
}

/**
 * One part of a stored figure (`value #> path`) for this signature: `{ found: false }` when the
 * figure is not stored under it, `value: null` when it is but has nothing at that path.
 */
export async function readDerivedFigurePart<T>(db: Sql, key: string, signature: string, path: string[]): Promise<{ found: false } | { found: true; value: T | null }> {
  const [row] = await db.query<{ value: T | null }>('SELECT value #> $3::text[] AS value FROM derived_figures WHERE key = $1 AND signature = $2', [key, signature, path]);
  return row ? { found: true, value: row.value } : { found: false };
}

/** The stored figure for this signature, or `compute()`'s result, stored for next time. */
export async function derivedFigure<T>(db: Sql, key: string, signature: string, compute: () => Promise<T>): Promise<T> {
  const stored = await readDerivedFigure<T>(db, key, signature);
  if (stored !== null) return stored;
  let running = inFlight.get(db);
  if (!running) inFlight.set(db, (running = new Map()));
  const id = `${key}\n${signature}`;
  const existing = running.get(id) as Promise<T> | undefined;
  if (existing) return existing;
  const job = (async () => {
    const t0 = performance.now();
    const value = await compute();
    await storeDerivedFigure(db, key, signature, value, performance.now() - t0);
    return value;
  })().finally(() => running.delete(id));
  running.set(id, job);
  return job;
}
