/** Finding a building (by code, number or name) or a compound (by name or code) for the /life search box. */
export function findBuilding(buildings: GeoJSON.FeatureCollection, q: string): GeoJSON.Feature | null {
  const s = q.trim().toLowerCase();
  if (!s) return null;
  const text = (f: GeoJSON.Feature, k: string) => String(f.properties?.[k] ?? '').toLowerCase();
  return (
    buildings.features.find((f) => text(f, 'code') === s) ??
    buildings.features.find((f) => text(f, 'name') === s) ??
    buildings.features.find((f) => text(f, 'code').includes(s) || text(f, 'name').includes(s)) ??
    null
  );
}

/** The centre of a building footprint's bounding box. */
export function centreOf(f: GeoJSON.Feature): [number, number] {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  const visit = (c: unknown) => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      w = Math.min(w, c[0]); e = Math.max(e, c[0]); s = Math.min(s, c[1] as number); n = Math.max(n, c[1] as number);
    } else if (Array.isArray(c)) c.forEach(visit);
  };
  if (f.geometry && 'coordinates' in f.geometry) visit(f.geometry.coordinates);
  return [(w + e) / 2, (s + n) / 2];
}

/**
 * The /life search: a building first (exact code or name, then a part of one), else a compound
 * whose name or code contains the text — residents know their compound's name (e.g. 阳光小区)
 * better than a building code. Returns the feature to start the walk at (its footprint's centre).
 */
export function findPlace(buildings: GeoJSON.FeatureCollection, compounds: GeoJSON.FeatureCollection, q: string): GeoJSON.Feature | null {
  return findBuilding(buildings, q) ?? findBuilding(compounds, q);
}
