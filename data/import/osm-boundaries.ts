/**
 * OpenStreetMap administrative boundaries → `boundaries` records (issue #15): relations tagged
 * `boundary=administrative` (type `boundary` or `multipolygon`) with an `admin_level`, assembled
 * like multipolygon buildings (osm-multipolygon.ts); one cut by the extract's edge is skipped with
 * the reason.
 *
 * Levels: OSM admin_levels become district / street / community. A Chinese file (chineseFile)
 * follows China's ladder: 6 (or 5) → district, 8 → street, 10 → community. Otherwise the three
 * deepest distinct levels among the complete boundaries that contain at least one building of the
 * file (all complete boundaries when the file has no buildings) — for Liechtenstein 2 → district,
 * 6 → street, 8 → community. With two levels only (most Chinese extracts have no level 10) the
 * districts and streets go in and one `skipped` line says the communities must come from another
 * file. `levels` (the request's `osmLevels=2,6,8` or `6,8`) overrides. Communities alone: when the
 * deployment has streets (`streetsExist`) and the file has one whole level around its buildings
 * (a Chinese file: level 10 only), or `osmLevels` names one level, that level's boundaries are
 * communities without parent or (untagged) code, placed and coded by the server (boundaries.ts).
 *
 * Codes: a Chinese division code from the tags (`ref:admin:CN:nbs`, `ref:admin:CN:mca`,
 * `ref:admin:CN`, `ref:GB`, `ref`) when it is all digits and fits the level (a 12-digit statistics
 * code of a district or street is cut to 6 or 9 digits when the rest is zeros); otherwise assigned
 * deterministically from each OSM relation id (autoCode): districts 99 + 4 digits ("99" is no
 * province), a street its district's code + 3 digits, a community its street's code + 3 digits.
 * Parents are found by containment (a point inside the boundary lies in the parent's outline) and
 * written into the record, so the server takes them as given; a street or community inside no
 * boundary of the level above is skipped with the reason.
 */
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { booleanPointInPolygon, pointOnFeature } from '@turf/turf';
import { assembleMultipolygon } from './osm-multipolygon.js';
import type { OsmData, OsmSkip } from './osm-xml.js';
import type { SourceRecord } from './types.js';

type Level = 'district' | 'street' | 'community';
const LEVELS: Level[] = ['district', 'street', 'community'];
const CODE_LENGTH: Record<Level, number> = { district: 6, street: 9, community: 12 };
const CODE_TAGS = ['ref:admin:CN:nbs', 'ref:admin:CN:mca', 'ref:admin:CN', 'ref:GB', 'ref'];
/** Building positions tried per boundary level when choosing levels (enough to tell, cheap). */
const SAMPLE_BUILDINGS = 3000;

interface Boundary {
  id: string; adminLevel: number; name: string; tags: Record<string, string>;
  geometry: Polygon | MultiPolygon; inner: [number, number];
  level?: Level; code?: string; parent?: Boundary; codeBy?: 'osm' | 'auto';
}

export interface OsmBoundaryResult {
  records: SourceRecord[];
  skipped: OsmSkip[];
  /** The admin_level chosen for each level (community null: the file has districts and streets only), and every complete level found. */
  levels: Record<Level, number | null>;
  found: number[];
}

/** A level error the caller turns into a file error (nothing to map). */
export class OsmLevelsProblem extends Error {
  constructor(readonly zh: string, readonly en: string) { super(en); }
}

/** A boundary relation left out because the extract cuts it (members or nodes missing, rings open). */
interface CutBoundary { adminLevel: number; name: string; bbox: [number, number, number, number] | null }

/** " (cut by the extract's edge: admin_level=2 Monaco, France; admin_level=8 …)" for a level error (empty when none), a few names per level. */
function cutText(cut: CutBoundary[], points: Array<[number, number]>): { zh: string; en: string } {
  if (cut.length === 0) return { zh: '', en: '' };
  // Within a level, the boundaries whose remaining parts span most of the file's buildings first
  // (Monaco's commune before the French communes next to it).
  const near = (b: CutBoundary) => (b.bbox ? points.filter(([x, y]) => x >= b.bbox![0] && x <= b.bbox![2] && y >= b.bbox![1] && y <= b.bbox![3]).length : 0);
  const ranked = cut.map((b) => ({ ...b, near: near(b) })).sort((a, b) => a.adminLevel - b.adminLevel || b.near - a.near);
  const byLevel = new Map<number, string[]>();
  for (const b of ranked) byLevel.set(b.adminLevel, [...(byLevel.get(b.adminLevel) ?? []), b.name]);
  const part = (sep: string) => [...byLevel].map(([level, names]) => `admin_level=${level} ${names.slice(0, 3).join(sep)}${names.length > 3 ? `${sep}…（${names.length}）` : ''}`);
  return { zh: `（被文件范围截断、不完整而未用：${part('、').join('；')}）`, en: ` (left out as cut by the extract's edge: ${part(', ').join('; ').replace(/（(\d+)）/g, ' ($1)')})` };
}

/** The box of a relation's member-way nodes present in the file (null: none). */
function presentBbox(rel: OsmData['relations'][number], ways: Map<string, OsmData['ways'][number]>, nodes: OsmData['nodes']): [number, number, number, number] | null {
  const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const m of rel.members) {
    if (m.type !== 'way') continue;
    for (const ref of ways.get(m.ref)?.refs ?? []) {
      const n = nodes.get(ref);
      if (!n) continue;
      box[0] = Math.min(box[0], n.lon); box[1] = Math.min(box[1], n.lat);
      box[2] = Math.max(box[2], n.lon); box[3] = Math.max(box[3], n.lat);
    }
  }
  return box[0] <= box[2] ? box : null;
}

const contains = (outer: Boundary, inner: Boundary) => booleanPointInPolygon(inner.inner, outer.geometry);

/** The division code a boundary's tags carry for `level`, or null. */
export function taggedCode(tags: Record<string, string>, level: Level): string | null {
  const n = CODE_LENGTH[level];
  for (const key of CODE_TAGS) {
    const v = tags[key]?.trim();
    if (!v || !/^\d+$/.test(v)) continue;
    if (v.length === n) return v;
    if (v.length > n && v.length <= 12 && /^0+$/.test(v.slice(n))) return v.slice(0, n);
  }
  return null;
}

function sampleBuildings(data: OsmData): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const buildings = data.ways.filter((w) => w.tags.building && w.tags.building !== 'no');
  const step = Math.max(1, Math.floor(buildings.length / SAMPLE_BUILDINGS));
  for (let i = 0; i < buildings.length; i += step) {
    const n = buildings[i].refs.map((r) => data.nodes.get(r)).find((x) => x);
    if (n) out.push([n.lon, n.lat]);
  }
  return out;
}

/**
 * China's own ladder (OSM's China conventions): admin_level 6 区/县 (5 for a prefecture city with no
 * districts, such as 东莞), 8 乡镇/街道, 10 村/社区. A file is China's when a boundary carries a
 * Chinese division code or an `ISO3166-2` of `CN…`, or a level-8 boundary is named as a township
 * (…街道, …镇, …乡, …苏木). The generic "three deepest levels" would make a Chinese extract with
 * provinces or cities in it (4/5/6/8) put 街道 at the community level.
 */
function chineseFile(boundaries: Boundary[]): boolean {
  return boundaries.some((b) => CODE_TAGS.slice(0, 3).some((k) => b.tags[k]) || /^CN(-|$)/.test(b.tags['ISO3166-2'] ?? '')
    || (b.adminLevel === 8 && /(街道|镇|乡|苏木)(办事处)?([（(].*[)）])?$/.test(b.name)));
}

/** What a file without a community level says (its districts and streets still go in). */
const noCommunityLevel = (levels: Record<Level, number | null>): OsmSkip => ({
  osmId: 'admin_level',
  zh: `文件中没有社区一级的行政边界（只导入区县 admin_level=${levels.district} 和街道 admin_level=${levels.street}）；社区边界请另行导入（Shapefile、GeoJSON 或画好社区的 OSM 文件）`,
  en: `no community-level boundaries in the file (only districts, admin_level=${levels.district}, and streets, admin_level=${levels.street}, are imported); import the communities from another file (Shapefile, GeoJSON, or an OSM file with them drawn)`,
});

/** Communities alone (one level), to go in under the deployment's existing streets: none yet is a level error. */
function communitiesOnly(level: number, streetsExist: boolean): { levels: Record<Level, number | null> } {
  if (!streetsExist) {
    throw new OsmLevelsProblem(`只导入社区（admin_level=${level}）需要系统中已有街道：请先导入区县和街道边界（区划 Shapefile、GeoJSON、DataV）`,
      `communities alone (admin_level=${level}) go in under the deployment's streets, and it has none yet: import the districts and streets first (a boundary Shapefile, GeoJSON or DataV)`);
  }
  return { levels: { district: null, street: null, community: level } };
}

function chooseLevels(boundaries: Boundary[], data: OsmData, given: number[] | undefined, cut: CutBoundary[], streetsExist: boolean): { levels: Record<Level, number | null>; found: number[] } {
  const found = [...new Set(boundaries.map((b) => b.adminLevel))].sort((a, b) => a - b);
  const pick = (list: number[]) => ({ district: list[0], street: list[1], community: list[2] ?? null });
  if (given) {
    if (given.length < 1 || given.length > 3 || !given.every((l, i) => i === 0 || given[i - 1] < l)) {
      throw new OsmLevelsProblem('osmLevels 应为一到三个递增的 admin_level，如 2,6,8（区县、街道、社区）、6,8（区县、街道）或 10（只导入社区，归入已有街道）',
        'osmLevels must be one to three increasing admin_levels, e.g. 2,6,8 (district, street, community), 6,8 (district, street) or 10 (communities alone, under the existing streets)');
    }
    const absent = given.filter((l) => !found.includes(l));
    if (absent.length) {
      const c = cutText(cut.filter((b) => absent.includes(b.adminLevel)), sampleBuildings(data));
      throw new OsmLevelsProblem(`文件中没有完整的 admin_level=${absent.join('、')} 边界（有：${found.join('、') || '无'}）${c.zh}`,
        `no complete admin_level=${absent.join(', ')} boundary in the file (found: ${found.join(', ') || 'none'})${c.en}`);
    }
    if (given.length === 1) return { ...communitiesOnly(given[0], streetsExist), found };
    return { levels: pick(given), found };
  }
  const points = sampleBuildings(data);
  const useful = points.length === 0 ? found : found.filter((lvl) => boundaries.some((b) => b.adminLevel === lvl
    && points.some((p) => booleanPointInPolygon(p, b.geometry))));
  if (chineseFile(boundaries) && useful.includes(8)) {
    const district = [6, 5].find((l) => useful.includes(l));
    if (district !== undefined) return { levels: { district, street: 8, community: useful.includes(10) ? 10 : null }, found };
  }
  // One whole level around the buildings (Monaco: the quartiers, admin_level 10) in a deployment
  // that has streets already: the file's communities, each under the street that contains it. A
  // Chinese file's one level must be China's community level (10): its 街道 (8) alone are streets,
  // never communities of the streets already there.
  if (useful.length === 1 && streetsExist && (!chineseFile(boundaries) || useful[0] === 10)) return { ...communitiesOnly(useful[0], true), found };
  if (useful.length < 2) {
    // osmLevels helps only when another complete level exists; when the levels above were cut by
    // the extract's edge, say which, and where the boundaries must come from instead.
    const c = cutText(cut.filter((b) => !useful.includes(b.adminLevel)), points);
    const more = found.length >= 2;
    const one = useful.length === 1
      ? { zh: `；导入区县和街道之后，本文件的 admin_level=${useful[0]} 边界可作为社区导入，归入所在街道`, en: `; once the deployment has its streets, this file's admin_level=${useful[0]} boundaries go in as communities under them` }
      : { zh: '', en: '' };
    throw new OsmLevelsProblem(
      `至少需要两级行政边界（区县、街道），文件中建筑周围只有完整的 admin_level=${useful.join('、') || '无'}${c.zh}；${more ? `可用 osmLevels 从 ${found.join('、')} 中指定，或` : ''}先从其他文件（区划 Shapefile、GeoJSON、DataV）导入区县和街道边界，或用包含完整边界的更大范围 OSM 文件${one.zh}`,
      `at least two administrative levels are needed (district, street); around its buildings the file has complete admin_level ${useful.join(', ') || 'none'} only${c.en}; ${more ? `choose among ${found.join(', ')} with osmLevels, or ` : ''}import the districts and streets from another file (a boundary Shapefile, GeoJSON or DataV) first, or use a larger OSM extract that holds them whole${one.en}`);
  }
  return { levels: pick(useful.slice(-3)), found };
}

/**
 * An assigned code: `prefix` + `width` digits taken from the OSM relation id (id mod 10^width − 1,
 * plus 1), the next free number on a collision. Derived from the relation, not from its place in
 * the file, so the same boundary gets the same code from a later or larger extract (a re-import
 * updates it, never another one) and two files of different places do not take the same district
 * code (they did when every file's first district was 990001).
 */
export function autoCode(relationId: string, prefix: string, width: number, taken: Set<string>): string {
  const span = 10 ** width - 1;
  // A relation drawn in JOSM and not uploaded has a negative id (-5000): its magnitude is used
  // (a remainder of a negative id made codes like "99-4999").
  const id = BigInt(relationId);
  let n = (Number((id < 0n ? -id : id) % BigInt(span))) + 1;
  const code = () => prefix + String(n).padStart(width, '0');
  while (taken.has(code())) n = (n % span) + 1;
  return code();
}

/** Codes for one level: tagged ones kept, the rest derived from their relation ids ({@link autoCode}). */
function assignCodes(list: Boundary[], level: Level) {
  const byParent = new Map<string, Boundary[]>();
  for (const b of list) {
    const key = b.parent?.code ?? '';
    byParent.set(key, [...(byParent.get(key) ?? []), b]);
  }
  for (const [prefix, siblings] of byParent) {
    const taken = new Set(siblings.map((b) => taggedCode(b.tags, level)).filter((c): c is string => c !== null));
    for (const b of siblings.sort((a, b) => Number(a.id) - Number(b.id))) {
      const tagged = taggedCode(b.tags, level);
      if (tagged && (level === 'district' || tagged.startsWith(prefix))) {
        [b.code, b.codeBy] = [tagged, 'osm'];
        continue;
      }
      [b.code, b.codeBy] = [autoCode(b.id, level === 'district' ? '99' : prefix, level === 'district' ? 4 : 3, taken), 'auto'];
      taken.add(b.code);
    }
  }
}

/**
 * Communities alone (no street level in the file): no parent and — unless tagged — no code; the
 * server puts each under the existing street that contains it and assigns its code from the
 * relation id there ({@link autoCode}: the street's code + 3 digits), as for a community here.
 */
function communityRecords(list: Boundary[]): SourceRecord[] {
  return list.sort((a, b) => Number(a.id) - Number(b.id)).map((b, i) => {
    const tagged = taggedCode(b.tags, 'community');
    return {
      row: i + 1,
      props: { code: tagged, name: b.name, level: 'community', parent: null, osm_id: `osm-relation-${b.id}`, admin_level: b.adminLevel, code_from: tagged ? 'osm' : 'auto' },
      geometry: b.geometry,
    };
  });
}

/** Boundary records of the three chosen levels, with codes, levels and parents (see the file comment). */
export function osmBoundaryRecords(data: OsmData, opts: { levels?: number[]; streetsExist?: boolean } = {}): OsmBoundaryResult {
  const skipped: OsmSkip[] = [];
  const cut: CutBoundary[] = [];
  const waysById = new Map(data.ways.map((w) => [w.id, w]));
  const complete: Boundary[] = [];
  for (const rel of data.relations) {
    const t = rel.tags;
    if (t.boundary !== 'administrative' || (t.type !== 'boundary' && t.type !== 'multipolygon')) continue;
    const adminLevel = Number(t.admin_level);
    if (!Number.isInteger(adminLevel)) continue;
    const osmId = `osm-relation-${rel.id}`;
    const built = assembleMultipolygon(rel, waysById, data.nodes);
    // A boundary is whole or left out: a building keeps the rings that still close at the
    // extract's edge, but those of a boundary cut by it are a sliver of the real outline (Monaco's
    // admin_level 8 without its sea border closed a 1,000 m² ring; Provence-Alpes-Côte d'Azur,
    // 721 of its ways missing, a 1,300 m² island) that would become a district, street or
    // community and push the real levels aside.
    const why = 'problem' in built ? built.problem : built.dropped;
    if (why) {
      skipped.push({ osmId, zh: `${osmId}（${t.name ?? ''}，admin_level=${adminLevel}）：${why.zh}`, en: `${osmId} (${t.name ?? ''}, admin_level=${adminLevel}): ${why.en}` });
      cut.push({ adminLevel, name: t.name ?? t['name:zh'] ?? t['name:en'] ?? osmId, bbox: presentBbox(rel, waysById, data.nodes) });
      continue;
    }
    if ('problem' in built) continue;
    const inner = pointOnFeature({ type: 'Feature', properties: {}, geometry: built.geometry } as Feature<Polygon | MultiPolygon>).geometry.coordinates as [number, number];
    complete.push({ id: rel.id, adminLevel, name: t.name ?? t['name:zh'] ?? t['name:en'] ?? osmId, tags: t, geometry: built.geometry, inner });
  }
  const { levels, found } = chooseLevels(complete, data, opts.levels, cut, opts.streetsExist ?? false);
  if (levels.community === null) skipped.push(noCommunityLevel(levels));
  if (levels.street === null && levels.community !== null) return { records: communityRecords(complete.filter((b) => b.adminLevel === levels.community)), skipped, levels, found };
  const records: SourceRecord[] = [];
  let row = 0;
  const placed: Record<Level, Boundary[]> = { district: [], street: [], community: [] };
  for (const [i, level] of LEVELS.entries()) {
    if (levels[level] === null) continue;
    for (const b of complete.filter((x) => x.adminLevel === levels[level])) {
      if (i > 0) {
        b.parent = placed[LEVELS[i - 1]].find((p) => contains(p, b));
        if (!b.parent) {
          const up = LEVELS[i - 1] === 'district' ? '区县' : '街道';
          skipped.push({ osmId: `osm-relation-${b.id}`, zh: `osm-relation-${b.id}（${b.name}）不在任何上一级（${up}）边界之内`, en: `osm-relation-${b.id} (${b.name}) lies in no ${LEVELS[i - 1]} boundary of the file` });
          continue;
        }
      }
      b.level = level;
      placed[level].push(b);
    }
    assignCodes(placed[level], level);
  }
  for (const level of LEVELS) {
    for (const b of placed[level].sort((a, b) => a.code!.localeCompare(b.code!))) {
      records.push({
        row: ++row,
        props: { code: b.code, name: b.name, level, parent: b.parent?.code ?? null, osm_id: `osm-relation-${b.id}`, admin_level: b.adminLevel, code_from: b.codeBy },
        geometry: b.geometry,
      });
    }
  }
  return { records, skipped, levels, found };
}
