/**
 * The basic-grid household band (基础网格 300–400 户). One definition shared by the map colours,
 * the stats, the planner's tallies and the generator, so they can never disagree about which grid
 * is under, in or over the band.
 */

/** Household bounds of a basic grid: lo ≤ households ≤ hi is in band; target is the ideal size. */
export interface Band {
  lo: number;
  hi: number;
  target: number;
}

/** The standard band: 300–400 households per basic grid, aiming at 350. Frozen: it is shared. */
export const DEFAULT_BAND: Readonly<Band> = Object.freeze({ lo: 300, hi: 400, target: 350 });

/**
 * Where a grid stands against the band. Dedicated grids (专属网格: a school, hospital, industrial
 * park…) are drawn around an institution, not a household count, so they are never judged.
 */
export type BandStatus = 'under' | 'in' | 'over' | 'dedicated';

/**
 * Band status of a grid. Both ends are inclusive: 300 and 400 households are in band.
 *
 * @throws RangeError when households is NaN or negative (a missing count must not pass as 'in'),
 *   or when the band has lo > hi.
 */
export function bandStatus(households: number, kind: 'basic' | 'dedicated', band: Readonly<Band> = DEFAULT_BAND): BandStatus {
  if (!(households >= 0)) throw new RangeError(`invalid household count ${households}`);
  if (!(band.lo <= band.hi)) throw new RangeError(`invalid band ${band.lo}–${band.hi}`);
  if (kind === 'dedicated') return 'dedicated';
  if (households < band.lo) return 'under';
  if (households > band.hi) return 'over';
  return 'in';
}
