/**
 * `/requests` — resident requests (居民点单 → 社区派单 → 部门接单 → 群众评单), for signed-in staff:
 * - 派单看板 dispatch board: one column per status, cards with the steps the user may take
 *   (dispatch to the grid's workers or a department, accept, resolve, rate, close, reopen),
 *   overdue cards highlighted;
 * - 我的网格: a grid worker's open requests in their grids (claim, accept, resolve with a note, escalate);
 * - 诉求地图: open requests by status and a heat of requests reported in a chosen period; a click
 *   on the map starts a new request at that place.
 * Figures on top come from the public `/api/requests/stats` (the wall screen's source).
 */
import { useCallback, useEffect, useState } from 'react';
import { REQUEST_STATUSES, type RequestStatus } from '../../geo/requests/lifecycle';
import { hasRole } from '../auth/roles';
import { useSession } from '../auth/session';
import { ApiError, fetchLayer } from '../http/api-client';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/zh-cn';
import { Header } from '../ui/header';
import { RequestCard } from './requests/request-card';
import {
  type RequestCatalog,
  type RequestItem,
  type RequestStats,
  createRequest,
  fetchCatalog,
  fetchRequestLayer,
  fetchRequestStats,
  listRequests,
} from './requests/requests-api';
import { RequestsMap, STATUS_COLORS } from './requests/requests-map';

type Tab = 'board' | 'mine' | 'map';
const BOARD_COLUMNS: RequestStatus[] = REQUEST_STATUSES.filter((s) => s !== 'closed');
const COLUMN_LIMIT = 60;
const EMPTY: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };
const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
const dayIso = (d: Date) => d.toISOString().slice(0, 10);

export function RequestsPage() {
  const { state, me } = useSession();
  const { t, lang } = useI18n();
  const isWorker = hasRole(me, 'grid_worker');
  const canAct = isWorker || hasRole(me, 'planner') || hasRole(me, 'admin');
  // Key figures for the user's community when their scope is one community, else street-wide.
  const street = me?.roles.some((g) => g.scopeType === 'street');
  const myCommunity = street ? undefined : me?.roles.find((g) => g.scopeType === 'community')?.scopeCode;
  const myGrid = street || myCommunity ? undefined : me?.roles.find((g) => g.scopeType === 'grid')?.scopeCode;
  const askedTab = new URLSearchParams(location.search).get('tab') as Tab | null;
  const [tab, setTab] = useState<Tab>(askedTab ?? 'board');
  // Grid workers start on their own grids once the session says who is signed in.
  useEffect(() => {
    if (isWorker && !askedTab) setTab('mine');
  }, [isWorker, askedTab]);
  const [catalog, setCatalog] = useState<RequestCatalog | null>(null);
  const [stats, setStats] = useState<RequestStats | null>(null);
  const [columns, setColumns] = useState<Record<string, { total: number; items: RequestItem[] }>>({});
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const reload = useCallback(() => setVersion((v) => v + 1), []);

  useEffect(() => {
    if (state.status === 'anonymous') location.replace('/login?next=%2Frequests');
  }, [state.status]);

  const showError = useCallback(
    (e: unknown) => {
      const msg = e instanceof ApiError ? e.message : String(e);
      const [zh, en] = msg.split(' / ');
      setError(lang === 'en' ? (en ?? zh) : zh);
    },
    [lang],
  );

  useEffect(() => {
    if (state.status !== 'signed-in') return;
    fetchCatalog().then(setCatalog, showError);
  }, [state.status, showError]);

  useEffect(() => {
    if (state.status !== 'signed-in') return;
    let stale = false;
    fetchRequestStats({ community: myCommunity, grid: myGrid }).then((s) => !stale && setStats(s), showError);
    const statuses = tab === 'mine' ? ['reported', 'dispatched', 'accepted'] : BOARD_COLUMNS;
    Promise.all(statuses.map((s) => listRequests({ status: s, limit: COLUMN_LIMIT }).then((p) => [s, p] as const))).then((pages) => {
      if (!stale) setColumns(Object.fromEntries(pages));
    }, showError);
    return () => {
      stale = true;
    };
  }, [state.status, tab, version, showError, myCommunity, myGrid]);

  if (state.status !== 'signed-in' || !catalog) {
    return (
      <div className="app requests-page" data-testid="requests-page" data-state={state.status === 'signed-in' ? 'loading' : state.status}>
        <Header page={t('requests.page')} />
      </div>
    );
  }

  const loaded = Object.keys(columns).length > 0;
  const kpis: [MessageKey, string, string?][] = stats
    ? [
        ['requests.kpi.open', String(stats.open)],
        ['requests.kpi.overdue', String(stats.overdue), '#FF6B5B'],
        ['requests.kpi.resolvedMonth', String(stats.resolvedThisMonth)],
        ['requests.kpi.resolutionRate', pct(stats.resolutionRate)],
        ['requests.kpi.withinGrid', pct(stats.withinGridShare), '#009E73'],
        ['requests.kpi.satisfaction', pct(stats.satisfaction.satisfiedShare), '#F0B429'],
      ]
    : [];

  return (
    <div className="app requests-page" data-testid="requests-page" data-state={loaded ? 'ready' : 'loading'} data-tab={tab}>
      <Header page={t('requests.page')} />
      <div className="requests-bar panel">
        {(['board', 'mine', 'map'] as Tab[]).map((k) => (
          <button key={k} className={`btn${tab === k ? ' btn-primary' : ''}`} data-testid={`tab-${k}`} onClick={() => setTab(k)}>
            {t(`requests.tab.${k}` as MessageKey)}
          </button>
        ))}
        <div className="requests-kpis" data-testid="requests-kpis">
          {kpis.map(([k, v, color]) => (
            <span key={k} className="requests-kpi" data-kpi={k}>
              <b style={color ? { color } : undefined}>{v}</b> {t(k)}
            </span>
          ))}
        </div>
        {!canAct && <span className="planner-readonly">{t('requests.readonly')}</span>}
        {error && <span className="planner-error" data-testid="requests-error">{error}</span>}
      </div>
      {tab === 'map' ? (
        <RequestsMapTab catalog={catalog} canCreate={canAct} onCreated={reload} />
      ) : (
        <div className={tab === 'board' ? 'requests-board' : 'requests-mine'} data-testid={tab === 'board' ? 'dispatch-board' : 'my-requests'}>
          {tab === 'mine' && !isWorker && <div className="planner-hint">{t('requests.mine.none')}</div>}
          {(tab === 'mine' ? (['reported', 'dispatched', 'accepted'] as RequestStatus[]) : BOARD_COLUMNS).map((s) => {
            const col = columns[s];
            return (
              <section key={s} className="requests-column panel" data-testid="board-column" data-status={s} data-total={col?.total ?? 0}>
                <h3 style={{ borderColor: STATUS_COLORS[s] }}>
                  {t(`requests.status.${s}` as MessageKey)} <span className="requests-count">{col ? t('requests.total', { n: col.total }) : '…'}</span>
                </h3>
                {col && col.total > col.items.length && <div className="planner-hint">{t('requests.showing', { n: col.items.length })}</div>}
                {col?.items.length === 0 && <div className="planner-hint">{t('requests.empty')}</div>}
                {col?.items.map((r) => <RequestCard key={r.id} r={r} catalog={catalog} onChanged={reload} readOnly={!canAct} />)}
              </section>
            );
          })}
        </div>
      )}
    </div>
  );
}

function RequestsMapTab({ catalog, canCreate, onCreated }: { catalog: RequestCatalog; canCreate: boolean; onCreated: () => void }) {
  const { t, lang } = useI18n();
  const [from, setFrom] = useState(() => dayIso(new Date(Date.now() - 90 * 86_400_000)));
  const [to, setTo] = useState(() => dayIso(new Date(Date.now() + 86_400_000)));
  const [grids, setGrids] = useState<GeoJSON.FeatureCollection>(EMPTY);
  const [points, setPoints] = useState<GeoJSON.FeatureCollection>(EMPTY);
  const [heat, setHeat] = useState<GeoJSON.FeatureCollection>(EMPTY);
  const [showHeat, setShowHeat] = useState(true);
  const [showPoints, setShowPoints] = useState(true);
  const [picked, setPicked] = useState<[number, number] | null>(null);
  const [ready, setReady] = useState(false);
  const [form, setForm] = useState({ category: catalog.categories[0]?.code ?? 'other', channel: 'resident', description: '' });
  const [message, setMessage] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    fetchLayer('grids').then((fc) => setGrids(fc as GeoJSON.FeatureCollection), () => {});
  }, []);
  useEffect(() => {
    fetchRequestLayer({ status: 'reported,dispatched,accepted' }).then(setPoints, () => {});
  }, [version]);
  useEffect(() => {
    fetchRequestLayer({ from, to }).then(setHeat, () => {});
  }, [from, to, version]);

  const heatCount = heat.features.length;
  const submit = async () => {
    if (!picked) return;
    try {
      const r = await createRequest({ ...form, lon: picked[0], lat: picked[1] });
      setMessage(t('requests.new.done', { id: r.id, grid: r.gridCode ?? t('requests.unassigned') }));
      setForm((f) => ({ ...f, description: '' }));
      setPicked(null);
      setVersion((v) => v + 1);
      onCreated();
    } catch (e) {
      const [zh, en] = (e instanceof Error ? e.message : String(e)).split(' / ');
      setMessage(lang === 'en' ? (en ?? zh) : zh);
    }
  };

  return (
    <div className="requests-maptab" data-testid="requests-maptab" data-ready={ready} data-heat-count={heatCount} data-open-count={points.features.length}>
      <div className="requests-map">
        <RequestsMap grids={grids} points={points} heat={heat} showHeat={showHeat} showPoints={showPoints} picked={picked} onPick={setPicked} onReady={() => setReady(true)} />
      </div>
      <aside className="requests-side panel">
        <label className="field">
          {t('requests.map.period')}
          <span className="requests-period">
            <input type="date" data-testid="heat-from" value={from} onChange={(e) => setFrom(e.target.value)} />
            –
            <input type="date" data-testid="heat-to" value={to} onChange={(e) => setTo(e.target.value)} />
          </span>
        </label>
        <label><input type="checkbox" checked={showHeat} onChange={(e) => setShowHeat(e.target.checked)} /> {t('requests.map.heat')}</label>
        <label><input type="checkbox" checked={showPoints} onChange={(e) => setShowPoints(e.target.checked)} /> {t('requests.map.points')}</label>
        <div className="planner-hint" data-testid="heat-summary">{t('requests.map.count', { n: heatCount, open: points.features.length })}</div>
        <ul className="requests-legend">
          {(['reported', 'dispatched', 'accepted'] as const).map((s) => (
            <li key={s}><span className="dot" style={{ background: STATUS_COLORS[s] }} /> {t(`requests.status.${s}` as MessageKey)}</li>
          ))}
          <li><span className="dot overdue-dot" /> {t('requests.overdue')}</li>
        </ul>
        {canCreate && (
          <div className="form-stack requests-new" data-testid="new-request">
            <h3>{t('requests.new')}</h3>
            <div className="planner-hint">{picked ? t('requests.new.at', { lon: picked[0].toFixed(5), lat: picked[1].toFixed(5) }) : t('requests.new.hint')}</div>
            <label className="field">
              {t('requests.new.category')}
              <select data-testid="new-category" value={form.category} onChange={(e) => setForm({ ...form, category: e.target.value })}>
                {catalog.categories.map((c) => <option key={c.code} value={c.code}>{lang === 'en' ? c.nameEn : c.name}</option>)}
              </select>
            </label>
            <label className="field">
              {t('requests.new.channel')}
              <select data-testid="new-channel" value={form.channel} onChange={(e) => setForm({ ...form, channel: e.target.value })}>
                {(['resident', 'grid_worker', 'hotline_12345', 'property'] as const).map((c) => <option key={c} value={c}>{t(`requests.channel.${c}`)}</option>)}
              </select>
            </label>
            <label className="field">
              {t('requests.new.description')}
              <textarea data-testid="new-description" rows={3} maxLength={1000} value={form.description} onChange={(e) => setForm({ ...form, description: e.target.value })} />
            </label>
            <button className="btn btn-primary" data-testid="new-submit" disabled={!picked || form.description.trim().length < 2} onClick={() => void submit()}>
              {t('requests.new')}
            </button>
            {message && <div className="form-success" data-testid="new-message">{message}</div>}
          </div>
        )}
      </aside>
    </div>
  );
}
