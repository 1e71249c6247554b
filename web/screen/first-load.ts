/**
 * The wall screen's first requests. `app.tsx` starts them as soon as the path is `/screen`, before
 * the page's own code (map and chart libraries, ~2.5 MB) has downloaded, so data and code load
 * side by side; `useScreenData` then takes the promises over. If nothing was started early (or the
 * page mounts again), `takeScreenLoad` starts them itself.
 *
 * Small streets load the map layers as GeoJSON; a street of more than TILE_THRESHOLD buildings
 * uses the server's vector tiles instead. The choice comes from `/api/config`'s building count, so
 * the layers are asked for in parallel with the summary.
 */
import { fetchCategories, fetchConfig, fetchLayer } from '../http/api-client';
import type { AppConfig, FacilityCategory, LayerData, LayerName } from '../http/api-types';
import { startScreenSummary, type ScreenExtras, type ScreenSummary } from '../http/screen-api';

/** Above this many buildings the map switches to vector tiles. */
export const TILE_THRESHOLD = 5_000;

const GEOJSON_LAYERS: LayerName[] = ['communities', 'compounds', 'grids', 'roads', 'buildings', 'facilities'];

export interface ScreenLoad {
  config: Promise<AppConfig>;
  categories: Promise<FacilityCategory[]>;
  /** The summary without the extra figures, which arrive on their own (`extras`). */
  summary: Promise<ScreenSummary>;
  /** The life-circle and request figures; each settles to `undefined` if its call failed. */
  extras: Promise<ScreenExtras>;
  /** Tile mode or not (from the config), and the GeoJSON layers being fetched (none in tile mode). */
  map: Promise<{ tiles: boolean; layers: { name: LayerName; data: Promise<LayerData[keyof LayerData]> }[] }>;
}

function start(signal?: AbortSignal): ScreenLoad {
  const config = fetchConfig(signal);
  const map = config.then((c) => {
    // Unknown size (config unreachable): tiles, which work for a street of any size.
    const tiles = c.buildings === undefined || c.buildings > TILE_THRESHOLD;
    return { tiles, layers: (tiles ? [] : GEOJSON_LAYERS).map((name) => ({ name, data: fetchLayer(name, {}, signal) as Promise<LayerData[keyof LayerData]> })) };
  });
  const s = startScreenSummary(signal);
  const extras = Promise.all([s.lifeCircle, s.requests, s.partyReach]).then(([lifeCircle, requests, partyReach]) => ({ lifeCircle, requests, partyReach }));
  return { config, categories: fetchCategories(signal), summary: s.summary, extras, map };
}

let early: ScreenLoad | null = null;

/** Starts the first requests now (called by app.tsx for `/screen`). */
export function prefetchScreen() {
  if (early) return;
  early = start();
  // Failures are reported when the page takes the promises over; until then they are expected.
  const quiet = () => {};
  early.config.catch(quiet);
  early.categories.catch(quiet);
  early.summary.catch(quiet);
  early.map.then((m) => m.layers.forEach((l) => l.data.catch(quiet)), quiet);
}

/** The requests started early, or new ones if there are none. */
export function takeScreenLoad(signal: AbortSignal): ScreenLoad {
  const load = early ?? start(signal);
  early = null;
  return load;
}
