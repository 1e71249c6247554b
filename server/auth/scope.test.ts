import { describe, expect, it } from 'vitest';
import type { Principal, RoleGrant } from './principal.js';
import { PLANNING_ROLES, STAFF_ROLES, assertCommunity, assertStreetWide, communitiesOf, covers, grantCovers, parseScope, streetWide } from './scope.js';

const who = (...grants: RoleGrant[]): Principal => ({ kind: 'user', id: 1, name: 'u', displayName: 'u', grants, sessionId: '', csrfToken: '' });
const C1 = '370602001001';
const C2 = '370602001002';
const what = { zh: '修改', en: 'changing it' };

describe('scope', () => {
  it('counts only the grants of the roles asked for', () => {
    // A street-wide viewer grant never makes the same user's community planner grant street-wide.
    const p = who({ role: 'viewer', scopeType: 'street', scopeCode: '*' }, { role: 'planner', scopeType: 'community', scopeCode: C1 });
    expect(streetWide(p, PLANNING_ROLES)).toBe(false);
    expect(streetWide(p, ['viewer'])).toBe(true);
    expect(communitiesOf(p, PLANNING_ROLES)).toEqual([C1]);
    expect(() => assertStreetWide(p, PLANNING_ROLES, what)).toThrow(/street-wide/);
  });

  it('lets a community grant reach its community only, and a grid grant its grid only', () => {
    const planner = who({ role: 'planner', scopeType: 'community', scopeCode: C1 });
    expect(covers(planner, STAFF_ROLES, { communityCode: C1, gridCode: null })).toBe(true);
    expect(covers(planner, STAFF_ROLES, { communityCode: C2, gridCode: `${C2}-001` })).toBe(false);
    expect(covers(planner, STAFF_ROLES, { communityCode: null, gridCode: null })).toBe(false);
    expect(() => assertCommunity(planner, PLANNING_ROLES, C1, what)).not.toThrow();
    expect(() => assertCommunity(planner, PLANNING_ROLES, C2, what)).toThrow();
    expect(() => assertCommunity(planner, PLANNING_ROLES, null, what)).toThrow();
    const worker = who({ role: 'grid_worker', scopeType: 'grid', scopeCode: `${C1}-001` });
    expect(covers(worker, STAFF_ROLES, { communityCode: C1, gridCode: `${C1}-001` })).toBe(true);
    expect(covers(worker, STAFF_ROLES, { communityCode: C1, gridCode: `${C1}-002` })).toBe(false);
    expect(covers(worker, PLANNING_ROLES, { communityCode: C1, gridCode: `${C1}-001` })).toBe(false);
  });

  it('gives street-wide grants everything, and kiosks nothing', () => {
    const admin = who({ role: 'admin', scopeType: 'street', scopeCode: '*' });
    expect(covers(admin, STAFF_ROLES, { communityCode: null, gridCode: null })).toBe(true);
    expect(() => assertCommunity(admin, PLANNING_ROLES, null, what)).not.toThrow();
    const kiosk: Principal = { ...who(), kind: 'kiosk' };
    expect(streetWide(kiosk, STAFF_ROLES)).toBe(false);
    expect(covers(kiosk, STAFF_ROLES, { communityCode: C1, gridCode: null })).toBe(false);
  });
});

describe('district and street scopes (issue #15)', () => {
  const A = '370602001';
  const B = '370613005';
  const row = (streetCode: string | null, communityCode: string | null = null) => ({ streetCode, communityCode, gridCode: null });

  it('a street grant never covers a row of another street; a district grant covers its streets only', () => {
    expect(grantCovers({ scopeType: 'street', scopeCode: A }, row(A))).toBe(true);
    expect(grantCovers({ scopeType: 'street', scopeCode: A }, row(B))).toBe(false);
    // The street is read from the community code when the row gives none.
    expect(grantCovers({ scopeType: 'street', scopeCode: A }, row(null, `${B}001`))).toBe(false);
    expect(grantCovers({ scopeType: 'district', scopeCode: '370613' }, row(B))).toBe(true);
    expect(grantCovers({ scopeType: 'district', scopeCode: '370613' }, row(A))).toBe(false);
    expect(grantCovers({ scopeType: 'street', scopeCode: '*' }, row(B))).toBe(true);
  });

  it('streetWide names the street it is asked about', () => {
    const p = who({ role: 'planner', scopeType: 'district', scopeCode: '370613' });
    expect(streetWide(p, PLANNING_ROLES, B)).toBe(true);
    expect(streetWide(p, PLANNING_ROLES, A)).toBe(false);
    expect(() => assertCommunity(p, PLANNING_ROLES, `${A}001`, what)).toThrow();
    expect(() => assertCommunity(p, PLANNING_ROLES, `${B}001`, what)).not.toThrow();
  });

  it('parses type:code scopes and refuses malformed ones', () => {
    expect(parseScope('district:370613')).toEqual({ scopeType: 'district', scopeCode: '370613' });
    expect(parseScope('street:*')).toEqual({ scopeType: 'street', scopeCode: '*' });
    expect(parseScope('grid:370602001001-003')).toEqual({ scopeType: 'grid', scopeCode: '370602001001-003' });
    for (const bad of ['district:37061', 'street:12', 'community:1', 'city:1', 'street', '']) expect(parseScope(bad), bad).toBeNull();
  });
});
