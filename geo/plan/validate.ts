/**
 * Validation of a grid plan, used live in the planner and authoritatively on the server:
 * band (basic grids within [lo, hi]), every building in exactly one grid, no overlaps, no gaps
 * inside the community, each grid one connected piece, grids inside their community, and
 * compactness (Polsby–Popper). Every problem carries a bounding box so the UI can zoom to it.
 */
import {
  area,
  bbox as turfBbox,
  bboxClip,
  booleanPointInPolygon,
  difference,
  feature,
  featureCollection,
  flatten,
  intersect,
  length,
  polygonToLine,
  union,
} from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { type Band, DEFAULT_BAND } from '../band.js';
import { type GridTally, type TallyBuilding, tallyPlan, type PlanTally } from './tally.js';

export type Area = Polygon | MultiPolygon;
export type BBox = [number, number, number, number];

export interface PlanGrid {
  id: string;
  code: string;
  kind: 'basic' | 'dedicated';
  communityId: string;
  geometry: Area;
}

export interface PlanBuilding extends TallyBuilding {
  communityId: string;
  centroid: [number, number];
}

export type ProblemCode =
  | 'band_under' | 'band_over' | 'dedicated_listed' | 'unassigned' | 'multiple_grids'
  | 'overlap' | 'gap' | 'disconnected' | 'outside_community' | 'low_compactness';

export interface Problem {
  code: ProblemCode;
  severity: 'error' | 'warning' | 'info';
  gridIds: string[];
  buildingIds: string[];
  bbox: BBox;
  /** Households for band problems, m² for geometric ones, the score for compactness. */
  value: number;
  message: { zh: string; en: string };
}

export interface ValidateOptions {
  band?: Readonly<Band>;
  /** Below this Polsby–Popper score a grid is flagged as not compact (warning). */
  minCompactness?: number;
  /** Pieces smaller than this (m²) are numerical noise, not gaps or overlaps. */
  minArea?: number;
  /**
   * Pieces thinner than this (m, as 2·area/perimeter) are noise too: coordinates rounded for
   * transport (6 decimals ≈ 0.1 m) leave hairline slivers along every shared boundary.
   */
  minWidth?: number;
  /** Explicit building → grid assignment (paint mode); by default the grid containing the centroid. */
  assignment?: ReadonlyMap<string, string>;
}

export interface ValidationResult {
  problems: Problem[];
  tally: PlanTally;
  compactness: Map<string, number>;
  assignment: Map<string, string>;
}

const f = (g: Area): Feature<Area> => feature(g);

/** Mean width of a piece, 2·area/perimeter (m): ~half the width for long thin strips. */
export function meanWidth(piece: Feature<Polygon>): number {
  const p = length(polygonToLine(piece) as Parameters<typeof length>[0], { units: 'meters' });
  return p > 0 ? (2 * area(piece)) / p : 0;
}
const pieces = (g: Feature<Area> | null): Feature<Polygon>[] => (g ? flatten(g).features : []);

/** Polsby–Popper compactness 4πA/P² (1 for a circle, ~0.785 for a square, → 0 for slivers). */
export function polsbyPopper(g: Area): number {
  const a = area(f(g));
  const lines = polygonToLine(f(g));
  const p = length(lines as Parameters<typeof length>[0], { units: 'meters' });
  return p > 0 ? (4 * Math.PI * a) / (p * p) : 0;
}

/** Which grid's polygon contains each building's centroid; several → all of them. */
export function containingGrids(grids: readonly PlanGrid[], buildings: readonly PlanBuilding[]): Map<string, string[]> {
  const boxes = grids.map((g) => turfBbox(g.geometry));
  const out = new Map<string, string[]>();
  for (const b of buildings) {
    const [x, y] = b.centroid;
    const hits: string[] = [];
    grids.forEach((g, i) => {
      const [a, c, d, e] = boxes[i];
      if (x >= a && x <= d && y >= c && y <= e && booleanPointInPolygon(b.centroid, g.geometry)) hits.push(g.id);
    });
    out.set(b.id, hits);
  }
  return out;
}

/** Thresholds resolved from ValidateOptions; shared by validatePlan and PlanValidator. */
export interface Rules {
  band: Readonly<Band>;
  minCompactness: number;
  minArea: number;
  /** A real piece: not rounding noise (at least minArea m² and minWidth m wide). */
  real: (piece: Feature<Polygon>) => boolean;
}

export function rules(opts: ValidateOptions = {}): Rules {
  const minArea = opts.minArea ?? 1;
  const minWidth = opts.minWidth ?? 0.5;
  return {
    band: opts.band ?? DEFAULT_BAND,
    minCompactness: opts.minCompactness ?? 0.2,
    minArea,
    real: (piece) => area(piece) >= minArea && meanWidth(piece) >= minWidth,
  };
}

/** Building problems (none or several grids) from each building's candidate grids; fills `assignment`. */
export function assignmentProblems(
  buildings: readonly PlanBuilding[],
  hitsOf: (b: PlanBuilding) => string[],
  assignment: Map<string, string>,
): Problem[] {
  const problems: Problem[] = [];
  for (const b of buildings) {
    const hits = hitsOf(b);
    const box: BBox = [b.centroid[0], b.centroid[1], b.centroid[0], b.centroid[1]];
    if (hits.length === 0) {
      problems.push({ code: 'unassigned', severity: 'error', gridIds: [], buildingIds: [b.id], bbox: box, value: b.households,
        message: { zh: '楼栋不属于任何网格', en: 'building belongs to no grid' } });
    } else {
      if (hits.length > 1) {
        problems.push({ code: 'multiple_grids', severity: 'error', gridIds: hits, buildingIds: [b.id], bbox: box, value: b.households,
          message: { zh: '楼栋同时落在多个网格内', en: 'building lies in several grids' } });
      }
      assignment.set(b.id, hits[0]);
    }
  }
  return problems;
}

/** Band problems of one grid from its tally (dedicated grids listed, not judged). */
export function tallyProblems(g: PlanGrid, t: GridTally, box: BBox, band: Readonly<Band>): Problem[] {
  const out: Problem[] = [];
  if (t.status === 'under' || t.status === 'over') {
    out.push({ code: t.status === 'under' ? 'band_under' : 'band_over', severity: 'error', gridIds: [g.id], buildingIds: [], bbox: box, value: t.households,
      message: t.status === 'under'
        ? { zh: `${g.code} 仅 ${t.households} 户，低于 ${band.lo} 户`, en: `${g.code} has ${t.households} households, below ${band.lo}` }
        : { zh: `${g.code} 有 ${t.households} 户，超过 ${band.hi} 户`, en: `${g.code} has ${t.households} households, above ${band.hi}` } });
  }
  if (g.kind === 'dedicated') {
    out.push({ code: 'dedicated_listed', severity: 'info', gridIds: [g.id], buildingIds: [], bbox: box, value: t.households,
      message: { zh: `${g.code} 为专属网格，不受户数标准约束`, en: `${g.code} is a dedicated grid, exempt from the band` } });
  }
  return out;
}

/** How many pieces of the community `home` the grid covers (by at least `minArea` m² each; 1 without a community). */
function homePieces(grid: Area, home: Area | undefined, minArea: number): number {
  if (!home || home.type === 'Polygon') return 1;
  return pieces(f(home)).filter((p) => {
    const x = intersect(featureCollection([p, f(grid)]));
    return x !== null && area(x) >= minArea;
  }).length;
}

/** Problems of one grid's own shape: disconnected pieces, low compactness, parts outside its community. */
export function shapeProblems(g: PlanGrid, home: Area | undefined, r: Rules): { problems: Problem[]; compactness: number; outsideArea: number } {
  const problems: Problem[] = [];
  const box = turfBbox(g.geometry) as BBox;
  const parts = pieces(f(g.geometry)).filter((p) => area(p) >= r.minArea);
  // A community in several pieces (exclaves, issue #15's real boundaries) may put a grid in as many:
  // only pieces beyond the community pieces the grid covers are a problem.
  if (parts.length > 1 && parts.length > homePieces(g.geometry, home, r.minArea)) {
    problems.push({ code: 'disconnected', severity: 'error', gridIds: [g.id], buildingIds: [], bbox: box, value: parts.length,
      message: { zh: `${g.code} 由 ${parts.length} 块不相连的区域组成`, en: `${g.code} is in ${parts.length} disconnected pieces` } });
  }
  const pp = polsbyPopper(g.geometry);
  if (pp < r.minCompactness) {
    problems.push({ code: 'low_compactness', severity: 'warning', gridIds: [g.id], buildingIds: [], bbox: box, value: pp,
      message: { zh: `${g.code} 形状不紧凑（PP=${pp.toFixed(2)}）`, en: `${g.code} is not compact (Polsby–Popper ${pp.toFixed(2)})` } });
  }
  let outsideArea = home ? 0 : Infinity;
  if (home) {
    // The community clipped to (a margin around) the grid's box: the same difference, far fewer vertices.
    const near = clipTo(home, [box[0] - MARGIN, box[1] - MARGIN, box[2] + MARGIN, box[3] + MARGIN]);
    for (const out of pieces(near ? difference(featureCollection([f(g.geometry), near])) : f(g.geometry))) {
      const a = area(out);
      outsideArea += a;
      if (r.real(out)) problems.push({ code: 'outside_community', severity: 'error', gridIds: [g.id], buildingIds: [], bbox: turfBbox(out) as BBox, value: a,
        message: { zh: `${g.code} 超出所属社区 ${Math.round(a)} 平方米`, en: `${g.code} extends ${Math.round(a)} m² outside its community` } });
    }
  }
  return { problems, compactness: pp, outsideArea };
}

/** Degrees added around boxes before clipping, so clip edges never run along a real boundary. */
const MARGIN = 1e-4;

/** The part of an area inside a box (null when nothing is left). */
export function clipTo(g: Area, box: BBox): Feature<Area> | null {
  const clipped = bboxClip(f(g), box).geometry as Area;
  const polys = (clipped.type === 'Polygon' ? [clipped.coordinates] : clipped.coordinates)
    .map((rings) => rings.filter((ring) => ring.length >= 4))
    .filter((rings) => rings.length > 0);
  return polys.length === 0 ? null : f({ type: 'MultiPolygon', coordinates: polys });
}

export const boxesMeet = (a: readonly number[], b: readonly number[]) => !(a[0] > b[2] || b[0] > a[2] || a[1] > b[3] || b[1] > a[3]);

/** The overlap of two grids, or null when they only touch (or overlap by noise). */
export function overlapProblem(a: PlanGrid, b: PlanGrid, r: Rules): Problem | null {
  const x = intersect(featureCollection([f(a.geometry), f(b.geometry)]));
  const parts = pieces(x).filter(r.real);
  if (!x || parts.length === 0) return null;
  const size = parts.reduce((s, piece) => s + area(piece), 0);
  return { code: 'overlap', severity: 'error', gridIds: [a.id, b.id], buildingIds: [], bbox: turfBbox(x) as BBox, value: size,
    message: { zh: `${a.code} 与 ${b.code} 重叠 ${Math.round(size)} 平方米`, en: `${a.code} and ${b.code} overlap by ${Math.round(size)} m²` } };
}

/** Parts of a community covered by none of its grids. */
export function communityGaps(community: Area, mine: readonly PlanGrid[], r: Rules): Problem[] {
  return communityCover(community, mine, r).gaps;
}

/**
 * Gaps of a community, and how much its grids overlap one another in total (Σ grid areas − area
 * of their union, m²): below minArea no pair of them can overlap by a real piece.
 */
export function communityCover(community: Area, mine: readonly PlanGrid[], r: Rules): { gaps: Problem[]; overlapArea: number } {
  const gaps: Problem[] = [];
  const fs = mine.map((g) => f(g.geometry));
  const covered = fs.length === 0 ? null : fs.length === 1 ? fs[0] : union(featureCollection(fs));
  const rest = covered ? difference(featureCollection([f(community), covered])) : f(community);
  for (const hole of pieces(rest)) {
    const a = area(hole);
    if (r.real(hole)) gaps.push({ code: 'gap', severity: 'error', gridIds: [], buildingIds: [], bbox: turfBbox(hole) as BBox, value: a,
      message: { zh: `社区内有 ${Math.round(a)} 平方米未划入任何网格`, en: `${Math.round(a)} m² of the community belong to no grid` } });
  }
  const overlapArea = covered ? fs.reduce((s, x) => s + area(x), 0) - area(covered) : 0;
  return { gaps, overlapArea };
}

/**
 * Validates a whole plan at once (the demo street takes about a second). For live use after each
 * edit see PlanValidator (validator.ts), which re-checks only what an edit can have changed.
 */
export function validatePlan(
  communities: ReadonlyMap<string, Area>,
  grids: readonly PlanGrid[],
  buildings: readonly PlanBuilding[],
  opts: ValidateOptions = {},
): ValidationResult {
  const r = rules(opts);
  const byId = new Map(grids.map((g) => [g.id, g]));
  // Assignment: explicit (paint mode) or by centroid (polygon mode).
  const assignment = new Map<string, string>();
  const containing = opts.assignment ? null : containingGrids(grids, buildings);
  const explicit = opts.assignment;
  const problems = assignmentProblems(buildings, (b) =>
    containing ? containing.get(b.id)! : [explicit!.get(b.id)].filter((x): x is string => !!x && byId.has(x)), assignment);

  const tally = tallyPlan(grids, buildings, assignment, r.band);
  const compactness = new Map<string, number>();
  for (const g of grids) {
    problems.push(...tallyProblems(g, tally.grids.get(g.id)!, turfBbox(g.geometry) as BBox, r.band));
    const shape = shapeProblems(g, communities.get(g.communityId), r);
    compactness.set(g.id, shape.compactness);
    problems.push(...shape.problems);
  }
  const boxes = grids.map((g) => turfBbox(g.geometry));
  for (let i = 0; i < grids.length; i++) {
    for (let j = i + 1; j < grids.length; j++) {
      if (!boxesMeet(boxes[i], boxes[j])) continue;
      const o = overlapProblem(grids[i], grids[j], r);
      if (o) problems.push(o);
    }
  }
  for (const [id, geom] of communities) problems.push(...communityGaps(geom, grids.filter((g) => g.communityId === id), r));
  return { problems, tally, compactness, assignment };
}
