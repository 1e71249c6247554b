/**
 * Incremental plan validation for live use in the planner. A PlanValidator validates the whole plan
 * once, caches what each rule found per grid, per pair of neighbouring grids and per community,
 * and after an edit re-checks only the grids whose shape changed and their neighbours:
 *
 * - shape rules (disconnected, compactness, outside the community): the changed grids only;
 * - overlaps: pairs that include a changed grid (bounding boxes first);
 * - gaps: the communities of the changed grids;
 * - band and assignment: recounted in full (a plain loop over ~1,000 buildings, well under 1 ms),
 *   with centroid containment (polygon mode) re-tested only against the changed grids.
 *
 * The result has exactly the shape and order of validatePlan, so either can stand for the other;
 * validator.test.ts checks that they agree after random edits.
 */
import { bbox as turfBbox, booleanPointInPolygon } from '@turf/turf';
import { tallyPlan } from './tally.js';
import {
  type Area, type BBox, type PlanBuilding, type PlanGrid, type Problem, type Rules, type ValidateOptions, type ValidationResult,
  assignmentProblems, boxesMeet, communityCover, overlapProblem, rules, shapeProblems, tallyProblems,
} from './validate.js';

/** What an edit changed: grids added or reshaped (by id), grids removed, and (paint mode) the new assignment. */
export interface PlanChange {
  grids?: readonly PlanGrid[];
  removed?: readonly string[];
  /** The complete building → grid assignment after the edit (paint mode only). */
  assignment?: ReadonlyMap<string, string>;
}

const pairKey = (a: string, b: string) => `${a}\u0000${b}`;

export class PlanValidator {
  private readonly rules: Rules;
  private readonly explicit: boolean;
  private assignmentIn: ReadonlyMap<string, string>;
  /** Grids in plan order: reshaped grids keep their place, new ones are appended. */
  private grids: PlanGrid[] = [];
  private readonly boxes = new Map<string, BBox>();
  private readonly shapes = new Map<string, { problems: Problem[]; compactness: number; outsideArea: number }>();
  /** Overlap of each pair of grids whose boxes meet, keyed in plan order (first, second). */
  private readonly overlaps = new Map<string, Problem | null>();
  private readonly gaps = new Map<string, Problem[]>();
  /** Per community, Σ grid areas − area of their union (m²): their total overlap. */
  private readonly overlapArea = new Map<string, number>();
  /** Polygon mode: the grids whose polygon contains each building's centroid. */
  private readonly hits = new Map<string, string[]>();
  private last: ValidationResult;

  private readonly communities: ReadonlyMap<string, Area>;
  private readonly buildings: readonly PlanBuilding[];

  constructor(communities: ReadonlyMap<string, Area>, grids: readonly PlanGrid[], buildings: readonly PlanBuilding[], opts: ValidateOptions = {}) {
    this.communities = communities;
    this.buildings = buildings;
    this.rules = rules(opts);
    this.explicit = !!opts.assignment;
    this.assignmentIn = opts.assignment ?? new Map();
    for (const b of buildings) this.hits.set(b.id, []);
    this.last = this.apply({ grids });
  }

  /** The current result (as validatePlan would return it for the current plan). */
  result(): ValidationResult {
    return this.last;
  }

  /** Applies an edit and returns the new result. */
  update(change: PlanChange): ValidationResult {
    this.last = this.apply(change);
    return this.last;
  }

  /**
   * Takes the plan's complete grid list (e.g. reloaded from the server) and re-checks the grids
   * whose code, kind, community or geometry differ from the previous list.
   */
  sync(grids: readonly PlanGrid[], assignment?: ReadonlyMap<string, string>): ValidationResult {
    const before = new Map(this.grids.map((g) => [g.id, g]));
    const changed = grids.filter((g) => {
      const old = before.get(g.id);
      return !old || old.code !== g.code || old.kind !== g.kind || old.communityId !== g.communityId ||
        (old.geometry !== g.geometry && JSON.stringify(old.geometry) !== JSON.stringify(g.geometry));
    });
    const keep = new Set(grids.map((g) => g.id));
    const removed = this.grids.filter((g) => !keep.has(g.id)).map((g) => g.id);
    this.last = this.apply({ grids: changed, removed, assignment });
    // Adopt the caller's order so the result lists problems in the same order validatePlan would.
    const order = new Map(grids.map((g, i) => [g.id, i]));
    if (this.grids.some((g, i) => order.get(g.id) !== i)) {
      this.grids.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
      for (const hits of this.hits.values()) hits.sort((p, q) => order.get(p)! - order.get(q)!);
      this.overlaps.clear();
      this.checkOverlaps(new Set(this.grids.map((g) => g.id)));
      this.last = this.collect();
    }
    return this.last;
  }

  private apply(change: PlanChange): ValidationResult {
    if (change.assignment) this.assignmentIn = change.assignment;
    const affectedCommunities = new Set<string>();
    const changed = new Set<string>();
    for (const id of change.removed ?? []) {
      const old = this.grids.find((g) => g.id === id);
      if (!old) continue;
      affectedCommunities.add(old.communityId);
      this.grids = this.grids.filter((g) => g.id !== id);
      this.boxes.delete(id);
      this.shapes.delete(id);
      changed.add(id);
    }
    for (const g of change.grids ?? []) {
      const at = this.grids.findIndex((x) => x.id === g.id);
      if (at >= 0) {
        affectedCommunities.add(this.grids[at].communityId);
        this.grids[at] = g;
      } else this.grids.push(g);
      affectedCommunities.add(g.communityId);
      changed.add(g.id);
      this.boxes.set(g.id, turfBbox(g.geometry) as BBox);
      this.shapes.set(g.id, shapeProblems(g, this.communities.get(g.communityId), this.rules));
    }
    for (const [id, geom] of this.communities) {
      if (!affectedCommunities.has(id) && this.gaps.has(id)) continue;
      const cover = communityCover(geom, this.grids.filter((g) => g.communityId === id), this.rules);
      this.gaps.set(id, cover.gaps);
      this.overlapArea.set(id, cover.overlapArea);
    }
    if (changed.size > 0) {
      for (const key of [...this.overlaps.keys()]) {
        const [a, b] = key.split('\u0000');
        if (changed.has(a) || changed.has(b)) this.overlaps.delete(key);
      }
      this.checkOverlaps(changed);
      if (!this.explicit) this.recontain(changed);
    }
    return this.collect();
  }

  /** Overlaps of the given grids with every grid whose box meets theirs. */
  private checkOverlaps(ids: ReadonlySet<string>) {
    for (let i = 0; i < this.grids.length; i++) {
      for (let j = i + 1; j < this.grids.length; j++) {
        const [a, b] = [this.grids[i], this.grids[j]];
        if (!ids.has(a.id) && !ids.has(b.id)) continue;
        if (!boxesMeet(this.boxes.get(a.id)!, this.boxes.get(b.id)!)) continue;
        this.overlaps.set(pairKey(a.id, b.id), this.mayOverlap(a, b) ? overlapProblem(a, b, this.rules) : null);
      }
    }
  }

  /**
   * False when no real overlap is possible, which spares the costly intersection for most pairs of
   * neighbours: grids of one community whose grids overlap by less than minArea in total, or grids
   * of two communities that together stick out of their communities by less than minArea (their
   * overlap lies in those parts, as communities do not overlap one another).
   */
  private mayOverlap(a: PlanGrid, b: PlanGrid): boolean {
    const min = this.rules.minArea;
    if (a.communityId === b.communityId) return (this.overlapArea.get(a.communityId) ?? Infinity) >= min;
    return this.shapes.get(a.id)!.outsideArea + this.shapes.get(b.id)!.outsideArea >= min;
  }

  /** Polygon mode: re-tests building centroids against the changed grids only. */
  private recontain(changed: ReadonlySet<string>) {
    const now = this.grids.filter((g) => changed.has(g.id));
    const position = new Map(this.grids.map((g, i) => [g.id, i]));
    for (const b of this.buildings) {
      const [x, y] = b.centroid;
      const hits = this.hits.get(b.id)!.filter((id) => !changed.has(id));
      for (const g of now) {
        const [a, c, d, e] = this.boxes.get(g.id)!;
        if (x >= a && x <= d && y >= c && y <= e && booleanPointInPolygon(b.centroid, g.geometry)) hits.push(g.id);
      }
      hits.sort((p, q) => position.get(p)! - position.get(q)!);
      this.hits.set(b.id, hits);
    }
  }

  /** Assembles the result from the caches in validatePlan's order. */
  private collect(): ValidationResult {
    const ids = new Set(this.grids.map((g) => g.id));
    const assignment = new Map<string, string>();
    const problems = assignmentProblems(this.buildings, (b) => {
      if (!this.explicit) return this.hits.get(b.id)!;
      const g = this.assignmentIn.get(b.id);
      return g && ids.has(g) ? [g] : [];
    }, assignment);
    const tally = tallyPlan(this.grids, this.buildings, assignment, this.rules.band);
    const compactness = new Map<string, number>();
    for (const g of this.grids) {
      problems.push(...tallyProblems(g, tally.grids.get(g.id)!, this.boxes.get(g.id)!, this.rules.band));
      const shape = this.shapes.get(g.id)!;
      compactness.set(g.id, shape.compactness);
      problems.push(...shape.problems);
    }
    for (let i = 0; i < this.grids.length; i++) {
      for (let j = i + 1; j < this.grids.length; j++) {
        const o = this.overlaps.get(pairKey(this.grids[i].id, this.grids[j].id));
        if (o) problems.push(o);
      }
    }
    for (const id of this.communities.keys()) problems.push(...this.gaps.get(id)!);
    return { problems, tally, compactness, assignment };
  }
}
