/**
 * OpenStreetMap XML (.osm) into records, without an XML library: the format is flat (node, way,
 * relation elements with tag/nd children), so a tag scanner is enough. Buildings, walkable ways
 * and amenities/shops become records with GeoJSON geometries; the rest is ignored.
 *
 * Multipolygon relations are not assembled (buildings drawn as relations are rare in China's
 * residential areas); they are counted as skipped.
 */
import type { Geometry, Position } from 'geojson';
import type { SourceRecord } from './types.js';

interface OsmNode { id: string; lon: number; lat: number; tags: Record<string, string> }
interface OsmWay { id: string; refs: string[]; tags: Record<string, string> }

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
  relations: number;
}

export function parseOsmXml(text: string): OsmData {
  const nodes = new Map<string, OsmNode>();
  const ways: OsmWay[] = [];
  let relations = 0;
  let current: { kind: 'node'; node: OsmNode } | { kind: 'way'; way: OsmWay } | { kind: 'other' } | null = null;
  for (const m of text.matchAll(/<(\/?)(node|way|relation|tag|nd)\b([^>]*?)(\/?)>/g)) {
    const [, closing, name, body, selfClosing] = m;
    if (closing) {
      current = null;
      continue;
    }
    const a = attrs(body);
    if (name === 'node') {
      const node: OsmNode = { id: a.id, lon: Number(a.lon), lat: Number(a.lat), tags: {} };
      nodes.set(node.id, node);
      current = selfClosing ? null : { kind: 'node', node };
    } else if (name === 'way') {
      const way: OsmWay = { id: a.id, refs: [], tags: {} };
      ways.push(way);
      current = selfClosing ? null : { kind: 'way', way };
    } else if (name === 'relation') {
      relations++;
      current = selfClosing ? null : { kind: 'other' };
    } else if (name === 'tag' && current && current.kind !== 'other') {
      (current.kind === 'node' ? current.node.tags : current.way.tags)[a.k] = a.v;
    } else if (name === 'nd' && current?.kind === 'way') {
      current.way.refs.push(a.ref);
    }
  }
  return { nodes, ways, relations };
}

/** highway=* values a pedestrian can walk along, and the walk-edge kind each becomes. */
export const WALKABLE_HIGHWAYS: Record<string, 'arterial' | 'secondary' | 'local' | 'footway' | 'path'> = {
  primary: 'arterial', trunk: 'arterial', secondary: 'secondary', tertiary: 'secondary',
  residential: 'local', unclassified: 'local', living_street: 'local', service: 'path',
  pedestrian: 'footway', footway: 'footway', steps: 'footway', path: 'path', track: 'path', cycleway: 'path',
};

function wayCoords(way: OsmWay, nodes: Map<string, OsmNode>): Position[] | null {
  const coords: Position[] = [];
  for (const ref of way.refs) {
    const n = nodes.get(ref);
    if (!n) return null;
    coords.push([n.lon, n.lat]);
  }
  return coords;
}

export type OsmFeatureKind = 'building' | 'walk' | 'facility';

/** Records of one kind from parsed OSM: tags become props, plus osm_id (osm-node-1, osm-way-2: the code of the imported row). */
export function osmRecords(data: OsmData, kind: OsmFeatureKind): { records: SourceRecord[]; skipped: number } {
  const records: SourceRecord[] = [];
  let skipped = 0;
  let row = 0;
  const push = (props: Record<string, unknown>, geometry: Geometry | null) => records.push({ row: ++row, props, geometry });
  if (kind === 'facility') {
    for (const n of data.nodes.values()) {
      if (!n.tags.amenity && !n.tags.shop && !n.tags.leisure && n.tags.highway !== 'bus_stop') continue;
      push({ ...n.tags, osm_id: `osm-node-${n.id}` }, { type: 'Point', coordinates: [n.lon, n.lat] });
    }
    for (const w of data.ways) {
      if (!w.tags.amenity && !w.tags.shop && !w.tags.leisure) continue;
      const c = wayCoords(w, data.nodes);
      if (!c || c.length === 0) {
        skipped++;
        continue;
      }
      const lon = c.reduce((s, p) => s + p[0], 0) / c.length;
      const lat = c.reduce((s, p) => s + p[1], 0) / c.length;
      push({ ...w.tags, osm_id: `osm-way-${w.id}` }, { type: 'Point', coordinates: [lon, lat] });
    }
    return { records, skipped };
  }
  for (const w of data.ways) {
    const isBuilding = !!w.tags.building && w.tags.building !== 'no';
    const isWalk = !!w.tags.highway && w.tags.highway in WALKABLE_HIGHWAYS && w.tags.foot !== 'no' && w.tags.access !== 'private';
    if (kind === 'building' ? !isBuilding : !isWalk) continue;
    const c = wayCoords(w, data.nodes);
    if (!c) {
      skipped++;
      continue;
    }
    const geometry: Geometry = kind === 'building' ? { type: 'Polygon', coordinates: [c] } : { type: 'LineString', coordinates: c };
    push({ ...w.tags, osm_id: `osm-way-${w.id}` }, geometry);
  }
  return { records, skipped: skipped + (kind === 'building' ? data.relations : 0) };
}
