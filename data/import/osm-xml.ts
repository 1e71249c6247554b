/**
 * OpenStreetMap XML (.osm) into records, without an XML library: the format is flat (node, way,
 * relation elements with tag/nd children), so a tag scanner is enough. Buildings, walkable ways
 * and amenities/shops become records with GeoJSON geometries; the rest is ignored.
 *
 * Buildings drawn as multipolygon relations (type=multipolygon + building=*) are assembled from
 * their member ways (osm-multipolygon.ts); a relation whose rings cannot be closed is skipped with
 * the reason. The same OsmData comes out of the .osm.pbf reader (osm-pbf.ts).
 */
import type { Geometry } from 'geojson';
import { clippedRing, presentRuns } from './osm-clip.js';
import { walkKindOfHighway } from './osm-highway.js';
import { osmFacilityCategory } from './osm-tags.js';
import { assembleMultipolygon } from './osm-multipolygon.js';
import type { SourceRecord } from './types.js';

export interface OsmNode { id: string; lon: number; lat: number; tags: Record<string, string> }
export interface OsmWay { id: string; refs: string[]; tags: Record<string, string> }
export interface OsmMember { type: 'node' | 'way' | 'relation'; ref: string; role: string }
export interface OsmRelation { id: string; members: OsmMember[]; tags: Record<string, string> }

function attrs(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of s.matchAll(/([\w:-]+)\s*=\s*("([^"]*)"|'([^']*)')/g)) out[m[1]] = unescapeXml(m[3] ?? m[4] ?? '');
  return out;
}

function unescapeXml(s: string): string {
  return s
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&amp;/g, '&');
}

export interface OsmData {
  nodes: Map<string, OsmNode>;
  ways: OsmWay[];
  relations: OsmRelation[];
}

/** An OSM object left out, or (`kept: true`) imported without some of its parts (a multipolygon at the extract's edge). */
/** `count`: how many objects the line stands for (objects left out by kind: one line per tag value); 1 when absent. */
export interface OsmSkip { osmId: string; zh: string; en: string; kept?: boolean; count?: number }

const MEMBER_TYPES = new Set(['node', 'way', 'relation']);

export function parseOsmXml(text: string): OsmData {
  const nodes = new Map<string, OsmNode>();
  const ways: OsmWay[] = [];
  const relations: OsmRelation[] = [];
  let current: { kind: 'node'; node: OsmNode } | { kind: 'way'; way: OsmWay } | { kind: 'relation'; relation: OsmRelation } | null = null;
  const tagsOf = (c: NonNullable<typeof current>) => (c.kind === 'node' ? c.node.tags : c.kind === 'way' ? c.way.tags : c.relation.tags);
  for (const m of text.matchAll(/<(\/?)(node|way|relation|tag|nd|member)\b([^>]*?)(\/?)>/g)) {
    const [, closing, name, body, selfClosing] = m;
    if (closing) {
      current = null;
      continue;
    }
    const a = attrs(body);
    // A file saved by JOSM keeps what its user deleted, marked action="delete" (and an API history
    // or osmChange-like file, visible="false"): read past it (its tags and members) but keep none of it.
    const gone = a.action === 'delete' || a.visible === 'false';
    if (name === 'node') {
      const node: OsmNode = { id: a.id, lon: Number(a.lon), lat: Number(a.lat), tags: {} };
      if (!gone) nodes.set(node.id, node);
      current = selfClosing ? null : { kind: 'node', node };
    } else if (name === 'way') {
      const way: OsmWay = { id: a.id, refs: [], tags: {} };
      if (!gone) ways.push(way);
      current = selfClosing ? null : { kind: 'way', way };
    } else if (name === 'relation') {
      const relation: OsmRelation = { id: a.id, members: [], tags: {} };
      if (!gone) relations.push(relation);
      current = selfClosing ? null : { kind: 'relation', relation };
    } else if (name === 'tag' && current) {
      tagsOf(current)[a.k] = a.v;
    } else if (name === 'nd' && current?.kind === 'way') {
      current.way.refs.push(a.ref);
    } else if (name === 'member' && current?.kind === 'relation' && MEMBER_TYPES.has(a.type)) {
      current.relation.members.push({ type: a.type as OsmMember['type'], ref: a.ref, role: a.role ?? '' });
    }
  }
  return { nodes, ways, relations };
}


/**
 * A building or walk way's geometry over the nodes the extract holds: a line keeps each run of ≥ 2 present
 * nodes as its own part; a ring is closed over the present nodes. Null when nothing usable remains.
 */
function clippedWayGeometry(way: OsmWay, nodes: Map<string, OsmNode>, kind: 'building' | 'walk'): Geometry | null {
  const { runs } = presentRuns(way, nodes);
  if (kind === 'building') {
    const ring = clippedRing(runs);
    return ring ? { type: 'Polygon', coordinates: [ring] } : null;
  }
  const parts = runs.filter((r) => r.length >= 2);
  if (parts.length === 0) return null;
  return parts.length === 1 ? { type: 'LineString', coordinates: parts[0] } : { type: 'MultiLineString', coordinates: parts };
}

export type OsmFeatureKind = 'building' | 'walk' | 'facility';

/**
 * Records of one kind from parsed OSM: tags become props, plus osm_id (osm-node-1, osm-way-2,
 * osm-relation-3: the code of the imported row). `skipped` lists what could not be built and why.
 */
export function osmRecords(data: OsmData, kind: OsmFeatureKind): { records: SourceRecord[]; skipped: OsmSkip[] } {
  const records: SourceRecord[] = [];
  const skipped: OsmSkip[] = [];
  const missingNodes = (osmId: string, n?: number) => skipped.push(n
    ? { osmId, zh: `${osmId} 有 ${n} 个节点不在文件中，剩余部分不足以成形`, en: `${osmId}: ${n} of its nodes are missing from the file and too little remains` }
    : { osmId, zh: `${osmId} 引用的节点不在文件中`, en: `${osmId} refers to nodes missing from the file` });
  let row = 0;
  const push = (props: Record<string, unknown>, geometry: Geometry | null) => records.push({ row: ++row, props, geometry });
  if (kind === 'facility') {
    // Restaurants, cafés, parking … are not life-circle categories: left out, counted per tag value in
    // one line each (a real extract has far more of them than facilities), not a row error apiece.
    const other = new Map<string, number>();
    const isFacility = (tags: Record<string, string>) => {
      if (osmFacilityCategory(tags) !== null) return true;
      const tag = ['amenity', 'shop', 'leisure'].find((k) => tags[k]);
      if (tag) other.set(`${tag}=${tags[tag]}`, (other.get(`${tag}=${tags[tag]}`) ?? 0) + 1);
      return false;
    };
    for (const n of data.nodes.values()) {
      if (!n.tags.amenity && !n.tags.shop && !n.tags.leisure && n.tags.highway !== 'bus_stop') continue;
      if (!isFacility(n.tags)) continue;
      push({ ...n.tags, osm_id: `osm-node-${n.id}` }, { type: 'Point', coordinates: [n.lon, n.lat] });
    }
    for (const w of data.ways) {
      if (!w.tags.amenity && !w.tags.shop && !w.tags.leisure) continue;
      if (!isFacility(w.tags)) continue;
      const c = presentRuns(w, data.nodes).runs.flat();
      if (c.length === 0) {
        missingNodes(`osm-way-${w.id}`);
        continue;
      }
      const lon = c.reduce((s, p) => s + p[0], 0) / c.length;
      const lat = c.reduce((s, p) => s + p[1], 0) / c.length;
      push({ ...w.tags, osm_id: `osm-way-${w.id}` }, { type: 'Point', coordinates: [lon, lat] });
    }
    for (const [tag, n] of [...other].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) {
      skipped.push({ osmId: tag, count: n, zh: `${tag}：${n} 处，不属于生活圈设施类别，未导入`, en: `${tag}: ${n} object(s), not a life-circle facility category, left out` });
    }
    return { records, skipped };
  }
  for (const w of data.ways) {
    const isBuilding = !!w.tags.building && w.tags.building !== 'no';
    const isWalk = walkKindOfHighway(w.tags.highway) !== null && w.tags.foot !== 'no' && w.tags.access !== 'private';
    if (kind === 'building' ? !isBuilding : !isWalk) continue;
    const geometry = clippedWayGeometry(w, data.nodes, kind);
    if (!geometry) {
      missingNodes(`osm-way-${w.id}`, w.refs.filter((r) => !data.nodes.has(r)).length);
      continue;
    }
    push({ ...w.tags, osm_id: `osm-way-${w.id}` }, geometry);
  }
  if (kind === 'building') {
    const waysById = new Map(data.ways.map((w) => [w.id, w]));
    for (const rel of data.relations) {
      if (rel.tags.type !== 'multipolygon' || !rel.tags.building || rel.tags.building === 'no') continue;
      const osmId = `osm-relation-${rel.id}`;
      const built = assembleMultipolygon(rel, waysById, data.nodes);
      if ('problem' in built) {
        skipped.push({ osmId, zh: `${osmId}：${built.problem.zh}`, en: `${osmId}: ${built.problem.en}` });
        continue;
      }
      const tags: Record<string, string> = { ...rel.tags };
      delete tags.type; // "multipolygon": the relation's kind, not an attribute of the building
      push({ ...tags, osm_id: osmId }, built.geometry);
      if (built.dropped) skipped.push({ osmId, zh: `${osmId}：已导入闭合的部分；${built.dropped.zh}`, en: `${osmId}: its closed rings imported; ${built.dropped.en}`, kept: true });
    }
  }
  return { records, skipped };
}
