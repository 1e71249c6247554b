import { describe, expect, it } from 'vitest';
import { disclosure, maskName, maskPhone } from './masking.js';
import type { Principal, Role } from './principal.js';

const as = (role: Role): Principal => ({
  kind: role === 'screen' ? 'kiosk' : 'user', id: 1, name: 'x', displayName: 'x', sessionId: '', csrfToken: '',
  grants: role === 'screen' ? [] : [{ role, scopeType: 'street', scopeCode: '370602001' }],
});

describe('masking', () => {
  it('masks names and phones as the field expects', () => {
    expect(maskName('张三明')).toBe('张*明');
    expect(maskName('欧阳小明')).toBe('欧**明');
    expect(maskName('李四')).toBe('李*');
    expect(maskName('王')).toBe('*');
    expect(maskPhone('13812341234')).toBe('138****1234');
    expect(maskPhone(null)).toBeNull();
  });

  it('discloses contacts to admins and grid workers, party detail to admins and planners', () => {
    expect(disclosure(as('admin'))).toEqual({ contacts: true, partyDetail: true, tags: true });
    expect(disclosure(as('planner'))).toEqual({ contacts: false, partyDetail: true, tags: true });
    expect(disclosure(as('grid_worker'))).toEqual({ contacts: true, partyDetail: false, tags: true });
    expect(disclosure(as('viewer'))).toEqual({ contacts: false, partyDetail: false, tags: false });
    expect(disclosure(as('screen'))).toEqual({ contacts: false, partyDetail: false, tags: false });
  });
});
