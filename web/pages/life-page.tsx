/**
 * `/life` (生活圈): "what can I reach on foot from here?" — click the map or search a building →
 * 5/10/15-minute walking areas built from the street network, the facilities reached by category
 * with walking minutes, and the route to a chosen one. The coverage-audit view colours buildings
 * covered / not covered for a level and category, with aggregates, exports and "where to add".
 * URL parameters (`?lng=&lat=`, `?mode=audit&level=&category=`) open a view directly.
 * On a phone (ui/use-phone.ts) the map fills the screen, the panel becomes a bottom sheet, and a
 * "locate me" button starts the walk at the browser's position (pages/life/locate.ts).
 */
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { hasRole } from '../auth/roles';
import { useSession } from '../auth/session';
import { ApiError, fetchCategories, fetchConfig, fetchLayer } from '../http/api-client';
import type { BuildingProps, FacilityCategory, FacilityProps } from '../http/api-types';
import { useI18n } from '../i18n/i18n';
import { markReady } from '../map/readiness';
import { BottomSheet, type SheetSnap } from '../ui/bottom-sheet';
import { Header } from '../ui/header';
import { usePhone } from '../ui/use-phone';
import { type AuditChoice, CoveragePanel } from './life/coverage-panel';
import {
  type CoverageReply, type IsochroneReply, type ReachedFacility, type SitesReply, type Standard,
  fetchCoverage, fetchIsochrone, fetchNearestRoute, fetchStandard, proposeSites,
} from './life/life-api';
import type { LifeMapData } from './life/life-map';
import { ReachPanel } from './life/reach-panel';
import { centreOf, findPlace } from './life/building-search';
import { locateMe } from './life/locate';
import { NearestPicker } from './life/nearest-picker';

/**
 * The map (and MapLibre, ~1 MB) is a chunk of its own: the page's small code runs first and asks
 * for its data while MapLibre is still downloading (a phone on a slow network gains round trips).
 */
let lifeMapChunk: Promise<typeof import('./life/life-map')> | undefined;
/** Starts the map chunk's download at once (the page mounts it only when the street's extent is known). */
export const preloadLifeMap = () => (lifeMapChunk ??= import('./life/life-map'));
const LifeMap = lazy(() => preloadLifeMap().then((m) => ({ default: m.LifeMap })));

const EMPTY: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };
const fc = (features: GeoJSON.Feature[]): GeoJSON.FeatureCollection => ({ type: 'FeatureCollection', features });

export function LifePage() {
  const { t, lang } = useI18n();
  const { me } = useSession();
  const params = useMemo(() => new URLSearchParams(location.search), []);
  const [mode, setMode] = useState<'reach' | 'audit'>(params.get('mode') === 'audit' ? 'audit' : 'reach');
  /** The street's extent, to frame the map at once; undefined until /api/config answered. */
  const [bbox, setBbox] = useState<[number, number, number, number] | null | undefined>(undefined);
  /** An empty deployment (no street data yet): say what to do instead of "tap the map". */
  const [noData, setNoData] = useState(false);
  const [baseLoaded, setBaseLoaded] = useState(false);
  const [buildings, setBuildings] = useState<GeoJSON.FeatureCollection>(EMPTY);
  const [allFacilities, setAllFacilities] = useState<GeoJSON.FeatureCollection>(EMPTY);
  const [categories, setCategories] = useState<FacilityCategory[]>([]);
  const [communities, setCommunities] = useState<{ code: string; name: string }[]>([]);
  const [standard, setStandard] = useState<Standard | null>(null);
  const [iso, setIso] = useState<IsochroneReply | null>(null);
  const [route, setRoute] = useState<{ line: GeoJSON.LineString; f: ReachedFacility } | null>(null);
  const [coverage, setCoverage] = useState<CoverageReply | null>(null);
  const [sites, setSites] = useState<SitesReply | null>(null);
  const [choice, setChoice] = useState<AuditChoice>({ level: Number(params.get('level') ?? 10), category: params.get('category') ?? '', community: '' });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [search, setSearch] = useState('');
  const [map, setMap] = useState<MapLibreMap | null>(null);
  const phone = usePhone();
  const [sheet, setSheet] = useState<SheetSnap>('peek');
  const [located, setLocated] = useState<[number, number] | null>(null);
  const [locating, setLocating] = useState(false);
  const [nearestCategory, setNearestCategory] = useState('');
  const [nearest, setNearest] = useState<{ name: string; minutes: number; distanceM: number } | 'none' | null>(null);

  const showError = useCallback((e: unknown) => {
    if (e instanceof ApiError) {
      const [zh, en] = e.message.split(' / ');
      setError(lang === 'en' ? (en ?? zh) : zh);
    } else setError(String(e));
  }, [lang]);

  // First what the first picture needs (the map draws roads and buildings from tiles)…
  useEffect(() => {
    markReady(null);
    void preloadLifeMap();
    fetchConfig().then((c) => {
      setBbox(c.bbox ?? null);
      setNoData(!c.bbox && !c.buildings);
    }, () => setBbox(null));
    Promise.all([fetchCategories(), fetchLayer('communities'), fetchStandard()])
      .then(([cats, comms, std]) => {
        setCategories(cats);
        setCommunities(comms.features.map((f) => ({ code: String(f.properties?.code), name: String(f.properties?.name) })));
        setStandard(std);
        setBaseLoaded(true);
      })
      .catch(showError);
  }, [showError]);

  // …then, after it or when asked for (search, audit view), the street's buildings, compounds and
  // facilities (the audit view draws the audited ones).
  const places = useRef<Promise<{ buildings: GeoJSON.FeatureCollection; compounds: GeoJSON.FeatureCollection }> | null>(null);
  const loadPlaces = useCallback(() => {
    places.current ??= Promise.all([fetchLayer('buildings'), fetchLayer('compounds'), fetchLayer('facilities')]).then(
      ([b, c, f]) => {
        const got = { buildings: b as GeoJSON.FeatureCollection, compounds: c as GeoJSON.FeatureCollection };
        setBuildings(got.buildings);
        setAllFacilities(f as GeoJSON.FeatureCollection);
        return got;
      },
      (e: unknown) => {
        places.current = null; // the next search tries again
        throw e;
      },
    );
    return places.current;
  }, []);
  useEffect(() => {
    if (mode === 'audit') loadPlaces().catch(showError);
  }, [mode, loadPlaces, showError]);

  const startAt = useCallback(async (lng: number, lat: number) => {
    setError(null);
    setBusy(true);
    setRoute(null);
    setNearest(null);
    setNearestCategory('');
    try {
      setIso(await fetchIsochrone(lng, lat));
      setSheet((s) => (s === 'peek' ? 'half' : s));
    } catch (e) {
      showError(e);
    } finally {
      setBusy(false);
    }
  }, [showError]);

  // Open a view from the URL once the base data is there.
  useEffect(() => {
    if (!baseLoaded) return;
    const lng = Number(params.get('lng'));
    const lat = Number(params.get('lat'));
    if (params.has('lng') && Number.isFinite(lng) && Number.isFinite(lat)) void startAt(lng, lat);
  }, [baseLoaded, params, startAt]);

  useEffect(() => {
    if (mode !== 'audit') return;
    const ac = new AbortController();
    setSites(null);
    setBusy(true);
    fetchCoverage(choice.level, choice.category || undefined, choice.community || undefined, ac.signal)
      .then(setCoverage, (e) => !ac.signal.aborted && showError(e))
      .finally(() => setBusy(false));
    return () => ac.abort();
  }, [mode, choice, showError]);

  // Ready for screenshots (and the phone bench's "first useful picture"): map loaded with the
  // street's tiles drawn, base data in, and the view asked for by the URL computed.
  useEffect(() => {
    if (!map || !baseLoaded || busy) return;
    if (mode === 'audit' && (!coverage || buildings.features.length === 0)) return;
    if (mode === 'reach' && params.has('lng') && !iso && !error) return;
    map.once('idle', () => {
      markReady('true');
      loadPlaces().catch(showError);
    });
    map.triggerRepaint();
  }, [map, baseLoaded, buildings, busy, mode, coverage, iso, error, params, loadPlaces, showError]);

  // Test hook (map/readiness.ts): viewport pixel of a position, and what the map draws there.
  useEffect(() => {
    if (!map) return;
    const project = (lng: number, lat: number) => {
      const p = map.project([lng, lat]);
      const r = map.getContainer().getBoundingClientRect();
      return { x: r.left + p.x, y: r.top + p.y };
    };
    const drawnAt = (layer: string, lng: number, lat: number) => map.queryRenderedFeatures(map.project([lng, lat]), { layers: [layer] }).length > 0;
    window.__gridatlas = { counts: {}, errors: [], ...window.__gridatlas, life: { project, drawnAt } };
  }, [map]);

  const chooseRoute = async (category: string, f: ReachedFacility) => {
    if (!iso) return;
    setNearest(null);
    setNearestCategory('');
    try {
      const [lng, lat] = iso.start.position;
      const r = await fetchNearestRoute(lng, lat, category, 20);
      const hit = r.results.find((x) => x.code === f.code) ?? r.results[0];
      if (hit) setRoute({ line: hit.route, f: { ...f, distanceM: hit.distanceM, minutes: hit.minutes } });
    } catch (e) {
      showError(e);
    }
  };

  /** Centre the map on a start point; on a phone above the half-open sheet. */
  const focus = (lng: number, lat: number) => {
    const bottom = phone ? (map?.getContainer().clientHeight ?? 0) * 0.5 : 0;
    map?.easeTo({ center: [lng, lat], zoom: Math.max(map.getZoom(), 15.5), duration: 400, padding: { top: 0, left: 0, right: 0, bottom } });
  };

  const chooseNearest = async (category: string) => {
    setNearestCategory(category);
    setNearest(null);
    if (!iso || !category) return;
    try {
      const [lng, lat] = iso.start.position;
      const hit = (await fetchNearestRoute(lng, lat, category, 1)).results[0];
      if (!hit) {
        setNearest('none');
        setRoute(null);
        return;
      }
      setNearest(hit);
      setRoute({ line: hit.route, f: { code: hit.code, name: hit.name, distanceM: hit.distanceM, minutes: hit.minutes, band: null, position: hit.position } });
    } catch (e) {
      showError(e);
    }
  };

  const locate = async () => {
    setError(null);
    setLocating(true);
    try {
      // WGS84 from the browser, drawn and sent as is (see life/locate.ts).
      const p = await locateMe();
      setLocated([p.lng, p.lat]);
      setMode('reach');
      focus(p.lng, p.lat);
      await startAt(p.lng, p.lat);
    } catch (e) {
      setError((e as Error).message === 'unsupported' ? t('phone.locateUnsupported') : t('phone.locateFailed', { reason: (e as Error).message }));
    } finally {
      setLocating(false);
    }
  };

  const runSearch = async () => {
    let hit: GeoJSON.Feature | null;
    try {
      const got = await loadPlaces();
      hit = findPlace(got.buildings, got.compounds, search);
    } catch (e) {
      showError(e);
      return;
    }
    if (!hit) {
      setError(t('life.notFound', { q: search }));
      return;
    }
    const [lng, lat] = centreOf(hit);
    setMode('reach');
    focus(lng, lat);
    void startAt(lng, lat);
  };

  const propose = async () => {
    if (!choice.category) return;
    setBusy(true);
    try {
      setSites(await proposeSites(choice.category, choice.level, 3));
    } catch (e) {
      showError(e);
    } finally {
      setBusy(false);
    }
  };

  const mapData = useMemo<LifeMapData>(() => {
    const state = new Map<string, string>();
    if (mode === 'audit' && coverage) {
      for (const b of coverage.buildings) state.set(b.code, b.covered ? 'covered' : 'uncovered');
      for (const s of sites?.sites ?? []) for (const code of s.buildings) state.set(code, 'site');
    }
    const colour = new Map(categories.map((c) => [c.code, c.color]));
    // Audit view: the facilities of the audited categories, so gaps can be read against them.
    const audited = new Set(coverage?.categories ?? []);
    const auditedFacilities = mode === 'audit'
      ? allFacilities.features.filter((f) => audited.has((f.properties as FacilityProps).category)).map((f) => ({ ...f, properties: { ...f.properties, chosen: true } }))
      : [];
    const reached = mode === 'reach' && iso
      ? iso.facilities.byCategory.flatMap((g) => g.facilities.map((f) => ({
          type: 'Feature' as const, geometry: { type: 'Point' as const, coordinates: f.position },
          properties: { code: f.code, color: colour.get(g.category) ?? g.color, chosen: route?.f.code === f.code },
        })))
      : [];
    return {
      buildings: state.size === 0 ? EMPTY : fc(buildings.features.map((f) => ({ ...f, properties: { ...f.properties, state: state.get((f.properties as BuildingProps).code) ?? 'other' } }))),
      bands: mode === 'reach' && iso ? fc([...iso.features].reverse()) : EMPTY,
      route: mode === 'reach' && route ? fc([{ type: 'Feature', geometry: route.line, properties: {} }]) : EMPTY,
      facilities: fc([...reached, ...auditedFacilities]),
      start: mode === 'reach' && iso ? fc([{ type: 'Feature', geometry: { type: 'Point', coordinates: iso.start.snapped }, properties: {} }]) : EMPTY,
      sites: mode === 'audit' && sites ? fc(sites.sites.map((s) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: s.position }, properties: { rank: s.rank } }))) : EMPTY,
      me: located ? fc([{ type: 'Feature', geometry: { type: 'Point', coordinates: located }, properties: {} }]) : EMPTY,
    };
  }, [mode, buildings, allFacilities, categories, iso, route, coverage, sites, located]);

  const canPropose = hasRole(me, 'planner') || hasRole(me, 'admin');

  const side = (
    <>
      <div className="life-tabs" role="tablist">
        <button type="button" role="tab" aria-selected={mode === 'reach'} className={mode === 'reach' ? 'active' : ''} data-testid="life-tab-reach" onClick={() => setMode('reach')}>{t('life.tabReach')}</button>
        <button type="button" role="tab" aria-selected={mode === 'audit'} className={mode === 'audit' ? 'active' : ''} data-testid="life-tab-audit" onClick={() => setMode('audit')}>{t('life.tabCoverage')}</button>
      </div>
      {error && <div className="life-error" data-testid="life-error">{error}</div>}
      {busy && <div className="life-muted">{t('life.loading')}</div>}
      {mode === 'reach' && (
        <>
          <form className="life-search" onSubmit={(e) => { e.preventDefault(); void runSearch(); }}>
            <input value={search} placeholder={t('life.search')} data-testid="life-search" onChange={(e) => setSearch(e.target.value)} />
            <button type="submit">{t('life.searchGo')}</button>
          </form>
          {!iso && noData && <p className="life-muted" data-testid="life-no-data">{t('life.noData')}</p>}
          {!iso && !noData && <p className="life-muted">{t('life.hint')}</p>}
          {iso && <NearestPicker categories={categories} category={nearestCategory} onCategory={(c) => void chooseNearest(c)} result={nearest} />}
          {route && !nearest && <p className="life-route" data-testid="life-route">{t('life.routeShown', { name: route.f.name, d: Math.round(route.f.distanceM), m: route.f.minutes })}</p>}
          {iso && <ReachPanel iso={iso} chosen={route?.f.code ?? null} onRoute={chooseRoute} />}
        </>
      )}
      {mode === 'audit' && (
        <CoveragePanel standard={standard} categories={categories} communities={communities} choice={choice} onChoice={setChoice}
          coverage={coverage} sites={sites} canPropose={canPropose} onPropose={propose} busy={busy} />
      )}
    </>
  );
  const summary = error ? <span className="life-error">{error}</span>
    : busy || locating ? t(locating ? 'phone.locating' : 'life.loading')
    : route ? t('life.routeShown', { name: route.f.name, d: Math.round(route.f.distanceM), m: route.f.minutes })
    : mode === 'reach' && iso ? t('life.reached', { n: iso.facilities.count })
    : noData ? t('life.noDataShort')
    : mode === 'reach' ? t('phone.start') : t('life.tabCoverage');

  return (
    <div className={`life-page${phone ? ' life-phone' : ''}`} data-testid="life-page">
      <Header page={t('life.title')} />
      <div className="life-body">
        <div className="life-left">
          {bbox !== undefined && <Suspense fallback={null}><LifeMap data={mapData} bbox={bbox} onClick={(lng, lat) => mode === 'reach' && void startAt(lng, lat)} onReady={setMap} /></Suspense>}
          {mode === 'audit' && coverage && (
            <div className="life-legend panel">
              <span><i style={{ background: '#009E73' }} />{t('life.legendCovered')}</span>
              <span><i style={{ background: '#E8663D' }} />{t('life.legendUncovered')}</span>
              {sites && <span><i style={{ background: '#FFD34D' }} />{t('life.legendSite')}</span>}
            </div>
          )}
          {phone && (
            <button type="button" className="life-locate" data-testid="life-locate" disabled={locating} onClick={() => void locate()}>
              <span aria-hidden="true">◎</span> {t(locating ? 'phone.locating' : 'phone.locate')}
            </button>
          )}
        </div>
        {phone ? (
          <BottomSheet snap={sheet} onSnap={setSheet} summary={summary} label={t('phone.details')} testId="life-sheet">
            {side}
          </BottomSheet>
        ) : (
          <aside className="life-side panel">{side}</aside>
        )}
      </div>
    </div>
  );
}
