/**
 * How many buildings of each residential kind a community gets, and the template sources that
 * hand them out.
 *
 * The article fixes buildings (985) and households (17,000+) for the street, which means an average
 * of under 20 households a building: the old town has many small old houses next to its walk-up
 * compounds. Given a community's building budget and household target, {@link housingMix} solves
 * for the number of walk-ups so that the expected households match, with the community's style
 * deciding how the small buildings split between houses and old blocks. The exact household figure
 * is reached afterwards by adjusting walk-up floors.
 */
import { type BuildingClass, type Template, house, householdsOf, oldBlock, tower, walkup } from './building-types.js';
import type { TemplateSource } from './parcel-layout.js';
import type { Random } from './random.js';
import type { CommunityStyle } from './real-street.js';

export interface HousingMix {
  walkup: number;
  oldblock: number;
  house: number;
  tower: number;
}

/** Expected households per building of each class (from the template distributions). */
const EXPECTED: Record<Exclude<BuildingClass, 'site'>, number> = { walkup: 46, oldblock: 8.3, house: 2.1, tower: 90 };

const STYLE: Record<CommunityStyle, { houseShare: number; towers: [number, number] }> = {
  oldtown: { houseShare: 0.85, towers: [0, 0] },
  hill: { houseShare: 0.75, towers: [1, 2] },
  center: { houseShare: 0.45, towers: [4, 6] },
  mixed: { houseShare: 0.6, towers: [1, 3] },
};

/** Solves the residential mix for `buildings` residential buildings and `households` households. */
export function housingMix(rng: Random, style: CommunityStyle, buildings: number, households: number): HousingMix {
  const s = STYLE[style];
  const towers = Math.min(rng.int(s.towers[0], s.towers[1]), Math.floor(households / 600));
  const rest = Math.max(0, buildings - towers);
  const hh = households - towers * EXPECTED.tower;
  const small = s.houseShare * EXPECTED.house + (1 - s.houseShare) * EXPECTED.oldblock;
  const w = Math.round((hh - rest * small) / (EXPECTED.walkup - small));
  const walkups = Math.max(0, Math.min(rest, w));
  const others = rest - walkups;
  const houses = Math.round(others * s.houseShare);
  return { walkup: walkups, oldblock: others - houses, house: houses, tower: towers };
}

/** A shared remaining-count for one class within a community. */
export interface Quota {
  left: number;
}

/** Hands out templates of one class until its quota is used up; `year` is the compound's era. */
export function classSource(rng: Random, cls: Exclude<BuildingClass, 'site'>, quota: Quota, year: number): TemplateSource {
  let offered: Template | null = null;
  const make = (maxW: number): Template | null => {
    const built = year + rng.int(-2, 2);
    switch (cls) {
      case 'walkup':
        return walkup(rng, maxW, built);
      case 'oldblock':
        return oldBlock(rng, maxW, built);
      case 'house':
        return house(rng, maxW, built);
      case 'tower':
        return tower(rng, maxW, built);
    }
  };
  return {
    peek(maxW) {
      if (quota.left <= 0) return null;
      if (offered && offered.w <= maxW) return offered;
      offered = make(maxW);
      return offered;
    },
    take() {
      quota.left--;
      offered = null;
    },
  };
}

/**
 * Nudges walk-up (then old-block and house) floors until the community's households hit `target`
 * as closely as single-floor steps allow, keeping floors within each class's usual range.
 */
export function tuneHouseholds(rng: Random, templates: Template[], target: number): number {
  let total = templates.reduce((s, t) => s + householdsOf(t), 0);
  const ranges: Record<string, [number, number]> = { walkup: [4, 7], oldblock: [2, 3], house: [1, 2], tower: [16, 30] };
  for (const cls of ['walkup', 'tower', 'oldblock', 'house'] as const) {
    const pool = rng.shuffle(templates.filter((t) => t.cls === cls));
    const [lo, hi] = ranges[cls];
    let changed = true;
    while (changed && total !== target) {
      changed = false;
      for (const t of pool) {
        const step = t.units * t.perFloor;
        const diff = target - total;
        if (step === 0 || Math.abs(diff) < step / 2 + 0.01) continue;
        if (diff > 0 && t.floors < hi) {
          t.floors++;
          total += step;
          changed = true;
        } else if (diff < 0 && t.floors > lo) {
          t.floors--;
          total -= step;
          changed = true;
        }
        if (total === target) break;
      }
    }
  }
  return total;
}
