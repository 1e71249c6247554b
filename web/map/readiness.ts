/**
 * Test hooks for browser tests and the screenshot script: `body[data-map-ready]` turns `true`
 * once the map has loaded, every layer's data has arrived and the map has drawn it (`error` if a
 * resource failed), and `window.__gridatlas.counts` holds the feature count of each loaded layer.
 */
import type { LayerData, LayerName } from '../http/api-types';

export interface GridAtlasTestHook {
  counts: Partial<Record<LayerName | 'categories', number>>;
  deckMode?: string;
  errors: string[];
  /** `/screen`: the current scope, a way to set it, the tour's step and the first-render time. */
  screen?: {
    scope: unknown;
    go: (scope: unknown) => void;
    tourStep: number;
    tiles: boolean;
    firstRenderMs: number | null;
    /** Viewport pixel of a map position (for real clicks in browser tests). */
    project: (lng: number, lat: number) => { x: number; y: number } | null;
  };
  /** `/life`: where a map position is drawn, and whether layer `layer` draws something there. */
  life?: {
    project: (lng: number, lat: number) => { x: number; y: number } | null;
    drawnAt: (layer: string, lng: number, lat: number) => boolean;
  };
  /** `/planner`: assign(buildingCode) goes through the same path as a click on the map. */
  planner?: import('../pages/planner/test-hook').PlannerTestHook;
}

declare global {
  interface Window {
    __gridatlas?: GridAtlasTestHook;
  }
}

export function publishCounts(layers: Partial<LayerData>, extra: { categories?: number; deckMode?: string; errors: string[] }) {
  const counts: GridAtlasTestHook['counts'] = {};
  for (const [name, fc] of Object.entries(layers)) {
    if (fc) counts[name as LayerName] = fc.features.length;
  }
  if (extra.categories !== undefined) counts.categories = extra.categories;
  window.__gridatlas = { counts, deckMode: extra.deckMode, errors: extra.errors };
}

export function markReady(state: 'true' | 'error' | null) {
  if (state === null) delete document.body.dataset.mapReady;
  else document.body.dataset.mapReady = state;
}
