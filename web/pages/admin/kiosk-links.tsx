/**
 * 大屏链接: list, create and revoke kiosk links. A new link's URL holds its secret and is shown
 * once (the server keeps only a hash), with a copy button and a warning; revoking asks first.
 */
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { createKioskToken, fetchKioskTokens, revokeKioskToken, type KioskToken, type NewKioskToken } from '../../http/auth-api';
import { KioskScopeField, useScopeName } from './kiosk-scope';
import { useI18n } from '../../i18n/i18n';
import { Dialog } from '../../ui/dialog';
import { formatLocalTime } from './format';
import { useErrorText } from './use-error-text';

/** Clipboard API where allowed (secure contexts); else select the text and copy the old way. */
async function copyText(text: string, input: HTMLInputElement | null): Promise<boolean> {
  try {
    if (window.isSecureContext && navigator.clipboard) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    /* permission refused: try the fallback */
  }
  if (!input) return false;
  input.focus();
  input.select();
  try {
    return document.execCommand('copy');
  } catch {
    return false;
  }
}

export function KioskLinks() {
  const { t, lang } = useI18n();
  const errorText = useErrorText();
  const [tokens, setTokens] = useState<KioskToken[] | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [label, setLabel] = useState('');
  const [scope, setScope] = useState('');
  const scopeName = useScopeName();
  const [creating, setCreating] = useState(false);
  const [createError, setCreateError] = useState<string | null>(null);
  const [created, setCreated] = useState<NewKioskToken | null>(null);
  const [copyState, setCopyState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const [confirm, setConfirm] = useState<KioskToken | null>(null);
  const [revoking, setRevoking] = useState(false);
  const [revokeError, setRevokeError] = useState<string | null>(null);
  const urlInput = useRef<HTMLInputElement>(null);

  const load = useCallback(
    (signal?: AbortSignal) =>
      fetchKioskTokens(signal).then(
        (list) => {
          setTokens(list);
          setListError(null);
        },
        (e: unknown) => {
          const text = errorText(e);
          if (text !== null) setListError(text);
        },
      ),
    [errorText],
  );

  useEffect(() => {
    const ctrl = new AbortController();
    void load(ctrl.signal);
    return () => ctrl.abort();
  }, [load]);

  async function create(e: FormEvent) {
    e.preventDefault();
    const name = label.trim();
    if (!name) return;
    setCreating(true);
    setCreateError(null);
    try {
      const res = await createKioskToken(name, scope || undefined);
      setCreated(res);
      setCopyState('idle');
      setLabel('');
      await load();
    } catch (err) {
      setCreateError(errorText(err));
    } finally {
      setCreating(false);
    }
  }

  async function revoke(token: KioskToken) {
    setRevoking(true);
    setRevokeError(null);
    try {
      await revokeKioskToken(token.id);
      setConfirm(null);
      if (created?.id === token.id) setCreated(null);
      await load();
    } catch (err) {
      setRevokeError(errorText(err));
    } finally {
      setRevoking(false);
    }
  }

  const active = tokens?.filter((k) => !k.revokedAt).length ?? 0;

  return (
    <section className="admin-section" data-testid="kiosk-links">
      <p className="section-intro">{t('kiosk.intro')}</p>

      <form className="filter-bar panel" onSubmit={create}>
        <label className="field field-wide">
          <span>{t('kiosk.label')}</span>
          <input
            value={label}
            onChange={(e) => setLabel(e.target.value)}
            placeholder={t('kiosk.labelPlaceholder')}
            maxLength={60}
            data-testid="kiosk-label"
          />
        </label>
        <KioskScopeField value={scope} onChange={setScope} />
        <div className="filter-actions">
          <button type="submit" className="btn btn-primary" disabled={creating || !label.trim()} data-testid="kiosk-create">
            {creating ? t('kiosk.creating') : t('kiosk.create')}
          </button>
        </div>
        {createError && (
          <p className="form-error filter-error" role="alert" data-testid="kiosk-create-error">
            {createError}
          </p>
        )}
      </form>

      {created && (
        <div className="once-box" role="status" data-testid="kiosk-new">
          <div className="once-title">{t('kiosk.newTitle', { label: created.label })}</div>
          <p className="once-warning">
            <svg viewBox="0 0 20 20" width="16" height="16" aria-hidden="true">
              <path d="M10 2l9 16H1z" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinejoin="round" />
              <path d="M10 8v4.5M10 14.6v.4" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
            </svg>
            {t('kiosk.newWarning')}
          </p>
          <div className="once-url">
            <input ref={urlInput} readOnly value={created.url} onFocus={(e) => e.target.select()} data-testid="kiosk-new-url" />
            <button
              type="button"
              className="btn btn-primary"
              onClick={async () => setCopyState((await copyText(created.url, urlInput.current)) ? 'copied' : 'failed')}
              data-testid="kiosk-copy"
            >
              {copyState === 'copied' && (
                <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
                  <path d="M3 8.5l3.2 3L13 4.5" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
                </svg>
              )}
              {copyState === 'copied' ? t('kiosk.copied') : t('kiosk.copy')}
            </button>
          </div>
          {copyState === 'failed' && <p className="form-error">{t('kiosk.copyFailed')}</p>}
          <div className="once-actions">
            <button type="button" className="btn" onClick={() => setCreated(null)} data-testid="kiosk-dismiss">
              {t('kiosk.dismiss')}
            </button>
          </div>
        </div>
      )}

      {listError && (
        <p className="form-error" role="alert">
          {listError}
        </p>
      )}

      <h3 className="section-title">
        {t('kiosk.listTitle')}
        {tokens && (
          <span className="section-count">
            {t('kiosk.active')} {active} / {tokens.length}
          </span>
        )}
      </h3>
      <div className="table-wrap panel">
        <table className="data-table" data-testid="kiosk-table">
          <thead>
            <tr>
              <th className="col-id">{t('kiosk.id')}</th>
              <th>{t('kiosk.label')}</th>
              <th className="col-time">{t('kiosk.createdAt')}</th>
              <th>{t('kiosk.status')}</th>
              <th className="col-actions">{t('kiosk.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {tokens?.map((k) => (
              <tr key={k.id} data-testid="kiosk-row" data-id={k.id} data-state={k.revokedAt ? 'revoked' : 'active'} className={k.revokedAt ? 'row-off' : undefined}>
                <td className="mono">#{k.id}</td>
                <td>
                  {k.label}
                  {k.scope && (
                    <span className="status-chip kiosk-scope" data-testid="kiosk-row-scope">
                      {scopeName(k.scope)}
                    </span>
                  )}
                </td>
                <td className="col-time mono">{formatLocalTime(k.createdAt, lang)}</td>
                <td>
                  {k.revokedAt ? (
                    <span className="status-chip off" title={formatLocalTime(k.revokedAt, lang)}>
                      {t('kiosk.revoked')} · {formatLocalTime(k.revokedAt, lang)}
                    </span>
                  ) : (
                    <span className="status-chip on">{t('kiosk.active')}</span>
                  )}
                </td>
                <td className="col-actions">
                  {!k.revokedAt && (
                    <button
                      type="button"
                      className="btn btn-small btn-danger"
                      onClick={() => {
                        setRevokeError(null);
                        setConfirm(k);
                      }}
                      data-testid="kiosk-revoke"
                    >
                      {t('kiosk.revoke')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
            {tokens && tokens.length === 0 && (
              <tr>
                <td colSpan={5} className="table-empty">
                  {t('kiosk.empty')}
                </td>
              </tr>
            )}
            {!tokens && !listError && (
              <tr>
                <td colSpan={5} className="table-empty">
                  {t('common.loading')}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>

      {confirm && (
        <Dialog title={t('kiosk.confirmTitle')} onClose={() => !revoking && setConfirm(null)} tone="danger" testId="kiosk-confirm">
          <div className="dialog-body">
            <p>{t('kiosk.confirmBody', { label: confirm.label })}</p>
            {revokeError && (
              <p className="form-error" role="alert">
                {revokeError}
              </p>
            )}
            <div className="dialog-actions">
              <button type="button" className="btn" onClick={() => setConfirm(null)} disabled={revoking} autoFocus>
                {t('common.cancel')}
              </button>
              <button type="button" className="btn btn-danger-solid" onClick={() => revoke(confirm)} disabled={revoking} data-testid="kiosk-confirm-ok">
                {revoking ? t('kiosk.revoking') : t('kiosk.confirmOk')}
              </button>
            </div>
          </div>
        </Dialog>
      )}
    </section>
  );
}
