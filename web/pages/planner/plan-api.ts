/** Typed calls of the plan API (docs/api.md, "Grid plans"); CSRF is added by api-client. */
import { ApiError, getCsrfToken, getJson, sendJson, withStreet } from '../../http/api-client';

export interface PlanSummary {
  id: number;
  name: string;
  status: 'draft' | 'published' | 'archived';
  version: number;
  communityCode: string | null;
  basedOn: number | null;
  updatedAt: string;
}

export interface PlanGridProps {
  code: string;
  name: string;
  communityCode: string;
  kind: 'basic' | 'dedicated';
  households: number;
  locked?: boolean;
  status: string;
}

export interface PlanDetail {
  plan: PlanSummary;
  version: number;
  grids: GeoJSON.FeatureCollection<GeoJSON.Geometry, PlanGridProps>;
  assignments: { building: string; grid: string }[];
}

export interface Problem {
  code: string;
  severity: 'error' | 'warning' | 'info';
  gridIds: string[];
  buildingIds: string[];
  bbox: [number, number, number, number] | null;
  value: number | null;
  message: { zh: string; en: string };
}

export interface Validation {
  valid: boolean;
  errors: number;
  warnings: number;
  problems: Problem[];
}

export interface PlanDiff {
  buildingsMoved: number;
  householdsMoved: number;
  moved: { building: string; from: string | null; to: string | null; households: number }[];
  grids?: {
    added: number;
    removed: number;
    changed: number;
    features: GeoJSON.FeatureCollection<GeoJSON.Geometry, { code: string; change: 'added' | 'removed' | 'changed' }>;
  };
}

type Ring = [number, number][];
export type PlanPolygon = { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] };

/** The PATCH operations (server/repos/plan-ops.repo.ts). */
export type PlanOp =
  | { op: 'assign'; grid: string; buildings?: string[]; compounds?: string[] }
  | { op: 'lock'; grid: string; locked: boolean }
  | { op: 'reshape'; grid: string; polygon: PlanPolygon }
  | { op: 'split'; grid: string; line: { type: 'LineString'; coordinates: [number, number][] } }
  | { op: 'drawGrid'; polygon: PlanPolygon; kind?: 'basic' | 'dedicated'; name?: string }
  | { op: 'renumber' }
  | { op: 'merge'; grids: string[] }
  | { op: 'deleteGrid'; grid: string; into?: string }
  | { op: 'renameGrid'; grid: string; name: string }
  | { op: 'addGrid'; community: string; name: string; kind?: 'basic' | 'dedicated'; code?: string }
  | { op: 'rename'; name: string };

export type ExportFormat = 'geojson' | 'shp' | 'xlsx';
export const exportUrl = (id: number, format: ExportFormat) => withStreet(`/api/plans/${id}/export?format=${format}`);

export const listPlans = () => getJson<PlanSummary[]>('/api/plans');
export const getPlan = (id: number) => getJson<PlanDetail>(`/api/plans/${id}`);
export const createPlan = (community: string | undefined, from: 'published' | number) =>
  sendJson<{ id: number; version: number }>('POST', '/api/plans', { community, from });
export const validatePlan = (id: number) => getJson<Validation>(`/api/plans/${id}/validate`);
export const diffPlan = (id: number) => getJson<PlanDiff>(`/api/plans/${id}/diff`);
export const publishPlan = (id: number, reason?: string) => sendJson<unknown>('POST', `/api/plans/${id}/publish`, reason ? { reason } : {});

/** PATCH with If-Match; api-client has no header option, so this call builds its own request. */
export async function patchPlan(id: number, version: number, ops: PlanOp[]): Promise<{ version: number }> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json', 'If-Match': `"${version}"` };
  const token = getCsrfToken();
  if (token) headers['X-CSRF-Token'] = token;
  const res = await fetch(withStreet(`/api/plans/${id}`), { method: 'PATCH', headers, body: JSON.stringify({ ops }), credentials: 'same-origin' });
  const body = (await res.json().catch(() => null)) as { version?: number; error?: { code: string; message: string } } | null;
  if (!res.ok) throw new ApiError(res.status, body?.error?.code ?? 'http_error', body?.error?.message ?? `HTTP ${res.status}`);
  return { version: body?.version ?? version + 1 };
}
