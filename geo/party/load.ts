/**
 * A grid's workload (issue #20). The 300–400-household band is a proxy for a grid worker's load;
 * some households cost more work than others. The load of a building (and, summed, of a grid) is
 * a weighted sum of what a grid worker actually attends to; the street sets the weights, these are
 * the defaults, each with the reason a street office gives for it.
 */

/** What a building brings to its grid worker. */
export interface LoadAttributes {
  households: number;
  /** 独居老人 households. */
  elderlyAlone: number;
  /** 出租户 (rented) households. */
  rentedUnits: number;
  /** Street-front shops. */
  shops: number;
  /** Resident requests reported at the building in the last 12 months. */
  requests12m: number;
}

export type LoadWeights = LoadAttributes;
export type LoadTerm = keyof LoadWeights;
export const LOAD_TERMS: readonly LoadTerm[] = ['households', 'elderlyAlone', 'rentedUnits', 'shops', 'requests12m'];

/**
 * Default weights, in "ordinary households' worth of work" — added on top of the household itself
 * (an elderly person living alone is a household too, so such a household counts 1 + 3):
 */
export const DEFAULT_LOAD_WEIGHTS: Readonly<LoadWeights> = Object.freeze({
  households: 1,
  elderlyAlone: 3,
  rentedUnits: 1,
  shops: 2,
  requests12m: 0.5,
});

/** Why each default weight is what it is (shown beside the street's settings, and in docs/api.md). */
export const LOAD_WEIGHT_REASONS: Readonly<Record<LoadTerm, { zh: string; en: string }>> = Object.freeze({
  households: {
    zh: '基准：每户一年的入户走访、信息核实算 1 份工作量',
    en: 'the unit: a year of routine visits and record checks of one household',
  },
  elderlyAlone: {
    zh: '独居老人需每周探访、紧急情况随时响应，约为普通户的 3 倍（另加其本户的 1）',
    en: 'weekly check-in visits and emergency calls: about three more households\' worth (on top of its own 1)',
  },
  rentedUnits: {
    zh: '出租户租客常换，需做流动人口登记和租赁核查，约多 1 户的工作量',
    en: 'tenants change often: migrant registration and rental checks, about one more household\'s worth',
  },
  shops: {
    zh: '沿街商铺要做消防、食品安全巡查和“门前三包”，每家约 2 户的工作量',
    en: 'fire and food-safety rounds and shop-front duties: about two households\' worth per shop',
  },
  requests12m: {
    zh: '近 12 个月的居民诉求：每件要受理、跟进和回访，约半户的工作量',
    en: 'each resident request of the last 12 months is taken in, followed up and called back: half a household\'s worth',
  },
});

/** Checks street-set weights: every term a finite number in [0, 100]. Returns the problems found. */
export function weightProblems(w: Partial<Record<string, unknown>>): string[] {
  return LOAD_TERMS.filter((t) => {
    const v = w[t];
    return typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 100;
  });
}

/** The load of one building (or of any sum of buildings: the load is linear in its attributes). */
export function loadOf(a: Readonly<LoadAttributes>, w: Readonly<LoadWeights> = DEFAULT_LOAD_WEIGHTS): number {
  let s = 0;
  for (const t of LOAD_TERMS) s += a[t] * w[t];
  return s;
}

/** How evenly a set of grids shares the load. */
export interface Spread {
  count: number;
  mean: number;
  min: number;
  max: number;
  /** max / min (Infinity when some grid has no load; 1 when all equal). */
  ratio: number;
  /** Coefficient of variation: population standard deviation / mean (0 when all equal). */
  cv: number;
}

export function spreadOf(values: readonly number[]): Spread {
  const count = values.length;
  if (count === 0) return { count, mean: 0, min: 0, max: 0, ratio: 1, cv: 0 };
  const mean = values.reduce((a, b) => a + b, 0) / count;
  const min = Math.min(...values);
  const max = Math.max(...values);
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / count;
  return {
    count, mean, min, max,
    ratio: max === min ? 1 : min > 0 ? max / min : Infinity,
    cv: mean > 0 ? Math.sqrt(variance) / mean : 0,
  };
}
