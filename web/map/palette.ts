/**
 * The map's colours in one place, shared by the MapLibre style, the deck.gl layers and the legend,
 * so the legend can never disagree with the map.
 *
 * Band colours follow the Okabe–Ito palette, which stays distinguishable for the common forms of
 * colour blindness; "in band" is the calm colour, "over" the alarming one.
 */
import type { BandStatus, BuildingUse, RoadKind } from '../http/api-types';

export type Rgb = [number, number, number];

export function hexToRgb(hex: string, fallback: Rgb = [160, 160, 160]): Rgb {
  const m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex.trim());
  if (!m) return fallback;
  let h = m[1];
  if (h.length === 3) h = h.split('').map((c) => c + c).join('');
  const n = parseInt(h, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

export const BAND_COLORS: Record<BandStatus, string> = {
  under: '#56B4E9', // sky blue: too few households, could merge
  in: '#009E73', // bluish green: within the 300–400 standard
  over: '#E8663D', // vermillion: too many households, should split
  dedicated: '#CC79A7', // reddish purple: school, hospital, market … counted separately
};

export const BAND_ORDER: readonly BandStatus[] = ['in', 'under', 'over', 'dedicated'];

export const BUILDING_USE_COLORS: Record<BuildingUse, string> = {
  residential: '#D8D2C4',
  school: '#F0E442',
  hospital: '#F2A7B5',
  market: '#E69F00',
  commercial: '#F5C26B',
  office: '#7FB3E0',
  public: '#A9B8C9',
};

export const BUILDING_USE_ORDER: readonly BuildingUse[] = [
  'residential',
  'school',
  'hospital',
  'market',
  'commercial',
  'office',
  'public',
];

/** Ground and line colours of the dark-neutral basemap. */
export const BASE = {
  background: '#0E1318',
  streetFill: '#141B22',
  communityFill: '#18212B',
  communityLine: '#9FB3C8',
  compoundFill: '#1C2631',
  compoundLine: '#6E8296',
  gridLine: '#E6EDF3',
  selection: '#FFD34D',
  roadCasing: '#0A0E12',
} as const;

export interface RoadStyle {
  color: string;
  /** Line width in px at zoom 14 and zoom 18; interpolated exponentially in between. */
  width14: number;
  width18: number;
  dash?: [number, number];
}

export const ROAD_STYLES: Record<RoadKind, RoadStyle> = {
  arterial: { color: '#8D9AAB', width14: 3, width18: 18 },
  secondary: { color: '#6F7C8C', width14: 2, width18: 12 },
  local: { color: '#56616E', width14: 1, width18: 7 },
  footway: { color: '#5F6B78', width14: 0.5, width18: 2, dash: [2, 1.5] },
  path: { color: '#4D5864', width14: 0.5, width18: 1.5, dash: [1, 1.5] },
  gate: { color: '#F0B429', width14: 1.5, width18: 6 },
};

export const ROAD_ORDER: readonly RoadKind[] = ['arterial', 'secondary', 'local', 'footway', 'path', 'gate'];

/**
 * Sequential ramp for party-member density, dark party red to gold: on a dark map "more" must be
 * brighter, and red-and-gold is the colour language of party work.
 */
export const PARTY_RAMP: Rgb[] = [
  [96, 18, 28],
  [146, 24, 34],
  [196, 36, 40],
  [226, 72, 42],
  [244, 132, 52],
  [253, 200, 86],
];
