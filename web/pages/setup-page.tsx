/**
 * `/setup` (初始化向导, issue #15.3): onboarding from an empty database for admins and planners.
 * A vertical stepper — boundaries → buildings → household rosters → facilities → walking network →
 * automatic partition → review and publish — with each step's state, counts and problems from
 * `GET /api/setup/status`, the step's action (the /import console with the step's layer, roster
 * generation, partition of every community, publish) and "redo" on done steps; on the right a map
 * of what has been loaded (setup/setup-map.tsx). `?street=<code>` picks the street.
 */
import { useCallback, useEffect, useState } from 'react';
import { setApiStreet } from '../http/api-client';
import { useI18n } from '../i18n/i18n';
import { localMessage } from '../i18n/server-message';
import { PlanningPage } from '../ui/planning-page';
import { ImportConsole } from './import-page';
import type { ImportLayer } from './import/types';
import { type SetupStatus, type StepKey, type StreetChoice, fetchSetupStatus, fetchStreets } from './setup/setup-api';
import { SetupMap } from './setup/setup-map';
import { PartitionAction, PublishAction, RosterAction } from './setup/step-actions';
import { StepCard } from './setup/step-card';

export function SetupPage() {
  return (
    <PlanningPage title="setup.title" forbidden="setup.forbidden" testId="setup" innerClass="setup-inner">
      <SetupWizard />
    </PlanningPage>
  );
}

/** Steps whose action is an upload through the importer, with the layer they import into. */
const IMPORT_STEPS: Partial<Record<StepKey, ImportLayer>> = {
  boundaries: 'boundaries', buildings: 'buildings', facilities: 'facilities', walk: 'walk',
};

function SetupWizard() {
  const { t, lang } = useI18n();
  const [street, setStreet] = useState(() => new URLSearchParams(location.search).get('street'));
  /** The streets of `GET /api/territory`; null until read. */
  const [streets, setStreets] = useState<StreetChoice[] | null>(null);
  const [status, setStatus] = useState<SetupStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  /** The open step; undefined until the first status (then the first step not done). */
  const [open, setOpen] = useState<StepKey | null | undefined>(undefined);

  // Everything the steps call through api-client.ts (the import console, its preview map) asks
  // about this street: with several streets, a street-wide call without one is 400 street_required.
  useEffect(() => setApiStreet(street), [street]);

  const pickStreet = useCallback((code: string) => {
    setStreet(code);
    history.replaceState(null, '', `/setup?street=${encodeURIComponent(code)}`);
  }, []);

  // After every step: the streets (boundary imports make them), then the status of the street.
  // Several streets and none named: the first is picked instead of asking about none.
  useEffect(() => {
    const ctrl = new AbortController();
    (async () => {
      const list = await fetchStreets(ctrl.signal).catch((e: unknown) => {
        if (e instanceof DOMException && e.name === 'AbortError') throw e;
        return [];
      });
      setStreets(list);
      if (!street && list.length > 1) return pickStreet(list[0].code);
      const s = await fetchSetupStatus(street, ctrl.signal);
      setStatus(s);
      setError(null);
      setOpen((o) => (o === undefined ? (s.steps.find((x) => x.state !== 'done')?.key ?? null) : o));
    })().catch((e: unknown) => {
      if (!(e instanceof DOMException && e.name === 'AbortError')) setError(localMessage((e as Error).message, lang));
    });
    return () => ctrl.abort();
  }, [street, version, lang, pickStreet]);

  const changed = useCallback(() => setVersion((v) => v + 1), []);

  const action = (key: StepKey) => {
    const layer = IMPORT_STEPS[key];
    if (layer) return <ImportConsole fixedLayer={layer} onWritten={changed} />;
    if (key === 'households') {
      return (
        <>
          <RosterAction street={street} onChanged={changed} />
          <p className="dim setup-or">{t('setup.rosters.or')}</p>
          <ImportConsole fixedLayer="households" onWritten={changed} />
        </>
      );
    }
    const plan = (k: StepKey) => status?.steps.find((x) => x.key === k)?.counts;
    const draft = plan('partition')?.status === 'draft' ? Number(plan('partition')?.plan) : null;
    if (key === 'partition') return <PartitionAction street={street} draft={draft} onChanged={changed} />;
    const live = typeof plan('publish')?.plan === 'number' ? Number(plan('publish')?.plan) : null;
    return <PublishAction key={`${draft}-${live}`} street={street} draft={draft} live={live} onChanged={changed} />;
  };

  return (
    <>
      <div className="page-head setup-head">
        <h1 className="page-title">{t('setup.title')}</h1>
        <label className="field setup-street">
          <span>{t('setup.street')}</span>
          <select value={status?.street?.code ?? street ?? ''} disabled={!streets || streets.length < 2} onChange={(e) => pickStreet(e.target.value)} data-testid="setup-street">
            {!streets?.length && <option value="">{t('setup.street.none')}</option>}
            {streets?.map((s) => <option key={s.code} value={s.code}>{s.district ? `${s.district} · ${s.name}` : s.name}</option>)}
          </select>
        </label>
        <button type="button" className="btn btn-small" onClick={changed} data-testid="setup-refresh">{t('setup.refresh')}</button>
      </div>
      <p className="dim setup-intro">{t('setup.intro')}</p>
      {error && <p className="form-error" role="alert" data-testid="setup-load-error">{t('setup.loadError', { message: error })}</p>}
      <div className="setup-layout">
        <ol className="setup-steps" data-testid="setup-steps" data-version={version}>
          {status?.steps.map((s, i) => (
            <StepCard key={s.key} index={i} step={s} open={open === s.key} onToggle={() => setOpen(open === s.key ? null : s.key)}>
              {action(s.key)}
            </StepCard>
          ))}
        </ol>
        <SetupMap street={street} version={version} />
      </div>
    </>
  );
}
