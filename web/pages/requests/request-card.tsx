/**
 * One request as a card (board column or "my grids" list) with the steps the signed-in user may
 * take; steps that need input (assignee, note, rating) open a small dialog. The server decides
 * (geo/requests/lifecycle.ts); the buttons only offer what it would accept.
 */
import { useState } from 'react';
import type { RequestStatus } from '../../../geo/requests/lifecycle';
import { ApiError } from '../../http/api-client';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/zh-cn';
import { Dialog } from '../../ui/dialog';
import { localMessage } from '../../i18n/server-message';
import { type RequestCatalog, type RequestItem, type TransitionBody, markRequestSpam, transition } from './requests-api';

type Step = 'dispatch' | 'claim' | 'accept' | 'resolve' | 'escalate' | 'rate' | 'close' | 'reopen' | 'cancel';
interface Action {
  step: Step;
  to: RequestStatus;
  needs: ('assignee' | 'department' | 'note' | 'rating')[];
}

export function actionsFor(r: RequestItem): Action[] {
  const d = r.actor === 'dispatcher';
  const w = r.actor === 'grid_worker';
  const a: Action[] = [];
  if (r.status === 'reported') {
    if (d) a.push({ step: 'dispatch', to: 'dispatched', needs: ['assignee'] }, { step: 'cancel', to: 'closed', needs: ['note'] });
    if (w) a.push({ step: 'claim', to: 'dispatched', needs: [] });
  } else if (r.status === 'dispatched') {
    if ((w && r.assigneeKind === 'grid_worker') || d) a.push({ step: 'accept', to: 'accepted', needs: [] });
    if (d) a.push({ step: 'dispatch', to: 'dispatched', needs: ['assignee'] });
  } else if (r.status === 'accepted') {
    if (d || w) a.push({ step: 'resolve', to: 'resolved', needs: ['note'] });
    if (w) a.push({ step: 'escalate', to: 'dispatched', needs: ['department', 'note'] });
    if (d) a.push({ step: 'dispatch', to: 'dispatched', needs: ['assignee'] });
  } else if (d) {
    // A resident's own report is rated by the resident through the tracking link (issue #18).
    if (r.status === 'resolved' && r.channel !== 'resident') a.push({ step: 'rate', to: 'rated', needs: ['rating'] });
    if (r.status === 'resolved' || r.status === 'rated') a.push({ step: 'close', to: 'closed', needs: [] });
    a.push({ step: 'reopen', to: 'dispatched', needs: ['note'] });
  }
  return a;
}

const ageText = (iso: string, lang: string) => {
  const h = (Date.now() - Date.parse(iso)) / 3_600_000;
  if (h < 1) return lang === 'en' ? `${Math.max(1, Math.round(h * 60))} min ago` : `${Math.max(1, Math.round(h * 60))} 分钟前`;
  if (h < 48) return lang === 'en' ? `${Math.round(h)} h ago` : `${Math.round(h)} 小时前`;
  return lang === 'en' ? `${Math.round(h / 24)} d ago` : `${Math.round(h / 24)} 天前`;
};

export function RequestCard({ r, catalog, onChanged, readOnly }: { r: RequestItem; catalog: RequestCatalog; onChanged: () => void; readOnly: boolean }) {
  const { t, lang } = useI18n();
  const [open, setOpen] = useState<Action | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cat = catalog.categories.find((c) => c.code === r.category);
  const dept = r.assigneeKind === 'department' ? catalog.departments.find((x) => x.code === r.assignee) : null;
  const assigneeText = r.assigneeKind === 'grid_worker' ? t('requests.assignee.gridWorker', { grid: r.gridCode ?? '' }) : dept ? (lang === 'en' ? dept.nameEn : dept.name) : null;

  const run = async (a: Action, body: Omit<TransitionBody, 'to'>) => {
    setBusy(true);
    setError(null);
    try {
      await transition(r.id, { to: a.to, ...body });
      setOpen(null);
      onChanged();
    } catch (e) {
      const msg = e instanceof ApiError ? e.message : String(e);
      const [zh, en] = msg.split(' / ');
      setError(lang === 'en' ? (en ?? zh) : zh);
    } finally {
      setBusy(false);
    }
  };
  // Issue #18: a dispatcher marks a resident's own report as spam (audited; an untouched one is cancelled).
  const markSpam = async () => {
    if (!confirm(t('resident.spam.confirm', { id: r.id }))) return;
    setBusy(true);
    setError(null);
    try {
      await markRequestSpam(r.id);
      onChanged();
    } catch (e) {
      setError(localMessage(e instanceof ApiError ? e.message : String(e), lang));
    } finally {
      setBusy(false);
    }
  };
  const click = (a: Action) => {
    if (a.needs.length === 0) void run(a, a.step === 'claim' ? { assignee: { kind: 'grid_worker', code: r.gridCode ?? '' } } : {});
    else setOpen(a);
  };

  return (
    <div className={`request-card${r.overdue ? ' overdue' : ''}`} data-testid="request-card" data-id={r.id} data-status={r.status} data-overdue={r.overdue}>
      <div className="request-card-head">
        <span className="request-cat" style={{ background: cat?.color ?? '#888' }}>{cat ? (lang === 'en' ? cat.nameEn : cat.name) : r.category}</span>
        <span className="request-id">#{r.id}</span>
        {r.overdue && <span className="request-overdue">{t('requests.overdue')}</span>}
        {r.spam && <span className="request-overdue">{t('resident.spam.tag')}</span>}
        {r.level !== 'grid' && <span className="request-level">↑{t(`requests.level.${r.level}` as MessageKey)}</span>}
      </div>
      <div className="request-desc">{r.description}</div>
      <div className="request-meta">
        {r.communityName ?? ''} · {r.gridCode ?? t('requests.unassigned')} · {t(`requests.channel.${r.channel}` as MessageKey)} · {ageText(r.reportedAt, lang)}
      </div>
      {assigneeText && <div className="request-meta">→ {assigneeText}</div>}
      {r.rating !== null && <div className="request-meta">{'★'.repeat(r.rating)}{'☆'.repeat(5 - r.rating)}</div>}
      {!readOnly && (
        <div className="request-actions">
          {actionsFor(r).map((a) => (
            <button key={a.step} className="btn-small" data-testid={`act-${a.step}`} disabled={busy} onClick={() => click(a)}>
              {t(`requests.act.${a.step}` as MessageKey)}
            </button>
          ))}
          {r.channel === 'resident' && r.actor === 'dispatcher' && !r.spam && (
            <button className="btn-small" data-testid="act-spam" disabled={busy} onClick={() => void markSpam()}>
              {t('resident.spam.mark')}
            </button>
          )}
        </div>
      )}
      {error && !open && <div className="planner-error" data-testid="request-error">{error}</div>}
      {open && (
        <StepDialog r={r} action={open} catalog={catalog} busy={busy} error={error} onClose={() => { setOpen(null); setError(null); }} onSubmit={(body) => run(open, body)} />
      )}
    </div>
  );
}

function StepDialog({ r, action, catalog, busy, error, onClose, onSubmit }: {
  r: RequestItem;
  action: Action;
  catalog: RequestCatalog;
  busy: boolean;
  error: string | null;
  onClose: () => void;
  onSubmit: (body: Omit<TransitionBody, 'to'>) => void;
}) {
  const { t, lang } = useI18n();
  const departments = catalog.departments;
  const firstChoice = action.needs.includes('department') || !r.gridCode ? `department:${departments[0]?.code}` : `grid_worker:${r.gridCode}`;
  const [assignee, setAssignee] = useState(firstChoice);
  const [note, setNote] = useState('');
  const [rating, setRating] = useState(5);
  const submit = () => {
    const [kind, code] = assignee.split(':') as ['grid_worker' | 'department', string];
    onSubmit({
      ...(action.needs.includes('assignee') || action.needs.includes('department') ? { assignee: { kind, code } } : {}),
      ...(action.needs.includes('note') ? { note } : {}),
      ...(action.needs.includes('rating') ? { rating } : {}),
    });
  };
  return (
    <Dialog title={`${t(`requests.act.${action.step}` as MessageKey)} #${r.id}`} onClose={onClose} testId="step-dialog">
      <div className="dialog-body form-stack">
        {(action.needs.includes('assignee') || action.needs.includes('department')) && (
          <label className="field">
            {t('requests.assignee')}
            <select data-testid="step-assignee" value={assignee} onChange={(e) => setAssignee(e.target.value)}>
              {action.needs.includes('assignee') && r.gridCode && (
                <option value={`grid_worker:${r.gridCode}`}>{t('requests.assignee.gridWorker', { grid: r.gridCode })}</option>
              )}
              {departments.map((d) => (
                <option key={d.code} value={`department:${d.code}`}>
                  {lang === 'en' ? d.nameEn : d.name} ({t(`requests.level.${d.level}` as MessageKey)})
                </option>
              ))}
            </select>
          </label>
        )}
        {action.needs.includes('rating') && (
          <label className="field">
            {t('requests.rating')}
            <select data-testid="step-rating" value={rating} onChange={(e) => setRating(Number(e.target.value))}>
              {[5, 4, 3, 2, 1].map((n) => <option key={n} value={n}>{'★'.repeat(n)} {n}</option>)}
            </select>
          </label>
        )}
        {action.needs.includes('note') && (
          <label className="field">
            {action.step === 'resolve' ? t('requests.note.resolve') : t('requests.note')}
            <textarea data-testid="step-note" rows={3} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} />
          </label>
        )}
        {error && <div className="planner-error" data-testid="step-error">{error}</div>}
        <div className="dialog-actions">
          <button className="btn" onClick={onClose}>{t('requests.act.cancelDialog')}</button>
          <button className="btn btn-primary" data-testid="step-submit" disabled={busy} onClick={submit}>{t('requests.act.submit')}</button>
        </div>
      </div>
    </Dialog>
  );
}
