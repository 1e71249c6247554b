/**
 * 审计日志: search `GET /api/audit` by actor, action, target and date range; a paged table with
 * local times and actions in the UI language.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { fetchAudit, type AuditItem, type AuditPage } from '../../http/auth-api';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/zh-cn';
import { formatDetail, formatLocalTime, localDayIso } from './format';
import { useErrorText } from './use-error-text';

const PAGE_SIZE = 50;

/** Actions the server records today; others (added later) still show, by their code. */
export const AUDIT_ACTIONS = [
  'login',
  'login_failed',
  'logout',
  'password_change',
  'kiosk_create',
  'kiosk_revoke',
  'kiosk_login',
  'household_read',
  'login_unlock',
] as const;

const ACTION_TONE: Record<string, string> = {
  login_failed: 'warn',
  kiosk_create: 'accent',
  kiosk_revoke: 'warn',
  kiosk_login: 'accent',
  household_read: 'data',
  password_change: 'accent',
  login_unlock: 'warn',
};

const TARGET_KEYS: Record<string, MessageKey> = { kiosk: 'target.kiosk', building: 'target.building', user: 'target.user' };

interface Filter {
  actor: string;
  action: string;
  target: string;
  from: string;
  to: string;
}

const EMPTY: Filter = { actor: '', action: '', target: '', from: '', to: '' };

export function AuditLog() {
  const { t, lang, num } = useI18n();
  const errorText = useErrorText();
  const [draft, setDraft] = useState<Filter>(EMPTY);
  const [query, setQuery] = useState<{ filter: Filter; offset: number; n: number }>({ filter: EMPTY, offset: 0, n: 0 });
  const [data, setData] = useState<AuditPage | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);

  useEffect(() => {
    const ctrl = new AbortController();
    const f = query.filter;
    setLoading(true);
    fetchAudit(
      {
        actor: f.actor.trim() || undefined,
        action: f.action || undefined,
        target: f.target.trim() || undefined,
        from: localDayIso(f.from),
        to: localDayIso(f.to, 1),
        limit: PAGE_SIZE,
        offset: query.offset,
      },
      ctrl.signal,
    ).then(
      (page) => {
        setData(page);
        setError(null);
        setLoading(false);
      },
      (e: unknown) => {
        const text = errorText(e);
        if (text === null) return;
        setError(text);
        setLoading(false);
      },
    );
    return () => ctrl.abort();
  }, [query, errorText]);

  const actionLabel = (a: string) =>
    (AUDIT_ACTIONS as readonly string[]).includes(a) ? t(`action.${a}` as MessageKey) : a;

  function search(e: FormEvent) {
    e.preventDefault();
    if (draft.from && draft.to && draft.to < draft.from) {
      setFormError(t('audit.badRange'));
      return;
    }
    setFormError(null);
    setQuery((q) => ({ filter: draft, offset: 0, n: q.n + 1 }));
  }

  function reset() {
    setDraft(EMPTY);
    setFormError(null);
    setQuery((q) => ({ filter: EMPTY, offset: 0, n: q.n + 1 }));
  }

  const set = (k: keyof Filter) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [k]: e.target.value }));
  const total = data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const page = Math.floor(query.offset / PAGE_SIZE) + 1;
  const go = (p: number) => setQuery((q) => ({ ...q, offset: (p - 1) * PAGE_SIZE, n: q.n + 1 }));

  return (
    <section className="admin-section" data-testid="audit-log">
      <form className="filter-bar panel" onSubmit={search} data-testid="audit-filter">
        <label className="field">
          <span>{t('audit.actor')}</span>
          <input value={draft.actor} onChange={set('actor')} placeholder={t('audit.actorPlaceholder')} maxLength={80} data-testid="audit-actor" />
        </label>
        <label className="field">
          <span>{t('audit.action')}</span>
          <select value={draft.action} onChange={set('action')} data-testid="audit-action">
            <option value="">{t('audit.allActions')}</option>
            {AUDIT_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {actionLabel(a)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('audit.target')}</span>
          <input value={draft.target} onChange={set('target')} placeholder={t('audit.targetPlaceholder')} maxLength={80} data-testid="audit-target" />
        </label>
        <label className="field field-date">
          <span>{t('audit.from')}</span>
          <input type="date" value={draft.from} max={draft.to || undefined} onChange={set('from')} data-testid="audit-from" />
        </label>
        <label className="field field-date">
          <span>{t('audit.to')}</span>
          <input type="date" value={draft.to} min={draft.from || undefined} onChange={set('to')} data-testid="audit-to" />
        </label>
        <div className="filter-actions">
          <button type="submit" className="btn btn-primary" data-testid="audit-search">
            {t('audit.search')}
          </button>
          <button type="button" className="btn" onClick={reset}>
            {t('audit.reset')}
          </button>
        </div>
        {formError && (
          <p className="form-error filter-error" role="alert">
            {formError}
          </p>
        )}
      </form>

      {error && (
        <p className="form-error" role="alert" data-testid="audit-error">
          {error}
        </p>
      )}

      <div className="table-wrap panel" aria-busy={loading}>
        <table className="data-table" data-testid="audit-table" data-loading={loading}>
          <thead>
            <tr>
              <th className="col-time">{t('audit.time')}</th>
              <th>{t('audit.actor')}</th>
              <th>{t('audit.action')}</th>
              <th>{t('audit.targetCol')}</th>
              <th>{t('audit.ip')}</th>
              <th>{t('audit.detail')}</th>
            </tr>
          </thead>
          <tbody>
            {data?.items.map((it) => <AuditRow key={it.id} item={it} actionLabel={actionLabel} lang={lang} t={t} />)}
            {data && data.items.length === 0 && (
              <tr>
                <td colSpan={6} className="table-empty">
                  {t('audit.empty')}
                </td>
              </tr>
            )}
            {!data && loading && (
              <tr>
                <td colSpan={6} className="table-empty">
                  {t('common.loading')}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>

      <div className="pager" data-testid="audit-pager">
        <span className="pager-info">
          {t('audit.total', { total: num(total) })} · {t('audit.page', { page, pages })}
        </span>
        <button type="button" className="btn btn-small" disabled={page <= 1 || loading} onClick={() => go(page - 1)}>
          ‹ {t('audit.prev')}
        </button>
        <button type="button" className="btn btn-small" disabled={page >= pages || loading} onClick={() => go(page + 1)} data-testid="audit-next">
          {t('audit.next')} ›
        </button>
      </div>
    </section>
  );
}

function AuditRow({
  item,
  actionLabel,
  lang,
  t,
}: {
  item: AuditItem;
  actionLabel: (a: string) => string;
  lang: 'zh-CN' | 'en';
  t: (k: MessageKey) => string;
}) {
  const detail = formatDetail(item.detail);
  const targetType = item.targetType ? (TARGET_KEYS[item.targetType] ? t(TARGET_KEYS[item.targetType]) : item.targetType) : null;
  return (
    <tr data-testid="audit-row" data-action={item.action} data-actor={item.actor}>
      <td className="col-time mono">{formatLocalTime(item.at, lang)}</td>
      <td className="col-actor">{item.actor}</td>
      <td>
        <span className={`action-chip tone-${ACTION_TONE[item.action] ?? 'plain'}`} title={item.action}>
          {actionLabel(item.action)}
        </span>
      </td>
      <td>
        {targetType || item.targetId ? (
          <>
            {targetType && <span className="target-type">{targetType}</span>} {item.targetId && <code>{item.targetId}</code>}
          </>
        ) : (
          <span className="dim">—</span>
        )}
      </td>
      <td className="mono">{item.ip ?? '—'}</td>
      <td className="col-detail" title={detail}>
        {detail || <span className="dim">—</span>}
      </td>
    </tr>
  );
}
