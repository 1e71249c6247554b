/**
 * The basic-grid household band (基础网格 300–400 户). One definition shared by the map colours,
 * the stats, the planner's tallies and the partitioner, so they can never disagree.
 */
export interface Band {
  lo: number;
  hi: number;
  target: number;
}

export const DEFAULT_BAND: Readonly<Band> = { lo: 300, hi: 400, target: 350 };

export type BandStatus = 'under' | 'in' | 'over' | 'dedicated';

/** Band status of a grid; 300 and 400 themselves are in band; dedicated grids are exempt. */
export function bandStatus(households: number, kind: 'basic' | 'dedicated', band: Band = DEFAULT_BAND): BandStatus {
  if (kind === 'dedicated') return 'dedicated';
  if (households < band.lo) return 'under';
  if (households > band.hi) return 'over';
  return 'in';
}
