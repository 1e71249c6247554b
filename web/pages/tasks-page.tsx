/**
 * `/tasks` — a grid worker on the phone (issue #18.4):
 * - 任务: the open requests of my grids, overdue first, then by due time; claim, accept, resolve
 *   with a note and a photo; call the reporter (a `tel:` link, only on requests I act on); the
 *   walking route from where I stand to the building;
 * - 我的楼栋: my grids' buildings, and a building's households masked as for my role.
 * Writes go through the offline queue (resident/offline-queue.ts): kept in localStorage, retried,
 * applied once thanks to their Idempotency-Key.
 */
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { loginHref } from '../auth/next-path';
import { useSession } from '../auth/session';
import { getJson } from '../http/api-client';
import { useI18n } from '../i18n/i18n';
import { localMessage } from '../i18n/server-message';
import type { MessageKey } from '../i18n/zh-cn';
import { type QueuedAction, enqueue, flush, queueState, subscribe } from './resident/offline-queue';
import { PhoneShell, shortTime } from './resident/phone-shell';
import { shrinkPhoto } from './resident/photo';
import { RouteSketch } from './resident/route-sketch';
import { type RequestCatalog, type RequestItem, fetchCatalog, listRequests } from './requests/requests-api';

type Tab = 'tasks' | 'buildings';

interface Building {
  code: string;
  label: string;
  gridCode: string;
  households: number;
  residents: number;
  openRequests: number;
}

interface Household {
  id: number;
  unit: number;
  room: string;
  size: number;
  headName: string | null;
  headPhone: string | null;
  tags?: string[];
}

/** Overdue first, then the soonest due. */
const byUrgency = (a: RequestItem, b: RequestItem) => Number(b.overdue) - Number(a.overdue) || a.dueAt.localeCompare(b.dueAt);

export function TasksPage() {
  const { t } = useI18n();
  const { state, me } = useSession();
  const [tab, setTab] = useState<Tab>('tasks');
  useEffect(() => {
    document.title = `${t('tasks.title')} · ${t('app.name')}`;
  }, [t]);
  useEffect(() => {
    if (state.status === 'anonymous') location.replace(loginHref());
  }, [state.status]);
  const ready = state.status === 'signed-in';
  const tabs = (
    <nav className="rs-tabs" role="tablist">
      {(['tasks', 'buildings'] as const).map((id) => (
        <button key={id} type="button" role="tab" aria-selected={tab === id} className={tab === id ? 'on' : ''} onClick={() => setTab(id)} data-testid={`tasks-tab-${id}`}>
          {t(`tasks.tab.${id}`)}
        </button>
      ))}
    </nav>
  );
  return (
    <PhoneShell title={t('tasks.title')} testId="tasks-page" state={ready ? 'ready' : state.status}>
      {!ready && <p className="rs-dim">{state.status === 'anonymous' ? t('tasks.signIn') : t('resident.loading')}</p>}
      {ready && me && (
        <>
          {tabs}
          {tab === 'tasks' ? <TaskList /> : <BuildingList />}
        </>
      )}
    </PhoneShell>
  );
}

function TaskList() {
  const { t, lang } = useI18n();
  const queue = useSyncExternalStore(subscribe, queueState);
  const [catalog, setCatalog] = useState<RequestCatalog | null>(null);
  const [tasks, setTasks] = useState<RequestItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [resolving, setResolving] = useState<RequestItem | null>(null);
  // Building names for the cards ("新华国际 1号楼" rather than its code).
  const [labels, setLabels] = useState<Map<string, string>>(new Map());

  const load = useCallback(() => {
    listRequests({ status: 'reported,dispatched,accepted', limit: 200 }).then(
      (p) => setTasks(p.items.filter((r) => r.actor === 'grid_worker').sort(byUrgency)),
      (e: Error) => setError(localMessage(e.message, lang)),
    );
  }, [lang]);
  useEffect(() => {
    void fetchCatalog().then(setCatalog, () => {});
    void getJson<{ buildings: Building[] }>('/api/worker/buildings').then((r) => setLabels(new Map(r.buildings.map((b) => [b.code, b.label]))), () => {});
    void flush();
  }, []);
  // Reload after every action the server took.
  useEffect(load, [load, queue.sent]);

  const catName = (code: string) => {
    const c = catalog?.categories.find((x) => x.code === code);
    return (lang === 'en' ? c?.nameEn : c?.name) ?? code;
  };
  const pendingFor = (id: number) => queue.pending.filter((a) => a.requestId === id);
  const act = (r: RequestItem, step: QueuedAction['step'], body: unknown) =>
    enqueue({ requestId: r.id, step, path: `/api/requests/${r.id}/transition`, body });

  return (
    <div data-testid="task-list" data-count={tasks?.length ?? -1} data-pending={queue.pending.length}>
      {queue.pending.length > 0 && <p className="rs-banner" data-testid="queue-pending">{t('tasks.pending', { n: queue.pending.length })}</p>}
      {queue.failed.map((f) => <p key={f.action.key} className="rs-alert">{t('tasks.failed', { msg: localMessage(f.message, lang) })}</p>)}
      {error && <p className="rs-alert">{error}</p>}
      {tasks?.length === 0 && <p className="rs-card rs-dim">{t('tasks.empty')}</p>}
      {tasks?.map((r) => {
        const pending = pendingFor(r.id);
        return (
          <article key={r.id} className={`rs-card rs-task${r.overdue ? ' overdue' : ''}`} data-testid="task-card" data-id={r.id} data-status={r.status} data-overdue={r.overdue}>
            <div className="rs-track-top">
              <strong>{catName(r.category)}</strong>
              {r.overdue ? <span className="rs-status rs-overdue">{t('tasks.overdue')}</span> : <span className="rs-dim">{t('tasks.due', { time: shortTime(r.dueAt, lang) })}</span>}
            </div>
            <p className="rs-task-desc">{r.description}</p>
            <p className="rs-dim">
              {t(`requests.status.${r.status}` as MessageKey)} · {(r.buildingCode && labels.get(r.buildingCode)) ?? r.buildingCode ?? r.communityName ?? '—'} · #{r.id}
            </p>
            {pending.length > 0 ? (
              <p className="rs-banner" data-testid="task-pending">{t('tasks.pendingOne')}: {pending.map((a) => t(`tasks.${a.step}`)).join('、')}</p>
            ) : (
              <div className="rs-row rs-actions">
                {r.status === 'reported' && r.gridCode && (
                  <button type="button" className="rs-btn rs-primary" onClick={() => act(r, 'claim', { to: 'dispatched', assignee: { kind: 'grid_worker', code: r.gridCode } })} data-testid="task-claim">{t('tasks.claim')}</button>
                )}
                {r.status === 'dispatched' && <button type="button" className="rs-btn rs-primary" onClick={() => act(r, 'accept', { to: 'accepted' })} data-testid="task-accept">{t('tasks.accept')}</button>}
                {r.status === 'accepted' && <button type="button" className="rs-btn rs-primary" onClick={() => setResolving(r)} data-testid="task-resolve">{t('tasks.resolve')}</button>}
                {r.reporterPhone && <a className="rs-btn" href={`tel:${r.reporterPhone.replace(/[^\d+]/g, '')}`} data-testid="task-call">{t('tasks.call')}</a>}
              </div>
            )}
            {r.buildingCode && <WalkRoute building={r.buildingCode} />}
          </article>
        );
      })}
      {resolving && (
        <ResolveSheet
          title={t('tasks.resolveTitle', { what: catName(resolving.category) })}
          onCancel={() => setResolving(null)}
          onSend={(note, photo) => {
            act(resolving, 'resolve', { to: 'resolved', note, ...(photo ? { photo } : {}) });
            setResolving(null);
          }}
        />
      )}
    </div>
  );
}

function ResolveSheet({ title, onCancel, onSend }: { title: string; onCancel: () => void; onSend: (note: string, photo: string | null) => void }) {
  const { t } = useI18n();
  const [note, setNote] = useState('');
  const [photo, setPhoto] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function pick(file: File | undefined) {
    if (!file) return;
    setBusy(true);
    try {
      setPhoto(await shrinkPhoto(file));
    } catch {
      setError(t('resident.report.photoBad'));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="rs-sheet-backdrop" onClick={onCancel}>
      <div className="rs-sheet" role="dialog" aria-label={title} onClick={(e) => e.stopPropagation()} data-testid="resolve-sheet">
        <h3>{title}</h3>
        <label className="rs-label" htmlFor="rs-note">{t('tasks.note')}</label>
        <textarea id="rs-note" className="rs-input rs-textarea" rows={3} maxLength={500} placeholder={t('tasks.notePlaceholder')} value={note} onChange={(e) => setNote(e.target.value)} data-testid="resolve-note" />
        <span className="rs-label">{t('tasks.photo')}</span>
        {photo ? (
          <div className="rs-photo">
            <img src={photo} alt="" data-testid="resolve-photo-preview" />
            <button type="button" className="rs-text-btn" onClick={() => setPhoto(null)}>{t('resident.report.removePhoto')}</button>
          </div>
        ) : (
          <label className="rs-btn rs-photo-pick">
            {busy ? t('resident.report.photoShrinking') : t('resident.report.addPhoto')}
            <input type="file" accept="image/*" capture="environment" hidden onChange={(e) => void pick(e.target.files?.[0])} data-testid="resolve-photo" />
          </label>
        )}
        {error && <p className="rs-alert">{error}</p>}
        <div className="rs-row">
          <button type="button" className="rs-btn" onClick={onCancel}>{t('tasks.cancel')}</button>
          <button
            type="button"
            className="rs-btn rs-primary"
            disabled={busy}
            onClick={() => (note.trim() ? onSend(note.trim(), photo) : setError(t('tasks.needNote')))}
            data-testid="resolve-send"
          >
            {t('tasks.send')}
          </button>
        </div>
      </div>
    </div>
  );
}

function WalkRoute({ building }: { building: string }) {
  const { t, lang } = useI18n();
  const [state, setState] = useState<'idle' | 'busy' | { line: [number, number][]; minutes: number; m: number } | { error: string }>('idle');
  function go() {
    setState('busy');
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        getJson<{ minutes: number; distanceM: number; route: { coordinates: [number, number][] } }>(
          `/api/worker/route?lng=${pos.coords.longitude}&lat=${pos.coords.latitude}&building=${encodeURIComponent(building)}`,
        ).then(
          (r) => setState({ line: r.route.coordinates, minutes: Math.max(1, Math.round(r.minutes)), m: Math.round(r.distanceM) }),
          (e: Error) => setState({ error: localMessage(e.message, lang) }),
        );
      },
      () => setState({ error: t('tasks.routeNoLocation') }),
      { enableHighAccuracy: true, timeout: 15_000 },
    );
  }
  if (state === 'idle') return <button type="button" className="rs-text-btn" onClick={go} data-testid="task-route">{t('tasks.route')} →</button>;
  if (state === 'busy') return <p className="rs-dim">{t('tasks.routeLoading')}</p>;
  if ('error' in state) return <p className="rs-alert">{state.error}</p>;
  return (
    <div className="rs-route-box" data-testid="route-result">
      {state.line.length > 1 && <RouteSketch line={state.line} />}
      <p>{t('tasks.routeMinutes', { min: state.minutes, m: state.m })}</p>
    </div>
  );
}

function BuildingList() {
  const { t, lang } = useI18n();
  const [data, setData] = useState<{ grids: string[]; buildings: Building[] } | null>(null);
  const [open, setOpen] = useState<Building | null>(null);
  const [households, setHouseholds] = useState<Household[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    getJson<{ grids: string[]; buildings: Building[] }>('/api/worker/buildings').then(setData, (e: Error) => setError(localMessage(e.message, lang)));
  }, [lang]);
  useEffect(() => {
    setHouseholds(null);
    if (open) getJson<{ households: Household[] }>(`/api/buildings/${encodeURIComponent(open.code)}/households`).then((r) => setHouseholds(r.households), (e: Error) => setError(localMessage(e.message, lang)));
  }, [open, lang]);
  if (error) return <p className="rs-alert">{error}</p>;
  if (!data) return <p className="rs-dim">{t('resident.loading')}</p>;
  if (data.grids.length === 0) return <p className="rs-card rs-dim">{t('tasks.noGrid')}</p>;
  if (open) {
    return (
      <section data-testid="households">
        <button type="button" className="rs-text-btn" onClick={() => setOpen(null)}>← {t('tasks.back')}</button>
        <h2 className="rs-h2">{t('tasks.householdsTitle', { name: open.label })}</h2>
        {!households && <p className="rs-dim">{t('resident.loading')}</p>}
        <ul className="rs-list">
          {households?.map((h) => (
            <li key={h.id} className="rs-list-item" data-testid="household">
              <span><strong>{h.unit}-{h.room}</strong> {h.headName ?? '—'} · {t('tasks.persons', { n: h.size })}</span>
              {h.headPhone && (/\*/.test(h.headPhone) ? <span className="rs-dim">{h.headPhone}</span> : <a href={`tel:${h.headPhone}`}>{h.headPhone}</a>)}
              {h.tags && h.tags.length > 0 && <span className="rs-tags">{h.tags.join(' · ')}</span>}
            </li>
          ))}
        </ul>
      </section>
    );
  }
  return (
    <ul className="rs-list" data-testid="building-list">
      {data.buildings.map((b) => (
        <li key={b.code}>
          <button type="button" className="rs-list-item rs-list-btn" onClick={() => setOpen(b)} data-testid="building-item">
            <span><strong>{b.label}</strong> <span className="rs-dim">{b.gridCode}</span></span>
            <span className="rs-dim">
              {t('tasks.households', { n: b.households, p: b.residents })}
              {b.openRequests > 0 && <> · <span className="rs-warn">{t('tasks.openRequests', { n: b.openRequests })}</span></>}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}
