/**
 * Community and grid names as deck.gl TextLayers. MapLibre symbol labels would need a glyph
 * server (none offline), while deck.gl rasterises the characters it needs (`characterSet: 'auto'`)
 * from the system CJK font.
 */
import { TextLayer } from '@deck.gl/layers';
import { centerOfMass, booleanPointInPolygon, pointOnFeature } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { CommunityProps, GridProps, LayerCollection } from '../../http/api-types';
import { CJK_FONT_STACK } from '../fonts';

export const COMMUNITY_LABELS_LAYER_ID = 'community-labels';
export const GRID_LABELS_LAYER_ID = 'grid-labels';

export interface Label {
  position: [number, number, number];
  text: string;
  /** Code of the labelled feature, so labels can follow selection. */
  code: string;
}

/** A point inside the area: its centre of mass when that is inside, else any interior point. */
export function labelPoint(f: Feature<Polygon | MultiPolygon>): [number, number] {
  const c = centerOfMass(f).geometry.coordinates;
  if (booleanPointInPolygon(c, f)) return [c[0], c[1]];
  const p = pointOnFeature(f).geometry.coordinates;
  return [p[0], p[1]];
}

/**
 * Grid names often repeat the community name ("向阳社区第3网格"); the map already labels the
 * community, so grid labels show only the rest ("第3网格"). `communityNames` maps community code
 * to full name; the grid's own `communityName` may be the short form ("向阳").
 */
export function shortGridName(p: GridProps, communityNames: ReadonlyMap<string, string>): string {
  const name = p.name || p.code;
  const prefixes = [communityNames.get(p.communityCode), p.communityName ? `${p.communityName}社区` : '', p.communityName]
    .filter((x): x is string => !!x)
    .sort((a, b) => b.length - a.length);
  for (const prefix of prefixes) {
    if (name.startsWith(prefix) && name.length > prefix.length) {
      const rest = name.slice(prefix.length).replace(/^[\s·\-_]+/, '');
      if (rest) return rest;
    }
  }
  return name;
}

export function communityLabels(data: LayerCollection<'communities'>): Label[] {
  return data.features.map((f) => {
    const [x, y] = labelPoint(f as Feature<Polygon | MultiPolygon, CommunityProps>);
    // The official name ("友谊街社区居民委员会") is too long for a map; the short one reads.
    const p = f.properties;
    return { position: [x, y, 60], text: p.shortName || p.name, code: p.code };
  });
}

/**
 * Basic grids: short name and household count (the figure the band is about). Dedicated grids
 * (a school, a market …) have no households to count, so their label is the place's name.
 */
export function gridLabels(
  data: LayerCollection<'grids'>,
  communities: LayerCollection<'communities'> | undefined,
  householdsUnit: string,
): Label[] {
  const names = new Map((communities?.features ?? []).map((f) => [f.properties.code, f.properties.name]));
  return data.features.map((f) => {
    const [x, y] = labelPoint(f as Feature<Polygon | MultiPolygon, GridProps>);
    const p = f.properties;
    const name = shortGridName(p, names);
    const text =
      p.kind === 'dedicated'
        ? name.replace(/专属网格$/, '') || name
        : `${name}\n${p.households}${householdsUnit}`;
    return { position: [x, y, 30], text, code: p.code };
  });
}

const COMMON = {
  characterSet: 'auto' as const,
  fontFamily: CJK_FONT_STACK,
  fontSettings: { sdf: true, fontSize: 64, buffer: 6, radius: 12 },
  outlineColor: [10, 14, 18, 255] as [number, number, number, number],
  billboard: true,
  sizeUnits: 'pixels' as const,
  getTextAnchor: 'middle' as const,
  getAlignmentBaseline: 'center' as const,
  getPosition: (d: Label) => d.position,
  getText: (d: Label) => d.text,
  pickable: false,
  // Labels are read above everything, so they ignore the depth of the 3D buildings.
  parameters: { depthCompare: 'always' as const, depthWriteEnabled: false },
};

export function communityLabelsLayer(labels: Label[], opts: { visible: boolean }) {
  return new TextLayer<Label>({
    ...COMMON,
    id: COMMUNITY_LABELS_LAYER_ID,
    data: labels,
    visible: opts.visible,
    getSize: 17,
    fontWeight: 700,
    outlineWidth: 0,
    getColor: [240, 245, 250, 255],
    background: true,
    getBackgroundColor: [12, 18, 26, 215],
    getBorderColor: [159, 179, 200, 200],
    getBorderWidth: 1,
    backgroundBorderRadius: 4,
    backgroundPadding: [8, 4, 8, 4],
  });
}

export function gridLabelsLayer(labels: Label[], opts: { visible: boolean; minZoom: number; zoom: number }) {
  return new TextLayer<Label>({
    ...COMMON,
    id: GRID_LABELS_LAYER_ID,
    data: labels,
    visible: opts.visible && opts.zoom >= opts.minZoom,
    getSize: 12,
    lineHeight: 1.15,
    fontWeight: 600,
    outlineWidth: 0.32,
    getColor: [226, 233, 240, 240],
  });
}
