/**
 * Community and grid names as deck.gl TextLayers. MapLibre symbol labels would need a glyph
 * server (none offline), while deck.gl rasterises the characters it needs (`characterSet: 'auto'`)
 * from the system CJK font.
 */
import { TextLayer } from '@deck.gl/layers';
import { centerOfMass, booleanPointInPolygon, pointOnFeature } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { CommunityProps, GridProps, LayerCollection } from '../../http/api-types';
import { gridLabelText } from '../label-text';
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

export function communityLabels(data: LayerCollection<'communities'>): Label[] {
  return data.features.map((f) => {
    const [x, y] = labelPoint(f as Feature<Polygon | MultiPolygon, CommunityProps>);
    // The official name ("友谊街社区居民委员会") is too long for a map; the short one reads.
    const p = f.properties;
    return { position: [x, y, 60], text: p.shortName || p.name, code: p.code };
  });
}

export function gridLabels(
  data: LayerCollection<'grids'>,
  communities: LayerCollection<'communities'> | undefined,
  householdsUnit: string,
): Label[] {
  const names = new Map((communities?.features ?? []).map((f) => [f.properties.code, f.properties.name]));
  return data.features.map((f) => {
    const [x, y] = labelPoint(f as Feature<Polygon | MultiPolygon, GridProps>);
    const p = f.properties;
    return { position: [x, y, 30], text: gridLabelText(p, names, householdsUnit), code: p.code };
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

/** `size`: text size in px (default 17; the wall screen reads from metres away). */
export function communityLabelsLayer(labels: Label[], opts: { visible: boolean; size?: number }) {
  return new TextLayer<Label>({
    ...COMMON,
    id: COMMUNITY_LABELS_LAYER_ID,
    data: labels,
    visible: opts.visible,
    getSize: opts.size ?? 17,
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

export function gridLabelsLayer(labels: Label[], opts: { visible: boolean; minZoom: number; zoom: number; size?: number }) {
  return new TextLayer<Label>({
    ...COMMON,
    id: GRID_LABELS_LAYER_ID,
    data: labels,
    visible: opts.visible && opts.zoom >= opts.minZoom,
    getSize: opts.size ?? 13,
    lineHeight: 1.15,
    fontWeight: 600,
    outlineWidth: 0.4,
    getColor: [226, 233, 240, 240],
  });
}
