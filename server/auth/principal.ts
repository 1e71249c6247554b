/**
 * Who is calling: a signed-in user with scoped roles, or a kiosk (wall screen) with the read-only
 * `screen` role. Routes never look at cookies; they read the principal the session middleware set.
 */
export const USER_ROLES = ['admin', 'planner', 'grid_worker', 'viewer'] as const;
export type UserRole = (typeof USER_ROLES)[number];
export type Role = UserRole | 'screen';
export const ROLES: readonly Role[] = [...USER_ROLES, 'screen'];

/** What a grant or a kiosk link reaches (issue #15: districts too). */
export const SCOPE_TYPES = ['district', 'street', 'community', 'grid'] as const;
export type ScopeType = (typeof SCOPE_TYPES)[number];

/**
 * A part of the territory: a district (6-digit code), a street (9-digit code, or `'*'` = the whole
 * deployment), a community (12-digit) or a grid.
 */
export interface Scope {
  scopeType: ScopeType;
  scopeCode: string;
}

export interface RoleGrant extends Scope {
  role: UserRole;
}

export interface Principal {
  kind: 'user' | 'kiosk';
  /** users.id or kiosk_tokens.id */
  id: number;
  /** Username, or `kiosk:<label>`; what the audit log records as the actor. */
  name: string;
  displayName: string;
  grants: RoleGrant[];
  /** A kiosk link's scope (issue #15); null or absent: the whole deployment. Users leave it out. */
  kioskScope?: Scope | null;
  sessionId: string;
  csrfToken: string;
  /** A printed password not yet replaced: only me, password and logout are allowed (issue #14.10). */
  mustChangePassword?: boolean;
}

export function roleNames(p: Principal): Set<Role> {
  return p.kind === 'kiosk' ? new Set<Role>(['screen']) : new Set<Role>(p.grants.map((g) => g.role));
}

export function hasRole(p: Principal | null, ...roles: Role[]): boolean {
  if (!p) return false;
  const mine = roleNames(p);
  return roles.some((r) => mine.has(r));
}

/** Who may call a route: anyone, anyone signed in (users and kiosks), or holders of given roles. */
export type Access = 'public' | 'signed-in' | readonly Role[];

export type AccessDecision = 'ok' | 'unauthenticated' | 'forbidden';

export function decide(access: Access, p: Principal | null): AccessDecision {
  if (access === 'public') return 'ok';
  if (!p) return 'unauthenticated';
  if (access === 'signed-in') return 'ok';
  return hasRole(p, ...access) ? 'ok' : 'forbidden';
}
