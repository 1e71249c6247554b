/**
 * Believable household rosters (户) for buildings that came without any — a real OpenStreetMap
 * extract has footprints but no households (issue #15.3). Pure: the caller reads the buildings and
 * writes the result (server/repos/rosters.repo.ts).
 *
 * What a building holds follows what it is:
 * - not residential (`use` school, office, commercial, market, hospital, public): no households;
 * - a footprint under {@link MIN_DWELLING_M2} (garages, sheds, kiosks): none;
 * - a small low building (≤ {@link HOUSE_MAX_M2} m², ≤ 3 floors: a house, detached or terraced):
 *   one household, two when its floor area passes 260 m²;
 * - otherwise a block of flats: about one flat per {@link FLAT_M2} m² of footprint on every floor
 *   (75 % of the footprint is living space), in units (单元) of two flats a floor (一梯两户).
 *
 * Household sizes, party members and tags follow household-records.ts (the same rates
 * as the demo street), with made-up names and numbers from people.ts — no real personal data.
 * Deterministic per building code: the same building always gets the same roster, whatever else
 * the street holds or the order it is read in.
 */
import { buildingHouseholds } from './household-records.js';
import { Random } from './random.js';
import type { HouseholdSpec } from './types.js';

/** Footprints smaller than this (m²) hold no dwelling. */
export const MIN_DWELLING_M2 = 30;
/** A residential building up to this footprint (m²) and 3 floors is one house. */
export const HOUSE_MAX_M2 = 160;
/** Footprint (m²) per flat on one floor, living space and share of stairs and walls included. */
export const FLAT_M2 = 85;
const LIVING_SHARE = 0.75;
const PARTY_CENTER_GIVEN_PARTY = 0.15;
/** The fixed seed of roster streams: the roster depends on the building code alone. */
const ROSTER_SEED = 20240615;

export interface RosterBuilding {
  code: string;
  use: string;
  floors: number;
  /** Footprint area in m². */
  areaM2: number;
}

export interface BuildingRoster {
  code: string;
  units: number;
  households: number;
  residents: number;
  records: HouseholdSpec[];
}

/** Flats a floor and units for a residential building; null when it holds no dwelling. */
export function dwellingLayout(b: RosterBuilding): { units: number; floors: number; perFloor: number } | null {
  if (b.use !== 'residential' || !(b.areaM2 >= MIN_DWELLING_M2)) return null;
  const floors = Math.max(1, Math.round(b.floors));
  if (b.areaM2 <= HOUSE_MAX_M2 && floors <= 3) {
    return { units: 1, floors: 1, perFloor: b.areaM2 * floors > 260 ? 2 : 1 };
  }
  const flats = Math.max(1, Math.round((b.areaM2 * LIVING_SHARE) / FLAT_M2));
  const units = Math.max(1, Math.ceil(flats / 2));
  return { units, floors, perFloor: Math.ceil(flats / units) };
}

/** The roster of one building (empty records when it holds no dwelling). */
export function buildingRoster(b: RosterBuilding): BuildingRoster {
  const layout = dwellingLayout(b);
  if (!layout) return { code: b.code, units: 1, households: 0, residents: 0, records: [] };
  const rng = Random.derive(ROSTER_SEED, 'roster', b.code);
  const records: HouseholdSpec[] = [];
  const residents = buildingHouseholds(rng, b.code, layout.units, layout.floors, layout.perFloor, records);
  // About one 党员中心户 per 40 households, always one with a party member (≈ 17 % of households have
  // one): drawn per household, since most buildings of a real extract hold fewer than 40.
  for (const h of records) if (h.partyMembers > 0 && rng.chance(PARTY_CENTER_GIVEN_PARTY)) h.isPartyCenter = true;
  return { code: b.code, units: layout.units, households: records.length, residents, records };
}
