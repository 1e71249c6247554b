/**
 * Personal data leaving the server: who sees what, per row. A person's name or phone is shown in
 * clear only to a caller whose grants cover the row the person belongs to (the household's
 * building, the request's place, the grid worker's grid) AND whose role needs that field; staff
 * see it masked (张*明, 138****1234) elsewhere; anonymous and kiosk callers at most a masked name.
 *
 * `disclosureFor` is the only place that decides it. Every exit — plan and layer exports, OGC,
 * GeoJSON layers, households, request lists and history, the wall screen — asks it per row, so a
 * new exit cannot drift into a role-only rule (issue #14.7: a grid worker of one grid downloaded
 * every grid's workers in clear because the rule looked at the role and not at the row).
 */
import type { Principal, Role } from './principal.js';
import { type RowScope, grantCovers } from './scope.js';

export type { RowScope } from './scope.js';

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

/** Mainland mobile numbers (optionally with +86) inside free text. */
const PHONE_IN_TEXT = /(?<!\d)(?:\+?86[- ]?)?1[3-9]\d{9}(?!\d)/g;

/** Free text (a request's description, a note) with every mobile number in it masked. */
export function maskPhonesIn(text: string | null): string | null {
  return text === null ? null : text.replace(PHONE_IN_TEXT, (m) => maskPhone(m)!);
}

/** How one field of one row may leave: in clear, masked, or not at all. */
export type Level = 'full' | 'masked' | 'none';

/** The personal fields the server holds, by whose they are. */
export const PERSONAL_FIELDS = ['residentName', 'residentPhone', 'reporterName', 'reporterPhone', 'workerName', 'workerPhone'] as const;
export type PersonalField = (typeof PERSONAL_FIELDS)[number];

/**
 * Roles that need a field in clear within their scope. Household heads: admins and the grid's
 * workers (who visit them), not planners (they plan with counts). Request reporters: everyone who
 * acts on requests (dispatchers and grid workers). Grid workers' names and phones: the staff who
 * organise or are them (admins, planners, grid workers). Viewers never need any in clear.
 */
const CLEAR_FOR: Record<PersonalField, readonly Role[]> = {
  residentName: ['admin', 'grid_worker'],
  residentPhone: ['admin', 'grid_worker'],
  reporterName: ['admin', 'planner', 'grid_worker'],
  reporterPhone: ['admin', 'planner', 'grid_worker'],
  workerName: ['admin', 'planner', 'grid_worker'],
  workerPhone: ['admin', 'planner', 'grid_worker'],
};

export interface RowDisclosure extends Record<PersonalField, Level> {
  /** Party membership per household (planners and admins in scope); otherwise only counts. */
  partyDetail: boolean;
  /** Tags such as 独居老人 / 出租户 (staff in scope who work with households, not viewers). */
  tags: boolean;
}

const isPhone = (f: PersonalField) => f.endsWith('Phone');

/**
 * What `p` may see of the personal data of a row at `row`:
 * - a grant covering the row whose role needs the field → `full`;
 * - a covering grant of another role (e.g. a viewer in scope) → `masked`;
 * - staff outside the row's scope, anonymous callers and kiosks → names `masked`, phones `none`.
 */
export function disclosureFor(p: Principal | null, row: RowScope): RowDisclosure {
  const covering = p && p.kind === 'user' ? new Set<Role>(p.grants.filter((g) => grantCovers(g, row)).map((g) => g.role)) : new Set<Role>();
  const out = {} as Record<PersonalField, Level>;
  for (const f of PERSONAL_FIELDS) {
    out[f] = CLEAR_FOR[f].some((r) => covering.has(r)) ? 'full' : covering.size > 0 || !isPhone(f) ? 'masked' : 'none';
  }
  return {
    ...out,
    partyDetail: covering.has('admin') || covering.has('planner'),
    tags: covering.has('admin') || covering.has('planner') || covering.has('grid_worker'),
  };
}

/** A name as a level allows: in clear, masked (张*明), or left out (null). */
export function showName(level: Level, name: string | null): string | null {
  return level === 'full' ? name : level === 'masked' ? maskName(name) : null;
}

/** A phone as a level allows: in clear, masked (138****1234), or left out (null). */
export function showPhone(level: Level, phone: string | null): string | null {
  return level === 'full' ? phone : level === 'masked' ? maskPhone(phone) : null;
}

/** Keys of personal names in free-form JSON (audit details): headName, reporter_name, displayName… */
const NAME_KEY = /^(?:head|reporter|display|worker|contact|real|full|person|resident)_?name$/i;
const PHONE_KEY = /(?:phone|mobile|tel)$/i;

/**
 * A JSON value with personal data masked: values under name keys (张*明), under phone keys
 * (138****1234), and mobile numbers anywhere in strings. For records whose readers have no row
 * scope to decide by (the audit log): they get what a caller outside every scope may see.
 */
export function maskPersonalJson(v: unknown, key = ''): unknown {
  if (typeof v === 'number' && PHONE_KEY.test(key)) return maskPhone(String(v));
  if (typeof v === 'string') {
    if (PHONE_KEY.test(key)) return maskPhone(v);
    if (NAME_KEY.test(key)) return maskName(v);
    return maskPhonesIn(v);
  }
  if (Array.isArray(v)) return v.map((x) => maskPersonalJson(x, key));
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, maskPersonalJson(x, k)]));
  }
  return v;
}
