/** Display names of roles and scopes, and role checks on `/api/auth/me`. */
import type { Me, Role, RoleGrant } from '../http/auth-api';
import type { MessageKey } from '../i18n/zh-cn';

export const ROLE_KEYS: Record<Role, MessageKey> = {
  admin: 'role.admin',
  planner: 'role.planner',
  grid_worker: 'role.grid_worker',
  viewer: 'role.viewer',
  screen: 'role.screen',
};

export const SCOPE_KEYS: Record<RoleGrant['scopeType'], MessageKey> = {
  street: 'scope.street',
  community: 'scope.community',
  grid: 'scope.grid',
};

export function hasRole(me: Me | null | undefined, role: Role): boolean {
  return !!me && me.roles.some((g) => g.role === role);
}

/** Distinct role names in a stable order (admin first), for a compact "管理员、网格员". */
export function roleNames(me: Me, t: (k: MessageKey) => string): string[] {
  const order = Object.keys(ROLE_KEYS) as Role[];
  const mine = new Set(me.roles.map((g) => g.role));
  return order.filter((r) => mine.has(r)).map((r) => t(ROLE_KEYS[r]));
}
