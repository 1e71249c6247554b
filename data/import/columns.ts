/**
 * Target fields of each import layer and the column names they are usually found under in
 * Chinese rosters and GIS files (楼栋号, 单元, 户数 … and English equivalents). `suggestMapping`
 * proposes a mapping from a file's headers; the user can change it and the choice is remembered.
 */
import type { ColumnMapping, ImportLayer } from './types.js';

export interface TargetField {
  key: string;
  zh: string;
  en: string;
  required: boolean;
  /** Header names, compared after normalisation (lower case, no spaces/underscores/brackets). */
  synonyms: string[];
}

const f = (key: string, zh: string, en: string, required: boolean, synonyms: string[]): TargetField => ({ key, zh, en, required, synonyms });

const CODE = f('code', '编码', 'Code', true, ['code', '编码', '编号', '代码', 'id', 'osm_id', 'fid']);
const NAME = f('name', '名称', 'Name', false, ['name', '名称', 'name:zh', 'mc']);
const COMMUNITY = f('community', '社区', 'Community', false, ['community', '社区', '社区名称', '社区编码', '所属社区', 'sq', 'communitycode',
  // communityCode cut to a DBF field name (our shapefile export)
  'communityc']);
const COMPOUND = f('compound', '小区', 'Compound', false, ['compound', '小区', '小区名称', '小区编码', '所属小区', 'xq', 'compoundcode', 'estate',
  // compoundCode cut to a DBF field name (our shapefile export)
  'compoundco']);

export const TARGET_FIELDS: Record<ImportLayer, TargetField[]> = {
  buildings: [
    CODE,
    f('number', '楼栋号', 'Building no.', false, ['number', '楼栋号', '楼号', '楼栋', '幢号', 'addr:housenumber', 'buildingno']),
    NAME,
    COMMUNITY,
    COMPOUND,
    f('use', '用途', 'Use', false, ['use', '用途', '类型', '建筑用途', 'building']),
    f('floors', '层数', 'Floors', false, ['floors', '层数', '楼层', '地上层数', 'building:levels', 'levels', 'cs']),
    f('units', '单元数', 'Units', false, ['units', '单元数', '单元']),
    f('households', '户数', 'Households', false, ['households', '户数', '总户数', 'hs']),
    f('residents', '人口', 'Residents', false, ['residents', '人口', '人数', '人口数', '常住人口', 'population', 'rk']),
    f('builtYear', '建成年份', 'Built year', false, ['builtyear', '建成年份', '建成年代', '年份', 'start_date', 'year']),
  ],
  households: [
    f('building', '楼栋号', 'Building', true, ['building', '楼栋号', '楼栋编码', '楼号', '楼栋', '幢号', 'buildingcode', 'buildingno']),
    f('unit', '单元', 'Unit', true, ['unit', '单元', '单元号']),
    f('households', '户数', 'Households', true, ['households', '户数', '总户数']),
    f('residents', '人口', 'Residents', true, ['residents', '人口', '人数', '人口数', '常住人口', 'population']),
    f('partyMembers', '党员数', 'Party members', false, ['partymembers', '党员数', '党员', '党员人数']),
    COMPOUND,
    COMMUNITY,
  ],
  facilities: [
    CODE,
    { ...NAME, required: true },
    f('category', '类别', 'Category', true, ['category', '类别', '类型', '设施类别', '设施类型', 'type', 'amenity', 'shop']),
    COMMUNITY,
    f('address', '地址', 'Address', false, ['address', '地址', '详细地址', 'addr:street', 'addr']),
    f('lng', '经度', 'Longitude', false, ['lng', 'lon', 'long', 'longitude', '经度', 'x', 'gcj_lng', 'bd_lng']),
    f('lat', '纬度', 'Latitude', false, ['lat', 'latitude', '纬度', 'y', 'gcj_lat', 'bd_lat']),
  ],
  compounds: [
    CODE,
    { ...NAME, required: true },
    COMMUNITY,
    f('gated', '封闭', 'Gated', false, ['gated', '封闭', '是否封闭', '封闭小区']),
    f('builtYear', '建成年份', 'Built year', false, ['builtyear', '建成年份', '建成年代', '年份']),
  ],
  // DataV files: properties adcode / name / level / parent {adcode}; 民政 rosters: 区划代码 / 名称.
  boundaries: [
    // Not required: communities may come without (coded under the street that contains them).
    { ...CODE, required: false, synonyms: ['adcode', 'code', '区划代码', '行政区划代码', '统计用区划代码', '编码', '代码', 'xzqdm', 'gb', 'id'] },
    { ...NAME, required: true, synonyms: ['name', '名称', '区划名称', '行政区划名称', 'xzqmc', 'mc'] },
    f('level', '级别', 'Level', false, ['level', '级别', '层级', '类型']),
    f('parent', '上级', 'Parent', false, ['parent', '上级', '上级代码', '上级区划代码', 'parentcode', 'parent_adcode']),
  ],
  walk: [
    f('kind', '类型', 'Kind', false, ['kind', '类型', '道路类型', 'highway', 'type']),
    f('name', '名称', 'Name', false, ['name', '名称', '路名', 'name:zh']),
  ],
};

const norm = (s: string) => s.toLowerCase().replace(/[\s_\-()（）【】[\]]/g, '');

/** Proposes a mapping: for each target field the first header whose normalised name is a synonym. */
export function suggestMapping(layer: ImportLayer, columns: string[]): ColumnMapping {
  const mapping: ColumnMapping = {};
  const used = new Set<string>();
  for (const field of TARGET_FIELDS[layer]) {
    const syn = field.synonyms.map(norm);
    const exact = columns.find((c) => !used.has(c) && syn.includes(norm(c)));
    if (exact) {
      mapping[field.key] = exact;
      used.add(exact);
    }
  }
  // Boundary files derived from Amap/DataV often prefix each level's columns (dt_adcode, dt_name,
  // ct_adcode … for district, city): a column whose last word is a synonym, the first in file
  // order (the file's own level comes first), when no column matched exactly.
  if (layer === 'boundaries') {
    for (const field of TARGET_FIELDS[layer]) {
      if (mapping[field.key]) continue;
      const syn = field.synonyms.map(norm);
      const prefixed = columns.find((c) => !used.has(c) && /[_\-.]/.test(c) && syn.includes(norm(c.split(/[_\-.]/).pop() ?? '')));
      if (prefixed) {
        mapping[field.key] = prefixed;
        used.add(prefixed);
      }
    }
  }
  return mapping;
}

/** The key under which a chosen mapping is remembered: the sorted header list. */
export const headersKey = (columns: string[]) => [...columns].map((c) => c.trim()).sort().join('\u001f');

/** Required fields the mapping leaves unmapped. */
export function missingRequired(layer: ImportLayer, mapping: ColumnMapping, hasGeometry: boolean): TargetField[] {
  return TARGET_FIELDS[layer].filter((t) => {
    if (!t.required || mapping[t.key]) return false;
    // An OSM/GIS file without a code column still gets codes (osm ids; boundaries: communities coded
    // under the street that contains them); facilities from a map file need no lng/lat.
    if (t.key === 'code' && hasGeometry) return false;
    return true;
  });
}
