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

/**
 * The screen's figures: the grid/building summary, plus the 10-minute life-circle share and the
 * resident-request figures fetched alongside. Those two are optional: if either call fails the
 * screen still shows everything else (their tiles show "—").
 */
export async function fetchScreenSummary(signal?: AbortSignal): Promise<ScreenSummary> {
  const soft = <T,>(p: Promise<T>) => p.catch(() => undefined);
  const [summary, lifeCircle, requests] = await Promise.all([
    getJson<ScreenSummaryResponse>('/api/screen/summary', signal),
    soft(getJson<LifeCircleFigure>('/api/coverage/summary?level=10', signal)),
    soft(getJson<RequestFigures>('/api/requests/stats', signal)),
  ]);
  return { ...summary, lifeCircle, requests };
}

export function fetchScreenBuilding(code: string, signal?: AbortSignal) {
  return getJson<ScreenBuilding>(`/api/screen/buildings/${encodeURIComponent(code)}`, signal);
}
