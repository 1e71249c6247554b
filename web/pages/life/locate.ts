/**
 * "Locate me" on /life: the browser's position (navigator.geolocation).
 *
 * Coordinate convention: browsers report WGS84 (the W3C Geolocation API is defined in WGS84), and
 * GridAtlas stores and draws everything in WGS84 lng/lat too (PostGIS SRID 4326; imports convert
 * GCJ-02 / BD-09 / CGCS2000 Gauss–Krüger sources to it, geo/crs/), with no GCJ-02 basemap — the
 * optional XYZ basemap is expected in WGS84/CGCS2000 (e.g. Tianditu). So the position goes on the
 * map and to /api/isochrone unchanged; converting it to GCJ-02 here would misplace it by ~300–500 m.
 * See docs/coordinates.md.
 */

export interface Located {
  lng: number;
  lat: number;
  /** Radius of the browser's 95% confidence circle, metres. */
  accuracyM: number;
}

export function locateMe(timeoutMs = 15_000): Promise<Located> {
  return new Promise((resolve, reject) => {
    if (!('geolocation' in navigator)) {
      reject(new Error('unsupported'));
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lng: p.coords.longitude, lat: p.coords.latitude, accuracyM: p.coords.accuracy }),
      (e) => reject(new Error(e.message || `geolocation error ${e.code}`)),
      { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 30_000 },
    );
  });
}
