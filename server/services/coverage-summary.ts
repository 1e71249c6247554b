/**
 * The wall screen's life-circle figure (`GET /api/coverage/summary`): the share of households
 * whose every required category is within the level's walk — for the street, or for one community
 * or grid (the screen's KPI follows its selection) — overall and per category.
 *
 * Computing it means building the walk network and routing every building (3.3 s + 0.4 s on a
 * 100k-building street), so the figure, with every community's and grid's tallies, is kept in
 * `derived_figures` under the signature of the network, facilities, buildings, published plan and
 * the level's own definition: a restart reads it back, any change to those computes it again
 * (repos/derived-figures.repo.ts). The seed stores it, and the server refreshes a stale one in the
 * background at start (services/screen-figures.ts).
 */
import { createHash } from 'node:crypto';
import type { Database } from '../db/client.js';
import { derivedFigure } from '../repos/derived-figures.repo.js';
import { getStandard } from '../repos/life-circle.repo.js';
import { currentNetworkSignature } from '../repos/walk-network.repo.js';
import { auditCoverage, groupRows, type BuildingCoverage } from './coverage.js';
import { walkNetwork } from './walk-network.js';

export interface CoverageSummary {
  /** For the street: its grids least covered (share < 1), lowest first, at most 5 (issue #20's tour). */
  gaps: { grid: string; households: number; share: number | null }[];
  level: number;
  minutes: number;
  distanceM: number;
  name: string;
  nameEn: string;
  /** The area the figure is for: the street (both null), a community or a grid. */
  scope: { community: string | null; grid: string | null };
  households: number;
  coveredHouseholds: number;
  /** null when the area has no households. */
  share: number | null;
  byCategory: { category: string; name: string; nameEn: string; share: number | null }[];
}

/** Households of an area, covered households, and covered households per category (in the level's order). */
type Tally = [households: number, covered: number, ...perCategory: number[]];

interface StoredFigure {
  categories: string[];
  /** Every building of the database. */
  street: Tally;
  /** Per street code (issue #15). */
  streets: Record<string, Tally>;
  communities: Record<string, Tally>;
  grids: Record<string, Tally>;
}

/** The level the wall screen shows. */
export const SCREEN_COVERAGE_LEVEL = 10;

/** Bumped whenever StoredFigure changes shape, so an older stored row is never read as this one. */
const FORMAT = 3;

function tallyOf(rows: BuildingCoverage[], categories: string[]): Tally {
  const t: Tally = [0, 0, ...categories.map(() => 0)];
  for (const b of rows) {
    t[0] += b.households;
    if (b.covered) t[1] += b.households;
    categories.forEach((c, i) => {
      if (b.distances[c] !== null) t[2 + i] += b.households;
    });
  }
  return t;
}

function tallies(rows: BuildingCoverage[], keyOf: (b: BuildingCoverage) => string | null, categories: string[]) {
  return Object.fromEntries([...groupRows(rows, keyOf)].map(([k, list]) => [k, tallyOf(list, categories)]));
}

const shareOf = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 10000) / 10000);

/**
 * The figure for `street` (issue #15: with that street's standard; null: every building, the
 * deployment's standard), or one of its communities or grids. Streets sharing a standard share
 * one stored figure (keyed by the level's definition).
 */
export async function coverageSummary(
  db: Database,
  levelNo: number,
  scope: { community?: string; grid?: string } = {},
  street: { id: number; code: string } | null = null,
): Promise<CoverageSummary> {
  const standard = await getStandard(db, street?.id);
  const level = standard.levels.find((l) => l.level === levelNo);
  if (!level) throw new Error(`life-circle level ${levelNo} is not in the standard`);
  const levelJson = JSON.stringify(level);
  const signature = `${await currentNetworkSignature(db)}#${levelJson}`;
  const key = `coverage-summary/${levelNo}/v${FORMAT}/${createHash('sha256').update(levelJson).digest('hex').slice(0, 16)}`;
  const compute = async (): Promise<StoredFigure> => {
    const categories = [...level.categories];
    const rows = auditCoverage(await walkNetwork(db), level, categories).buildings;
    const streetOf = new Map((await db.query<{ community: string; street: string }>(
      'SELECT c.code AS community, s.code AS street FROM communities c JOIN streets s ON s.id = c.street_id',
    )).map((r) => [r.community, r.street]));
    return {
      categories,
      street: tallyOf(rows, categories),
      streets: tallies(rows, (b) => streetOf.get(b.community) ?? null, categories),
      communities: tallies(rows, (b) => b.community, categories),
      grids: tallies(rows, (b) => b.grid, categories),
    };
  };
  // The stored figure holds every street's, community's and grid's tallies (hundreds of KB in a
  // city): only the one asked for is read out of it; the whole is read only when just computed.
  const area: Area = scope.grid !== undefined ? { in: 'grids', code: scope.grid }
    : scope.community !== undefined ? { in: 'communities', code: scope.community } : street ? { in: 'streets', code: street.code } : null;
  let stored = await storedTally(db, key, signature, area);
  if (!stored) {
    const figure = await derivedFigure<StoredFigure>(db, key, signature, compute);
    stored = { categories: figure.categories, tally: area ? (figure[area.in][area.code] ?? null) : figure.street };
  }
  const empty: Tally = [0, 0, ...stored.categories.map(() => 0)];
  // The street's grids with the lowest coverage (the wall-screen tour visits these gaps, issue #20).
  const gaps = scope.grid === undefined && scope.community === undefined ? await storedGaps(db, key, signature, street?.code ?? null) : [];
  return described(db, level, scope, stored.categories, stored.tally ?? empty, gaps);
}

/**
 * The grids (of one street, or all) least covered (share < 1), lowest first, at most 5 — read out
 * of the stored figure's grid tallies in SQL, without reading the rest of the figure.
 */
async function storedGaps(db: Database, key: string, signature: string, streetCode: string | null): Promise<CoverageSummary['gaps']> {
  const rows = await db.query<{ grid: string; t: Tally }>(
    `SELECT g.key AS grid, g.value AS t FROM derived_figures d, jsonb_each(d.value->'grids') g
     WHERE d.key = $1 AND d.signature = $2 AND ($3::text IS NULL OR starts_with(g.key, $3))`,
    [key, signature, streetCode],
  );
  return rows.filter(({ t }) => t[0] > 0 && t[1] < t[0])
    .map(({ grid, t }) => ({ grid, households: t[0], share: shareOf(t[1], t[0]) }))
    .sort((a, b) => (a.share ?? 0) - (b.share ?? 0)).slice(0, 5);
}

/** Where a tally is kept in the stored figure; null: the figure of every building. */
type Area = { in: 'streets' | 'communities' | 'grids'; code: string } | null;

/** One area's tally (null `area`: every building's) and the categories from the stored figure, without reading the rest; null when not stored. */
async function storedTally(db: Database, key: string, signature: string, area: Area): Promise<{ categories: string[]; tally: Tally | null } | null> {
  const [row] = await db.query<{ categories: string[]; tally: Tally | null }>(
    `SELECT value->'categories' AS categories, CASE WHEN $3::text IS NULL THEN value->'street' ELSE value->$3->$4 END AS tally
     FROM derived_figures WHERE key = $1 AND signature = $2`,
    [key, signature, area?.in ?? null, area?.code ?? null],
  );
  return row ?? null;
}

/** The answer for a tally: shares, the level's names and the categories' current names. */
async function described(
  db: Database, level: { level: number; minutes: number; distanceM: number; name: string; nameEn: string },
  scope: { community?: string; grid?: string }, categories: string[], t: Tally, gaps: CoverageSummary['gaps'],
): Promise<CoverageSummary> {
  // Names are read fresh (renaming a category does not change the figure).
  const names = new Map(
    (await db.query<{ code: string; name: string; name_en: string }>('SELECT code, name, name_en FROM facility_categories')).map((x) => [x.code, x]),
  );
  return {
    gaps,
    level: level.level, minutes: level.minutes, distanceM: level.distanceM, name: level.name, nameEn: level.nameEn,
    scope: { community: scope.grid !== undefined ? null : (scope.community ?? null), grid: scope.grid ?? null },
    households: t[0], coveredHouseholds: t[1], share: shareOf(t[1], t[0]),
    byCategory: categories.map((category, i) => ({
      category, name: names.get(category)?.name ?? category, nameEn: names.get(category)?.name_en ?? category, share: shareOf(t[2 + i], t[0]),
    })),
  };
}
