/**
 * Which communities a generated street has, and each one's brief (buildings, grids, sites).
 *
 * The default is the real 向阳街道: eight communities, 985 buildings, 53 basic + 27 dedicated grids.
 * Benchmarks ask for 10,000 or 100,000 buildings; then synthetic communities (codes continuing
 * 370602001009, …; names like 新华社区) are added around the real ones with the same densities,
 * about one basic grid per 350 households and three or four dedicated sites each. A smaller count
 * shrinks the real communities proportionally instead.
 */
import { Random } from './random.js';
import { COMMUNITY_STEMS, OFFICE_STEMS, SCHOOL_STEMS, syntheticCommunityName } from './place-names.js';
import {
  type CommunitySeed,
  type CommunityStyle,
  type SiteKind,
  REAL_BUILDINGS,
  REAL_COMMUNITIES,
  STREET_CODE,
} from './real-street.js';

/** Typical buildings per synthetic community (the real ones average 123 on slightly smaller blocks). */
export const BUILDINGS_PER_SYNTHETIC = 105;
/** Mean households per residential building the synthetic briefs assume (real street: ~19). */
const HOUSEHOLDS_PER_BUILDING = 18.5;
/** Households per basic grid the synthetic plan aims at (the 300–400 band's middle). */
const HOUSEHOLDS_PER_GRID = 350;

/** Splits `total` into integers proportional to `weights` (largest remainder). */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const raw = weights.map((w) => (total * w) / sum);
  const out = raw.map(Math.floor);
  let rest = total - out.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; rest > 0; k = (k + 1) % order.length, rest--) out[order[k][1]]++;
  return out;
}

/** The community briefs for a street of about `buildings` buildings (exactly, when space allows). */
export function communitySeeds(seed: number, buildings: number): CommunitySeed[] {
  if (buildings <= REAL_BUILDINGS + BUILDINGS_PER_SYNTHETIC / 2) return scaledReal(buildings);
  const extra = buildings - REAL_BUILDINGS;
  const count = Math.max(1, Math.round(extra / BUILDINGS_PER_SYNTHETIC));
  const rng = Random.derive(seed, 'synthetic-communities');
  const budgets = apportion(
    extra,
    Array.from({ length: count }, () => rng.range(0.85, 1.15)),
  );
  const stemOrder = rng.shuffle(COMMUNITY_STEMS);
  return [...REAL_COMMUNITIES, ...budgets.map((b, i) => syntheticSeed(seed, i, b, stemOrder))];
}

/** The real eight with budgets and grid counts scaled to a smaller or slightly larger total. */
function scaledReal(buildings: number): CommunitySeed[] {
  if (buildings === REAL_BUILDINGS) return REAL_COMMUNITIES.slice();
  const f = buildings / REAL_BUILDINGS;
  const budgets = apportion(buildings, REAL_COMMUNITIES.map((c) => c.buildings));
  return REAL_COMMUNITIES.map((c, i) => {
    const sites = c.sites.slice(0, Math.max(1, Math.min(c.sites.length, Math.round(c.sites.length * f))));
    return {
      ...c,
      buildings: Math.max(budgets[i], sites.length * 3 + 4),
      basicGrids: Math.max(1, Math.round(c.basicGrids * f)),
      sites,
    };
  });
}

const SITE_MIX: readonly (readonly [SiteKind, number])[] = [
  ['primary', 3], ['middle', 1.5], ['kindergarten', 2.5], ['market', 3], ['hospital', 1], ['office', 2.5], ['commercial', 4],
];

function syntheticSeed(seed: number, index: number, buildings: number, stems: readonly string[]): CommunitySeed {
  const rng = Random.derive(seed, 'synthetic-community', index);
  const shortName = syntheticCommunityName(index, stems);
  const code = `${STREET_CODE}${String(REAL_COMMUNITIES.length + index + 1).padStart(3, '0')}`;
  const siteCount = rng.chance(0.4) ? 4 : 3;
  // Every community has a school of some kind; the rest follow the street-wide mix, no kind twice
  // except commercial streets and offices.
  const kinds: SiteKind[] = [rng.pick(['primary', 'kindergarten', 'primary', 'middle'] as const)];
  while (kinds.length < siteCount) {
    const k = rng.table(SITE_MIX);
    if (kinds.includes(k) && k !== 'commercial' && k !== 'office') continue;
    kinds.push(k);
  }
  const stem = rng.pick(SCHOOL_STEMS);
  const style: CommunityStyle = rng.table([['mixed', 8], ['oldtown', 1], ['center', 1.2]] as const);
  const sitesBuildings = siteCount * 2.5;
  const basicGrids = Math.max(
    2,
    Math.round(((buildings - sitesBuildings) * HOUSEHOLDS_PER_BUILDING) / HOUSEHOLDS_PER_GRID),
  );
  const bare = shortName.replace(/社区$/, '');
  return {
    code,
    name: `${shortName}居民委员会`,
    shortName,
    basicGrids,
    buildings,
    style,
    inBandMean: rng.range(342, 358),
    sites: kinds.map((kind, i) => ({ kind, name: siteName(rng, kind, bare, stem, index, i) })),
  };
}

function siteName(rng: Random, kind: SiteKind, bare: string, stem: string, index: number, i: number): string | undefined {
  switch (kind) {
    case 'primary':
      return `芝罘区${i === 0 ? bare : stem}小学`;
    case 'middle':
      return `烟台第${chineseNumber(10 + ((index * 7 + i) % 80))}中学`;
    case 'kindergarten':
      return `${i === 0 ? bare : stem}幼儿园`;
    case 'market':
      return `${bare}农贸市场`;
    case 'hospital':
      return `芝罘区${bare}医院`;
    case 'office':
      return `${rng.pick(OFFICE_STEMS)}${rng.pick(['大厦', '中心', '商务楼'])}`;
    default:
      return undefined; // commercial streets are named after the road they stand on
  }
}

/** 10–99 in Chinese numerals (十, 十二, 五十二), as school names write them. */
export function chineseNumber(n: number): string {
  const digits = '〇一二三四五六七八九';
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : digits[tens]}十${ones === 0 ? '' : digits[ones]}`;
}
