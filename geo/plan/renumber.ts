/**
 * Grid codes renumbered in reading order — west→east within rows, rows north→south — as street
 * offices number grids on their wall maps. Codes keep the `<community code>-NNN` pattern, with
 * basic grids first (001…) and dedicated grids numbered on after them. Locked grids keep their
 * code (a lock means no later edit changes the grid) and their numbers are skipped.
 */

export interface RenumberGrid {
  id: string;
  code: string;
  kind: 'basic' | 'dedicated';
  locked: boolean;
  /** A point inside the grid [lng, lat]. */
  anchor: [number, number];
  /** North–south extent of the grid (degrees), for telling rows apart. */
  height: number;
}

/** Groups grids into rows north→south: a grid starts a new row when it lies more than half a typical grid height below the row's first grid. */
export function readingOrder<T extends Pick<RenumberGrid, 'anchor' | 'height'>>(grids: readonly T[]): T[] {
  if (grids.length === 0) return [];
  const heights = grids.map((g) => g.height).sort((a, b) => a - b);
  const tolerance = heights[Math.floor(heights.length / 2)] / 2;
  const byLat = [...grids].sort((a, b) => b.anchor[1] - a.anchor[1] || a.anchor[0] - b.anchor[0]);
  const rows: T[][] = [];
  for (const g of byLat) {
    const row = rows.at(-1);
    if (row && row[0].anchor[1] - g.anchor[1] <= tolerance) row.push(g);
    else rows.push([g]);
  }
  return rows.flatMap((row) => row.sort((a, b) => a.anchor[0] - b.anchor[0]));
}

/**
 * New codes for the grids of one community: old code → new code for every grid whose code
 * changes. `prefix` is the community code.
 */
export function renumberCodes(prefix: string, grids: readonly RenumberGrid[]): Map<string, string> {
  const taken = new Set(grids.filter((g) => g.locked).map((g) => g.code));
  const code = (n: number) => `${prefix}-${String(n).padStart(3, '0')}`;
  const out = new Map<string, string>();
  let n = 0;
  for (const kind of ['basic', 'dedicated'] as const) {
    for (const g of readingOrder(grids.filter((x) => x.kind === kind && !x.locked))) {
      do n++; while (taken.has(code(n)));
      if (code(n) !== g.code) out.set(g.code, code(n));
    }
  }
  return out;
}
