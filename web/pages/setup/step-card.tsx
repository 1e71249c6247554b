/**
 * One step of the set-up stepper: its number, name, state (to do / partly done / done / problems),
 * what is there (counts), what is wrong (problems, zh + en from the server) and, when opened, the
 * step's action. A done step shows "redo" to open its action again.
 */
import type { ReactNode } from 'react';
import { type Lang, useI18n } from '../../i18n/i18n';
import { type MessageKey, zhCN } from '../../i18n/zh-cn';
import type { SetupStep } from './setup-api';

/** A count's label: the dictionary's word for a known key, else the key itself. */
function countLabel(key: string, t: (k: MessageKey) => string): string {
  const k = `setup.count.${key}`;
  return k in zhCN ? t(k as MessageKey) : key;
}

/** Figures not shown as counts: ids, shares and the walk network's node count. */
const HIDDEN = new Set(['plan', 'largestShare', 'nodes', 'components']);

function CountList({ counts }: { counts: SetupStep['counts'] }) {
  const { t, num } = useI18n();
  const shown = Object.entries(counts).filter(([k, v]) => typeof v === 'number' && !HIDDEN.has(k));
  if (!shown.length && typeof counts.plan !== 'number') return null;
  return (
    <ul className="setup-counts" data-testid="setup-counts">
      {typeof counts.plan === 'number' && (
        <li data-count="plan">{t(counts.status === 'draft' ? 'setup.count.draft' : 'setup.count.planPublished', { plan: counts.plan })}</li>
      )}
      {shown.map(([k, v]) => (
        <li key={k} data-count={k}><b>{num(v as number)}</b> {countLabel(k, t)}</li>
      ))}
    </ul>
  );
}

const problemText = (p: SetupStep['problems'][number], lang: Lang) => (lang === 'en' ? p.en : p.zh);

export function StepCard({ index, step, open, onToggle, children }: {
  index: number;
  step: SetupStep;
  open: boolean;
  onToggle: () => void;
  children: ReactNode;
}) {
  const { t, lang, num } = useI18n();
  const toggleLabel = open ? t('setup.close') : step.state === 'done' ? t('setup.redo') : t('setup.open');
  return (
    <li className={`setup-step setup-step-${step.state}${open ? ' is-open' : ''}`} data-testid={`setup-step-${step.key}`} data-state={step.state}>
      <div className="setup-step-head">
        <span className="setup-step-num" aria-hidden="true">{step.state === 'done' ? '✓' : index + 1}</span>
        <div className="setup-step-title">
          <h2>{t(`setup.step.${step.key}`)}</h2>
          <span className={`setup-badge setup-badge-${step.state}`} data-testid="setup-step-state">{t(`setup.state.${step.state}`)}</span>
        </div>
        <button type="button" className={open || step.state === 'done' ? 'btn btn-small' : 'btn btn-small btn-primary'}
          onClick={onToggle} data-testid={`setup-toggle-${step.key}`}>{toggleLabel}</button>
      </div>
      <div className="setup-step-info">
        <p className="dim">{t(`setup.hint.${step.key}`)}</p>
        <CountList counts={step.counts} />
        {step.problems.length > 0 && (
          <ul className="setup-problems" data-testid="setup-problems">
            {step.problems.map((p, i) => (
              <li key={i} className="form-warning">{problemText(p, lang)}{p.count > 1 && !problemText(p, lang).includes(String(p.count)) ? ` (${num(p.count)})` : ''}</li>
            ))}
          </ul>
        )}
      </div>
      {open && <div className="setup-step-body" data-testid={`setup-body-${step.key}`}>{children}</div>}
    </li>
  );
}
