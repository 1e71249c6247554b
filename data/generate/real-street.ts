/**
 * What the demo knows about the real 向阳街道 (芝罘区, 烟台): its eight residents' committees (the
 * first rows of shared/data/communities.csv), a block map of the old town between the coast and
 * 毓璜顶, the named arterials, and per community the figures the seed article gives in total
 * (985 楼栋, 53 基础网格, 27 专属网格) split into plausible shares.
 *
 * The map is hand-drawn, not surveyed: one character per block (街坊) of roughly 200 m, north row
 * first; `.` is sea or another street. It keeps the coast on the north, 烟台山 in the north-east
 * and the 所城里 historic quarter in the middle-south.
 */

export const STREET_CODE = '370602001';
export const STREET_NAME = '向阳街道';

/** What a community's dedicated (专属) grid is built around. */
export type SiteKind =
  | 'primary'
  | 'middle'
  | 'kindergarten'
  | 'market'
  | 'hospital'
  | 'office'
  | 'commercial';

/** How a community builds: share of old low-rise houses, high-rise count, where the old core is. */
export type CommunityStyle = 'mixed' | 'oldtown' | 'hill' | 'center';

/** The generator's brief for one community, real or synthetic. */
export interface CommunitySeed {
  code: string;
  name: string;
  shortName: string;
  /** Number of basic grids the published plan has here. */
  basicGrids: number;
  /** One dedicated grid per site. */
  sites: { kind: SiteKind; name?: string }[];
  /** Buildings of every use, dedicated sites and public buildings included. */
  buildings: number;
  style: CommunityStyle;
  /** Mean household target of the in-band basic grids (the real street averages ~322). */
  inBandMean: number;
  /** Blocks kept as parks (烟台山 itself), as [column, row] of the real map. */
  parks?: [number, number][];
}

/** Block map, rows north → south; digits 1–8 are the communities below, `.` is outside. */
export const REAL_MAP: readonly string[] = [
  '..1144888.',
  '1111448888',
  '2224477788',
  '2223337755',
  '2663337555',
  '6663337555',
];

export const REAL_COLUMNS = 10;
export const REAL_ROWS = 6;

/** Names and kinds of the real map's lines: index 0 is the west (resp. north) edge. */
export const REAL_VERTICAL_LINES: readonly { name: string; kind: 'arterial' | 'secondary' | 'local' }[] = [
  { name: '西南河路', kind: 'arterial' },
  { name: '建昌街', kind: 'local' },
  { name: '友谊街', kind: 'local' },
  { name: '胜利路', kind: 'arterial' },
  { name: '所城里大街', kind: 'local' },
  { name: '向阳街', kind: 'local' },
  { name: '解放路', kind: 'arterial' },
  { name: '华茂街', kind: 'secondary' },
  { name: '兴隆街', kind: 'local' },
  { name: '广仁路', kind: 'local' },
  { name: '海关街', kind: 'secondary' },
];

export const REAL_HORIZONTAL_LINES: readonly { name: string; kind: 'arterial' | 'secondary' | 'local' }[] = [
  { name: '海岸路', kind: 'secondary' },
  { name: '北马路', kind: 'arterial' },
  { name: '大马路', kind: 'secondary' },
  { name: '顺泰街', kind: 'local' },
  { name: '南大街', kind: 'arterial' },
  { name: '毓岚街', kind: 'local' },
  { name: '毓璜顶北路', kind: 'secondary' },
];

/**
 * The eight real communities in csv order (codes …001–…008). Basic grids sum to 53, sites to 27,
 * buildings to 985 — the article's figures. Big sites go where there is room.
 */
export const REAL_COMMUNITIES: readonly CommunitySeed[] = [
  {
    code: '370602001001', name: '友谊街社区居民委员会', shortName: '友谊街社区', basicGrids: 5, buildings: 100,
    style: 'mixed', inBandMean: 328,
    sites: [{ kind: 'kindergarten', name: '友谊街幼儿园' }, { kind: 'market', name: '西南河农贸市场' }, { kind: 'commercial' }],
  },
  {
    code: '370602001002', name: '建昌街社区居民委员会', shortName: '建昌街社区', basicGrids: 7, buildings: 120,
    style: 'mixed', inBandMean: 326,
    sites: [
      { kind: 'middle', name: '烟台第二中学' }, { kind: 'office', name: '建昌大厦' },
      { kind: 'market', name: '建昌街菜市场' }, { kind: 'commercial' },
    ],
  },
  {
    code: '370602001003', name: '所城里社区居民委员会', shortName: '所城里社区', basicGrids: 8, buildings: 200,
    style: 'oldtown', inBandMean: 322,
    sites: [{ kind: 'middle', name: '烟台第五中学' }, { kind: 'market', name: '所城里农贸市场' }, { kind: 'commercial', name: '所城里历史街区商铺' }],
  },
  {
    code: '370602001004', name: '向阳街社区居民委员会', shortName: '向阳街社区', basicGrids: 6, buildings: 105,
    style: 'mixed', inBandMean: 328,
    sites: [{ kind: 'primary', name: '芝罘区大马路小学' }, { kind: 'office', name: '海港大厦' }, { kind: 'commercial' }],
  },
  {
    code: '370602001005', name: '兴隆街社区居民委员会', shortName: '兴隆街社区', basicGrids: 8, buildings: 125,
    style: 'mixed', inBandMean: 326,
    sites: [
      { kind: 'primary', name: '芝罘区兴隆街小学' }, { kind: 'market', name: '兴隆街农贸市场' },
      { kind: 'hospital', name: '芝罘区中医医院' }, { kind: 'kindergarten', name: '芝罘区机关幼儿园' },
    ],
  },
  {
    code: '370602001006', name: '胜利路社区居民委员会', shortName: '胜利路社区', basicGrids: 5, buildings: 85,
    style: 'mixed', inBandMean: 326,
    sites: [{ kind: 'kindergarten', name: '胜利路幼儿园' }, { kind: 'office', name: '胜利大厦' }, { kind: 'commercial' }],
  },
  {
    code: '370602001007', name: '华茂社区居民委员会', shortName: '华茂社区', basicGrids: 7, buildings: 115,
    style: 'center', inBandMean: 330,
    sites: [{ kind: 'office', name: '华茂大厦' }, { kind: 'office', name: '金贸中心' }, { kind: 'commercial' }, { kind: 'commercial' }],
  },
  {
    code: '370602001008', name: '烟台山社区居民委员会', shortName: '烟台山社区', basicGrids: 7, buildings: 135,
    style: 'hill', inBandMean: 324,
    sites: [{ kind: 'hospital', name: '烟台山医院' }, { kind: 'primary', name: '烟台山小学' }, { kind: 'commercial' }],
    parks: [[8, 0]],
  },
];

/** Buildings of the real street (the article's 985). */
export const REAL_BUILDINGS = REAL_COMMUNITIES.reduce((s, c) => s + c.buildings, 0);
