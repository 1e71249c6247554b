/**
 * The district wall screen's endpoint (docs/api.md, "District wall screen"): `GET
 * /api/screen/district[?district=<6-digit>]`. The shapes are declared once, in
 * server/api/district-screen-types.ts (types only, erased from the bundle).
 */
import type { DistrictScreen } from '../../server/api/district-screen-types';
import { getJson, query } from './api-client';

export type { DistrictScreen, DistrictScreenDistrict, DistrictStreet } from '../../server/api/district-screen-types';

/** Every street of `district` (undefined: of every district the caller sees). */
export function fetchDistrictScreen(district: string | undefined, signal?: AbortSignal) {
  return getJson<DistrictScreen>(`/api/screen/district${query({ district })}`, signal);
}

/** `?district=` of the page's URL when it is a 6-digit code. */
export function districtFromSearch(search: string): string | undefined {
  const d = new URLSearchParams(search).get('district');
  return d !== null && /^\d{6}$/.test(d) ? d : undefined;
}

/** The wall screen of one street. */
export const streetScreenHref = (code: string) => `/screen?street=${encodeURIComponent(code)}`;
