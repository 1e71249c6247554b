/** OpenStreetMap tags → GridAtlas facility categories and building uses (life-circle standard, domain.md). */
import categoriesJson from '../standards/facility-categories.json' with { type: 'json' };

const AMENITY: Record<string, string> = {
  kindergarten: 'kindergarten', childcare: 'kindergarten', school: 'primary_school', pharmacy: 'pharmacy',
  clinic: 'health_station', doctors: 'health_station', hospital: 'health_center', marketplace: 'food_market',
  police: 'police', parcel_locker: 'parcel_locker', waste_disposal: 'refuse_point', recycling: 'refuse_point',
  waste_basket: 'refuse_point', community_centre: 'community_service', townhall: 'community_service',
  social_facility: 'elderly_daycare', nursing_home: 'elderly_daycare', library: 'culture_station', arts_centre: 'culture_station',
};
const SHOP: Record<string, string> = {
  supermarket: 'supermarket', convenience: 'convenience', greengrocer: 'food_market', chemist: 'pharmacy',
  butcher: 'food_market', bakery: 'convenience',
};
const LEISURE: Record<string, string> = { fitness_centre: 'fitness', fitness_station: 'fitness', sports_centre: 'fitness', playground: 'fitness' };

/** The facility category for a tag set, or null (not a life-circle facility). */
export function osmFacilityCategory(tags: Record<string, unknown>): string | null {
  const t = (k: string) => (typeof tags[k] === 'string' ? (tags[k] as string) : undefined);
  if (t('highway') === 'bus_stop' || t('public_transport') === 'platform') return 'bus_stop';
  const a = t('amenity');
  if (a && AMENITY[a]) {
    if (a === 'school' && /初中|中学/.test(t('name') ?? '')) return 'middle_school';
    return AMENITY[a];
  }
  const s = t('shop');
  if (s && SHOP[s]) return SHOP[s];
  const l = t('leisure');
  if (l && LEISURE[l]) return LEISURE[l];
  return null;
}

const BUILDING_USE: Record<string, string> = {
  school: 'school', kindergarten: 'school', university: 'school', hospital: 'hospital', office: 'office',
  commercial: 'commercial', retail: 'commercial', supermarket: 'market', public: 'public', civic: 'public', government: 'public',
};

/** building=* value → the `use` of a building (residential unless it says otherwise). */
export function osmBuildingUse(building: unknown): string {
  return (typeof building === 'string' && BUILDING_USE[building]) || 'residential';
}

const CATEGORY_NAME = new Map((categoriesJson as Array<{ code: string; name: string; nameEn: string }>).map((c) => [c.code, c]));
const NAME_KEYS = ['name', 'name:zh', 'name:zh-Hans', 'name:zh-Hant', 'official_name', 'brand:zh', 'brand', 'name:en', 'ref'];

/**
 * The name of an OSM facility: `name`, else `name:zh`(-Hans/-Hant), `official_name`, `brand`, `name:en`,
 * `ref`; a facility with none of them (an unnamed bus stop, waste point or fitness station — common in
 * real extracts) is named after its category, e.g. "垃圾分类点" — `fromCategory` says so.
 */
export function osmFacilityName(tags: Record<string, unknown>, category: string): { name: string; fromCategory: boolean } | null {
  for (const k of NAME_KEYS) {
    const v = tags[k];
    if (typeof v === 'string' && v.trim() !== '') return { name: v.trim(), fromCategory: false };
  }
  const c = CATEGORY_NAME.get(category);
  return c ? { name: c.name, fromCategory: true } : null;
}
