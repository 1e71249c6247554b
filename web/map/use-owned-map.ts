/**
 * A MapLibre map owned by one component: made once when its container mounts, removed when the
 * component unmounts. Used by the small maps of forms and wizards (the import preview, /setup);
 * the main map has its own controller (map-controller.ts).
 */
import { Map as MapLibreMap, type MapOptions } from 'maplibre-gl';
import { type RefObject, useEffect, useRef } from 'react';

/** `options()` is read once, at mount; the returned ref holds the map while it lives (null before and after). */
export function useOwnedMap(container: RefObject<HTMLDivElement | null>, options: () => Omit<MapOptions, 'container'>): RefObject<MapLibreMap | null> {
  const map = useRef<MapLibreMap | null>(null);
  useEffect(() => {
    if (!container.current) return;
    const m = new MapLibreMap({ ...options(), container: container.current, attributionControl: false });
    map.current = m;
    return () => {
      m.remove();
      map.current = null;
    };
    // Made once: later option changes are applied by the caller's own effects.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return map;
}
