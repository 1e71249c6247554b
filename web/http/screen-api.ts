/**
 * The wall screen's endpoints (docs/api.md, "Wall screen"): shapes and fetchers. Aggregates only;
 * grid workers come with surname-only names (王**).
 */
import type { BandStatus, BuildingUse } from './api-types';
import { getJson } from './api-client';

export type BBox = [number, number, number, number];

export interface ScreenCommunity {
  code: string;
  name: string;
  shortName: string;
  buildings: number;
  households: number;
  residents: number;
  partyMembers: number;
  partyCenters: number;
  bbox: BBox;
}

export interface ScreenGrid {
  code: string;
  name: string;
  communityCode: string;
  kind: 'basic' | 'dedicated';
  status: BandStatus;
  buildings: number;
  households: number;
  residents: number;
  partyMembers: number;
  partyCenters: number;
  workers: { masked: string; role: 'full_time' | 'auxiliary' }[];
  bbox: BBox;
}

export interface ScreenSummary {
  generatedAt: string;
  band: { lo: number; hi: number };
  street: { code: string; name: string } | null;
  communities: ScreenCommunity[];
  grids: ScreenGrid[];
  facilities: { community: string | null; category: string; count: number }[];
  partyDensity: [number, number, number][];
  /** From `GET /api/coverage/summary` (issue #6); absent when that call failed. */
  lifeCircle?: LifeCircleFigure;
  /** From `GET /api/requests/stats` (issue #9); absent when that call failed. */
  requests?: RequestFigures;
}

/** Share of households whose every required category is within the 10-minute walk. */
export interface LifeCircleFigure {
  minutes: number;
  households: number;
  coveredHouseholds: number;
  share: number | null;
}

/** Street-wide resident-request figures (aggregates only, no personal data). */
export interface RequestFigures {
  open: number;
  overdue: number;
  resolvedThisMonth: number;
  resolutionRate: number | null;
  withinGridShare: number | null;
  satisfaction: { rated: number; average: number | null; satisfiedShare: number | null };
  latest: RequestFeedItem[];
}

export interface RequestFeedItem {
  id: number;
  categoryName: string;
  categoryNameEn: string;
  status: string;
  level: 'grid' | 'community' | 'street';
  communityName: string | null;
  gridCode: string | null;
  reportedAt: string;
  overdue: boolean;
}

export interface ScreenBuilding {
  code: string;
  number: string;
  name: string | null;
  use: BuildingUse;
  floors: number;
  units: number;
  households: number;
  residents: number;
  partyMembers: number;
  partyHouseholds: number;
  partyCenters: number;
  communityCode: string;
  gridCode: string | null;
  bbox: BBox;
}

/**
 * The screen's figures: the grid/building summary, plus the 10-minute life-circle share and the
 * resident-request figures fetched alongside. Those two are optional: if either call fails the
 * screen still shows everything else (their tiles show "—").
 */
export async function fetchScreenSummary(signal?: AbortSignal): Promise<ScreenSummary> {
  const soft = <T,>(p: Promise<T>) => p.catch(() => undefined);
  const [summary, lifeCircle, requests] = await Promise.all([
    getJson<ScreenSummary>('/api/screen/summary', signal),
    soft(getJson<LifeCircleFigure>('/api/coverage/summary?level=10', signal)),
    soft(getJson<RequestFigures>('/api/requests/stats', signal)),
  ]);
  return { ...summary, lifeCircle, requests };
}

export function fetchScreenBuilding(code: string, signal?: AbortSignal) {
  return getJson<ScreenBuilding>(`/api/screen/buildings/${encodeURIComponent(code)}`, signal);
}
