/**
 * Which street a page shows (issue #15.4). A deployment may hold several streets in several
 * districts; every page shows one at a time, chosen in the URL (`?street=<9-digit code>`) and
 * remembered in localStorage as the default for pages opened without one.
 *
 * `GET /api/territory` lists the districts and streets the caller may see. The chosen street is
 * handed to api-client.ts once ({@link setApiStreet}), which adds `street=` to every street-wide
 * API call, so the pages' own fetchers stay as they were. A server without `/api/territory`
 * (older, or one street) gets no `street=` at all: everything works as before.
 */
import { useEffect, useState } from 'react';
import { ApiError, getJson, setApiStreet } from './api-client';
import type { Territory, TerritoryBBox, TerritoryStreet } from '../../server/api/territory-types';

export type { Territory, TerritoryDistrict, TerritoryStreet } from '../../server/api/territory-types';
export type BBox = TerritoryBBox;

/** The street this page shows and the territory it was chosen from (null: server has no territory). */
export interface StreetChoice {
  street: string | null;
  territory: Territory | null;
}

export const STREET_STORAGE_KEY = 'gridatlas.street';
const STREET_CODE = /^\d{9}$/;

/** `?street=` of a URL's query, when it is a 9-digit code. */
export function streetFromSearch(search: string): string | null {
  const s = new URLSearchParams(search).get('street');
  return s !== null && STREET_CODE.test(s) ? s : null;
}

/** Every street of a territory, in district order. */
export function streetsOf(t: Territory | null): TerritoryStreet[] {
  return t ? t.districts.flatMap((d) => d.streets) : [];
}

/**
 * The street to show: the URL's when given, else the remembered default when the caller may see
 * it, else the first street the caller sees (null when the territory is unknown or empty).
 */
export function chooseStreet(t: Territory | null, fromUrl: string | null, stored: string | null): string | null {
  if (fromUrl) return fromUrl;
  const all = streetsOf(t);
  if (stored && all.some((s) => s.code === stored)) return stored;
  return all[0]?.code ?? null;
}

/** The current page's URL with `?street=` set to `code` (other parameters kept). */
export function streetHref(code: string, loc: Pick<Location, 'pathname' | 'search' | 'hash'> = location): string {
  const q = new URLSearchParams(loc.search);
  q.set('street', code);
  return `${loc.pathname}?${q.toString()}${loc.hash}`;
}

function readStored(): string | null {
  try {
    const s = localStorage.getItem(STREET_STORAGE_KEY);
    return s && STREET_CODE.test(s) ? s : null;
  } catch {
    return null;
  }
}

/** Remembers `code` as the default street of pages opened without `?street=`. */
export function rememberStreet(code: string) {
  try {
    localStorage.setItem(STREET_STORAGE_KEY, code);
  } catch {
    /* storage may be disabled: the URL still carries the choice */
  }
}

/** `GET /api/territory`; null when the server has none (older servers: one street, no picker). */
export async function fetchTerritory(signal?: AbortSignal): Promise<Territory | null> {
  try {
    const t = await getJson<Territory>('/api/territory', signal);
    return Array.isArray(t?.districts) ? t : null;
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    if (!(e instanceof ApiError && e.status === 404)) console.warn(`territory: ${String(e)}`);
    return null;
  }
}

// The URL's street applies at once (before any request of the page), the rest once the territory is here.
const urlStreet = typeof location === 'undefined' ? null : streetFromSearch(location.search);
if (urlStreet) setApiStreet(urlStreet);

let resolving: Promise<StreetChoice> | null = null;

/**
 * Decides the page's street once per page load: with `?street=` in the URL at once (the territory
 * follows for the picker), else from `/api/territory` and the remembered default. When the caller
 * sees several streets the choice is written into the URL (replaceState), so links and reloads keep
 * it; a caller who sees one street sends no `street=` (the server resolves it, as before issue #15).
 */
export function resolveStreet(): Promise<StreetChoice> {
  resolving ??= fetchTerritory().then((territory) => {
    const street = chooseStreet(territory, urlStreet, readStored());
    const several = streetsOf(territory).length > 1;
    // A caller who sees one street leaves `street=` out (the server takes it): requests stay as before.
    setApiStreet(urlStreet ?? (several ? street : null));
    if (street && !urlStreet && several) history.replaceState(history.state, '', streetHref(street));
    return { street, territory };
  });
  return resolving;
}

/** True when the page can start its requests without waiting for the territory. */
export const streetKnownEarly = () => urlStreet !== null;

/** The page's street and territory (null until known). */
export function useStreetChoice(): StreetChoice | null {
  const [choice, setChoice] = useState<StreetChoice | null>(null);
  useEffect(() => {
    let live = true;
    void resolveStreet().then((c) => live && setChoice(c));
    return () => {
      live = false;
    };
  }, []);
  return choice;
}
