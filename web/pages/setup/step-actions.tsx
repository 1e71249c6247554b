/**
 * The actions of the set-up steps that are not file imports: generate household rosters, run the
 * automatic partition of every community, review the draft in the planner and publish it.
 * Each calls `onChanged` after it changed the database, so the page re-reads the status and map.
 */
import { useEffect, useState } from 'react';
import { getJson, query } from '../../http/api-client';
import { useI18n } from '../../i18n/i18n';
import { localMessage } from '../../i18n/server-message';
import { publishPlan, validatePlan, type Validation } from '../planner/plan-api';
import { partitionAll, type PartitionAllResult, type PartitionProgress } from './partition-all';
import { generateRosters, type RosterResult } from './setup-api';

interface ActionProps { street: string | null; onChanged: () => void }

/** Runs one async action at a time and keeps its error in the page's language. */
function useAction() {
  const { lang } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async <T,>(fn: () => Promise<T>): Promise<T | null> => {
    setBusy(true);
    setError(null);
    try {
      return await fn();
    } catch (e) {
      setError(localMessage((e as Error).message, lang));
      return null;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

function ErrorLine({ error }: { error: string | null }) {
  return error ? <p className="form-error" role="alert" data-testid="setup-error">{error}</p> : null;
}

export function RosterAction({ street, onChanged }: ActionProps) {
  const { t } = useI18n();
  const { busy, error, run } = useAction();
  const [done, setDone] = useState<RosterResult | null>(null);
  const go = async (replace: boolean) => {
    const r = await run(() => generateRosters(street, replace));
    if (r) {
      setDone(r);
      onChanged();
    }
  };
  return (
    <div className="setup-action">
      <div className="setup-buttons">
        <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void go(false)} data-testid="setup-rosters-generate">{t('setup.rosters.generate')}</button>
        <button type="button" className="btn" disabled={busy} onClick={() => void go(true)} data-testid="setup-rosters-replace">{t('setup.rosters.replace')}</button>
      </div>
      {busy && <p className="dim">{t('setup.rosters.running')}</p>}
      {done && <p className="form-ok" data-testid="setup-rosters-done">{t('setup.rosters.done', { buildings: done.withHouseholds, households: done.households })}</p>}
      <ErrorLine error={error} />
    </div>
  );
}

interface CommunityProps { code: string; name: string; shortName?: string; buildings?: number }

/** `draft`: the street's newest draft (from the status), offered for review before a new run. */
export function PartitionAction({ street, draft, onChanged }: ActionProps & { draft: number | null }) {
  const { t } = useI18n();
  const { busy, error, run } = useAction();
  const [progress, setProgress] = useState<PartitionProgress | null>(null);
  const [result, setResult] = useState<PartitionAllResult | null>(null);
  const go = async () => {
    setResult(null);
    const r = await run(async () => {
      const fc = await getJson<GeoJSON.FeatureCollection<GeoJSON.Geometry, CommunityProps>>(`/api/layers/communities${query({ street: street ?? undefined })}`);
      // The layer answers for the street asked for (issue #15): its communities that have buildings.
      const list = fc.features.map((f) => f.properties).filter((c) => (c.buildings ?? 1) > 0)
        .map((c) => ({ code: c.code, name: c.shortName || c.name }));
      return partitionAll(street, list, setProgress);
    });
    setProgress(null);
    if (r) {
      setResult(r);
      onChanged();
    }
  };
  return (
    <div className="setup-action">
      <div className="setup-buttons">
        <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void go()} data-testid="setup-partition-run">{t('setup.partition.run')}</button>
        {!result && draft !== null && <a className="btn" href={`/planner?plan=${draft}`}>{t('setup.review', { plan: draft })}</a>}
      </div>
      {progress && (
        <div className="import-progress" data-testid="setup-partition-progress">
          <progress max={progress.total} value={progress.index - 1 + progress.pct / 100} />
          <span>{t('setup.partition.progress', { name: progress.name, i: progress.index, n: progress.total, pct: progress.pct })}</span>
        </div>
      )}
      {result && (
        <>
          <p className="form-ok" data-testid="setup-partition-done" data-plan={result.plan}>
            {result.communities ? t('setup.partition.done', { n: result.communities, grids: result.grids, inBand: result.inBand, plan: result.plan }) : t('setup.partition.none')}
          </p>
          {result.skipped.map((s) => <p key={s.name} className="form-warning">{t('setup.partition.skipped', { name: s.name, reason: s.reason })}</p>)}
          <a className="btn" href={`/planner?plan=${result.plan}`} data-testid="setup-review">{t('setup.review', { plan: result.plan })}</a>
        </>
      )}
      <ErrorLine error={error} />
    </div>
  );
}

/**
 * `draft`: the street's draft newer than its published plan (the partition step's plan), null when
 * there is none; `live`: the published plan, if any.
 */
export function PublishAction({ street, draft, live, onChanged }: ActionProps & { draft: number | null; live: number | null }) {
  const { t } = useI18n();
  const { busy, error, run } = useAction();
  const [check, setCheck] = useState<Validation | null>(null);
  const [reason, setReason] = useState(() => t('setup.publish.reasonDefault'));

  useEffect(() => {
    if (draft) void run(() => validatePlan(draft)).then(setCheck);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- validate once per draft
  }, [draft]);

  if (draft === null && live !== null) return <PublishedLine street={street} plan={live} />;
  if (draft === null) return <p className="dim" data-testid="setup-publish-nodraft">{t('setup.publish.noDraft')}</p>;
  const publish = async () => {
    const ok = await run(() => publishPlan(draft, reason.trim() || undefined));
    if (ok !== null) onChanged(); // the status then shows no newer draft: the published line
  };
  return (
    <div className="setup-action" data-testid="setup-publish" data-plan={draft}>
      <p>
        {t('setup.publish.draft', { plan: draft })} · <a href={`/planner?plan=${draft}`} data-testid="setup-publish-review">{t('setup.review', { plan: draft })}</a>
      </p>
      {check && (
        <p className={check.errors ? 'form-warning' : 'form-ok'} data-testid="setup-publish-check">
          {check.errors || check.warnings ? t('setup.publish.problems', { errors: check.errors, warnings: check.warnings }) : t('setup.publish.valid')}
        </p>
      )}
      <label className="field">
        <span>{t('setup.publish.reason')}</span>
        <input type="text" value={reason} onChange={(e) => setReason(e.target.value)} data-testid="setup-publish-reason" />
      </label>
      <div className="setup-buttons">
        <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void publish()} data-testid="setup-publish-run">{t('setup.publish.run')}</button>
      </div>
      <ErrorLine error={error} />
    </div>
  );
}

/** After a publish: which plan went live, and the map of the street. */
function PublishedLine({ street, plan }: { street: string | null; plan: number }) {
  const { t } = useI18n();
  return (
    <div className="setup-action">
      <p className="form-ok" data-testid="setup-published">{t('setup.publish.done', { plan })}</p>
      <div className="setup-buttons">
        <a className="btn btn-primary" href={`/${query({ street: street ?? undefined })}`} data-testid="setup-open-map">{t('setup.publish.openMap')}</a>
      </div>
    </div>
  );
}
