import { describe, expect, it } from 'vitest';
import { disclosureFor, maskName, maskPersonalJson, maskPhone, maskPhonesIn } from './masking.js';
import type { Principal, Role, RoleGrant } from './principal.js';

const STREET = '370602001';
const C1 = '370602001001';
const C2 = '370602001002';
const G11 = `${C1}-001`;
const G12 = `${C1}-002`;
const G21 = `${C2}-001`;

const user = (...grants: RoleGrant[]): Principal => ({ kind: 'user', id: 1, name: 'x', displayName: 'x', sessionId: '', csrfToken: '', grants });
const kiosk: Principal = { kind: 'kiosk', id: 1, name: 'kiosk:x', displayName: 'x', sessionId: '', csrfToken: '', grants: [] };
const grant = (role: Exclude<Role, 'screen'>, scopeType: RoleGrant['scopeType'], scopeCode: string): RoleGrant => ({ role, scopeType, scopeCode });
const row = (gridCode: string | null, communityCode: string | null = gridCode?.slice(0, 12) ?? null) => ({ communityCode, gridCode });

describe('masking', () => {
  it('masks names and phones as the field expects', () => {
    expect(maskName('张三明')).toBe('张*明');
    expect(maskName('欧阳小明')).toBe('欧**明');
    expect(maskName('李四')).toBe('李*');
    expect(maskName('王')).toBe('*');
    expect(maskPhone('13812341234')).toBe('138****1234');
    expect(maskPhone(null)).toBeNull();
    expect(maskPhonesIn('请回电13812341234或+86 13912345678，门牌 120123456789')).toBe('请回电138****1234或+86********5678，门牌 120123456789');
  });

  it('decides per row: a grid worker sees their own grid in clear and others masked', () => {
    const gw = user(grant('grid_worker', 'grid', G11));
    expect(disclosureFor(gw, row(G11))).toMatchObject({ workerName: 'full', residentName: 'full', residentPhone: 'full', reporterPhone: 'full', tags: true, partyDetail: false });
    expect(disclosureFor(gw, row(G12))).toMatchObject({ workerName: 'masked', residentName: 'masked', residentPhone: 'none', reporterPhone: 'none', tags: false });
    expect(disclosureFor(gw, row(null, C1)).workerName).toBe('masked');
  });

  it('gives a community planner workers and reporters of the community, never household contacts in clear', () => {
    const pl = user(grant('planner', 'community', C1));
    expect(disclosureFor(pl, row(G12))).toMatchObject({ workerName: 'full', reporterName: 'full', residentName: 'masked', residentPhone: 'masked', partyDetail: true });
    expect(disclosureFor(pl, row(G21))).toMatchObject({ workerName: 'masked', reporterPhone: 'none', partyDetail: false });
    expect(disclosureFor(pl, row(null, null)).workerName).toBe('masked');
  });

  it('street roles cover the street; viewers see masked data in scope; anonymous and kiosks masked names, no phones', () => {
    const admin = user(grant('admin', 'street', STREET));
    expect(disclosureFor(admin, row(G21))).toMatchObject({ workerName: 'full', workerPhone: 'full', residentPhone: 'full', partyDetail: true });
    expect(disclosureFor(admin, { ...row(G21), streetCode: '999999999' }).residentName).toBe('masked');
    const viewer = user(grant('viewer', 'street', STREET));
    expect(disclosureFor(viewer, row(G21))).toMatchObject({ workerName: 'masked', residentPhone: 'masked', reporterPhone: 'masked', tags: false });
    for (const p of [null, kiosk]) {
      expect(disclosureFor(p, row(G11))).toEqual({
        residentName: 'masked', residentPhone: 'none', reporterName: 'masked', reporterPhone: 'none', workerName: 'masked', workerPhone: 'none', partyDetail: false, tags: false,
      });
    }
  });

  it('the best covering grant wins; a community admin stops at the community', () => {
    const both = user(grant('viewer', 'street', STREET), grant('grid_worker', 'grid', G11));
    expect(disclosureFor(both, row(G11)).residentPhone).toBe('full');
    expect(disclosureFor(both, row(G12)).residentPhone).toBe('masked');
    const cadmin = user(grant('admin', 'community', C2));
    expect(disclosureFor(cadmin, row(G21)).residentPhone).toBe('full');
    expect(disclosureFor(cadmin, row(G11)).residentPhone).toBe('none');
    expect(disclosureFor(cadmin, row(null, null)).workerName).toBe('masked');
  });

  it('masks personal keys and mobile numbers anywhere in JSON', () => {
    expect(maskPersonalJson({ user: { displayName: '张三明', phone: '13812341234' }, note: '电话13912345678', n: 3, list: [{ reporter_name: '李四' }] }))
      .toEqual({ user: { displayName: '张*明', phone: '138****1234' }, note: '电话139****5678', n: 3, list: [{ reporter_name: '李*' }] });
  });
});
