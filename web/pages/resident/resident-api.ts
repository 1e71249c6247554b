/**
 * Calls of the residents' pages (docs/api.md "Residents' own reports"): no account; the QR
 * token or the tracking key is in the path. Writes carry an Idempotency-Key, so "send" pressed
 * again after a lost answer never makes a second report.
 */
import type { RequestStatus } from '../../../geo/requests/lifecycle';
import { getJson, sendJson } from '../../http/api-client';

export interface ReportPlace {
  kind: 'building' | 'compound';
  code: string;
  name: string;
  communityName: string;
  buildings: { code: string; label: string }[];
}

export interface ReportForm {
  place: ReportPlace;
  categories: { code: string; name: string; nameEn: string }[];
  limits: { description: number; photoBytes: number };
}

export interface Tracking {
  id: number;
  category: { code: string; name: string; nameEn: string };
  description: string;
  place: string | null;
  communityName: string | null;
  status: RequestStatus;
  reportedAt: string;
  dueAt: string;
  resolvedAt: string | null;
  rating: number | null;
  ratingComment: string | null;
  spam: boolean;
  canRate: boolean;
  history: { at: string; step: string; status: RequestStatus; text: { zh: string; en: string }; note: string | null }[];
}

/** A random key for one action (idempotency key, device id): 128 bits, URL-safe. */
export function randomKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

const DEVICE_KEY = 'gridatlas.device';

/** This browser's device id for the report rate limit (kept in localStorage). */
export function deviceId(): string {
  try {
    let id = localStorage.getItem(DEVICE_KEY);
    if (!id) {
      id = randomKey();
      localStorage.setItem(DEVICE_KEY, id);
    }
    return id;
  } catch {
    return randomKey();
  }
}

export const fetchReportForm = (token: string) => getJson<ReportForm>(`/api/public/report/${encodeURIComponent(token)}`);

export const sendReport = (
  token: string,
  body: { category: string; description: string; building?: string; photo?: string; reporterName?: string; reporterPhone?: string },
  idempotencyKey: string,
) =>
  sendJson<{ id: number; trackingKey: string; trackingPath: string }>('POST', `/api/public/report/${encodeURIComponent(token)}`, body, undefined, {
    'Idempotency-Key': idempotencyKey,
    'X-Device-Id': deviceId(),
  });

export const fetchTracking = (key: string) => getJson<Tracking>(`/api/public/track/${encodeURIComponent(key)}`);

export const sendRating = (key: string, body: { rating: number; comment?: string }, idempotencyKey: string) =>
  sendJson<Tracking>('POST', `/api/public/track/${encodeURIComponent(key)}/rate`, body, undefined, { 'Idempotency-Key': idempotencyKey });

const MINE_KEY = 'gridatlas.myReports';

/** Reports sent from this browser (id, what, tracking path), newest first, so a lost link can be found again. */
export function myReports(): { id: number; what: string; path: string; at: string }[] {
  try {
    return JSON.parse(localStorage.getItem(MINE_KEY) ?? '[]') as { id: number; what: string; path: string; at: string }[];
  } catch {
    return [];
  }
}

export function rememberReport(r: { id: number; what: string; path: string }) {
  try {
    localStorage.setItem(MINE_KEY, JSON.stringify([{ ...r, at: new Date().toISOString() }, ...myReports()].slice(0, 20)));
  } catch {
    /* storage may be disabled: the link on screen is still there */
  }
}
