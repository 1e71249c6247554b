/**
 * Loads everything the map page shows, in parallel: config, categories, stats and the seven
 * GeoJSON layers. Layers are reported one by one so the map fills in progressively; errors are
 * collected per resource so one failing layer does not blank the others.
 */
import { useEffect, useState } from 'react';
import { ApiError, fetchCategories, fetchConfig, fetchLayer, fetchStats } from '../http/api-client';
import { LAYER_NAMES, type AppConfig, type FacilityCategory, type LayerData, type Stats } from '../http/api-types';

export interface MapData {
  config: AppConfig | null;
  categories: FacilityCategory[] | null;
  stats: Stats | null;
  layers: Partial<LayerData>;
  errors: string[];
  /** True once every resource has either arrived or failed. */
  settled: boolean;
}

const TOTAL = 3 + LAYER_NAMES.length;

export function useMapData(): MapData {
  const [state, setState] = useState<MapData>({
    config: null,
    categories: null,
    stats: null,
    layers: {},
    errors: [],
    settled: false,
  });

  useEffect(() => {
    const ctrl = new AbortController();
    let done = 0;
    const finish = (patch: (s: MapData) => Partial<MapData>) => {
      if (ctrl.signal.aborted) return;
      done += 1;
      setState((s) => ({ ...s, ...patch(s), settled: done === TOTAL }));
    };
    const fail = (what: string) => (e: unknown) => {
      if (ctrl.signal.aborted) return;
      const msg = e instanceof ApiError ? `${what}: ${e.message} (${e.code})` : `${what}: ${String(e)}`;
      console.error(msg);
      finish((s) => ({ errors: [...s.errors, msg] }));
    };

    fetchConfig(ctrl.signal).then((config) => finish(() => ({ config })), fail('config'));
    fetchCategories(ctrl.signal).then((categories) => finish(() => ({ categories })), fail('categories'));
    fetchStats({}, ctrl.signal).then((stats) => finish(() => ({ stats })), fail('stats'));
    for (const name of LAYER_NAMES) {
      fetchLayer(name, {}, ctrl.signal).then(
        (fc) => finish((s) => ({ layers: { ...s.layers, [name]: fc } })),
        fail(`layers/${name}`),
      );
    }
    return () => ctrl.abort();
  }, []);

  return state;
}
