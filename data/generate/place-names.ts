/**
 * Place-name pools: compounds (小区), synthetic communities and roads, dedicated sites and shops.
 *
 * Names follow the patterns one sees on Yantai door plates: old work-unit compounds are "…里小区",
 * "…宿舍", "…新村"; newer ones "…花园", "…家园", "…华庭"; roads take city or virtue names with
 * 一路/二路 when a name repeats. Pools are plain data so a reviewer can read and extend them.
 */
import type { Random } from './random.js';

const COMPOUND_STEMS = [
  '福海', '建昌', '华茂', '海韵', '金都', '阳光', '鸿运', '德润', '东方', '芝罘', '海景', '碧海', '凤凰',
  '朝阳', '毓璜', '金海', '红旗', '幸福', '兴隆', '胜利', '友谊', '海港', '新华', '龙湾', '瑞祥', '永安',
  '广仁', '顺泰', '庆安', '育才', '士官', '海关', '万和', '锦绣', '富华', '康乐', '丽景', '怡和', '和平',
  '文化', '振华', '长青', '观海', '望海', '港湾', '海岸', '明珠', '滨海', '东华', '隆祥', '裕丰', '恒泰',
];

const OLD_SUFFIXES = ['里小区', '小区', '新村', '大院', '里'];
const WORK_UNITS = ['港务局', '电业局', '邮电局', '供销社', '纺织厂', '罐头厂', '航运公司', '粮食局', '二轻局', '百货站', '水产公司', '烟台一中', '市建公司'];
const NEW_SUFFIXES = ['花园', '家园', '华庭', '公寓', '嘉园', '雅苑', '名苑', '国际'];

/**
 * Keeps names unique within one street: a repeated compound becomes 二区/三区…, a repeated site
 * (an office block, a commercial street) 二期/三期….
 */
export class NameRegistry {
  private readonly used = new Map<string, number>();

  unique(name: string, suffix: '区' | '期' = '区'): string {
    const n = this.used.get(name) ?? 0;
    this.used.set(name, n + 1);
    if (n === 0) return name;
    const ordinal = ['二', '三', '四', '五', '六', '七', '八', '九'][n - 1];
    return `${name}${ordinal ?? n + 1}${suffix}`;
  }
}

/** A compound name fitting its age: old work-unit housing or a newer development. */
export function compoundName(rng: Random, builtYear: number, highRise: boolean): string {
  const stem = rng.pick(COMPOUND_STEMS);
  if (highRise || builtYear >= 2000) return `${stem}${rng.pick(NEW_SUFFIXES)}`;
  if (rng.chance(0.25)) return `${rng.pick(WORK_UNITS)}宿舍`;
  return `${stem}${rng.pick(OLD_SUFFIXES)}`;
}

/** Name stems for synthetic communities ("新华社区"). */
export const COMMUNITY_STEMS = [
  '新华', '东方', '海港', '幸福', '民主', '团结', '红旗', '光明', '和平', '建设', '人民', '工人', '前进',
  '文化', '育才', '振华', '长青', '海岸', '港城', '毓璜', '南山', '北岭', '西山', '东山', '奇山', '只楚',
  '世回', '黄务', '金沙', '凤凰', '观海', '望海', '滨海', '东华', '西华', '南华', '中华', '光华', '上夼',
  '珠玑', '塔山', '大海阳', '通伸', '新桥', '青年', '化工', '鲁东', '福泉', '锦华', '环山', '花园', '双山',
  '卧龙', '芝水', '惠安', '宏源', '庆云', '瑞安', '祥和', '康宁', '永安', '安泰', '富源', '万福', '盛隆',
];
const COMMUNITY_VARIANTS = ['', '东', '西', '南', '北', '新', '中'];

/** The n-th synthetic community's short name, unique for n < stems × variants × 9. */
export function syntheticCommunityName(n: number, order: readonly string[]): string {
  const stem = order[n % order.length];
  const round = Math.floor(n / order.length);
  const variant = COMMUNITY_VARIANTS[round % COMMUNITY_VARIANTS.length];
  const repeat = Math.floor(round / COMMUNITY_VARIANTS.length);
  return `${stem}${variant}${repeat > 0 ? ['', '二', '三', '四', '五', '六', '七', '八', '九'][repeat] ?? repeat + 1 : ''}社区`;
}

const ROAD_STEMS = [
  '幸福', '建设', '和平', '民主', '团结', '友爱', '青年', '工人', '文化', '育才', '海港', '海滨', '观海', '望海',
  '凤凰', '金沙', '港湾', '黄务', '只楚', '世回', '奇山', '东华', '西华', '新华', '振华', '中华', '光华', '长江',
  '黄河', '泰山', '莱山', '蓬莱', '福山', '牟平', '栖霞', '龙口', '招远', '莱阳', '海阳', '莱州', '长岛', '青岛',
  '济南', '潍坊', '威海', '日照', '临沂', '德州', '聊城', '滨州', '东营', '淄博', '枣庄', '菏泽', '济宁', '泰安',
  '通世', '上尧', '卧龙', '塔山', '环山', '红旗', '芝水', '双河', '清泉', '锦绣',
];
const ORDINALS = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/**
 * The n-th synthetic road name: stems first, then 一/二/三… variants. North–south roads are 路,
 * east–west ones 街 (大街 for arterials), so crossing roads never share a name. `order` is a seeded
 * permutation of the stems so different seeds name roads differently.
 */
export function syntheticRoadName(
  n: number,
  orientation: 'ns' | 'ew',
  kind: 'arterial' | 'secondary' | 'local',
  order: readonly string[],
): string {
  const stem = order[n % order.length];
  const round = Math.floor(n / order.length);
  const ordinal = round === 0 ? '' : ORDINALS[round] ?? String(round);
  if (orientation === 'ns') return `${stem}${ordinal}路`;
  return `${stem}${ordinal}${kind === 'arterial' && round === 0 ? '大街' : '街'}`;
}

export const ROAD_STEM_POOL: readonly string[] = ROAD_STEMS;

/** Shop-front names for convenience points (西南关社区's 家政, 送米, 送气, 修理, 理发, 干洗, 快餐). */
export const CONVENIENCE_NAMES = [
  '便民家政服务点', '送米送面服务点', '液化气送气点', '家电修理铺', '便民理发店', '洁美干洗店', '老味道快餐',
  '开锁修鞋铺', '便民缝补店', '百姓便民早餐',
];
export const SUPERMARKET_NAMES = ['家家悦超市', '振华超市', '利群便利', '大润发便利', '佳惠超市', '统一银座便利', '金三角超市'];
export const PHARMACY_NAMES = ['漱玉平民大药房', '同仁堂药店', '康佳大药房', '立健药店', '仁和大药房', '百姓大药房'];

/** Name stems for synthetic dedicated sites; real ones carry their own names. */
export const SCHOOL_STEMS = ['育才', '实验', '新华', '东方', '海港', '凤凰', '金沙', '光华', '振华', '文化', '朝阳', '青年'];
export const OFFICE_STEMS = ['金贸', '海悦', '富华', '国际', '财富', '世茂', '港汇', '中银', '宏源', '鲁东', '天马', '恒泰'];
