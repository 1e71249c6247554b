/**
 * Owns one MapLibre map and its deck.gl overlay, outside React: React re-renders must not
 * recreate a WebGL context. The page pushes data, toggles and selection in; clicks come out
 * through `onSelect`.
 *
 * deck.gl runs through `MapboxOverlay` from @deck.gl/mapbox in *overlaid* mode: its own canvas on
 * top of the map, following the map's camera. Interleaved mode does not work with MapLibre 6:
 * @deck.gl/mapbox reads `map.transform.height`, which MapLibre 6 no longer exposes, and every
 * frame throws. Nothing on our map needs a shared depth buffer (MapLibre draws only flat ground
 * features; all 3D is deck.gl's), so overlaid looks the same.
 */
import { MapboxOverlay } from '@deck.gl/mapbox';
import {
  AttributionControl,
  Map as MapLibreMap,
  NavigationControl,
  ScaleControl,
  prewarm,
  setWorkerUrl,
  type GeoJSONSource,
  type MapGeoJSONFeature,
} from 'maplibre-gl';
import { softwareWebGL } from './software-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import type { AppConfig, BuildingProps, FacilityProps, GridProps, LayerData, LayerName } from '../http/api-types';
import { BUILDINGS_LAYER_ID } from './deck/buildings-layer';
import { FACILITIES_LAYER_ID } from './deck/facilities-layer';
import type { IconAtlas } from './deck/facility-icon-atlas';
import type { Label } from './deck/labels-layer';
import { buildDeckLayers, GRID_LABEL_ZOOM_STEP, type DeckInputs } from './deck-layers';
import type { PartyReach } from '../http/party-api';
import { buildMapStyle, type MapStyleOptions, STYLE_LAYER_GROUPS, STYLE_SOURCES, TILED_BUILDINGS_LAYER, type StyleSource } from './map-style';
import type { Layer } from '@deck.gl/core';
import type { Selection } from './selection';
import { DEFAULT_TOGGLES, type Toggles } from './toggles';
import { ResetViewControl } from './reset-view-control';
import { fitToStreet, type FitPadding } from './view-fit';

// The bundler copies the worker next to the app; MapLibre's own guess (next to its module) fails
// once the module is bundled.
setWorkerUrl(workerUrl);
// Start MapLibre's worker as soon as a page with a map loads its code, so the worker script is
// fetched and compiled while the page's data is still on its way, not after the map is created.
prewarm();

export interface MapControllerOptions {
  container: HTMLElement;
  config: AppConfig;
  attribution: string;
  padding: FitPadding;
  resetTitle: string;
  onSelect: (sel: Selection | null) => void;
  /** What the pointer is over, for a tooltip; `null` when nothing. */
  onHover?: (hover: HoverInfo | null) => void;
  /** Navigation, scale and reset buttons (default on; the wall screen has none). */
  controls?: boolean;
  /**
   * Canvas pixels per CSS pixel. The wall screen scales a 1920×1080 stage with a CSS transform;
   * drawing at devicePixelRatio × that scale keeps the map sharp on a 4K panel.
   */
  pixelRatio?: number;
  /** Big streets: ground layers, buildings and facilities from vector tiles (see map-style). */
  tiles?: { origin: string };
  /** Replaces the map page's deck.gl layer list (the wall screen builds its own). */
  buildLayers?: (inputs: DeckInputs) => Layer[];
  /**
   * The street's bounding box when it is known before the layers (the wall screen has it from its
   * summary): the map starts framed on it, so its first tiles are the ones it shows, instead of
   * loading a default view and then jumping.
   */
  initialBounds?: [number, number, number, number];
  /** Layers already loaded: the map starts with them (GeoJSON mode). */
  initialData?: Partial<LayerData>;
  /**
   * Draw the first picture only once every tile of the first view has loaded (the wall screen).
   * Otherwise MapLibre draws a frame per batch of tiles as they arrive, and on software WebGL each
   * costs 150–250 ms; a wall screen should not show the street assembling itself anyway.
   */
  holdFirstFrame?: boolean;
}

export interface HoverInfo {
  x: number;
  y: number;
  hit: Selection;
}

export class MapController {
  readonly map: MapLibreMap;
  private readonly overlay: MapboxOverlay;
  private deckLayers: Layer[] = [];
  private deckRenders = 0;
  /** `deckRenders` when the layer list last changed; a later render has drawn that list. */
  private deckRendersAtRefresh = 0;
  /** MapLibre's `load`: style, sources and a first frame done. */
  private loaded: Promise<void>;
  /** The style is parsed, so sources can take data and layers filters — earlier than `loaded`. */
  private styleReady: Promise<void>;
  private data: Partial<LayerData> = {};
  private partyReach: PartyReach | null = null;
  private atlas: IconAtlas | null = null;
  private communityLabels: Label[] = [];
  private gridLabels: Label[] = [];
  private toggles: Toggles = { ...DEFAULT_TOGGLES };
  private selection: Selection | null = null;
  private fitTarget: GeoJSON.FeatureCollection | null = null;
  private readonly resetControl: ResetViewControl;
  private gridLabelsShown: boolean | null = null;
  /** Set from the whole-street zoom once the street has been framed. */
  private gridLabelMinZoom = 16;
  private hoverFrame = 0;

  constructor(private readonly opts: MapControllerOptions) {
    this.data = { ...opts.initialData };
    this.map = new MapLibreMap({
      container: opts.container,
      style: buildMapStyle(opts.config, { tiles: opts.tiles, data: opts.initialData as MapStyleOptions['data'] }),
      pixelRatio: opts.pixelRatio,
      center: [121.4, 37.54],
      zoom: 14,
      pitch: 45,
      maxPitch: 70,
      attributionControl: false,
      canvasContextAttributes: { antialias: !softwareWebGL() },
    });
    this.resetControl = new ResetViewControl(() => this.fitStreet(), opts.resetTitle);
    if (opts.controls !== false) {
      this.map.addControl(this.resetControl, 'bottom-right');
      this.map.addControl(new NavigationControl({ visualizePitch: true }), 'bottom-right');
      this.map.addControl(new ScaleControl({ unit: 'metric', maxWidth: 120 }), 'bottom-right');
      this.map.addControl(
        new AttributionControl({ compact: true, customAttribution: opts.attribution }),
        'bottom-right',
      );
    }
    this.overlay = new MapboxOverlay({
      interleaved: false,
      // deck.gl's own canvas: no multisampling on software WebGL (see software-gl.ts), and no
      // preserved drawing buffer (deck.gl clears and redraws every frame anyway; preserving
      // costs a copy per frame on the CPU).
      deviceProps: { webgl: { antialias: !softwareWebGL(), preserveDrawingBuffer: false } },
      useDevicePixels: opts.pixelRatio ?? true,
      layers: [],
      onAfterRender: () => {
        this.deckRenders++;
      },
    });
    this.map.addControl(this.overlay);
    this.loaded = new Promise((resolve) => {
      if (this.map.loaded()) resolve();
      else this.map.once('load', () => resolve());
    });
    this.styleReady = new Promise((resolve) => {
      if (this.map.isStyleLoaded()) resolve();
      else this.map.once('style.load', () => resolve());
    });
    if (opts.holdFirstFrame) holdFirstFrame(this.map);
    if (opts.initialBounds) this.setStreetBounds(opts.initialBounds);
    this.map.on('click', (e) => this.handleClick(e.point.x, e.point.y));
    this.map.on('mousemove', (e) => this.handleHover(e.point.x, e.point.y));
    this.map.on('mouseout', () => {
      cancelAnimationFrame(this.hoverFrame);
      this.opts.onHover?.(null);
    });
    this.map.on('movestart', () => this.opts.onHover?.(null));
    this.map.on('zoomend', () => this.maybeRefreshForZoom());
  }

  get deckMode(): 'overlaid' {
    return 'overlaid';
  }

  async setLayer<L extends LayerName>(name: L, fc: LayerData[L]): Promise<void> {
    // The same collection again: nothing to do (re-setting it would re-tile it in the worker).
    if (this.data[name] === fc) return;
    this.data = { ...this.data, [name]: fc };
    await this.styleReady;
    if ((STYLE_SOURCES as readonly string[]).includes(name)) {
      const src = this.map.getSource(name as StyleSource) as GeoJSONSource | undefined;
      if (src && 'setData' in src) src.setData(fc as GeoJSON.FeatureCollection);
    }
    if (!this.fitTarget && (name === 'communities' || name === 'grids') && fc.features.length > 0) {
      this.fitTarget = fc as GeoJSON.FeatureCollection;
      this.fitStreet();
    }
    this.refreshDeck();
  }

  /** Frames a bounding box known before any GeoJSON (`initialBounds`; tile mode has none). */
  private setStreetBounds(bbox: [number, number, number, number]) {
    const [a, b, c, d] = bbox;
    this.fitTarget = {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[a, b], [c, b], [c, d], [a, d], [a, b]]] } }],
    };
    this.fitStreet();
  }

  /** Frames the whole street (the communities, or the grids if they arrived first). */
  fitStreet() {
    if (!this.fitTarget) return;
    fitToStreet(this.map, this.fitTarget, this.opts.padding);
    const c = this.map.getCenter();
    this.streetCamera = { center: [c.lng, c.lat], zoom: this.map.getZoom(), pitch: this.map.getPitch(), bearing: this.map.getBearing() };
    // Where the street is framed, for browser tests (the street picker moves it).
    this.opts.container.dataset.streetCenter = `${c.lng.toFixed(5)},${c.lat.toFixed(5)}`;
    this.gridLabelMinZoom = this.map.getZoom() + GRID_LABEL_ZOOM_STEP;
    this.refreshDeck();
  }

  /** Where `fitStreet` leaves the camera, to fly back to it. */
  private streetCamera: { center: [number, number]; zoom: number; pitch: number; bearing: number } | null = null;

  /**
   * Flies smoothly to a bounding box (a community, grid or building), pitched for the 3D view;
   * `null` flies back to the whole street.
   */
  flyTo(bbox: [number, number, number, number] | null, opts: { padding: FitPadding; duration?: number; maxZoom?: number }) {
    const duration = opts.duration ?? 2200;
    if (!bbox) {
      if (this.streetCamera) this.map.flyTo({ ...this.streetCamera, duration, essential: true });
      return;
    }
    const cam = this.map.cameraForBounds(
      [
        [bbox[0], bbox[1]],
        [bbox[2], bbox[3]],
      ],
      { padding: opts.padding, bearing: this.map.getBearing(), maxZoom: opts.maxZoom ?? 18.5 },
    );
    if (!cam?.center || cam.zoom === undefined) return;
    // cameraForBounds frames from above; pitched, the far edge shrinks, so step back a little less.
    this.map.flyTo({ center: cam.center, zoom: cam.zoom - 0.15, pitch: 50, bearing: this.map.getBearing(), duration, essential: true });
  }

  /** Follows a change of the wall screen's stage scale (window resized). */
  setPixelRatio(ratio: number) {
    // Unchanged: nothing to do. Setting it anyway resizes the canvas, which clears it and costs a
    // full repaint (hundreds of milliseconds on software WebGL) right in the first render.
    if (ratio === this.map.getPixelRatio()) return;
    this.map.setPixelRatio(ratio);
    this.overlay.setProps({ useDevicePixels: ratio });
  }

  /** Recomputes the deck.gl layers (the wall screen calls this when its own inputs change). */
  redraw() {
    this.refreshDeck();
  }

  setResetTitle(title: string) {
    this.resetControl.setTitle(title);
  }

  setLabels(communityLabels: Label[], gridLabels: Label[]) {
    this.communityLabels = communityLabels;
    this.gridLabels = gridLabels;
    this.refreshDeck();
  }

  /** Party reach for its map layer (issue #20). */
  setPartyReach(reach: PartyReach | null) {
    this.partyReach = reach;
    this.refreshDeck();
  }

  setAtlas(atlas: IconAtlas) {
    this.atlas = atlas;
    this.refreshDeck();
  }

  async setToggles(toggles: Toggles) {
    this.toggles = toggles;
    await this.styleReady;
    for (const [key, ids] of Object.entries(STYLE_LAYER_GROUPS)) {
      const on = toggles[key as keyof typeof STYLE_LAYER_GROUPS];
      for (const id of ids) {
        if (!this.map.getLayer(id)) continue;
        // Casings of footways are hidden by design; keep them hidden when roads come back on.
        const designHidden = /^roads-(footway|path|gate)-casing$/.test(id);
        this.map.setLayoutProperty(id, 'visibility', on && !designHidden ? 'visible' : 'none');
      }
    }
    this.refreshDeck();
  }

  /** The grid code in the 'grids-selected-line' filter (as built by map-style.ts: none). */
  private selectedGridFilter = '';

  async setSelection(selection: Selection | null) {
    this.selection = selection;
    await this.styleReady;
    const gridCode = selection?.kind === 'grid' ? selection.code : '';
    // A new filter makes MapLibre lay the grids' tiles out again: only when the grid changed
    // (the style starts with code '', nothing selected).
    if (gridCode !== this.selectedGridFilter) {
      this.selectedGridFilter = gridCode;
      this.map.setFilter('grids-selected-line', ['==', ['get', 'code'], gridCode]);
    }
    this.refreshDeck();
  }

  /** Resolves once MapLibre alone has loaded and drawn everything it was given. */
  private async whenMapIdle(): Promise<void> {
    await this.loaded;
    // Already idle (nothing moving, loading or waiting to be drawn): no need to force a frame,
    // which on software WebGL costs a few hundred milliseconds.
    const idle = () => this.map.loaded() && this.map.areTilesLoaded() && !this.map.isMoving();
    if (idle()) return;
    await new Promise<void>((resolve) => {
      this.map.once('idle', () => resolve());
      this.map.triggerRepaint();
    });
  }

  /**
   * Resolves after both renderers have drawn everything they were given: MapLibre has gone idle
   * (sources parsed, nothing pending) and deck.gl has loaded every layer and drawn a frame since.
   */
  async whenIdle(timeoutMs = 30_000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    const frame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
    await this.whenMapIdle();
    // deck.gl redraws by itself when a layer finishes loading, so "all loaded and a frame drawn
    // since the last layer change" means the current layers are on screen.
    while (
      !(this.deckLayers.every((l) => l.isLoaded) && this.deckRenders > this.deckRendersAtRefresh) &&
      performance.now() < deadline
    ) {
      await frame();
    }
    await frame();
  }

  destroy() {
    cancelAnimationFrame(this.hoverFrame);
    this.map.remove();
  }

  private refreshDeck() {
    this.gridLabelsShown = this.map.getZoom() >= this.gridLabelMinZoom;
    const before = this.deckLayers;
    this.deckLayers = (this.opts.buildLayers ?? buildDeckLayers)({
        data: this.data,
        atlas: this.atlas,
        communityLabels: this.communityLabels,
        gridLabels: this.gridLabels,
        toggles: this.toggles,
        selection: this.selection,
        zoom: this.map.getZoom(),
        gridLabelMinZoom: this.gridLabelMinZoom,
        partyReach: this.partyReach,
    });
    // The very same layer instances (the wall screen reuses its list): deck.gl will not draw
    // again for them, and what it drew already shows them, so `whenIdle` must not wait for a frame.
    const same = before.length === this.deckLayers.length && before.every((l, i) => l === this.deckLayers[i]);
    if (!same) this.deckRendersAtRefresh = this.deckRenders;
    this.overlay.setProps({ layers: this.deckLayers });
  }

  private maybeRefreshForZoom() {
    const shown = this.map.getZoom() >= this.gridLabelMinZoom;
    if (shown !== this.gridLabelsShown) this.refreshDeck();
  }

  private pickDeck(x: number, y: number) {
    return this.overlay.pickObject({ x, y, radius: 4, layerIds: [FACILITIES_LAYER_ID, BUILDINGS_LAYER_ID] });
  }

  private pickGrid(x: number, y: number): MapGeoJSONFeature | undefined {
    if (!this.toggles.grids || !this.map.getLayer('grids-fill')) return undefined;
    return this.map.queryRenderedFeatures([x, y], { layers: ['grids-fill'] })[0];
  }

  /** What is under a screen point: a facility or building (deck.gl) before the grid below it. */
  private pickAt(x: number, y: number): Selection | null {
    const picked = this.pickDeck(x, y);
    const obj = picked?.object as { properties?: unknown } | undefined;
    if (picked?.layer?.id === FACILITIES_LAYER_ID && obj?.properties) {
      const props = obj.properties as FacilityProps;
      return { kind: 'facility', code: props.code, props };
    }
    if (picked?.layer?.id === BUILDINGS_LAYER_ID && obj?.properties) {
      const props = obj.properties as BuildingProps;
      return { kind: 'building', code: props.code, props };
    }
    if (this.opts.tiles && this.map.getLayer(TILED_BUILDINGS_LAYER)) {
      const b = this.map.queryRenderedFeatures([x, y], { layers: [TILED_BUILDINGS_LAYER] })[0];
      if (b) return { kind: 'building', code: String(b.properties.code), props: b.properties as BuildingProps };
    }
    const grid = this.pickGrid(x, y);
    if (grid) {
      const code = String(grid.properties.code);
      // Rendered features lose nested values and ids; read the full record from the loaded data.
      const full = this.data.grids?.features.find((f) => f.properties.code === code);
      const props = (full?.properties ?? grid.properties) as GridProps;
      return { kind: 'grid', code, props };
    }
    return null;
  }

  private handleClick(x: number, y: number) {
    this.opts.onSelect(this.pickAt(x, y));
  }

  private handleHover(x: number, y: number) {
    cancelAnimationFrame(this.hoverFrame);
    this.hoverFrame = requestAnimationFrame(() => {
      const hit = this.pickAt(x, y);
      this.map.getCanvas().style.cursor = hit ? 'pointer' : '';
      this.opts.onHover?.(hit ? { x, y, hit } : null);
    });
  }
}

/** Longest the first picture is held back for tiles that are slow to come. */
const HOLD_FIRST_FRAME_MAX_MS = 8_000;

/**
 * Until the style and every tile of the current view are loaded, MapLibre's frames run (they
 * request tiles and place them) but draw nothing; the first drawn frame is the complete picture.
 * This wraps the map's painter, which is not public API: where it is missing or shaped differently
 * the map simply draws progressively, as it normally does.
 */
function holdFirstFrame(map: MapLibreMap) {
  const painter = (map as unknown as { painter?: { render?: (...args: unknown[]) => unknown } }).painter;
  const render = painter?.render;
  if (!painter || typeof render !== 'function') return;
  const release = () => {
    if (painter.render !== render) painter.render = render;
  };
  painter.render = function (this: unknown, ...args: unknown[]) {
    if (!map.isStyleLoaded() || !map.areTilesLoaded()) return undefined;
    release();
    return render.apply(this, args);
  };
  setTimeout(() => {
    release();
    map.triggerRepaint();
  }, HOLD_FIRST_FRAME_MAX_MS);
}
