/**
 * What the isochrone and nearest routes read — the walk network, the deployment standard's walking
 * speed and the facility categories — as of one data version (issue #17). The speed and the
 * categories are data (life_circle_settings / facility_categories / facilities carry data-change
 * triggers), so they are read once per version, like the network; a request then costs one
 * one-row read of the version in total.
 *
 * {@link answerWithLifeContext} overlaps even that read with the work: it computes the answer from
 * the context last found current while the version read (issued after the request arrived) is in
 * flight, and keeps it only when the read confirms that version — the same data, so the same
 * answer a sequential request would give; otherwise it computes again from the new context. On a
 * busy machine the read alone took as long as an isochrone's routing and polygons. The routes read
 * the version through the response cache's reader (services/data-version-reader.ts): requests
 * that arrive together share one read, still issued after each of them arrived.
 */
import type { Database } from '../db/client.js';
import { getStandard } from '../repos/life-circle.repo.js';
import { listCategories } from '../repos/stats.repo.js';
import { type WalkNetwork, versionedWalkNetwork } from './walk-network.js';

export type FacilityCategory = Awaited<ReturnType<typeof listCategories>>[number];

export interface LifeContext {
  /** The data version the context was found current at. */
  version: string;
  network: WalkNetwork;
  /** The deployment standard's walking speed, metres per minute. */
  speedMPerMin: number;
  categories: FacilityCategory[];
}

type Lookups = Pick<LifeContext, 'speedMPerMin' | 'categories'>;
const kept = new WeakMap<Database, { version: string; lookups: Promise<Lookups> }>();
const last = new WeakMap<Database, LifeContext>();

/** The walk network, the standard's speed and the categories as of a data version read now. */
export async function lifeContext(db: Database, readVersion?: () => Promise<string>): Promise<LifeContext> {
  const { version, network } = await versionedWalkNetwork(db, readVersion);
  let hit = kept.get(db);
  if (hit?.version !== version) {
    const lookups = Promise.all([getStandard(db), listCategories(db)]).then(([s, categories]) => ({ speedMPerMin: s.speedMPerMin, categories }));
    hit = { version, lookups };
    kept.set(db, hit);
    lookups.catch(() => {
      if (kept.get(db)?.lookups === lookups) kept.delete(db);
    });
  }
  const context = { version, network, ...(await hit.lookups) };
  last.set(db, context);
  return context;
}

/**
 * `answer(context)` for a context current after this call — computed, when there is one, from
 * the last context while the version is being read (see the top of this file). `answer` must be
 * synchronous and pure in its context; what it throws counts as its answer.
 */
export async function answerWithLifeContext<T>(db: Database, answer: (ctx: LifeContext) => T, readVersion?: () => Promise<string>): Promise<T> {
  const fresh = lifeContext(db, readVersion);
  const guess = last.get(db);
  if (!guess) return answer(await fresh);
  // Let the version read go out on the wire before the CPU is busy with the guess: the driver
  // (postgres.js) writes queued queries from a setImmediate, queued once the read's promise chain
  // reaches it; the second turn runs after that one.
  for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
  let result: { value: T } | { error: unknown };
  try {
    result = { value: answer(guess) };
  } catch (error) {
    result = { error };
  }
  const current = await fresh;
  if (current.version !== guess.version) return answer(current);
  if ('error' in result) throw result.error;
  return result.value;
}
