/**
 * The wall screen's map: the same MapController, style and deck.gl layer factories as the map
 * page, with the screen's own layer list (party density from the summary's aggregate cells),
 * HTML name labels (map-labels.tsx; only the scope's grids, so they never crowd) and smooth
 * camera flights to the scope.
 * On big streets the ground layers, buildings and facilities come from vector tiles.
 */
import type { Layer } from '@deck.gl/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { AppConfig, LayerData } from '../http/api-types';
import type { ScreenBuilding, ScreenSummary } from '../http/screen-api';
import { buildingsLayer } from '../map/deck/buildings-layer';
import { facilitiesLayer } from '../map/deck/facilities-layer';
import type { IconAtlas } from '../map/deck/facility-icon-atlas';
import { communityLabels, gridLabels, type Label } from '../map/deck/labels-layer';
import { partyDensityLayer, type DensityPoint } from '../map/deck/party-density-layer';
import { shortGridName } from '../map/label-text';
import { MapController } from '../map/map-controller';
import type { Selection } from '../map/selection';
import type { FitPadding } from '../map/view-fit';
import { MapLabels, type ScreenLabel } from './map-labels';
import { scopeBBox, streetBBox, type Scope } from './scope';

/** Free area of the map between the panels, in stage pixels. */
export const MAP_PADDING: FitPadding = { top: 140, right: 470, bottom: 260, left: 470 };

export interface ScreenMapProps {
  config: AppConfig;
  layers: Partial<LayerData>;
  /** Null until it arrives: in tile mode the map is framed by the config's street extent and starts loading its tiles before the summary is here. */
  summary: ScreenSummary | null;
  tiles: boolean;
  atlas: IconAtlas | null;
  scope: Scope;
  building: ScreenBuilding | null;
  pixelRatio: number;
  householdsUnit: string;
  onPick: (sel: Selection | null) => void;
  /** Receives a projector from map position to viewport pixel (test hook). */
  onProjector?: (project: (lng: number, lat: number) => { x: number; y: number } | null) => void;
  /** Everything loaded has been drawn (first full render). */
  onRendered: () => void;
  complete: boolean;
}

/** Hexagons a little larger than the server's density cells (≈ 70 m for the usual 50 m cells). */
function hexRadius(cellDeg: number | undefined): number {
  return Math.max(70, Math.round((cellDeg ?? 0) * 111_320 * 1.4));
}

export function ScreenMap(props: ScreenMapProps) {
  const box = useRef<HTMLDivElement>(null);
  const [ctl, setCtl] = useState<MapController | null>(null);
  const inputs = useRef<{ layers: Layer[] }>({ layers: [] });
  const onPick = useRef(props.onPick);
  onPick.current = props.onPick;
  const onRendered = useRef(props.onRendered);
  onRendered.current = props.onRendered;

  useEffect(() => {
    performance.mark('screen:map-created');
    const c = new MapController({
      container: box.current!,
      config: props.config,
      attribution: '',
      padding: MAP_PADDING,
      resetTitle: '',
      controls: false,
      pixelRatio: props.pixelRatio,
      tiles: props.tiles ? { origin: location.origin } : undefined,
      // Framed on the street from the start: no tiles for a default view, no jump later.
      initialBounds: props.config.bbox ?? (props.summary ? streetBBox(props.summary) : undefined),
      initialData: props.layers,
      holdFirstFrame: true,
      onSelect: (sel) => onPick.current(sel),
      buildLayers: () => inputs.current.layers,
    });
    setCtl(c);
    props.onProjector?.((lng, lat) => {
      const p = c.map.project([lng, lat]);
      const r = box.current?.getBoundingClientRect();
      if (!r || !box.current) return null;
      const k = r.width / box.current.offsetWidth;
      return { x: r.left + p.x * k, y: r.top + p.y * k };
    });
    return () => c.destroy();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => ctl?.setPixelRatio(props.pixelRatio), [ctl, props.pixelRatio]);

  // Ground layers into the MapLibre style (GeoJSON mode; tile mode has them from tiles).
  const pending = useRef<Promise<void>[]>([]);
  useEffect(() => {
    if (!ctl) return;
    for (const name of ['communities', 'compounds', 'grids', 'roads'] as const) {
      const fc = props.layers[name];
      if (fc) pending.current.push(ctl.setLayer(name, fc));
    }
  }, [ctl, props.layers]);

  const summary = props.summary;
  const density = useMemo<DensityPoint[]>(
    () => (summary?.partyDensity ?? []).map(([x, y, w]) => ({ position: [x, y], weight: w })),
    [summary?.partyDensity],
  );
  const cLabels = useMemo<Label[]>(
    () =>
      props.layers.communities
        ? communityLabels(props.layers.communities)
        : (summary?.communities ?? []).map((c) => ({
            position: [(c.bbox[0] + c.bbox[2]) / 2, (c.bbox[1] + c.bbox[3]) / 2, 60],
            text: c.shortName || c.name,
            code: c.code,
          })),
    [props.layers.communities, summary?.communities],
  );
  const allGridLabels = useMemo<Label[]>(() => {
    if (props.layers.grids) return gridLabels(props.layers.grids, props.layers.communities, props.householdsUnit);
    if (!summary) return [];
    const names = new Map(summary.communities.map((c) => [c.code, c.name]));
    // Tile mode: the grid's box centre from the summary.
    return summary.grids.map((g) => ({
      position: [(g.bbox[0] + g.bbox[2]) / 2, (g.bbox[1] + g.bbox[3]) / 2, 30],
      text: shortGridName({ ...g, communityName: '', dedicatedType: null, planId: 0, workers: g.workers.length }, names),
      code: g.code,
    }));
  }, [props.layers.grids, props.layers.communities, summary, props.householdsUnit]);

  const community = props.scope.level === 'street' ? null : props.scope.community;
  const gridCode = props.scope.level === 'grid' || props.scope.level === 'building' ? props.scope.grid : null;
  const buildingCode = props.scope.level === 'building' ? props.scope.building : null;

  useEffect(() => {
    if (!ctl) return;
    // Density reads at street and community level; close up its cells would cover whole blocks.
    const layers: Layer[] = [partyDensityLayer(density, { visible: !gridCode, opacity: 0.38, radius: hexRadius(summary?.partyDensityCellDeg) })];
    if (props.layers.buildings) layers.push(buildingsLayer(props.layers.buildings, { visible: true, selectedCode: buildingCode }));
    if (props.layers.facilities && props.atlas) layers.push(facilitiesLayer(props.layers.facilities, props.atlas, { visible: true, selectedCode: null }));
    inputs.current.layers = layers;
    ctl.redraw();
  }, [ctl, density, summary?.partyDensityCellDeg, props.layers.buildings, props.layers.facilities, props.atlas, gridCode, buildingCode]);

  // Names: inside a community its grids (basic ones first, so they win over dedicated ones when
  // they would overlap); at street level the communities.
  const labels = useMemo<ScreenLabel[]>(() => {
    if (community && summary) {
      const kinds = new Map(summary.grids.filter((g) => g.communityCode === community).map((g) => [g.code, g.kind]));
      return allGridLabels
        .filter((l) => kinds.has(l.code) && (!gridCode || l.code === gridCode))
        .sort((a, b) => Number(kinds.get(a.code) === 'dedicated') - Number(kinds.get(b.code) === 'dedicated'))
        .map((l) => ({ ...l, kind: 'grid' as const }));
    }
    return (props.tiles ? [] : cLabels).map((l) => ({ ...l, kind: 'community' as const }));
  }, [summary, props.tiles, allGridLabels, cLabels, community, gridCode]);

  // Highlight the grid in scope and fly the camera there.
  useEffect(() => {
    if (!ctl) return;
    const g = gridCode ? summary?.grids.find((x) => x.code === gridCode) : undefined;
    pending.current.push(ctl.setSelection(g ? { kind: 'grid', code: g.code, props: g as never } : null));
  }, [ctl, gridCode, summary]);

  const bbox = summary ? scopeBBox(summary, props.scope, props.building) : null;
  const bboxKey = bbox ? bbox.join(',') : 'street';
  const first = useRef(true);
  useEffect(() => {
    if (!ctl) return;
    if (first.current && !bbox) return;
    first.current = false;
    ctl.flyTo(bbox, { padding: MAP_PADDING, maxZoom: props.scope.level === 'building' ? 18.2 : 17.6 });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ctl, bboxKey]);

  useEffect(() => {
    if (!ctl || !props.complete) return;
    let cancelled = false;
    (async () => {
      await Promise.all(pending.current);
      performance.mark('screen:data-complete');
      await ctl.whenIdle();
      if (!cancelled) onRendered.current();
    })().catch((e) => console.error('screen map render wait failed', e));
    return () => {
      cancelled = true;
    };
  }, [ctl, props.complete]);

  return (
    <>
      <div ref={box} className="screen-map" data-testid="map" />
      <MapLabels map={ctl?.map ?? null} labels={labels} />
    </>
  );
}
