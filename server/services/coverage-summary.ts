/**
 * The wall screen's life-circle figure (`GET /api/coverage/summary`): the share of households
 * whose every required category is within the level's walk, overall and per category.
 *
 * Computing it means building the walk network and routing every building (3.3 s + 0.4 s on a
 * 100k-building street), so the figure is kept in `derived_figures` under the signature of the
 * network, facilities, buildings, published plan and the level's own definition: a restart reads
 * it back, any change to those computes it again (repos/derived-figures.repo.ts). The seed stores
 * it for the demo street, and the server refreshes a stale one in the background at start.
 */
import type { Database } from '../db/client.js';
import { derivedFigure } from '../repos/derived-figures.repo.js';
import { getStandard } from '../repos/life-circle.repo.js';
import { networkSignature } from '../repos/walk-network.repo.js';
import { auditCoverage } from './coverage.js';
import { walkNetwork } from './walk-network.js';

export interface CoverageSummary {
  level: number;
  minutes: number;
  distanceM: number;
  name: string;
  nameEn: string;
  households: number;
  coveredHouseholds: number;
  share: number | null;
  byCategory: { category: string; name: string; nameEn: string; share: number | null }[];
}

type StoredFigure = Pick<CoverageSummary, 'households' | 'coveredHouseholds' | 'share'> & { byCategory: { category: string; share: number | null }[] };

/** The life-circle levels the screen and the seed ask for. */
export const SCREEN_COVERAGE_LEVEL = 10;

export async function coverageSummary(db: Database, levelNo: number): Promise<CoverageSummary> {
  const standard = await getStandard(db);
  const level = standard.levels.find((l) => l.level === levelNo);
  if (!level) throw new Error(`life-circle level ${levelNo} is not in the standard`);
  const signature = `${await networkSignature(db)}#${JSON.stringify(level)}`;
  const figure = await derivedFigure<StoredFigure>(db, `coverage-summary/${levelNo}`, signature, async () => {
    const r = auditCoverage(await walkNetwork(db), level, level.categories);
    return {
      households: r.totals.households,
      coveredHouseholds: r.totals.coveredHouseholds,
      share: r.totals.share,
      byCategory: r.byCategory.map((x) => ({ category: x.key, share: x.share })),
    };
  });
  // Names are read fresh (renaming a category does not change the figure).
  const names = new Map(
    (await db.query<{ code: string; name: string; name_en: string }>('SELECT code, name, name_en FROM facility_categories')).map((x) => [x.code, x]),
  );
  return {
    level: level.level, minutes: level.minutes, distanceM: level.distanceM, name: level.name, nameEn: level.nameEn,
    households: figure.households, coveredHouseholds: figure.coveredHouseholds, share: figure.share,
    byCategory: figure.byCategory.map((x) => ({ ...x, name: names.get(x.category)?.name ?? x.category, nameEn: names.get(x.category)?.name_en ?? x.category })),
  };
}
