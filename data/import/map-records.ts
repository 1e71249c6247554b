/**
 * Source records → rows of one target layer, through the column mapping and the CRS conversion.
 * Pure: nothing here touches the database. Every record either becomes a row or an error with
 * its row number and a reason (Chinese and English). Names (community, compound, building,
 * category) are resolved against the database later, by the server.
 */
import type { Geometry, Point, Position } from 'geojson';
import type { LngLat } from '../../geo/crs/index.js';
import { closeRings, impossibility, mapPositions, shapeProblem } from './geometry.js';
import { osmBuildingUse, osmFacilityCategory, osmFacilityName } from './osm-tags.js';
import { walkKindOfHighway } from './osm-highway.js';
import { divisionOf, parentCode, type DivisionLevel, isCommunityWord } from './division-codes.js';
import type { ColumnMapping, ImportLayer, ParsedFile, RowError, SourceRecord } from './types.js';
import { UNSAFE_TEXT, count, decimal, lenientCount, lenientYear, text, yesNo } from './values.js';

export interface BuildingRow {
  row: number; code: string; number: string; name: string | null; community: string | null; compound: string | null;
  use: string; floors: number; units: number; households: number | null; residents: number | null; builtYear: number | null;
  geometry: Geometry;
}
export interface HouseholdRow {
  row: number; building: string; unit: number; households: number; residents: number; partyMembers: number;
  compound: string | null; community: string | null;
}
export interface FacilityRow {
  row: number; code: string; name: string; category: string; community: string | null; address: string | null; geometry: Point;
}
export interface CompoundRow {
  row: number; code: string; name: string; community: string | null; gated: boolean; builtYear: number | null; geometry: Geometry;
}
export interface WalkRow { row: number; kind: string; name: string | null; coords: Position[] }
export type BoundaryLevel = DivisionLevel;
/**
 * `parent`: the code of the boundary one level up when the file names it (else deduced by the server).
 * `code` null: a community the file gives no code (no code column, an OSM quartier without a
 * division code): the server puts it under the street that contains it and assigns its code there
 * from `key` (an OSM relation id, else a number derived from the name), as OSM communities get theirs.
 */
export interface BoundaryRow { row: number; code: string | null; key: string | null; name: string; level: BoundaryLevel; parent: string | null; geometry: Geometry }

/** A stable number for a community without a code (FNV-1a of its name): the same name gets the same code on a re-import. */
export function nameKey(name: string): string {
  let h = 0x811c9dc5;
  for (const ch of new TextEncoder().encode(name.trim())) h = Math.imul(h ^ ch, 0x01000193) >>> 0;
  return String(h);
}

export type LayerRow = BuildingRow | HouseholdRow | FacilityRow | CompoundRow | WalkRow | BoundaryRow;

export interface MappedRows<R = LayerRow> {
  rows: R[];
  errors: RowError[];
  /** Optional values that did not parse, left empty or rounded: the row itself is kept. */
  warnings: RowError[];
}

const USES = ['residential', 'school', 'market', 'office', 'hospital', 'commercial', 'public'];
const USE_ZH: Record<string, string> = {
  住宅: 'residential', 居住: 'residential', 学校: 'school', 教育: 'school', 市场: 'market', 菜市场: 'market', 办公: 'office',
  医院: 'hospital', 医疗: 'hospital', 商业: 'commercial', 商住: 'commercial', 公共: 'public', 公建: 'public',
};
const WALK_KINDS = ['arterial', 'secondary', 'local', 'footway', 'path', 'gate'];
const WALK_ZH: Record<string, string> = { 主干路: 'arterial', 次干路: 'secondary', 支路: 'local', 人行道: 'footway', 步行道: 'footway', 小路: 'path', 园路: 'path', 门: 'gate', 出入口: 'gate' };

class RowProblem extends Error {
  constructor(readonly field: string | undefined, readonly zh: string, readonly en: string) {
    super(en);
  }
}

/** Collects one record's warnings (an optional value dropped or rounded). */
type Warn = (field: string, zh: string, en: string) => void;

/** The latest year a built year may name (a plan a few years ahead is still a year). */
const MAX_YEAR = new Date().getUTCFullYear() + 5;

function reader(rec: SourceRecord, mapping: ColumnMapping, warn: Warn = () => {}) {
  const col = (key: string) => mapping[key] ?? key;
  const raw = (key: string) => {
    const v = mapping[key] ? rec.props[mapping[key]] : undefined;
    // A kept value may not hold what every JSON body is refused for (values.ts UNSAFE_TEXT): a
    // facility name with a right-to-left override, a terminal escape, NUL (PostgreSQL refused the
    // whole file for it, naming no row) or a lone surrogate is a row error naming its column.
    if (typeof v === 'string' && UNSAFE_TEXT.test(v)) {
      throw new RowProblem(col(key), '含有控制字符、双向文字控制符或不成对的代理字符', 'contains control characters, bidirectional-text controls or unpaired surrogates');
    }
    return v;
  };
  const shown = (key: string) => String(raw(key)).slice(0, 60);
  const need = (key: string, zh: string) => {
    const v = text(raw(key));
    if (v === null) throw new RowProblem(col(key), `缺少${zh}`, `missing ${key}`);
    return v;
  };
  /** A whole number: a required one that does not parse rejects the row; an optional one is rounded or left empty, with a warning. */
  const int = (key: string, zh: string, opts: { required?: boolean; min?: number } = {}) => {
    const min = opts.min ?? 0;
    if (opts.required) {
      const v = count(raw(key));
      if (v === null) throw new RowProblem(col(key), `缺少${zh}`, `missing ${key}`);
      if (!Number.isFinite(v) || v < min) {
        throw new RowProblem(col(key), `${zh}“${shown(key)}”不是有效的整数`, `${key} "${shown(key)}" is not a valid whole number`);
      }
      return v;
    }
    const { value, how } = lenientCount(raw(key));
    if (value === null || value < min) {
      if (how === 'dropped' || value !== null) {
        warn(col(key), `${zh}“${shown(key)}”不是有效的数（应为不小于 ${min} 的整数），已留空`, `${key} "${shown(key)}" is not a valid number (a whole number ≥ ${min}): left empty`);
      }
      return null;
    }
    if (how === 'rounded') warn(col(key), `${zh}“${shown(key)}”不是整数，已四舍五入为 ${value}`, `${key} "${shown(key)}" is not a whole number: rounded half up to ${value}`);
    return value;
  };
  /** An optional year (1800 … now + 5): an approximate one is taken with a warning, anything else left empty with one. */
  const year = (key: string, zh: string) => {
    const { value, how } = lenientYear(raw(key));
    if (value !== null && (value < 1800 || value > MAX_YEAR)) {
      warn(col(key), `${zh}“${shown(key)}”不在 1800–${MAX_YEAR} 之间，已留空`, `${key} "${shown(key)}" is not between 1800 and ${MAX_YEAR}: left empty`);
      return null;
    }
    if (how === 'approximate') warn(col(key), `${zh}“${shown(key)}”是约数，按 ${value} 年计`, `${key} "${shown(key)}" is approximate: taken as ${value}`);
    if (how === 'dropped') warn(col(key), `${zh}“${shown(key)}”不是一个年份，已留空`, `${key} "${shown(key)}" is not a single year: left empty`);
    return value;
  };
  /** An optional yes/no: a value that is neither takes `otherwise`, with a warning. */
  const flag = (key: string, zh: string, otherwise: boolean) => {
    const v = yesNo(raw(key));
    if (v !== null) return v;
    if (text(raw(key)) !== null) {
      warn(col(key), `${zh}“${shown(key)}”不是“是/否”，按“${otherwise ? '是' : '否'}”处理`, `${key} "${shown(key)}" is not yes/no: taken as ${otherwise ? 'yes' : 'no'}`);
    }
    return otherwise;
  };
  return { raw, need, int, year, flag, opt: (key: string) => text(raw(key)) };
}

function geometryOf(rec: SourceRecord, want: 'polygon' | 'point' | 'line', toWgs84: (p: LngLat) => LngLat): Geometry {
  if (!rec.geometry) throw new RowProblem('geometry', '缺少几何', 'no geometry');
  const shape = shapeProblem(rec.geometry);
  if (shape) throw new RowProblem('geometry', shape.zh, shape.en);
  const g = closeRings(mapPositions(rec.geometry, toWgs84));
  const problem = impossibility(g, want);
  if (problem) throw new RowProblem('geometry', problem.zh, problem.en);
  return g;
}

const osmCode = (rec: SourceRecord) => text(rec.props.osm_id);

function buildingRow(rec: SourceRecord, m: ColumnMapping, toWgs84: (p: LngLat) => LngLat, warn: Warn): BuildingRow {
  const r = reader(rec, m, warn);
  const code = r.opt('code') ?? osmCode(rec);
  if (!code) throw new RowProblem(m.code ?? 'code', '缺少编码', 'missing code');
  let use = r.opt('use') ?? (rec.props.building !== undefined ? osmBuildingUse(rec.props.building) : 'residential');
  use = USE_ZH[use] ?? use;
  if (!USES.includes(use)) use = osmBuildingUse(use);
  const floors = r.int('floors', '层数', { min: 1 }) ?? 1;
  const name = r.opt('name');
  return {
    row: rec.row,
    code,
    number: r.opt('number') ?? name ?? code,
    name,
    community: r.opt('community'),
    compound: r.opt('compound'),
    use,
    floors,
    units: r.int('units', '单元数') ?? 1,
    households: r.int('households', '户数'),
    residents: r.int('residents', '人口'),
    builtYear: r.year('builtYear', '建成年份'),
    geometry: geometryOf(rec, 'polygon', toWgs84),
  };
}

function householdRow(rec: SourceRecord, m: ColumnMapping, warn: Warn): HouseholdRow {
  const r = reader(rec, m, warn);
  const households = r.int('households', '户数', { required: true })!;
  const residents = r.int('residents', '人口', { required: true })!;
  const partyMembers = r.int('partyMembers', '党员数') ?? 0;
  if (partyMembers > residents) throw new RowProblem(m.partyMembers, `党员数 ${partyMembers} 大于人口 ${residents}`, `party members ${partyMembers} exceed residents ${residents}`);
  return {
    row: rec.row,
    building: r.need('building', '楼栋号'),
    unit: r.int('unit', '单元', { required: true, min: 1 })!,
    households,
    residents,
    partyMembers,
    compound: r.opt('compound'),
    community: r.opt('community'),
  };
}

function facilityRow(rec: SourceRecord, m: ColumnMapping, toWgs84: (p: LngLat) => LngLat, warn: Warn): FacilityRow {
  const r = reader(rec, m, warn);
  const code = r.opt('code') ?? osmCode(rec);
  if (!code) throw new RowProblem(m.code ?? 'code', '缺少编码', 'missing code');
  // OSM: the tag set decides (amenity=pharmacy, shop=convenience, highway=bus_stop …); else the mapped column.
  const category = (rec.props.osm_id !== undefined ? osmFacilityCategory(rec.props) : null) ?? r.opt('category');
  if (!category) throw new RowProblem(m.category ?? 'category', '缺少类别（或 OSM 标签不对应任何设施类别）', 'missing category (or OSM tags match no facility category)');
  let source = rec;
  if (m.lng && m.lat) {
    const lng = decimal(r.raw('lng'));
    const lat = decimal(r.raw('lat'));
    if (!Number.isFinite(lng) || !Number.isFinite(lat)) throw new RowProblem(m.lng, '经纬度不是数字', 'lng/lat are not numbers');
    source = { ...rec, geometry: { type: 'Point', coordinates: [lng, lat] } };
  }
  let name = r.opt('name') ?? text(rec.props.name);
  if (!name && rec.props.osm_id !== undefined) {
    // OSM: name:zh, brand … or, for an unnamed bus stop / waste point, the category's name (a warning).
    const osm = osmFacilityName(rec.props, category);
    if (osm?.fromCategory) warn(m.name ?? 'name', `没有名称，以类别命名为“${osm.name}”`, `no name: named after its category, "${osm.name}"`);
    name = osm?.name ?? null;
  }
  if (!name) throw new RowProblem(m.name ?? 'name', '缺少名称', 'missing name');
  return {
    row: rec.row, code, name, category, community: r.opt('community'), address: r.opt('address'),
    geometry: geometryOf(source, 'point', toWgs84) as Point,
  };
}

function compoundRow(rec: SourceRecord, m: ColumnMapping, toWgs84: (p: LngLat) => LngLat, warn: Warn): CompoundRow {
  const r = reader(rec, m, warn);
  return {
    row: rec.row,
    code: r.opt('code') ?? osmCode(rec) ?? (() => { throw new RowProblem(m.code ?? 'code', '缺少编码', 'missing code'); })(),
    name: r.need('name', '名称'),
    community: r.opt('community'),
    gated: r.flag('gated', '是否封闭', true),
    builtYear: r.year('builtYear', '建成年份'),
    geometry: geometryOf(rec, 'polygon', toWgs84),
  };
}

function walkRows(rec: SourceRecord, m: ColumnMapping, toWgs84: (p: LngLat) => LngLat): WalkRow[] {
  const r = reader(rec, m);
  let kind = r.opt('kind') ?? 'footway';
  kind = WALK_ZH[kind] ?? walkKindOfHighway(kind) ?? kind;
  if (!WALK_KINDS.includes(kind)) throw new RowProblem(m.kind, `未知道路类型“${kind}”`, `unknown walk kind "${kind}"`);
  const g = geometryOf(rec, 'line', toWgs84);
  const lines = g.type === 'LineString' ? [g.coordinates] : g.type === 'MultiLineString' ? g.coordinates : [];
  return lines.map((coords) => ({ row: rec.row, kind, name: r.opt('name'), coords }));
}

function boundaryRow(rec: SourceRecord, m: ColumnMapping, toWgs84: (p: LngLat) => LngLat): BoundaryRow {
  const r = reader(rec, m);
  // 6/9/12-digit codes, 12-digit statistics codes of districts/streets, DataV's province/city rows
  // and the cities without districts: data/import/division-codes.ts.
  const rawCode = r.opt('code');
  if (rawCode === null) {
    const name = r.need('name', '名称');
    // No code: a community, placed and coded by the server (BoundaryRow); districts and streets need theirs.
    const said = r.opt('level');
    if (said !== null && !isCommunityWord(said)) {
      throw new RowProblem(m.code ?? 'code', `缺少区划代码：只有社区可以不带代码（由所在街道自动编码），级别“${said}”需要代码`,
        `missing code: only communities may come without one (coded under the street that contains them); level "${said}" needs its code`);
    }
    const osm = /^osm-relation-(-?\d+)$/.exec(text(rec.props.osm_id) ?? '');
    return { row: rec.row, code: null, key: osm ? osm[1] : nameKey(name), name, level: 'community', parent: null, geometry: geometryOf(rec, 'polygon', toWgs84) };
  }
  const division = divisionOf(rawCode, r.opt('level'));
  const name = () => r.need('name', '名称');
  if ('problem' in division) throw new RowProblem(division.problem.field === 'code' ? m.code : m.level, division.problem.zh, division.problem.en);
  const { code, level } = division;
  // DataV writes the parent as an object {adcode} (a string of it once GDAL made a shapefile of
  // the file); a district's parent (a city) is not kept.
  let parent = level === 'district' ? null : parentCode(r.raw('parent'), level === 'street' ? 6 : 9);
  if (parent !== null && !(level === 'street' ? /^\d{6}$/ : /^\d{9}$/).test(parent)) {
    throw new RowProblem(m.parent, `上级代码“${parent}”不是${level === 'street' ? '区县（6 位）' : '街道（9 位）'}代码`,
      `parent "${parent}" is not a ${level === 'street' ? 'district (6-digit)' : 'street (9-digit)'} code`);
  }
  if (parent === '') parent = null;
  return { row: rec.row, code, key: null, name: name(), level, parent, geometry: geometryOf(rec, 'polygon', toWgs84) };
}

/** Maps every record of a parsed file; `toWgs84` converts the file's positions; `onProgress` hears every 1,000 records. */
export function mapRecords(layer: ImportLayer, file: ParsedFile, mapping: ColumnMapping, toWgs84: (p: LngLat) => LngLat, onProgress?: (done: number) => void): MappedRows {
  const rows: LayerRow[] = [];
  const errors: RowError[] = [];
  const warnings: RowError[] = [];
  for (const [i, rec] of file.records.entries()) {
    if (onProgress && i % 1000 === 0) onProgress(i);
    const mine: RowError[] = [];
    const warn: Warn = (field, zh, en) => mine.push({ row: rec.row, field, zh, en });
    try {
      let made: LayerRow[] = [];
      switch (layer) {
        case 'buildings': made = [buildingRow(rec, mapping, toWgs84, warn)]; break;
        case 'households': made = [householdRow(rec, mapping, warn)]; break;
        case 'facilities': made = [facilityRow(rec, mapping, toWgs84, warn)]; break;
        case 'compounds': made = [compoundRow(rec, mapping, toWgs84, warn)]; break;
        case 'walk': made = walkRows(rec, mapping, toWgs84); break;
        case 'boundaries': made = [boundaryRow(rec, mapping, toWgs84)]; break;
      }
      // Also what a row takes from a file's own columns besides the mapping (an OSM name tag).
      for (const row of made) {
        for (const [key, v] of Object.entries(row)) {
          if (typeof v === 'string' && UNSAFE_TEXT.test(v)) {
            throw new RowProblem(mapping[key] ?? key, '含有控制字符、双向文字控制符或不成对的代理字符', 'contains control characters, bidirectional-text controls or unpaired surrogates');
          }
        }
      }
      rows.push(...made);
      warnings.push(...mine); // a rejected row's warnings would only repeat its error
    } catch (e) {
      if (!(e instanceof RowProblem)) throw e;
      errors.push({ row: rec.row, field: e.field, zh: e.zh, en: e.en });
    }
  }
  // The same code twice in one file: the later row would silently overwrite the earlier one.
  if (layer !== 'households' && layer !== 'walk') {
    const seen = new Map<string, number>();
    const kept: LayerRow[] = [];
    for (const row of rows as Array<{ code: string | null; row: number }>) {
      // A community without a code is coded by the server (BoundaryRow), never twice the same.
      const first = row.code === null ? undefined : seen.get(row.code);
      if (first !== undefined) errors.push({ row: row.row, field: mapping.code ?? 'code', zh: `编码 ${row.code} 与第 ${first} 行重复`, en: `code ${row.code} repeats row ${first}` });
      else {
        if (row.code !== null) seen.set(row.code, row.row);
        kept.push(row as unknown as LayerRow);
      }
    }
    const rejected = new Set(errors.map((e) => e.row));
    return { rows: kept, errors: errors.sort((a, b) => a.row - b.row), warnings: warnings.filter((w) => !rejected.has(w.row)) };
  }
  return { rows, errors: errors.sort((a, b) => a.row - b.row), warnings };
}

/** A sample of positions (in the file's own CRS) for CRS detection. */
export function samplePositions(file: ParsedFile, mapping: ColumnMapping, max = 500): LngLat[] {
  const out: LngLat[] = [];
  const step = Math.max(1, Math.floor(file.records.length / max));
  for (let i = 0; i < file.records.length && out.length < max; i += step) {
    const rec = file.records[i];
    if (mapping.lng && mapping.lat) {
      const p: LngLat = [decimal(rec.props[mapping.lng]), decimal(rec.props[mapping.lat])];
      if (Number.isFinite(p[0]) && Number.isFinite(p[1])) out.push(p);
    } else if (rec.geometry) {
      const first = firstPosition(rec.geometry);
      if (first) out.push(first);
    }
  }
  return out;
}

function firstPosition(g: Geometry): LngLat | null {
  let c: unknown = g.type === 'GeometryCollection' ? null : g.coordinates;
  while (Array.isArray(c) && Array.isArray(c[0])) c = c[0];
  return Array.isArray(c) && typeof c[0] === 'number' ? [c[0], c[1] as number] : null;
}
