/**
 * `/screen` — the wall screen (大屏) for street leaders (issue #7). A 1920×1080 stage scaled to
 * the viewport (screen/stage.tsx): header, KPI and chart panels around the map, drill-down
 * street → community → grid → building with a breadcrumb, auto-tour (`?tour=1&interval=15`),
 * figures refreshed every minute with an offline mark. Public aggregates only; a kiosk link
 * (`/kiosk/<token>`) opens it signed in as the read-only `screen` role.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useSession } from '../auth/session';
import { fetchStats } from '../http/api-client';
import { fetchScopedExtras, fetchScreenBuilding, type ScreenBuilding, type ScreenExtras } from '../http/screen-api';
import { useI18n } from '../i18n/i18n';
import { buildIconAtlas } from '../map/deck/facility-icon-atlas';
import { markReady } from '../map/readiness';
import type { Selection } from '../map/selection';
import { AttentionList } from '../screen/attention-list';
import { bandDonutOption, communitiesOption, facilitiesOption, GRID_BARS_MAX, gridHouseholdsOption } from '../screen/chart-options';
import { Breadcrumb, DetailCard } from '../screen/detail-card';
import { EChart } from '../screen/echart';
import { facilitiesByCategory, figuresFor, gridsInScope } from '../screen/figures';
import { RequestsPanel } from '../screen/requests-panel';
import { KpiPanel } from '../screen/kpi-panel';
import { MapLegend } from '../screen/map-legend';
import { Panel } from '../screen/panel';
import { communityOf, gridOf, sameScope, STREET, type Scope } from '../screen/scope';
import { ScreenHeader } from '../screen/screen-header';
import { ScreenMap } from '../screen/screen-map';
import { Stage, useStageScale } from '../screen/stage';
import { tourOptionsFromUrl, tourPlan, useTour } from '../screen/tour';
import { useOverdueGrids } from '../screen/use-tour-attention';
import { useScreenData } from '../screen/use-screen-data';
import type { LayerData } from '../http/api-types';
import { STYLE_SOURCES } from '../map/map-style';

/** GeoJSON mode: the map is created once its ground layers are here, with them in its style. */
const groundLoaded = (layers: Partial<LayerData>) => STYLE_SOURCES.every((n) => layers[n]);

/** The communities chart shows at most this many bars. */
const COMMUNITY_BARS_MAX = 12;

/**
 * The life-circle and request figures of the selection: the street's come with the summary (and
 * its minute refresh); a community's or grid's (a building shows its grid's) are fetched when it is
 * selected and again at each refresh. null while the selection's figures are on their way.
 */
function useScopedExtras(scope: Scope, street: ScreenExtras | null, refreshedAt: Date | null): ScreenExtras | null {
  const area = scope.level === 'street' ? null : scope.level === 'community' ? { community: scope.community } : { grid: scope.grid };
  const key = area ? JSON.stringify(area) : null;
  const [scoped, setScoped] = useState<{ key: string; extras: ScreenExtras } | null>(null);
  useEffect(() => {
    if (!key) return;
    const ctrl = new AbortController();
    fetchScopedExtras(JSON.parse(key) as { community?: string; grid?: string }, ctrl.signal).then(
      (extras) => setScoped({ key, extras }),
      (e: unknown) => console.warn('scoped figures', e),
    );
    return () => ctrl.abort();
  }, [key, refreshedAt]);
  if (!key) return street;
  return scoped?.key === key ? scoped.extras : null;
}

export function ScreenPage() {
  const { t, lang } = useI18n();
  const { state: session } = useSession();
  const data = useScreenData();
  const scale = useStageScale();
  const pixelRatio = (window.devicePixelRatio || 1) * scale;
  const [building, setBuilding] = useState<ScreenBuilding | null>(null);
  const [gridFacilities, setGridFacilities] = useState<{ grid: string; byCat: Record<string, number> } | null>(null);
  const [firstRenderMs, setFirstRenderMs] = useState<number | null>(null);
  // Everything but two KPI tiles and the requests panel reads the summary alone, so the extra
  // figures arriving later redraw those, not the charts and map.
  const summary = data.summary;
  const [scope, setScope] = useState<Scope>(STREET);
  const extras = useScopedExtras(scope, data.extras, data.updatedAt);
  const withExtras = useMemo(() => (summary && extras ? { ...summary, ...extras } : summary), [summary, extras]);
  const projector = useRef<(lng: number, lat: number) => { x: number; y: number } | null>(() => null);

  const go = useCallback((next: Scope) => setScope((cur) => (sameScope(cur, next) ? cur : next)), []);
  const urlTour = useMemo(() => tourOptionsFromUrl(location.search), []);
  // What needs attention is read once per refresh, so the steps stay put while the tour runs.
  const overdue = useOverdueGrids(urlTour.enabled, data.updatedAt);
  const plan = useMemo(
    () => (summary && urlTour.enabled ? tourPlan(summary, { extras: data.extras, overdue: overdue ?? undefined }) : { steps: [], captions: [] }),
    [summary, urlTour.enabled, data.extras, overdue],
  );
  const steps = plan.steps;
  // The tour starts once the first full render is done: a camera always in flight would never
  // let the map go idle, so the screen would never report itself drawn.
  const tourOpts = useMemo(() => ({ ...urlTour, enabled: urlTour.enabled && firstRenderMs !== null }), [urlTour, firstRenderMs]);
  const tour = useTour(tourOpts, steps, go);

  // Building card figures (party aggregates) and a grid's facility counts, fetched on drill-down.
  const buildingCode = scope.level === 'building' ? scope.building : null;
  useEffect(() => {
    if (!buildingCode) return;
    const ctrl = new AbortController();
    fetchScreenBuilding(buildingCode, ctrl.signal).then(setBuilding, (e) => console.warn('building', e));
    return () => ctrl.abort();
  }, [buildingCode]);
  const gridCode = scope.level === 'grid' || scope.level === 'building' ? scope.grid : null;
  useEffect(() => {
    if (!gridCode) return;
    const ctrl = new AbortController();
    fetchStats({ grid: gridCode }, ctrl.signal).then(
      (s) => setGridFacilities({ grid: gridCode, byCat: Object.fromEntries(s.facilities.byCategory.map((c) => [c.code, c.count])) }),
      (e) => console.warn('grid stats', e),
    );
    return () => ctrl.abort();
  }, [gridCode]);

  const onPick = useCallback(
    (sel: Selection | null) => {
      if (!summary || !sel) return;
      if (sel.kind === 'grid') {
        const g = gridOf(summary, sel.code);
        if (!g) return;
        if (scope.level === 'street' || scope.community !== g.communityCode) go({ level: 'community', community: g.communityCode });
        else go({ level: 'grid', community: g.communityCode, grid: g.code });
      } else if (sel.kind === 'building') {
        const p = sel.props;
        if (scope.level === 'street' || scope.community !== p.communityCode) go({ level: 'community', community: p.communityCode });
        else if (scope.level === 'community' && p.gridCode) go({ level: 'grid', community: p.communityCode, grid: p.gridCode });
        else go({ level: 'building', community: p.communityCode, grid: p.gridCode, building: p.code });
      }
    },
    [summary, scope, go],
  );

  const atlas = useMemo(() => (data.categories ? buildIconAtlas(data.categories) : null), [data.categories]);
  const gridFac = gridFacilities && gridFacilities.grid === gridCode ? gridFacilities.byCat : null;
  const figures = useMemo(
    () => (summary ? figuresFor(summary, scope, { building, gridFacilities: gridFac }) : null),
    [summary, scope, building, gridFac],
  );

  const streetName = summary?.street?.name ?? '';
  useEffect(() => {
    document.title = [streetName, t('screen.title')].filter(Boolean).join(' · ');
  }, [streetName, t]);

  const onRendered = useCallback(() => setFirstRenderMs((v) => v ?? Math.round(performance.now())), []);
  useEffect(() => {
    window.__gridatlas = {
      counts: Object.fromEntries(Object.entries(data.layers).map(([k, fc]) => [k, fc?.features.length ?? 0])),
      errors: data.errors,
      screen: {
        scope,
        go: go as (s: unknown) => void,
        tourStep: tour.step,
        tiles: !!data.tiles,
        firstRenderMs,
        project: (lng, lat) => projector.current(lng, lat),
      },
    };
    document.body.dataset.scopeLevel = scope.level;
    const ready = firstRenderMs !== null && !!data.categories && !!summary && !!data.extras;
    markReady(data.settled && data.errors.length > 0 && !summary ? 'error' : ready ? 'true' : null);
    if (ready) document.body.dataset.screenReady = 'true';
  }, [data, scope, go, tour.step, firstRenderMs, summary]);

  const bandLabels = { in: t('screen.band.in'), under: t('screen.band.under'), over: t('screen.band.over'), dedicated: t('screen.band.dedicated') };
  const scopeGrids = summary ? gridsInScope(summary, scope.level === 'street' ? scope : { level: 'community', community: scope.community }) : [];
  // A street of hundreds of communities: the chart shows the largest ones (and the one in scope).
  const chartCommunities = useMemo(() => {
    const all = summary?.communities ?? [];
    if (all.length <= COMMUNITY_BARS_MAX) return all;
    const inScope = scope.level === 'street' ? null : scope.community;
    const top = [...all].sort((a, b) => b.households - a.households).slice(0, COMMUNITY_BARS_MAX);
    const current = inScope && !top.some((c) => c.code === inScope) ? all.find((c) => c.code === inScope) : undefined;
    return current ? [...top.slice(0, -1), current] : top;
  }, [summary, scope]);
  const charts = useMemo(() => {
    if (!summary || !figures || !data.categories) return null;
    const names = new Map(summary.communities.map((c) => [c.code, c.name]));
    return {
      households: gridHouseholdsOption(scopeGrids, {
        lo: summary.band.lo,
        hi: summary.band.hi,
        selected: gridCode,
        showLabels: scope.level !== 'street',
        label: (g) => (scope.level === 'street' ? g.code : g.name.replace(names.get(g.communityCode) ?? '', '').replace(/^.*社区/, '')),
      }),
      band: bandDonutOption(figures.band, bandLabels, t('screen.band.rate')),
      facilities: facilitiesOption(facilitiesByCategory(summary, scope, gridFac) ?? {}, data.categories, lang),
      communities: communitiesOption(chartCommunities, {
        selected: scope.level === 'street' ? null : scope.community,
        households: t('screen.chart.households'),
        partyMembers: t('screen.chart.partyMembers'),
      }),
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [summary, figures, data.categories, scope, gridCode, gridFac, lang, t]);

  const who = session.status === 'signed-in' ? session.me.displayName : null;

  return (
    <Stage scale={scale}>
      {data.config && data.tiles !== null && (data.tiles ? data.config.bbox || data.summary : data.settled || groundLoaded(data.layers)) && (
        <ScreenMap
          config={data.config}
          layers={data.layers}
          summary={data.summary}
          tiles={data.tiles}
          atlas={atlas}
          scope={scope}
          building={building}
          pixelRatio={pixelRatio}
          householdsUnit={t('unit.households')}
          onPick={onPick}
          onRendered={onRendered}
          onProjector={(p) => (projector.current = p)}
          complete={data.settled}
        />
      )}
      <div className="screen-vignette" />
      <ScreenHeader streetName={streetName} updatedAt={data.updatedAt} offline={data.offline} touring={tour.running} />
      {tour.running !== null && plan.captions[tour.step] && (
        <div className="tour-caption" data-testid="tour-caption">{t(plan.captions[tour.step]!.key, plan.captions[tour.step]!.params)}</div>
      )}
      {summary && (!summary.street || summary.communities.every((c) => c.buildings === 0)) && (
        <div className={summary.street ? 'screen-empty partial' : 'screen-empty'} data-testid="screen-empty">
          <b>{t(summary.street ? 'screen.empty.noBuildingsTitle' : 'screen.empty.title')}</b>
          <p>{summary.street ? t('screen.empty.noBuildings', { street: summary.street.name }) : t('screen.empty.noStreet')}</p>
        </div>
      )}
      {!summary && <div className="screen-loading">{data.offline ? t('screen.offlineHint') : t('screen.loading')}</div>}
      {summary && figures && charts && (
        <>
          <div className="screen-col screen-left">
            <Panel id="kpi" title={t('screen.panel.kpi')} className="p-kpi">
              <KpiPanel figures={figures} summary={withExtras ?? summary} />
            </Panel>
            <Panel id="band" title={t('screen.panel.band')} className="p-band">
              <EChart testId="chart-band" option={charts.band} pixelRatio={pixelRatio} />
            </Panel>
            <Panel id="facilities" title={t('screen.panel.facilities')} className="p-facilities">
              <EChart testId="chart-facilities" option={charts.facilities} pixelRatio={pixelRatio} />
            </Panel>
          </div>
          <div className="screen-col screen-right">
            <Panel id="detail" title={t('screen.panel.detail')} className="p-detail">
              <Breadcrumb summary={summary} scope={scope} building={building} onGo={go} />
              <DetailCard summary={summary} scope={scope} figures={figures} building={building} />
            </Panel>
            <Panel id="communities" title={t('screen.panel.communities')} className="p-communities">
              <EChart
                testId="chart-communities"
                option={charts.communities}
                pixelRatio={pixelRatio}
                onClick={(p) => chartCommunities[p.dataIndex] && go({ level: 'community', community: chartCommunities[p.dataIndex].code })}
              />
            </Panel>
            <Panel id="attention" title={t('screen.panel.attention')} className="p-attention">
              <AttentionList
                grids={scopeGrids}
                lo={summary.band.lo}
                hi={summary.band.hi}
                selected={gridCode}
                onPick={(g) => go({ level: 'grid', community: g.communityCode, grid: g.code })}
              />
            </Panel>
          </div>
          <div className="screen-bottom">
            <Panel
              id="grid-households"
              title={t('screen.panel.gridHouseholds')}
              className="p-households"
              extra={scope.level !== 'street' ? communityOf(summary, scope.community)?.shortName : undefined}
            >
              <EChart
                testId="chart-grid-households"
                option={charts.households}
                pixelRatio={pixelRatio}
                onClick={(p) => {
                  const basic = scopeGrids.filter((x) => x.kind === 'basic');
                  if (basic.length > GRID_BARS_MAX) return; // a histogram: bars are bins, not grids
                  const g = basic[p.dataIndex];
                  if (g) go({ level: 'grid', community: g.communityCode, grid: g.code });
                }}
              />
            </Panel>
            <Panel id="requests" title={t('screen.panel.requests')} className="p-requests">
              <RequestsPanel figures={extras?.requests} />
            </Panel>
          </div>
          <MapLegend categories={data.categories ?? []} atlas={atlas} />
        </>
      )}
      {who && (
        <div className="screen-who" data-testid="screen-who" data-state="signed-in">
          {t('screen.who', { name: who })}
        </div>
      )}
    </Stage>
  );
}
