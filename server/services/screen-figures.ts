/**
 * The wall screen's two expensive answers, kept in `derived_figures` across restarts:
 * - the summary (`GET /api/screen/summary`: every community and grid with tallies, density cells;
 *   0.5 s of SQL and 4 MB on a 100k-building street), stored under the data version (any committed
 *   change to the street's data makes it stale);
 * - the life-circle share (coverage-summary.ts), stored under the walk network's signature;
 * - each street's party-reach figures (party-reach.ts `storedReachFigures`), under the data version.
 * A restarted server answers both from the store; the in-memory response cache sits in front.
 * Stale ones are recomputed in the background: after the seed, at server start, and a few seconds
 * after data changes — through this app, or by another process, seen by the response cache as a
 * new data version (refreshScreenFiguresSoon).
 */
import type { Database, Sql } from '../db/client.js';
import { dataVersion, derivedFigure, hasDerivedFigure } from '../repos/derived-figures.repo.js';
import { getScreenSummary, type ScreenSummary } from '../repos/screen.repo.js';
import { allTerritoryStreets } from '../repos/territory.repo.js';
import { coverageSummary, SCREEN_COVERAGE_LEVEL } from './coverage-summary.js';
import { storedReachFigures } from './party-reach.js';
import { type StreetRef, streetById } from './street-context.js';

const SUMMARY_KEY = 'screen-summary';

/** The store key of a street's summary (the first street keeps the key of one-street deployments). */
const summaryKey = (street: StreetRef | null) => (street ? `${SUMMARY_KEY}/${street.code}` : SUMMARY_KEY);

/**
 * The summary of a street (issue #15; null: a database without streets) of the current data;
 * `knownVersion`: the data version already read for this request.
 */
export async function screenSummary(db: Sql, street: StreetRef | null, knownVersion: string | null = null): Promise<ScreenSummary> {
  return derivedFigure(db, summaryKey(street), knownVersion ?? (await dataVersion(db)), () => getScreenSummary(db, street));
}

/** Every street of the database (for warming each one's figures). */
async function allStreets(db: Sql): Promise<StreetRef[]> {
  const ids = await db.query<{ id: number }>('SELECT id FROM streets ORDER BY code');
  const streets = await Promise.all(ids.map((r) => streetById(db, r.id)));
  return streets.filter((s): s is StreetRef => s !== null);
}

/**
 * Computes and stores whichever of the screen's figures is stale (after a seed, and in the
 * background when the server starts: an import or a restore may have changed the data since).
 */
export async function warmScreenFigures(db: Database): Promise<{ ms: number; lifeCircleShare: number | null }> {
  const t0 = performance.now();
  // Current already: not read (4 MB on a 100k-building street).
  const version = await dataVersion(db);
  const streets = await allStreets(db);
  for (const street of streets) {
    if (!(await hasDerivedFigure(db, summaryKey(street), version))) await screenSummary(db, street, version);
  }
  // The street picker's list (every street's counts: a pass over every building).
  await allTerritoryStreets(db);
  const life = await coverageSummary(db, SCREEN_COVERAGE_LEVEL, {}, streets[0] ?? null);
  // The screen's party-reach figures of every street (on the network the figure above built).
  for (const street of streets) await storedReachFigures(db, street, version);
  return { ms: Math.round(performance.now() - t0), lifeCircleShare: life.share };
}

/** Writes through the app come in bursts (a plan being edited, an import): wait this long after the last. */
const REFRESH_DELAY_MS = 3_000;
const pending = new WeakMap<Database, ReturnType<typeof setTimeout>>();

/**
 * Recomputes the stale screen figures in the background a little after data changed (wired to
 * the response cache's invalidations and new data versions by server/main.ts), so the next screen
 * to load finds them ready instead of computing them while it waits. Once per burst of writes; a failure is
 * logged, and the next reader computes the figure itself as before.
 */
export function refreshScreenFiguresSoon(db: Database) {
  clearTimeout(pending.get(db));
  const timer = setTimeout(() => {
    pending.delete(db);
    warmScreenFigures(db).catch((e: unknown) => console.warn(`[gridatlas] wall-screen figures not refreshed: ${String(e)}`));
  }, REFRESH_DELAY_MS);
  timer.unref?.();
  pending.set(db, timer);
}
