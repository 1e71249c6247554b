/**
 * Accounts, the audit log and kiosk links (server/routes/auth.route.ts and admin.route.ts).
 * Every call goes through api-client, which keeps the CSRF token and sends it on non-GET requests.
 */
import { getJson, query, sendJson, setCsrfToken } from './api-client';

export type Role = 'admin' | 'planner' | 'grid_worker' | 'viewer' | 'screen';

export interface RoleGrant {
  role: Role;
  scopeType: 'street' | 'community' | 'grid';
  scopeCode: string;
}

/** `GET /api/auth/me`: the signed-in user, or the kiosk (wall screen) with the `screen` role. */
export interface Me {
  kind: 'user' | 'kiosk';
  username: string;
  displayName: string;
  roles: RoleGrant[];
  csrfToken: string;
  /** A printed password not yet replaced: everything but /me, password and logout is refused. */
  mustChangePassword?: boolean;
}

export interface AuditItem {
  id: number;
  /** ISO timestamp */
  at: string;
  actor: string;
  userId: number | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  detail: Record<string, unknown> | null;
  ip: string | null;
}

export interface AuditPage {
  total: number;
  items: AuditItem[];
}

export interface AuditFilter {
  actor?: string;
  action?: string;
  target?: string;
  /** ISO timestamps with offset; `from` inclusive, `to` exclusive (server rule). */
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

/** What a kiosk link shows (issue #15): a district, street, community or grid; null = everything. */
export interface KioskScope {
  scopeType: 'district' | 'street' | 'community' | 'grid';
  scopeCode: string;
}

export interface KioskToken {
  id: number;
  label: string;
  createdAt: string;
  revokedAt: string | null;
  /** Absent from servers before issue #15. */
  scope?: KioskScope | null;
}

/** `POST /api/kiosk-tokens` answer: the link with its secret, shown once (only a hash is stored). */
export interface NewKioskToken {
  id: number;
  label: string;
  url: string;
}

export async function fetchMe(signal?: AbortSignal): Promise<Me> {
  const me = await getJson<Me>('/api/auth/me', signal);
  setCsrfToken(me.csrfToken);
  return me;
}

/** Signs in; `mustChangePassword` means the new password form must come first. */
export async function login(username: string, password: string): Promise<{ mustChangePassword: boolean }> {
  const res = await sendJson<{ ok: boolean; csrfToken: string; mustChangePassword?: boolean }>('POST', '/api/auth/login', { username, password });
  setCsrfToken(res.csrfToken);
  return { mustChangePassword: res.mustChangePassword === true };
}

export async function logout(): Promise<void> {
  try {
    await sendJson('POST', '/api/auth/logout');
  } finally {
    setCsrfToken(null);
  }
}

export function changePassword(current: string, next: string) {
  return sendJson<{ ok: boolean }>('POST', '/api/auth/password', { current, next });
}

export function fetchAudit(f: AuditFilter, signal?: AbortSignal) {
  const q = query({
    actor: f.actor,
    action: f.action,
    target: f.target,
    from: f.from,
    to: f.to,
    limit: String(f.limit),
    offset: String(f.offset),
  });
  return getJson<AuditPage>(`/api/audit${q}`, signal);
}

export function fetchKioskTokens(signal?: AbortSignal) {
  return getJson<KioskToken[]>('/api/kiosk-tokens', signal);
}

/** `scope`: `district:<6 digits>` or `street:<9 digits>` …; left out for the whole deployment. */
export function createKioskToken(label: string, scope?: string) {
  return sendJson<NewKioskToken>('POST', '/api/kiosk-tokens', scope ? { label, scope } : { label });
}

export function revokeKioskToken(id: number) {
  return sendJson<{ ok: boolean }>('DELETE', `/api/kiosk-tokens/${encodeURIComponent(String(id))}`);
}
