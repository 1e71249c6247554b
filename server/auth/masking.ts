/**
 * Masking of personal fields for roles without a need to see them: 张*明, 138****1234.
 * Who needs what is decided in one place (`disclosure`), so routes cannot drift apart.
 */
import { type Principal, roleNames } from './principal.js';

export function maskName(name: string | null): string | null {
  if (!name) return name;
  const chars = [...name];
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

export function maskPhone(phone: string | null): string | null {
  if (!phone) return phone;
  if (phone.length < 7) return '*'.repeat(phone.length);
  return `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}`;
}

export interface Disclosure {
  /** Names and phones in clear (admins; grid workers for their own grids). */
  contacts: boolean;
  /** Party membership per household (planners and admins); otherwise only counts. */
  partyDetail: boolean;
  /** Tags such as 独居老人 / 出租户 (everyone who works with households, not viewers). */
  tags: boolean;
}

export function disclosure(p: Principal): Disclosure {
  const roles = roleNames(p);
  return {
    contacts: roles.has('admin') || roles.has('grid_worker'),
    partyDetail: roles.has('admin') || roles.has('planner'),
    tags: roles.has('admin') || roles.has('planner') || roles.has('grid_worker'),
  };
}
