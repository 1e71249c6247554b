/**
 * Live tallies of a plan: per grid households, residents, party members, load, buildings, deviation
 * from the target and band status. Pure and fast (a full recount of a street of ~1,000 buildings
 * takes well under a millisecond), so the planner recounts on every edit and the server uses the
 * same function for its authoritative figures.
 */
import { type Band, type BandStatus, DEFAULT_BAND, bandStatus } from '../band.js';

export interface TallyBuilding {
  id: string;
  households: number;
  residents: number;
  partyMembers: number;
  /** Workload (geo/party/load.ts) under the street's weights; absent = its households. */
  load?: number;
}

export interface TallyGrid {
  id: string;
  kind: 'basic' | 'dedicated';
}

export interface GridTally {
  gridId: string;
  kind: 'basic' | 'dedicated';
  buildings: number;
  households: number;
  residents: number;
  partyMembers: number;
  /** Σ load of its buildings (issue #20): what the grid worker attends to, beyond the household count. */
  load: number;
  /** households − target (e.g. +42 means 42 households over 350). */
  deviation: number;
  status: BandStatus;
}

export interface PlanTally {
  grids: Map<string, GridTally>;
  /** Buildings assigned to no grid (or to a grid that does not exist). */
  unassigned: string[];
}

/** Tallies every grid from a building → grid assignment. */
export function tallyPlan(
  grids: readonly TallyGrid[],
  buildings: readonly TallyBuilding[],
  assignment: ReadonlyMap<string, string>,
  band: Readonly<Band> = DEFAULT_BAND,
): PlanTally {
  const out = new Map<string, GridTally>();
  for (const g of grids) {
    out.set(g.id, { gridId: g.id, kind: g.kind, buildings: 0, households: 0, residents: 0, partyMembers: 0, load: 0, deviation: 0, status: 'under' });
  }
  const unassigned: string[] = [];
  for (const b of buildings) {
    const t = out.get(assignment.get(b.id) ?? '');
    if (!t) {
      unassigned.push(b.id);
      continue;
    }
    t.buildings++;
    t.households += b.households;
    t.residents += b.residents;
    t.partyMembers += b.partyMembers;
    t.load += b.load ?? b.households;
  }
  for (const t of out.values()) {
    t.deviation = t.households - band.target;
    t.status = bandStatus(t.households, t.kind, band);
  }
  return { grids: out, unassigned };
}
