/**
 * The user-facing layer switches. Defaults favour the band-status view a street office opens the
 * map for; the party density hexagons would hide the band colours, so they start off.
 * `?layers=grids,buildings` on the URL overrides the defaults (handy for tests and screenshots).
 */
export const TOGGLE_KEYS = [
  'communities',
  'grids',
  'buildings',
  'partyDensity',
  'partyReach',
  'facilities',
  'roads',
  'compounds',
] as const;

export type ToggleKey = (typeof TOGGLE_KEYS)[number];
export type Toggles = Record<ToggleKey, boolean>;

export const DEFAULT_TOGGLES: Toggles = {
  communities: true,
  grids: true,
  buildings: true,
  partyDensity: false,
  partyReach: false,
  facilities: true,
  roads: true,
  compounds: true,
};

export function initialToggles(search: string = location.search): Toggles {
  const raw = new URLSearchParams(search).get('layers');
  if (raw === null) return { ...DEFAULT_TOGGLES };
  const on = new Set(raw.split(',').map((s) => s.trim()));
  const out = {} as Toggles;
  for (const k of TOGGLE_KEYS) out[k] = on.has(k);
  return out;
}
