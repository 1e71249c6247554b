/**
 * Loads what the wall screen shows and keeps its figures live: the summary is fetched again every
 * minute (every 15 s while offline) without reloading the page. A failed refresh is tried once more
 * after RETRY_MS (one slow or dropped request should not flash "offline" on a wall); if that fails
 * too, the screen keeps the last data and sets `offline`, which the header shows.
 *
 * Small streets load the map layers as GeoJSON (drawn by deck.gl); a street with more than
 * TILE_THRESHOLD buildings uses the server's vector tiles instead (`tiles` = true), so the first
 * render does not wait for megabytes of GeoJSON. The choice is made from `/api/config`'s building
 * count, so the layers load in parallel with the summary.
 */
import { useEffect, useRef, useState } from 'react';
import { fetchCategories, fetchConfig, fetchLayer } from '../http/api-client';
import type { AppConfig, FacilityCategory, LayerData, LayerName } from '../http/api-types';
import { fetchScreenSummary, type ScreenSummary } from '../http/screen-api';

/** Every minute; `?refresh=<seconds>` (at least 2) for tests and demos. */
export const REFRESH_MS = (() => {
  const q = Number(new URLSearchParams(location.search).get('refresh'));
  return Number.isFinite(q) && q >= 2 ? q * 1000 : 60_000;
})();
const OFFLINE_RETRY_MS = 15_000;
/** A failed refresh is tried again this much later before the screen says it is offline. */
const RETRY_MS = 3_000;
/** Above this many buildings the map switches to vector tiles. */
export const TILE_THRESHOLD = 5_000;

const GEOJSON_LAYERS: LayerName[] = ['communities', 'compounds', 'grids', 'roads', 'buildings', 'facilities'];

export interface ScreenData {
  config: AppConfig | null;
  categories: FacilityCategory[] | null;
  summary: ScreenSummary | null;
  layers: Partial<LayerData>;
  tiles: boolean | null;
  /** Time of the last successful summary fetch. */
  updatedAt: Date | null;
  offline: boolean;
  errors: string[];
  /** Every first-load request has answered (or failed). */
  settled: boolean;
}

export function useScreenData(): ScreenData {
  const [state, setState] = useState<ScreenData>({
    config: null,
    categories: null,
    summary: null,
    layers: {},
    tiles: null,
    updatedAt: null,
    offline: false,
    errors: [],
    settled: false,
  });
  const alive = useRef(true);

  useEffect(() => {
    alive.current = true;
    const ctrl = new AbortController();
    let pending = 0;
    const track = <T,>(p: Promise<T>, ok: (v: T, s: ScreenData) => Partial<ScreenData>, what: string) => {
      pending++;
      p.then(
        (v) => {
          if (!alive.current) return;
          const settled = --pending === 0;
          setState((s) => ({ ...s, ...ok(v, s), settled }));
        },
        (e: unknown) => {
          if (!alive.current) return;
          console.error(`${what}: ${String(e)}`);
          const settled = --pending === 0;
          setState((s) => ({ ...s, errors: [...s.errors, what], settled }));
        },
      );
    };
    // The config says how big the street is, so the map layers are asked for at once, in parallel
    // with the summary, instead of after it.
    pending++;
    fetchConfig(ctrl.signal).then(
      (config) => {
        if (!alive.current) return;
        // Unknown size (config unreachable): tiles, which work for a street of any size.
        const tiles = config.buildings === undefined || config.buildings > TILE_THRESHOLD;
        for (const name of tiles ? [] : GEOJSON_LAYERS) {
          track(fetchLayer(name, {}, ctrl.signal), (fc, s) => ({ layers: { ...s.layers, [name]: fc } }), `layers/${name}`);
        }
        const settled = --pending === 0;
        setState((s) => ({ ...s, config, tiles, settled }));
      },
      (e: unknown) => {
        if (!alive.current) return;
        console.error(`config: ${String(e)}`);
        const settled = --pending === 0;
        setState((s) => ({ ...s, errors: [...s.errors, 'config'], settled }));
      },
    );
    track(fetchCategories(ctrl.signal), (categories) => ({ categories }), 'categories');
    pending++;
    fetchScreenSummary(ctrl.signal).then(
      (summary) => {
        if (!alive.current) return;
        const settled = --pending === 0;
        setState((s) => ({ ...s, summary, updatedAt: new Date(), settled }));
      },
      (e: unknown) => {
        if (!alive.current) return;
        console.error(`screen/summary: ${String(e)}`);
        const settled = --pending === 0;
        setState((s) => ({ ...s, offline: true, errors: [...s.errors, 'screen/summary'], settled }));
      },
    );
    return () => {
      alive.current = false;
      ctrl.abort();
    };
  }, []);

  // Live figures: refresh the summary, keep the last one when the server is unreachable.
  const offline = state.offline;
  const hasSummary = state.summary !== null;
  useEffect(() => {
    if (!hasSummary && !offline) return;
    const timer = setTimeout(
      () => {
        fetchScreenSummary()
          .catch((e: unknown) => {
            console.warn(`screen/summary refresh failed, trying again in ${RETRY_MS} ms: ${String(e)}`);
            return new Promise<ScreenSummary>((resolve, reject) => setTimeout(() => fetchScreenSummary().then(resolve, reject), RETRY_MS));
          })
          .then(
            (summary) => alive.current && setState((s) => ({ ...s, summary, updatedAt: new Date(), offline: false })),
            (e: unknown) => {
              console.warn(`screen/summary: offline: ${String(e)}`);
              if (alive.current) setState((s) => ({ ...s, offline: true }));
            },
          );
      },
      offline ? Math.min(OFFLINE_RETRY_MS, REFRESH_MS) : REFRESH_MS,
    );
    return () => clearTimeout(timer);
  }, [hasSummary, offline, state.updatedAt]);

  return state;
}
