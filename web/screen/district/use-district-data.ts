/**
 * Loads the district screen's figures and keeps them live like /screen (use-screen-data.ts):
 * fetched again every minute (`?refresh=<s>` for tests), tried once more after a few seconds when
 * a refresh fails, then the last figures stay up with the header's offline mark.
 */
import { useEffect, useState } from 'react';
import { ApiError } from '../../http/api-client';
import { type DistrictScreen, fetchDistrictScreen } from '../../http/district-screen-api';
import { REFRESH_MS } from '../use-screen-data';

const RETRY_MS = 3_000;
const OFFLINE_RETRY_MS = 15_000;

export interface DistrictData {
  screen: DistrictScreen | null;
  updatedAt: Date | null;
  offline: boolean;
  /** The first load's failure (a refused district, say), shown instead of the tiles. */
  error: string | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function useDistrictData(district: string | undefined): DistrictData {
  const [state, setState] = useState<DistrictData>({ screen: null, updatedAt: null, offline: false, error: null });
  useEffect(() => {
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async (first: boolean) => {
      try {
        const screen = await fetchDistrictScreen(district).catch(async (e: unknown) => {
          // A 4xx is an answer (bad or refused district), not a dropped connection: no retry.
          if (first || (e instanceof ApiError && e.status >= 400 && e.status < 500)) throw e;
          await sleep(RETRY_MS);
          return fetchDistrictScreen(district);
        });
        if (alive) setState({ screen, updatedAt: new Date(), offline: false, error: null });
        if (alive) timer = setTimeout(() => void load(false), REFRESH_MS);
      } catch (e) {
        if (!alive) return;
        const message = e instanceof Error ? e.message : String(e);
        setState((s) => (s.screen ? { ...s, offline: true } : { ...s, offline: true, error: message }));
        timer = setTimeout(() => void load(false), Math.min(OFFLINE_RETRY_MS, REFRESH_MS));
      }
    };
    void load(true);
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [district]);
  return state;
}
