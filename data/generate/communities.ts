/**
 * 向阳街道 (Yantai 芝罘区, 370602001) and its 8 real communities, with their statistical codes as
 * listed in shared/data/communities.csv (National Bureau of Statistics division codes, 2023).
 */
export const STREET = { code: '370602001', name: '向阳街道' } as const;

export const REAL_COMMUNITIES = [
  { code: '370602001001', name: '友谊街社区居民委员会', shortName: '友谊街社区' },
  { code: '370602001002', name: '建昌街社区居民委员会', shortName: '建昌街社区' },
  { code: '370602001003', name: '所城里社区居民委员会', shortName: '所城里社区' },
  { code: '370602001004', name: '向阳街社区居民委员会', shortName: '向阳街社区' },
  { code: '370602001005', name: '兴隆街社区居民委员会', shortName: '兴隆街社区' },
  { code: '370602001006', name: '胜利路社区居民委员会', shortName: '胜利路社区' },
  { code: '370602001007', name: '华茂社区居民委员会', shortName: '华茂社区' },
  { code: '370602001008', name: '烟台山社区居民委员会', shortName: '烟台山社区' },
] as const;
