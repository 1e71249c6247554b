/**
 * Assembles the deck.gl layer list from the loaded data, the toggles and the selection.
 * Order matters: density under buildings, labels and icons on top.
 */
import type { Layer } from '@deck.gl/core';
import type { LayerData } from '../http/api-types';
import { buildingsLayer } from './deck/buildings-layer';
import { facilitiesLayer } from './deck/facilities-layer';
import type { IconAtlas } from './deck/facility-icon-atlas';
import { communityLabelsLayer, gridLabelsLayer, type Label } from './deck/labels-layer';
import { householdDensityPoints, partyDensityLayer } from './deck/party-density-layer';
import type { Selection } from './selection';
import type { PartyReach } from '../http/party-api';
import { partyReachLayers } from './deck/party-reach-layer';
import type { Toggles } from './toggles';

/**
 * Grid labels crowd the map when the whole street is in view (80 grids); they appear once the
 * user zooms in this far beyond the whole-street view.
 */
export const GRID_LABEL_ZOOM_STEP = 0.6;

export interface DeckInputs {
  data: Partial<LayerData>;
  atlas: IconAtlas | null;
  communityLabels: Label[];
  gridLabels: Label[];
  toggles: Toggles;
  selection: Selection | null;
  zoom: number;
  /** Zoom from which grid labels show. */
  gridLabelMinZoom: number;
  /** Party reach of the street (issue #20), fetched once its toggle is on. */
  partyReach?: PartyReach | null;
}

export function buildDeckLayers(i: DeckInputs): Layer[] {
  const layers: Layer[] = [];
  const sel = (kind: Selection['kind']) => (i.selection?.kind === kind ? i.selection.code : null);
  if (i.data.households) layers.push(partyDensityLayer(householdDensityPoints(i.data.households), { visible: i.toggles.partyDensity }));
  if (i.data.buildings) {
    layers.push(buildingsLayer(i.data.buildings, { visible: i.toggles.buildings, selectedCode: sel('building') }));
  }
  if (i.partyReach) layers.push(...partyReachLayers(i.partyReach, i.toggles.partyReach));
  if (i.data.facilities && i.atlas) {
    layers.push(
      facilitiesLayer(i.data.facilities, i.atlas, { visible: i.toggles.facilities, selectedCode: sel('facility') }),
    );
  }
  if (i.gridLabels.length) {
    layers.push(
      gridLabelsLayer(i.gridLabels, { visible: i.toggles.grids, zoom: i.zoom, minZoom: i.gridLabelMinZoom }),
    );
  }
  if (i.communityLabels.length) {
    layers.push(communityLabelsLayer(i.communityLabels, { visible: i.toggles.communities }));
  }
  return layers;
}
