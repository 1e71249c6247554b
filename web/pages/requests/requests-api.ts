/** Typed calls for the resident requests API (docs/api.md "Resident requests"). */
import type { RequestStatus } from '../../../geo/requests/lifecycle';
import { getJson, query, sendJson } from '../../http/api-client';

export interface RequestItem {
  id: number;
  category: string;
  description: string;
  channel: 'grid_worker' | 'resident' | 'hotline_12345' | 'property';
  lon: number;
  lat: number;
  buildingCode: string | null;
  communityCode: string | null;
  communityName: string | null;
  gridCode: string | null;
  status: RequestStatus;
  level: 'grid' | 'community' | 'street';
  assigneeKind: 'grid_worker' | 'department' | null;
  assignee: string | null;
  rating: number | null;
  reporterName: string | null;
  reporterPhone: string | null;
  reportedAt: string;
  dueAt: string;
  resolvedAt: string | null;
  overdue: boolean;
  /** Issue #18: a resident's own report marked as spam by a dispatcher. */
  spam?: boolean;
  /** How the signed-in user may act on it. */
  actor: 'dispatcher' | 'grid_worker' | null;
}

export interface RequestPage {
  total: number;
  items: RequestItem[];
}

export interface CategoryInfo {
  code: string;
  name: string;
  nameEn: string;
  limitHours: number;
  color: string;
}

export interface DepartmentInfo {
  code: string;
  name: string;
  nameEn: string;
  level: 'community' | 'street';
}

export interface RequestCatalog {
  categories: CategoryInfo[];
  departments: DepartmentInfo[];
}

export interface RequestStats {
  open: number;
  overdue: number;
  resolvedThisMonth: number;
  resolutionRate: number | null;
  withinGridShare: number | null;
  satisfaction: { rated: number; average: number | null; satisfiedShare: number | null };
}

export interface TransitionBody {
  to: RequestStatus;
  note?: string;
  rating?: number;
  assignee?: { kind: 'grid_worker' | 'department'; code: string };
}

export const fetchCatalog = () => getJson<RequestCatalog>('/api/requests/categories');
export const fetchRequestStats = (scope: { community?: string; grid?: string }) => getJson<RequestStats>(`/api/requests/stats${query(scope)}`);
export const listRequests = (q: { status?: string; grid?: string; community?: string; limit?: number }) =>
  getJson<RequestPage>(`/api/requests${query({ ...q, limit: q.limit ? String(q.limit) : undefined })}`);
export const transition = (id: number, body: TransitionBody) => sendJson<RequestItem>('POST', `/api/requests/${id}/transition`, body);
export const markRequestSpam = (id: number) => sendJson<RequestItem>('POST', `/api/requests/${id}/spam`, { spam: true });
export const createRequest = (body: { category: string; description: string; channel: string; lon: number; lat: number }) =>
  sendJson<RequestItem>('POST', '/api/requests', body);
export const fetchRequestLayer = (q: { status?: string; from?: string; to?: string }) =>
  getJson<GeoJSON.FeatureCollection>(`/api/requests/layer${query(q)}`);
