/** Party reach and grid load (issue #20): the shapes of `GET /api/party-reach` and `GET /api/load`. */
import { getJson, query } from './api-client';

export interface ReachCentre {
  building: string; number: string; community: string; grid: string | null; position: [number, number];
  count: number; households: number; perCentre: number; status: 'under' | 'in' | 'over';
  /** Only for callers with party detail in scope. */
  members?: { unit: number; room: string; headName: string | null }[];
}

export interface ReachArea { key: string; name: string; households: number; reachedHouseholds: number; share: number; centres: number }

export interface PartyReach {
  households: number; reachedHouseholds: number; leftOutHouseholds: number; share: number; distanceM: number;
  householdsPerCentre: { min: number; max: number };
  centres: ReachCentre[];
  suggestions: { rank: number; building: string; number: string; position: [number, number]; gainHouseholds: number; shareAfter: number }[];
  byCommunity: ReachArea[];
  byGrid: ReachArea[];
  leftOut: { building: string; households: number; position: [number, number] }[];
}

export function fetchPartyReach(opts: { community?: string; grid?: string; suggest?: number } = {}, signal?: AbortSignal) {
  return getJson<PartyReach>(`/api/party-reach${query({ community: opts.community, grid: opts.grid, suggest: opts.suggest === undefined ? undefined : String(opts.suggest) })}`, signal);
}

/** Each building's load (by code) under the street's weights. */
export function fetchLoads(community: string, signal?: AbortSignal) {
  return getJson<{ weights: Record<string, number>; buildings: Record<string, number> }>(`/api/load${query({ community })}`, signal);
}
