/**
 * Validation of a grid plan, used live in the planner and authoritatively on the server:
 * band (basic grids within [lo, hi]), every building in exactly one grid, no overlaps, no gaps
 * inside the community, each grid one connected piece, grids inside their community, and
 * compactness (Polsby–Popper). Every problem carries a bounding box so the UI can zoom to it.
 */
import {
  area,
  bbox as turfBbox,
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
import { type TallyBuilding, tallyPlan, type PlanTally } from './tally.js';

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

export function validatePlan(
  communities: ReadonlyMap<string, Area>,
  grids: readonly PlanGrid[],
  buildings: readonly PlanBuilding[],
  opts: ValidateOptions = {},
): ValidationResult {
  const band = opts.band ?? DEFAULT_BAND;
  const minArea = opts.minArea ?? 1;
  const minWidth = opts.minWidth ?? 0.5;
  const real = (piece: Feature<Polygon>) => area(piece) >= minArea && meanWidth(piece) >= minWidth;
  const problems: Problem[] = [];
  const byId = new Map(grids.map((g) => [g.id, g]));

  // Assignment: explicit (paint mode) or by centroid (polygon mode).
  const assignment = new Map<string, string>();
  const containing = opts.assignment ? null : containingGrids(grids, buildings);
  for (const b of buildings) {
    const hits = containing ? containing.get(b.id)! : [opts.assignment!.get(b.id)].filter((x): x is string => !!x && byId.has(x));
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

  const tally = tallyPlan(grids, buildings, assignment, band);
  const compactness = new Map<string, number>();
  for (const g of grids) {
    const t = tally.grids.get(g.id)!;
    const box = turfBbox(g.geometry) as BBox;
    if (t.status === 'under' || t.status === 'over') {
      problems.push({ code: t.status === 'under' ? 'band_under' : 'band_over', severity: 'error', gridIds: [g.id], buildingIds: [], bbox: box, value: t.households,
        message: t.status === 'under'
          ? { zh: `${g.code} 仅 ${t.households} 户，低于 ${band.lo} 户`, en: `${g.code} has ${t.households} households, below ${band.lo}` }
          : { zh: `${g.code} 有 ${t.households} 户，超过 ${band.hi} 户`, en: `${g.code} has ${t.households} households, above ${band.hi}` } });
    }
    if (g.kind === 'dedicated') {
      problems.push({ code: 'dedicated_listed', severity: 'info', gridIds: [g.id], buildingIds: [], bbox: box, value: t.households,
        message: { zh: `${g.code} 为专属网格，不受户数标准约束`, en: `${g.code} is a dedicated grid, exempt from the band` } });
    }
    const parts = pieces(f(g.geometry)).filter((p) => area(p) >= minArea);
    if (parts.length > 1) {
      problems.push({ code: 'disconnected', severity: 'error', gridIds: [g.id], buildingIds: [], bbox: box, value: parts.length,
        message: { zh: `${g.code} 由 ${parts.length} 块不相连的区域组成`, en: `${g.code} is in ${parts.length} disconnected pieces` } });
    }
    const pp = polsbyPopper(g.geometry);
    compactness.set(g.id, pp);
    if (pp < (opts.minCompactness ?? 0.2)) {
      problems.push({ code: 'low_compactness', severity: 'warning', gridIds: [g.id], buildingIds: [], bbox: box, value: pp,
        message: { zh: `${g.code} 形状不紧凑（PP=${pp.toFixed(2)}）`, en: `${g.code} is not compact (Polsby–Popper ${pp.toFixed(2)})` } });
    }
    const home = communities.get(g.communityId);
    if (home) {
      for (const out of pieces(difference(featureCollection([f(g.geometry), f(home)])))) {
        const a = area(out);
        if (real(out)) problems.push({ code: 'outside_community', severity: 'error', gridIds: [g.id], buildingIds: [], bbox: turfBbox(out) as BBox, value: a,
          message: { zh: `${g.code} 超出所属社区 ${Math.round(a)} 平方米`, en: `${g.code} extends ${Math.round(a)} m² outside its community` } });
      }
    }
  }
  problems.push(...overlaps(grids, real), ...gaps(communities, grids, real));
  return { problems, tally, compactness, assignment };
}

type PieceTest = (piece: Feature<Polygon>) => boolean;

function overlaps(grids: readonly PlanGrid[], real: PieceTest): Problem[] {
  const out: Problem[] = [];
  const boxes = grids.map((g) => turfBbox(g.geometry));
  for (let i = 0; i < grids.length; i++) {
    for (let j = i + 1; j < grids.length; j++) {
      const [a, b] = [boxes[i], boxes[j]];
      if (a[0] > b[2] || b[0] > a[2] || a[1] > b[3] || b[1] > a[3]) continue;
      const x = intersect(featureCollection([f(grids[i].geometry), f(grids[j].geometry)]));
      const parts = pieces(x).filter(real);
      const size = parts.reduce((s, piece) => s + area(piece), 0);
      if (x && parts.length > 0) {
        out.push({ code: 'overlap', severity: 'error', gridIds: [grids[i].id, grids[j].id], buildingIds: [], bbox: turfBbox(x) as BBox, value: size,
          message: { zh: `${grids[i].code} 与 ${grids[j].code} 重叠 ${Math.round(size)} 平方米`, en: `${grids[i].code} and ${grids[j].code} overlap by ${Math.round(size)} m²` } });
      }
    }
  }
  return out;
}

function gaps(communities: ReadonlyMap<string, Area>, grids: readonly PlanGrid[], real: PieceTest): Problem[] {
  const out: Problem[] = [];
  for (const [id, geom] of communities) {
    const mine = grids.filter((g) => g.communityId === id).map((g) => f(g.geometry));
    const covered = mine.length === 0 ? null : mine.length === 1 ? mine[0] : union(featureCollection(mine));
    const rest = covered ? difference(featureCollection([f(geom), covered])) : f(geom);
    for (const hole of pieces(rest)) {
      const a = area(hole);
      if (real(hole)) out.push({ code: 'gap', severity: 'error', gridIds: [], buildingIds: [], bbox: turfBbox(hole) as BBox, value: a,
        message: { zh: `社区内有 ${Math.round(a)} 平方米未划入任何网格`, en: `${Math.round(a)} m² of the community belong to no grid` } });
    }
  }
  return out;
}
