/**
 * Chinese administrative division codes as real boundary files write them (issue #16, probes):
 * - GB/T 2260 / DataV `adcode`: 6 digits for provinces (xx0000), prefecture cities (xxxx00) and
 *   districts/counties; DataV marks the first two `level: "province" | "city"`.
 * - 统计用区划代码 (the statistics bureau's codes): 12 digits at **every** level, zero-padded — a
 *   district is `110101000000`, a street `110101001000`, a community `110101001001`. A community's
 *   last three digits are never `000` (居委会 001–199, 村委会 200–599), so a 12-digit code ending in
 *   `000` is a street (or, ending in `000000`, a district) written at full length.
 * - 不设区的地级市: 东莞 441900, 中山 442000, 儋州 460400, 嘉峪关 620200 are prefecture cities with
 *   no district level — their streets and towns (`441900003` 东城街道 …) sit directly under the
 *   city, so for GridAtlas the city is the district (DataV files them with `level: "city"`).
 * Pure: the level a row is, or why it is not one GridAtlas keeps (Chinese and English).
 */
export type DivisionLevel = 'district' | 'street' | 'community';

export const LEVEL_OF_LENGTH: Record<number, DivisionLevel> = { 6: 'district', 9: 'street', 12: 'community' };
export const CODE_LENGTH: Record<DivisionLevel, number> = { district: 6, street: 9, community: 12 };
export const LEVEL_ZH: Record<DivisionLevel, string> = { district: '区县', street: '街道', community: '社区' };

/** Prefecture-level cities without districts (GB/T 2260): the city itself is the county level. */
export const CITIES_WITHOUT_DISTRICTS: ReadonlyMap<string, string> = new Map([
  ['441900', '东莞市'], ['442000', '中山市'], ['460400', '儋州市'], ['620200', '嘉峪关市'],
]);

type Said = DivisionLevel | 'province' | 'city' | 'country' | 'ambiguous-city';
const LEVEL_WORDS: Record<string, Said> = {
  district: 'district', county: 'district', 区: 'district', 县: 'district', 区县: 'district', 县区: 'district',
  市辖区: 'district', 县级市: 'district', 自治县: 'district', 旗: 'district', 自治旗: 'district', 林区: 'district', 特区: 'district',
  street: 'street', township: 'street', town: 'street', subdistrict: 'street', 街道: 'street', 乡镇: 'street', 乡: 'street', 镇: 'street',
  街道办事处: 'street', 街道办: 'street', 民族乡: 'street', 苏木: 'street', 民族苏木: 'street',
  community: 'community', village: 'community', 社区: 'community', 村: 'community', 居委会: 'community', 村委会: 'community',
  居民委员会: 'community', 村民委员会: 'community', 社区居委会: 'community', 嘎查: 'community', 居委: 'community', 村委: 'community',
  province: 'province', 省: 'province', 自治区: 'province', 直辖市: 'province', 特别行政区: 'province',
  city: 'city', prefecture: 'city', 地级市: 'city', 自治州: 'city', 州: 'city', 盟: 'city', 地区: 'city',
  country: 'country', 国家: 'country',
  市: 'ambiguous-city',
};

/** True when a level word (`community`, 社区, 村, 居民委员会 …) names a community. */
export const isCommunityWord = (word: string) => LEVEL_WORDS[word.trim().toLowerCase()] === 'community';

export interface Problem { zh: string; en: string; field: 'code' | 'level' }

/**
 * The code as GridAtlas keeps it (6/9/12 digits) and its level, from the code a file gives and
 * the level it says (DataV `level`, a 级别 column; null when there is none). A 12-digit statistics
 * code of a district or street is cut to its 6 or 9 digits; a 不设区的地级市 is a district.
 */
export function divisionOf(rawCode: string, saidRaw: string | null): { code: string; level: DivisionLevel } | { problem: Problem } {
  const code = rawCode.trim();
  if (!/^\d+$/.test(code) || !LEVEL_OF_LENGTH[code.length]) {
    return { problem: { field: 'code', zh: `区划代码“${code}”应为 6 位（区县）、9 位（街道）或 12 位（社区）数字`, en: `code "${code}" must be 6 (district), 9 (street) or 12 (community) digits` } };
  }
  const saidWord = saidRaw === null ? null : saidRaw.trim();
  let said: Said | undefined = saidWord === null ? undefined : LEVEL_WORDS[saidWord.toLowerCase()];
  if (said === 'ambiguous-city') said = code.length === 6 && code.endsWith('00') ? 'city' : 'district';
  const short = shortened(code, said);
  const byLength = LEVEL_OF_LENGTH[short.length];
  if (said === 'city' || said === 'province' || said === 'country') {
    if (short.length === 6 && CITIES_WITHOUT_DISTRICTS.has(short)) return { code: short, level: 'district' };
    const hint = said === 'city'
      ? { zh: `请导入其下属区县（如 DataV 的 ${code.slice(0, 6)}_full.json）`, en: `import its districts instead (e.g. DataV's ${code.slice(0, 6)}_full.json)` }
      : { zh: '请改用地级市（直辖市）的 DataV 文件 <代码>_full.json，其中是各区县', en: "import a city's DataV file <code>_full.json instead, which holds its districts" };
    const what = said === 'city' ? { zh: '地级市', en: 'a prefecture-level city' } : said === 'province' ? { zh: '省级区划', en: 'a province' } : { zh: '国家', en: 'a country' };
    return { problem: { field: 'level', zh: `${code} 是${what.zh}（级别“${saidWord}”）：本系统只导入区县、街道、社区三级；${hint.zh}`, en: `${code} is ${what.en} (level "${saidWord}"): GridAtlas keeps districts, streets and communities only — ${hint.en}` } };
  }
  // Without a level (or one that says district), the code tells: xxxx00 is a prefecture city's
  // code, xx0000 a province's, 100000 China's — never a district's, except the cities without
  // districts. Codes GridAtlas assigns to OSM boundaries start with 99 (no province) and may end in 00.
  if (byLength === 'district' && (said === undefined || said === 'district') && short.endsWith('00') && !short.startsWith('99') && !CITIES_WITHOUT_DISTRICTS.has(short)) {
    const what = short === '100000' ? { zh: '国家', en: "China's" } : short.endsWith('0000') ? { zh: '省级区划', en: "a province's" } : { zh: '地级市', en: "a prefecture-level city's" };
    return { problem: { field: 'code', zh: `区划代码“${code}”是${what.zh}的代码，不是区县：本系统只导入区县、街道、社区三级；请导入其下属区县（如 DataV 的 <城市代码>_full.json）`, en: `code "${code}" is ${what.en} code, not a district's: GridAtlas keeps districts, streets and communities only — import its districts instead (e.g. DataV's <city code>_full.json)` } };
  }
  if (saidWord !== null && said !== byLength) {
    return { problem: { field: 'level', zh: `级别“${saidWord}”与 ${code.length} 位区划代码（${LEVEL_ZH[byLength]}）不符`, en: `level "${saidWord}" contradicts the ${code.length}-digit code (${byLength})` } };
  }
  return { code: short, level: byLength };
}

/** A 12-digit statistics code of a district/street (trailing zeros) cut to 6/9 digits, unless the file says community. */
function shortened(code: string, said: Said | undefined): string {
  if (code.length !== 12 || said === 'community') return code;
  if (code.endsWith('000000') && said !== 'street') return code.slice(0, 6);
  if (code.endsWith('000')) return code.slice(0, 9);
  return code;
}

/**
 * A parent code as files write it: a plain code, DataV's `{adcode}` object, that object as a JSON
 * string (DataV converted to a shapefile by GDAL: `{ "adcode": 410100 }`), or a 12-digit
 * statistics code, cut to the `want` digits when its tail is zeros. Null when empty.
 */
export function parentCode(raw: unknown, want: 6 | 9): string | null {
  let v: unknown = raw;
  if (typeof v === 'string' && /^\s*\{/.test(v)) {
    try { v = JSON.parse(v); } catch { /* not JSON: checked as a code below */ }
  }
  if (v && typeof v === 'object') v = (v as { adcode?: unknown }).adcode;
  if (v === null || v === undefined) return null;
  const s = String(v).trim();
  if (s === '') return null;
  if (/^\d+$/.test(s) && s.length > want && /^0+$/.test(s.slice(want))) return s.slice(0, want);
  return s;
}
