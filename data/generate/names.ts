/** Realistic Chinese names, phone numbers and place names for the demo (all fictitious). */
import type { Rng } from './rng.js';

const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段'.split('');
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华建国志红玉梅海燕鹏飞宇浩然子涵欣怡文博俊杰晨阳思远雪梅德胜春生秋菊冬梅振华立新'.split('');
const PHONE_PREFIX = ['133', '135', '136', '137', '138', '139', '150', '151', '152', '157', '158', '159', '177', '180', '186', '187', '188', '189'];

export function personName(rng: Rng): string {
  const given = rng.chance(0.7) ? rng.pick(GIVEN) + rng.pick(GIVEN) : rng.pick(GIVEN);
  return rng.pick(SURNAMES) + given;
}

export function phone(rng: Rng): string {
  let digits = rng.pick(PHONE_PREFIX);
  for (let i = 0; i < 8; i++) digits += String(rng.int(0, 9));
  return digits;
}

const COMPOUND_WORDS = ['福海', '建昌', '向阳', '毓璜', '朝阳', '海岸', '东方', '金桥', '华茂', '友谊', '胜利', '新民', '兴隆', '南山', '北岭', '滨海', '锦绣', '康乐', '和平', '幸福', '阳光', '翠园', '瑞景', '丰收', '云峰', '世纪', '松竹', '芝罘', '奇山', '海韵'];
const COMPOUND_SUFFIX = ['小区', '花园', '里', '苑', '新村', '家园', '公寓', '大院'];

export function compoundName(rng: Rng, used: Set<string>): string {
  for (;;) {
    const name = rng.pick(COMPOUND_WORDS) + rng.pick(COMPOUND_SUFFIX);
    if (!used.has(name)) {
      used.add(name);
      return name;
    }
    if (used.size > 200) return `${name}${used.size}`;
  }
}

/** Street names for the road grid, west→east (x) and south→north (y). */
export const NS_ROADS = ['西南河路', '解放路', '胜利路', '毓璜顶路', '南大街东段', '海港路', '朝阳街', '所城街', '芝罘路', '环山路', '幸福路', '青年路'];
export const EW_ROADS = ['南大街', '北马路', '大海阳路', '二马路', '北大街', '滨海路', '建设路', '青年南路', '西大街'];

/** Synthetic community names for scaled-up streets (benchmarks). */
export const EXTRA_COMMUNITIES = ['新华', '福山', '东山', '海滨', '奇山', '毓璜', '红旗', '通伸', '南洪', '只楚', '塔山', '黄务', '世回尧', '凤凰', '白石', '卧龙'];
