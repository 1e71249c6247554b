/**
 * One Chinese character per facility category, drawn inside the category's colour on the map.
 * A single glyph reads at icon size where a pictogram set would need external assets.
 * Categories are editable data on the server, so the choice goes by keywords in the code or the
 * Chinese name, with the name's first character as the fallback.
 */
import type { FacilityCategory } from '../../http/api-types';

const RULES: [RegExp, string][] = [
  [/食堂|canteen|助餐/i, '食'],
  [/幼儿园|托育|托儿|kindergarten|nursery/i, '幼'],
  [/小学|中学|学校|school|四点半/i, '学'],
  [/卫生|医院|诊所|医|health|clinic|hospital/i, '医'],
  [/药/i, '药'],
  [/养老|敬老|日间照料|elderly|nursing|senior/i, '老'],
  [/党群|党建|党员|party/i, '党'],
  [/文化|活动|culture/i, '文'],
  [/体育|运动场|球场|健身|sport|fitness|court/i, '体'],
  [/超市|便利|商店|商场|mall|shop|store|supermarket/i, '商'],
  [/菜市|市场|market/i, '菜'],
  [/便民|convenience/i, '便'],
  [/公厕|厕所|toilet/i, '厕'],
  [/垃圾|回收|refuse|recycl/i, '垃'],
  [/公交|地铁|bus|metro|transit/i, '公'],
  [/停车|parking/i, '停'],
  [/快递|驿站|parcel|locker/i, '递'],
  [/派出所|警|police/i, '警'],
  [/银行|bank/i, '银'],
  [/邮|post/i, '邮'],
  [/居委|社区服务|服务站|service/i, '服'],
  [/街道办|street office/i, '街'],
  [/物业|property/i, '物'],
  [/儿童|child/i, '童'],
  [/洗衣|干洗|laundry/i, '洗'],
  [/理发|barber/i, '理'],
];

export function glyphForCategory(cat: Pick<FacilityCategory, 'code' | 'name' | 'nameEn'>): string {
  const hay = `${cat.name} ${cat.code} ${cat.nameEn}`;
  for (const [re, glyph] of RULES) if (re.test(hay)) return glyph;
  return Array.from(cat.name.trim())[0] ?? '•';
}
