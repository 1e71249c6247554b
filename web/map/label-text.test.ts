import { describe, expect, it } from 'vitest';
import type { GridProps } from '../http/api-types';
import { gridLabelText, shortGridName } from './label-text';

const grid = (over: Partial<GridProps>): GridProps => ({
  code: '370602001001-001',
  name: '友谊街社区第1网格',
  communityCode: '370602001001',
  communityName: '友谊街社区',
  kind: 'basic',
  dedicatedType: null,
  planId: 1,
  buildings: 10,
  households: 352,
  residents: 900,
  partyMembers: 60,
  partyCenters: 4,
  workers: 2,
  status: 'in',
  ...over,
});

const names = new Map([['370602001001', '友谊街社区居民委员会']]);

describe('grid label text', () => {
  it('drops the community prefix the community label already shows', () => {
    expect(shortGridName(grid({}), names)).toBe('第1网格');
    expect(shortGridName(grid({ name: '向阳第3网格', communityName: '向阳' }), new Map())).toBe('第3网格');
  });

  it('keeps names that do not start with the community', () => {
    expect(shortGridName(grid({ name: '烟台第二中学专属网格' }), names)).toBe('烟台第二中学专属网格');
  });

  it('shows households for basic grids and the place for dedicated ones', () => {
    expect(gridLabelText(grid({}), names, '户')).toBe('第1网格\n352户');
    expect(gridLabelText(grid({ name: '海港路菜市场专属网格', kind: 'dedicated', status: 'dedicated' }), names, '户')).toBe(
      '海港路菜市场',
    );
  });
});
