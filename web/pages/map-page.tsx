/**
 * The map page at `/`: the street's grids, buildings, facilities and roads on one map, with layer
 * switches, legend, key figures and a detail panel. Publishes the readiness test hook once the
 * map has drawn all the data. On a phone (ui/use-phone.ts) the map fills the screen, the layer
 * switches and legend open from a button, and the details and key figures sit in a bottom sheet.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { hasRole } from '../auth/roles';
import { useSession } from '../auth/session';
import { LAYER_NAMES } from '../http/api-types';
import { useI18n } from '../i18n/i18n';
import { buildIconAtlas } from '../map/deck/facility-icon-atlas';
import { communityLabels, gridLabels } from '../map/deck/labels-layer';
import type { HoverInfo } from '../map/map-controller';
import { MapView } from '../map/map-view';
import { markReady, publishCounts } from '../map/readiness';
import type { Selection } from '../map/selection';
import { initialToggles, type Toggles } from '../map/toggles';
import { fetchPartyReach, type PartyReach } from '../http/party-api';
import type { FitPadding } from '../map/view-fit';
import { BottomSheet, type SheetSnap } from '../ui/bottom-sheet';
import { DetailPanel } from '../ui/detail-panel';
import { Header } from '../ui/header';
import { HoverTooltip } from '../ui/hover-tooltip';
import { KpiStrip } from '../ui/kpi-strip';
import { LayerToggles } from '../ui/layer-toggles';
import { Legend } from '../ui/legend';
import { usePhone } from '../ui/use-phone';
import { useMapData } from './use-map-data';

/**
 * Keeps the street clear of the floating panels (see styles/ for their sizes). The right side
 * only has the detail card at the top, so the street may extend below it.
 */
const FIT_PADDING: FitPadding = { top: 110, right: 130, bottom: 50, left: 320 };
/** On a phone only the peeking bottom sheet covers the map. */
const PHONE_FIT_PADDING: FitPadding = { top: 60, right: 16, bottom: 150, left: 16 };

export function MapPage() {
  const { t } = useI18n();
  const data = useMapData();
  const [toggles, setToggles] = useState<Toggles>(() => initialToggles());
  // Party reach (issue #20): fetched the first time its layer is switched on.
  const [partyReach, setPartyReach] = useState<PartyReach | null>(null);
  useEffect(() => {
    if (!toggles.partyReach || partyReach) return;
    const ctrl = new AbortController();
    fetchPartyReach({}, ctrl.signal).then(setPartyReach, (e: unknown) => console.warn('party reach', e));
    return () => ctrl.abort();
  }, [toggles.partyReach, partyReach]);
  const [selection, setSelection] = useState<Selection | null>(null);
  const [hover, setHover] = useState<HoverInfo | null>(null);
  const [rendered, setRendered] = useState<{ deckMode: string } | null>(null);
  const phone = usePhone();
  const [layersOpen, setLayersOpen] = useState(false);
  const [sheet, setSheet] = useState<SheetSnap>('peek');
  // A tap on the map opens the sheet to show what was tapped.
  useEffect(() => {
    if (selection) setSheet((s) => (s === 'peek' ? 'half' : s));
  }, [selection]);

  const atlas = useMemo(() => (data.categories ? buildIconAtlas(data.categories) : null), [data.categories]);
  const cLabels = useMemo(
    () => (data.layers.communities ? communityLabels(data.layers.communities) : []),
    [data.layers.communities],
  );
  const householdsUnit = t('unit.households');
  const gLabels = useMemo(
    () => (data.layers.grids ? gridLabels(data.layers.grids, data.layers.communities, householdsUnit) : []),
    [data.layers.grids, data.layers.communities, householdsUnit],
  );

  // Escape closes the detail panel, as users of desktop GIS tools expect.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setSelection(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // An empty database (the server answered, no street yet): an admin is taken to the set-up page.
  const { me } = useSession();
  const emptyDatabase = !!data.config && data.config.street === null && data.config.buildings !== undefined;
  useEffect(() => {
    if (emptyDatabase && hasRole(me, 'admin')) location.replace('/setup');
  }, [emptyDatabase, me]);

  const streetName = data.config?.street?.name ?? null;
  useEffect(() => {
    document.title = [streetName, `${t('app.name')} GridAtlas`].filter(Boolean).join(' · ');
  }, [streetName, t]);

  const onRendered = useCallback((info: { deckMode: string }) => setRendered(info), []);

  useEffect(() => {
    publishCounts(data.layers, {
      categories: data.categories?.length,
      deckMode: rendered?.deckMode,
      errors: data.errors,
    });
    const allLayers = LAYER_NAMES.every((n) => data.layers[n] !== undefined);
    if (!data.settled || !rendered) markReady(null);
    else markReady(allLayers && data.errors.length === 0 ? 'true' : 'error');
  }, [data, rendered]);

  return (
    <div className="app">
      <Header streetName={streetName} planId={data.stats?.planId ?? null} />
      <main className="map-area">
        {data.config && (
          <MapView
            config={data.config}
            layers={data.layers}
            atlas={atlas}
            communityLabels={cLabels}
            gridLabels={gLabels}
            toggles={toggles}
            partyReach={partyReach}
            selection={selection}
            onSelect={setSelection}
            onHover={setHover}
            attribution={data.config.basemap?.attribution || '© GridAtlas'}
            padding={phone ? PHONE_FIT_PADDING : FIT_PADDING}
            resetTitle={t('map.resetView')}
            complete={data.settled}
            onRendered={onRendered}
          />
        )}
        <HoverTooltip hover={hover} />
        {phone && (
          <button
            type="button"
            className="phone-layers-button panel"
            data-testid="phone-layers-button"
            aria-expanded={layersOpen}
            onClick={() => setLayersOpen((o) => !o)}
          >
            {t(layersOpen ? 'phone.closeLayers' : 'phone.layers')}
          </button>
        )}
        <div className={`left-column${layersOpen ? ' open' : ''}`} data-testid="left-column">
          <LayerToggles toggles={toggles} layers={data.layers} onChange={setToggles} />
          <Legend toggles={toggles} categories={data.categories} atlas={atlas} stats={data.stats} />
        </div>
        {phone ? (
          <BottomSheet snap={sheet} onSnap={setSheet} label={t('phone.details')} testId="map-sheet"
            summary={selection ? t('phone.details') : t('phone.figures')}>
            {selection && (
              <DetailPanel selection={selection} layers={data.layers} categories={data.categories} onClose={() => setSelection(null)} />
            )}
            <KpiStrip stats={data.stats} />
          </BottomSheet>
        ) : (
          <>
            <KpiStrip stats={data.stats} />
            <div className="right-column">
              <DetailPanel
                selection={selection}
                layers={data.layers}
                categories={data.categories}
                onClose={() => setSelection(null)}
              />
            </div>
          </>
        )}
        {!data.settled && <div className="loading-pill">{t('app.loading')}</div>}
        {data.errors.length > 0 && (
          <div className="error-banner" role="alert" data-testid="error-banner">
            <strong>{t('app.loadError')}</strong>
            <ul>
              {data.errors.map((e) => (
                <li key={e}>{e}</li>
              ))}
            </ul>
          </div>
        )}
      </main>
    </div>
  );
}
