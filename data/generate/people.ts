/**
 * Personal names and mobile numbers for household heads and grid workers.
 *
 * They are fake but must look real on a roster: surnames weighted like Shandong's (王, 张, 刘, 李
 * lead; 于, 曲, 姜, 鞠, 隋, 栾 are typical of 烟台), given names of one or two characters from
 * gendered pools, and 11-digit numbers with real mobile prefixes (13x, 15x, 18x). Because they look
 * real the server treats them as personal data — never served on public views.
 */
import type { Random } from './random.js';

const SURNAMES: readonly (readonly [string, number])[] = [
  ['王', 90], ['张', 75], ['刘', 70], ['李', 65], ['于', 40], ['孙', 30], ['姜', 28], ['曲', 22], ['杨', 22],
  ['赵', 20], ['陈', 20], ['徐', 18], ['林', 16], ['高', 15], ['郭', 13], ['马', 12], ['宋', 12], ['吕', 11],
  ['鞠', 10], ['隋', 9], ['栾', 9], ['初', 8], ['衣', 7], ['慕', 6], ['邹', 6], ['董', 8], ['周', 9], ['吴', 8],
  ['黄', 7], ['胡', 6], ['朱', 7], ['郝', 6], ['孔', 5], ['崔', 7], ['韩', 8], ['唐', 5], ['冯', 5], ['程', 5],
  ['曹', 5], ['袁', 4], ['许', 6], ['邢', 5], ['战', 4], ['宫', 4], ['臧', 3], ['谭', 3], ['丛', 5], ['毕', 4],
  ['修', 3], ['逄', 3], ['矫', 3], ['苏', 4], ['蒋', 3], ['贾', 4], ['丁', 4], ['魏', 4], ['薛', 3], ['田', 4],
  ['任', 4], ['范', 3], ['方', 3], ['石', 3], ['姚', 3], ['谢', 4], ['邵', 3], ['孟', 4], ['秦', 3], ['史', 3],
];

const MALE_CHARS = [
  '建', '国', '军', '伟', '强', '磊', '勇', '涛', '明', '超', '刚', '平', '辉', '鹏', '华', '飞', '鑫', '波', '斌',
  '宇', '浩', '凯', '健', '俊', '帆', '帅', '旭', '宁', '龙', '林', '洋', '海', '峰', '成', '志', '德', '福', '忠', '民',
  '文', '武', '春', '庆', '东', '红', '光', '立', '新', '兴', '晨', '振', '世', '长', '永', '学',
];

const FEMALE_CHARS = [
  '芳', '娜', '敏', '静', '丽', '艳', '娟', '霞', '秀', '玲', '桂', '英', '兰', '萍', '红', '燕', '梅', '琳', '雪', '慧',
  '婷', '颖', '倩', '洁', '琴', '云', '莉', '欣', '悦', '晶', '丹', '凤', '华', '珍', '翠', '淑', '玉', '春', '美', '荣',
];

const MOBILE_PREFIXES = [
  '130', '131', '132', '133', '134', '135', '136', '137', '138', '139', '150', '151', '152', '153', '155', '156',
  '157', '158', '159', '180', '181', '182', '183', '184', '185', '186', '187', '188', '189',
];

const surnameItems = SURNAMES.map((s) => s[0]);
const surnameWeights = SURNAMES.map((s) => s[1]);
const surnameCumulative: number[] = [];
{
  let total = 0;
  for (const w of surnameWeights) surnameCumulative.push((total += w));
}
const surnameTotal = surnameCumulative[surnameCumulative.length - 1];

function pickSurname(rng: Random): string {
  const r = rng.float() * surnameTotal;
  let lo = 0;
  let hi = surnameCumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (surnameCumulative[mid] > r) hi = mid;
    else lo = mid + 1;
  }
  return surnameItems[lo];
}

/** A full Chinese name: weighted surname, then one (30%) or two given-name characters. */
export function personName(rng: Random, female = rng.chance(0.5)): string {
  const pool = female ? FEMALE_CHARS : MALE_CHARS;
  const first = rng.pick(pool);
  if (rng.chance(0.3)) return pickSurname(rng) + first;
  let second = rng.pick(pool);
  if (second === first && rng.chance(0.7)) second = rng.pick(pool);
  return pickSurname(rng) + first + second;
}

/** An 11-digit mainland mobile number (13x / 15x / 18x). */
export function mobilePhone(rng: Random): string {
  const prefix = rng.pick(MOBILE_PREFIXES);
  const rest = Math.floor(rng.float() * 1e8);
  return prefix + String(rest).padStart(8, '0');
}
