/**
 * The wall screen's endpoints (docs/api.md, "Wall screen"): shapes and fetchers. Aggregates only;
 * grid workers come with surname-only names (王**).
 *
 * The server's response shapes are declared once, in server/api/screen-types.ts (a types-only
 * module: `import type` is erased by Vite, no server code reaches the bundle), and re-exported here.
 */
import type { ScreenBuilding, ScreenSummary as ScreenSummaryResponse } from '../../server/api/screen-types';
import { getJson } from './api-client';

export type { BBox, ScreenBuilding, ScreenCommunity, ScreenGrid } from '../../server/api/screen-types';

/** `GET /api/screen/summary` with the life-circle and request figures fetched alongside. */
export interface ScreenSummary extends ScreenSummaryResponse {
  /** From `GET /api/coverage/summary` (issue #6); absent when that call failed. */
  lifeCircle?: LifeCircleFigure;
  /** From `GET /api/requests/stats` (issue #9); absent when that call failed. */
  requests?: RequestFigures;
  /** From `GET /api/party-reach?lists=0` (issue #20); absent when that call failed. */
  partyReach?: PartyReachFigure;
}

/** Share of households within the street's walking distance of a 党员中心户, with the reach per grid. */
export interface PartyReachFigure {
  households: number;
  reachedHouseholds: number;
  share: number;
  distanceM: number;
  byGrid: { key: string; name: string; households: number; reachedHouseholds: number; share: number }[];
}

/** Share of households whose every required category is within the 10-minute walk. */
export interface LifeCircleFigure {
  /** The street's least-covered grids (street scope only). */
  gaps?: { grid: string; households: number; share: number | null }[];
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

/** The two figures fetched beside the summary; either is absent when its call failed. */
export type ScreenExtras = Pick<ScreenSummary, 'lifeCircle' | 'requests' | 'partyReach'>;

/**
 * The screen's figures as three requests under way: the grid/building summary, and the 10-minute
 * life-circle share and resident-request figures beside it. Those two are optional: a failed call
 * resolves to `undefined` and the screen still shows everything else (their tiles show "—"). They
 * are kept apart so the map and panels can draw as soon as the summary is here — on a big street
 * the life-circle figure can take seconds to compute on a cold server.
 */
export function startScreenSummary(signal?: AbortSignal) {
  const soft = <T,>(p: Promise<T>) => p.catch(() => undefined);
  return {
    summary: getJson<ScreenSummaryResponse>('/api/screen/summary', signal),
    lifeCircle: soft(getJson<LifeCircleFigure>('/api/coverage/summary?level=10', signal)),
    requests: soft(getJson<RequestFigures>('/api/requests/stats', signal)),
    partyReach: soft(getJson<PartyReachFigure>('/api/party-reach?lists=0', signal)),
  };
}

/**
 * The two extra figures for one community or grid (the screen's KPI tiles and requests panel
 * follow the selection); each is `undefined` if its call failed.
 */
export async function fetchScopedExtras(scope: { community?: string; grid?: string }, signal?: AbortSignal): Promise<ScreenExtras> {
  const q = new URLSearchParams(scope.grid ? { grid: scope.grid } : scope.community ? { community: scope.community } : {}).toString();
  const soft = <T,>(p: Promise<T>) => p.catch(() => undefined);
  const [lifeCircle, requests, partyReach] = await Promise.all([
    soft(getJson<LifeCircleFigure>(`/api/coverage/summary?level=10&${q}`, signal)),
    soft(getJson<RequestFigures>(`/api/requests/stats?${q}`, signal)),
    soft(getJson<PartyReachFigure>(`/api/party-reach?lists=0&${q}`, signal)),
  ]);
  return { lifeCircle, requests, partyReach };
}

/** The summary with both extra figures, once all three have answered (the minute refresh). */
export async function fetchScreenSummary(signal?: AbortSignal): Promise<ScreenSummary> {
  const f = startScreenSummary(signal);
  const [summary, lifeCircle, requests, partyReach] = await Promise.all([f.summary, f.lifeCircle, f.requests, f.partyReach]);
  return { ...summary, lifeCircle, requests, partyReach };
}

export function fetchScreenBuilding(code: string, signal?: AbortSignal) {
  return getJson<ScreenBuilding>(`/api/screen/buildings/${encodeURIComponent(code)}`, signal);
}
