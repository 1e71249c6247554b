/**
 * Loads what the wall screen shows and keeps its figures live: the summary is fetched again every
 * minute (every 15 s while offline) without reloading the page. A failed refresh is tried once more
 * after RETRY_MS (one slow or dropped request should not flash "offline" on a wall); if that fails
 * too, the screen keeps the last data and sets `offline`, which the header shows.
 *
 * The first requests (config, categories, summary, map layers or tile mode) are those of
 * first-load.ts, usually already under way before this page's code arrived.
 */
import { useEffect, useRef, useState } from 'react';
import type { AppConfig, FacilityCategory, LayerData } from '../http/api-types';
import { fetchScreenSummary, type ScreenExtras, type ScreenSummary } from '../http/screen-api';
import { takeScreenLoad } from './first-load';

/** Every minute; `?refresh=<seconds>` (at least 2) for tests and demos. */
export const REFRESH_MS = (() => {
  const q = Number(new URLSearchParams(location.search).get('refresh'));
  return Number.isFinite(q) && q >= 2 ? q * 1000 : 60_000;
})();
const OFFLINE_RETRY_MS = 15_000;
/** A failed refresh is tried again this much later before the screen says it is offline. */
const RETRY_MS = 3_000;
export interface ScreenData {
  config: AppConfig | null;
  categories: FacilityCategory[] | null;
  /** The grid/building summary; the first one comes without the extra figures. */
  summary: ScreenSummary | null;
  /** Life-circle and request figures (each `undefined` if its call failed); null until answered. */
  extras: ScreenExtras | null;
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
    extras: null,
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
          // Where the first render's time goes: `performance.getEntriesByType('mark')` (npm run bench).
          performance.mark(`screen:${what}`);
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
    const load = takeScreenLoad(ctrl.signal);
    track(load.config, (config) => ({ config }), 'config');
    pending++;
    load.map.then(
      ({ tiles, layers }) => {
        if (!alive.current) return;
        for (const l of layers) track(l.data, (fc, s) => ({ layers: { ...s.layers, [l.name]: fc } }), `layers/${l.name}`);
        const settled = --pending === 0;
        setState((s) => ({ ...s, tiles, settled }));
      },
      () => {
        // The config's own failure is reported by its track above.
        if (!alive.current) return;
        const settled = --pending === 0;
        setState((s) => ({ ...s, settled }));
      },
    );
    track(load.categories, (categories) => ({ categories }), 'categories');
    track(load.extras, (extras) => ({ extras }), 'screen/extras');
    pending++;
    load.summary.then(
      (summary) => {
        if (!alive.current) return;
        performance.mark('screen:summary');
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
            (summary) =>
              alive.current &&
              setState((s) => ({ ...s, summary, extras: { lifeCircle: summary.lifeCircle, requests: summary.requests, partyReach: summary.partyReach }, updatedAt: new Date(), offline: false })),
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
