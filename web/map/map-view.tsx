/**
 * React shell around `MapController`: creates it once, then forwards prop changes (data,
 * toggles, selection, labels) to it. When `complete` is set and everything has been handed over,
 * it waits for the map to go idle and reports `onRendered` — the basis of the readiness hook.
 */
import { useEffect, useRef, useState } from 'react';
import type { AppConfig, LayerData, LayerName } from '../http/api-types';
import type { IconAtlas } from './deck/facility-icon-atlas';
import type { Label } from './deck/labels-layer';
import { MapController, type HoverInfo } from './map-controller';
import type { Selection } from './selection';
import type { Toggles } from './toggles';
import type { PartyReach } from '../http/party-api';
import type { FitPadding } from './view-fit';

export interface MapViewProps {
  config: AppConfig;
  layers: Partial<LayerData>;
  atlas: IconAtlas | null;
  communityLabels: Label[];
  gridLabels: Label[];
  toggles: Toggles;
  /** Party reach for the main map's 党员联系 layer (issue #20); null until fetched. */
  partyReach?: PartyReach | null;
  selection: Selection | null;
  onSelect: (sel: Selection | null) => void;
  onHover: (hover: HoverInfo | null) => void;
  attribution: string;
  padding: FitPadding;
  /** Tooltip of the "whole street" button, in the current language. */
  resetTitle: string;
  /** All data has arrived (or failed); the view may report itself rendered once drawn. */
  complete: boolean;
  onRendered: (info: { deckMode: string }) => void;
}

export function MapView(props: MapViewProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const [controller, setController] = useState<MapController | null>(null);
  const pushed = useRef(new Map<LayerName, unknown>());
  const pending = useRef<Promise<void>[]>([]);
  const onSelectRef = useRef(props.onSelect);
  onSelectRef.current = props.onSelect;
  const onHoverRef = useRef(props.onHover);
  onHoverRef.current = props.onHover;
  const onRenderedRef = useRef(props.onRendered);
  onRenderedRef.current = props.onRendered;

  // Create the map once; the config (basemap) is fixed for the page's lifetime.
  useEffect(() => {
    if (!containerRef.current) return;
    const c = new MapController({
      container: containerRef.current,
      config: props.config,
      // The chosen street's extent (`/api/config?street=`): framed at once, whatever else the layers hold.
      initialBounds: props.config.bbox ?? undefined,
      attribution: props.attribution,
      padding: props.padding,
      resetTitle: props.resetTitle,
      onSelect: (sel) => onSelectRef.current(sel),
      onHover: (hover) => onHoverRef.current(hover),
    });
    setController(c);
    const pushedLayers = pushed.current;
    return () => {
      c.destroy();
      pushedLayers.clear();
      setController(null);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    if (!controller) return;
    for (const [name, fc] of Object.entries(props.layers) as [LayerName, LayerData[LayerName]][]) {
      if (!fc || pushed.current.get(name) === fc) continue;
      pushed.current.set(name, fc);
      pending.current.push(controller.setLayer(name, fc));
    }
  }, [controller, props.layers]);

  useEffect(() => {
    controller?.setResetTitle(props.resetTitle);
  }, [controller, props.resetTitle]);

  useEffect(() => {
    controller?.setLabels(props.communityLabels, props.gridLabels);
  }, [controller, props.communityLabels, props.gridLabels]);

  useEffect(() => {
    if (controller && props.atlas) controller.setAtlas(props.atlas);
  }, [controller, props.atlas]);

  useEffect(() => {
    if (controller) pending.current.push(controller.setToggles(props.toggles));
  }, [controller, props.toggles]);

  useEffect(() => {
    controller?.setPartyReach(props.partyReach ?? null);
  }, [controller, props.partyReach]);

  useEffect(() => {
    if (controller) pending.current.push(controller.setSelection(props.selection));
  }, [controller, props.selection]);

  useEffect(() => {
    if (!controller || !props.complete) return;
    let cancelled = false;
    (async () => {
      await Promise.all(pending.current);
      await controller.whenIdle();
      if (!cancelled) onRenderedRef.current({ deckMode: controller.deckMode });
    })().catch((e) => console.error('map render wait failed', e));
    return () => {
      cancelled = true;
    };
  }, [controller, props.complete]);

  return <div ref={containerRef} className="map-canvas" data-testid="map" />;
}
