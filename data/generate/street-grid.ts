/**
 * The street's block grid: straight road lines, irregularly spaced (blocks of ~165–260 m), every
 * block owned by one community.
 *
 * A grid of road lines is how the old town of 芝罘 between the coast and 毓璜顶 actually looks, and
 * it makes the rest simple and safe: community borders run along road centre lines, so communities
 * tile the street; every block edge is a road, so the road network is planar and connected by
 * construction. The real eight communities sit on a hand-drawn map ({@link REAL_MAP}) whose north
 * edge is the coast; synthetic communities are 2×3-block tiles added in rings to the west, south
 * and east — never north, where the sea is.
 */
import { Random, hashSeed } from './random.js';
import { ROAD_STEM_POOL, syntheticRoadName } from './place-names.js';
import {
  type CommunitySeed,
  REAL_COLUMNS,
  REAL_HORIZONTAL_LINES,
  REAL_MAP,
  REAL_ROWS,
  REAL_VERTICAL_LINES,
} from './real-street.js';

export type RoadKind = 'arterial' | 'secondary' | 'local';
export interface RoadLine {
  name: string;
  kind: RoadKind;
}

export interface StreetGrid {
  cols: number;
  rows: number;
  /** x of the north–south lines, west → east (metres from the origin). */
  xs: number[];
  /** y of the east–west lines, north → south (decreasing; 0 is the coast edge). */
  ys: number[];
  /** Community index per block (`row * cols + col`), or -1 outside the street. */
  owner: Int32Array;
  /** Blocks kept as parks (no buildings). */
  parks: Set<number>;
  /** Road per north–south line (index = line) and per east–west line. */
  vLines: RoadLine[];
  hLines: RoadLine[];
}

/** Synthetic tiles are this many columns × rows of blocks. */
const TILE_COLS = 2;
const TILE_ROWS = 3;
const REAL_TILES_X = REAL_COLUMNS / TILE_COLS;
const REAL_TILES_Y = REAL_ROWS / TILE_ROWS;

/**
 * Tile slots around the real map, ring by ring. Within a ring the two side columns grow from the
 * coast southwards together, then the bottom row from both ends inwards, so any prefix of the order
 * is a solid shape (no holes, no blocks touching only at a corner).
 */
export function tileSlots(count: number): { tx: number; ty: number }[] {
  const out: { tx: number; ty: number }[] = [];
  for (let r = 1; out.length < count; r++) {
    const west = -r;
    const east = REAL_TILES_X - 1 + r;
    const bottom = REAL_TILES_Y - 1 + r;
    const ring: { tx: number; ty: number }[] = [];
    for (let ty = 0; ty <= bottom; ty++) ring.push({ tx: west, ty }, { tx: east, ty });
    for (let lo = west + 1, hi = east - 1; lo <= hi; lo++, hi--) {
      ring.push({ tx: lo, ty: bottom });
      if (hi !== lo) ring.push({ tx: hi, ty: bottom });
    }
    for (const s of ring) if (out.length < count) out.push(s);
  }
  return out;
}

/** Lays out the block grid for the given community briefs (the first eight are the real ones). */
export function buildStreetGrid(seed: number, communities: readonly CommunitySeed[]): StreetGrid {
  const synthetic = Math.max(0, communities.length - 8);
  const slots = tileSlots(synthetic);
  const rings = slots.reduce((m, s) => Math.max(m, -s.tx, s.tx - (REAL_TILES_X - 1), s.ty - (REAL_TILES_Y - 1)), 0);
  const westCols = rings * TILE_COLS;
  const cols = westCols * 2 + REAL_COLUMNS;
  const rows = REAL_ROWS + rings * TILE_ROWS;

  const width = (key: string, min: number, max: number) => Random.derive(seed, 'block-width', key).range(min, max);
  const xs = new Array<number>(cols + 1);
  xs[westCols] = 0;
  for (let c = westCols; c < cols; c++) {
    const real = c - westCols;
    xs[c + 1] = xs[c] + (real < REAL_COLUMNS ? width(`r${real}`, 200, 265) : width(`e${real - REAL_COLUMNS}`, 200, 270));
  }
  for (let k = 1; k <= westCols; k++) xs[westCols - k] = xs[westCols - k + 1] - width(`w${k}`, 200, 270);
  const ys = new Array<number>(rows + 1);
  ys[0] = 0;
  for (let r = 0; r < rows; r++) {
    ys[r + 1] = ys[r] - (r < REAL_ROWS ? width(`row${r}`, 175, 225) : width(`s${r - REAL_ROWS}`, 190, 250));
  }

  const owner = new Int32Array(cols * rows).fill(-1);
  const parks = new Set<number>();
  for (let r = 0; r < REAL_ROWS; r++) {
    for (let c = 0; c < REAL_COLUMNS; c++) {
      const ch = REAL_MAP[r][c];
      if (ch !== '.') owner[r * cols + westCols + c] = Number(ch) - 1;
    }
  }
  communities.slice(0, 8).forEach((cm, i) => {
    for (const [c, r] of cm.parks ?? []) {
      const cell = r * cols + westCols + c;
      if (owner[cell] === i) parks.add(cell);
    }
  });
  slots.forEach((s, i) => {
    for (let dr = 0; dr < TILE_ROWS; dr++) {
      for (let dc = 0; dc < TILE_COLS; dc++) {
        owner[(s.ty * TILE_ROWS + dr) * cols + westCols + s.tx * TILE_COLS + dc] = 8 + i;
      }
    }
  });

  const order = new Random(hashSeed(seed, 'road-names')).shuffle(ROAD_STEM_POOL);
  const lineKind = (k: number): RoadKind => (k % 4 === 0 ? 'arterial' : k % 2 === 0 ? 'secondary' : 'local');
  const vLines: RoadLine[] = [];
  for (let i = 0; i <= cols; i++) {
    const real = i - westCols;
    if (real >= 0 && real <= REAL_COLUMNS) vLines.push({ ...REAL_VERTICAL_LINES[real] });
    else {
      const k = real < 0 ? -real : real - REAL_COLUMNS;
      const kind = lineKind(k);
      vLines.push({ kind, name: syntheticRoadName(2 * (k - 1) + (real < 0 ? 0 : 1), 'ns', kind, order) });
    }
  }
  const hLines: RoadLine[] = [];
  for (let j = 0; j <= rows; j++) {
    if (j <= REAL_ROWS) hLines.push({ ...REAL_HORIZONTAL_LINES[j] });
    else {
      const k = j - REAL_ROWS;
      const kind = lineKind(k + 1);
      hLines.push({ kind, name: syntheticRoadName(k - 1 + 7, 'ew', kind, order) });
    }
  }
  return { cols, rows, xs, ys, owner, parks, vLines, hLines };
}

/**
 * Every community's blocks in serpentine order: north row first, west→east, then the next row
 * east→west, and so on. Consecutive blocks are neighbours, which keeps grid runs contiguous.
 */
export function communityBlocks(grid: StreetGrid, count: number): number[][] {
  const out: number[][] = Array.from({ length: count }, () => []);
  const rowsSeen = new Array<number>(count).fill(0);
  for (let r = 0; r < grid.rows; r++) {
    const rowCells: number[][] = Array.from({ length: count }, () => []);
    const present: number[] = [];
    for (let c = 0; c < grid.cols; c++) {
      const o = grid.owner[r * grid.cols + c];
      if (o < 0) continue;
      if (rowCells[o].length === 0) present.push(o);
      rowCells[o].push(r * grid.cols + c);
    }
    for (const o of present) {
      out[o].push(...(rowsSeen[o] % 2 === 0 ? rowCells[o] : rowCells[o].reverse()));
      rowsSeen[o]++;
    }
  }
  return out;
}
