/**
 * What the isochrone and nearest routes read besides the walk network — the deployment standard's
 * walking speed and the facility categories — kept per data version (issue #17): both are data
 * (life_circle_settings / facility_categories / facilities carry data-change triggers), so they
 * can only change with the version, and the routes already hold the version their network was
 * found current at ({@link versionedWalkNetwork}). A request then costs one one-row read in total.
 */
import type { Database } from '../db/client.js';
import { getStandard } from '../repos/life-circle.repo.js';
import { listCategories } from '../repos/stats.repo.js';
import { type WalkNetwork, versionedWalkNetwork } from './walk-network.js';

export type FacilityCategory = Awaited<ReturnType<typeof listCategories>>[number];

export interface LifeLookups {
  /** The deployment standard's walking speed, metres per minute. */
  speedMPerMin: number;
  categories: FacilityCategory[];
}

const kept = new WeakMap<Database, { version: string; lookups: Promise<LifeLookups> }>();

/** The walk network, the standard's speed and the categories as of one data version. */
export async function lifeContext(db: Database): Promise<LifeLookups & { network: WalkNetwork }> {
  const { version, network } = await versionedWalkNetwork(db);
  let hit = kept.get(db);
  if (hit?.version !== version) {
    const lookups = Promise.all([getStandard(db), listCategories(db)]).then(([s, categories]) => ({ speedMPerMin: s.speedMPerMin, categories }));
    hit = { version, lookups };
    kept.set(db, hit);
    lookups.catch(() => {
      if (kept.get(db)?.lookups === lookups) kept.delete(db);
    });
  }
  return { ...(await hit.lookups), network };
}
