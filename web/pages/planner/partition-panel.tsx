/**
 * The automatic partition panel (issue #5): choose community, mode and seed, start a partition job
 * on the server, follow its progress over server-sent events (GET /api/jobs/:id/events), cancel it,
 * and when it is done open the new draft plan through `onOpenDraft`. Self-contained: the planner
 * page only mounts it.
 */
import { useEffect, useRef, useState } from 'react';
import { ApiError, getJson, sendJson } from '../../http/api-client';
import type { MessageKey } from '../../i18n/zh-cn';
import { useI18n } from '../../i18n/i18n';
import { Dialog } from '../../ui/dialog';
import type { PlanSummary } from './plan-api';

interface JobView {
  id: string;
  status: 'running' | 'writing' | 'done' | 'failed' | 'cancelled';
  progress: number;
  stage: string;
  result: { plan: number; grids: number; inBand: number; moved: number; infeasible: unknown[] } | null;
  error: { code: string; message: string } | null;
}

export function PartitionPanel({
  sourcePlanId,
  communities,
  defaultCommunity,
  fixedCommunity,
  onClose,
  onOpenDraft,
}: {
  /** The plan to start from; the published plan when null. */
  sourcePlanId: number | null;
  communities: { code: string; name: string }[];
  defaultCommunity: string | null;
  /** A community planner's own community: no choice offered. */
  fixedCommunity?: string;
  onClose: () => void;
  onOpenDraft: (planId: number) => void;
}) {
  const { t, lang } = useI18n();
  const [source, setSource] = useState<number | null>(sourcePlanId);
  const [community, setCommunity] = useState(fixedCommunity ?? defaultCommunity ?? communities[0]?.code ?? '');
  const [mode, setMode] = useState<'fresh' | 'rebalance'>('rebalance');
  const [seed, setSeed] = useState(1);
  const [objective, setObjective] = useState<'households' | 'load'>('households');
  const [job, setJob] = useState<JobView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const events = useRef<EventSource | null>(null);

  useEffect(() => {
    if (sourcePlanId !== null) return;
    getJson<PlanSummary[]>('/api/plans').then(
      (plans) => setSource(plans.find((p) => p.status === 'published')?.id ?? null),
      () => setSource(null),
    );
  }, [sourcePlanId]);
  useEffect(() => () => events.current?.close(), []);

  const message = (e: unknown) => {
    const text = e instanceof ApiError || e instanceof Error ? e.message : String(e);
    const [zh, en] = text.split(' / ');
    return lang === 'en' ? (en ?? zh) : zh;
  };

  const follow = (id: string) => {
    events.current?.close();
    const es = new EventSource(`/api/jobs/${id}/events`);
    events.current = es;
    const onEvent = (ev: MessageEvent<string>) => {
      const v = JSON.parse(ev.data) as JobView;
      setJob(v);
      if (v.status === 'done' || v.status === 'failed' || v.status === 'cancelled') es.close();
    };
    for (const name of ['progress', 'done', 'failed', 'cancelled']) es.addEventListener(name, onEvent as EventListener);
    // The server ends the stream after the last event; a dropped connection falls back to one read.
    es.onerror = () => {
      es.close();
      getJson<JobView>(`/api/jobs/${id}`).then(setJob, (e) => setError(message(e)));
    };
  };

  const start = async () => {
    if (source === null) return;
    setError(null);
    try {
      const { job: j } = await sendJson<{ job: JobView }>('POST', `/api/plans/${source}/partition`, { community, mode, seed, objective });
      setJob(j);
      follow(j.id);
    } catch (e) {
      setError(message(e));
    }
  };

  const cancel = async () => {
    if (!job) return;
    try {
      setJob(await sendJson<JobView>('DELETE', `/api/jobs/${job.id}`));
      events.current?.close();
    } catch (e) {
      setError(message(e));
    }
  };

  const busy = job !== null && (job.status === 'running' || job.status === 'writing');
  const pct = Math.round((job?.progress ?? 0) * 100);
  const stageKey = `partition.stage.${job?.stage ?? 'queued'}` as MessageKey;
  return (
    <Dialog title={t('partition.title')} onClose={onClose} testId="partition-panel">
      <div className="dialog-body form-stack">
        <p>{t('partition.intro')}</p>
        {source !== null ? <p data-testid="partition-source">{t('partition.source', { id: source })}</p> : <p className="form-error">{t('partition.noSource')}</p>}
        <label className="field">
          <span>{t('partition.community')}</span>
          <select data-testid="partition-community" value={community} disabled={busy || !!fixedCommunity} onChange={(e) => setCommunity(e.target.value)}>
            {communities.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('partition.mode')}</span>
          <select data-testid="partition-mode" value={mode} disabled={busy} onChange={(e) => setMode(e.target.value as 'fresh' | 'rebalance')}>
            <option value="rebalance">{t('partition.mode.rebalance')}</option>
            <option value="fresh">{t('partition.mode.fresh')}</option>
          </select>
        </label>
        <label className="field">
          <span>{t('party.objective')}</span>
          <select data-testid="partition-objective" value={objective} disabled={busy} onChange={(e) => setObjective(e.target.value as 'households' | 'load')}>
            <option value="households">{t('party.objective.households')}</option>
            <option value="load">{t('party.objective.load')}</option>
          </select>
        </label>
        <label className="field">
          <span>{t('partition.seed')}</span>
          <input data-testid="partition-seed" type="number" min={0} step={1} value={seed} disabled={busy} onChange={(e) => setSeed(Math.max(0, Math.floor(Number(e.target.value) || 0)))} />
        </label>
        {job && (
          <div data-testid="partition-progress" data-status={job.status} role="status">
            <progress max={100} value={pct} style={{ width: '100%' }} />
            {busy && <div>{t('partition.running', { pct })} · {t(stageKey)}</div>}
            {job.status === 'done' && job.result && (
              <div>
                <p data-testid="partition-done">{t('partition.done', { grids: job.result.grids, inBand: job.result.inBand, moved: job.result.moved })}</p>
                {job.result.infeasible.length > 0 && <p>{t('partition.infeasible', { n: job.result.infeasible.length })}</p>}
              </div>
            )}
            {job.status === 'cancelled' && <p>{t('partition.cancelled')}</p>}
            {job.status === 'failed' && <p className="form-error">{t('partition.failed', { msg: job.error ? message(job.error) : '' })}</p>}
          </div>
        )}
        {error && <p className="form-error" data-testid="partition-error">{error}</p>}
        <div className="dialog-actions">
          {busy ? (
            <button type="button" className="btn" data-testid="partition-cancel" disabled={job?.status !== 'running'} onClick={() => void cancel()}>
              {t('partition.cancel')}
            </button>
          ) : (
            <button type="button" className="btn btn-primary" data-testid="partition-start" disabled={source === null || !community} onClick={() => void start()}>
              {t('partition.start')}
            </button>
          )}
          {job?.status === 'done' && job.result && (
            <button type="button" className="btn btn-primary" data-testid="partition-open" onClick={() => onOpenDraft(job.result!.plan)}>
              {t('partition.openDraft', { id: job.result.plan })}
            </button>
          )}
          <button type="button" className="btn" onClick={onClose}>
            {t('partition.close')}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
