/**
 * `/report?t=<token>` — a resident reports a problem without an account (居民点单, issue #18.3),
 * opened from the QR code in the stairwell: the place is already known from the signed token.
 * Category chips, a length-limited description, an optional photo shrunk on the phone
 * (resident/photo.ts), an optional name and phone; the answer is the tracking link (also kept in
 * this browser's list of sent reports). "Send" pressed again after a lost answer reuses the same
 * Idempotency-Key, so one report is made.
 */
import { useEffect, useState } from 'react';
import { ApiError } from '../http/api-client';
import { useI18n } from '../i18n/i18n';
import { localMessage } from '../i18n/server-message';
import { PhoneShell } from './resident/phone-shell';
import { shrinkPhoto } from './resident/photo';
import { type ReportForm, fetchReportForm, myReports, randomKey, rememberReport, sendReport } from './resident/resident-api';

type Sent = { id: number; url: string };

export function ReportPage() {
  const { t, lang } = useI18n();
  const token = new URLSearchParams(location.search).get('t') ?? '';
  const [form, setForm] = useState<ReportForm | null>(null);
  const [loadError, setLoadError] = useState<string | null>(token ? null : t('resident.report.noToken'));
  const [category, setCategory] = useState('');
  const [building, setBuilding] = useState('');
  const [description, setDescription] = useState('');
  const [photo, setPhoto] = useState<string | null>(null);
  const [photoBusy, setPhotoBusy] = useState(false);
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [sent, setSent] = useState<Sent | null>(null);
  const [copied, setCopied] = useState(false);
  // One key per report: a retry after a lost answer is the same report.
  const [idemKey, setIdemKey] = useState(randomKey);

  useEffect(() => {
    document.title = `${t('resident.report.title')} · ${t('app.name')}`;
  }, [t]);

  useEffect(() => {
    if (!token) return;
    fetchReportForm(token).then(
      (f) => setForm(f),
      (e: Error) => setLoadError(localMessage(e.message, lang)),
    );
  }, [token, lang]);

  async function pickPhoto(file: File | undefined) {
    if (!file) return;
    setPhotoBusy(true);
    setError(null);
    try {
      setPhoto(await shrinkPhoto(file));
    } catch {
      setError(t('resident.report.photoBad'));
    } finally {
      setPhotoBusy(false);
    }
  }

  async function submit() {
    if (!form) return;
    if (!category) return setError(t('resident.report.needCategory'));
    if (description.trim().length < 4) return setError(t('resident.report.needDescription'));
    setSending(true);
    setError(null);
    try {
      const r = await sendReport(token, {
        category,
        description: description.trim(),
        ...(building ? { building } : {}),
        ...(photo ? { photo } : {}),
        ...(name.trim() ? { reporterName: name.trim() } : {}),
        ...(phone.trim() ? { reporterPhone: phone.trim() } : {}),
      }, idemKey);
      const what = form.categories.find((c) => c.code === category);
      rememberReport({ id: r.id, what: (lang === 'en' ? what?.nameEn : what?.name) ?? category, path: r.trackingPath });
      setSent({ id: r.id, url: `${location.origin}${r.trackingPath}` });
    } catch (e) {
      setError(e instanceof ApiError && e.status === 0 ? t('resident.report.offline') : localMessage((e as Error).message, lang));
    } finally {
      setSending(false);
    }
  }

  function another() {
    setSent(null);
    setCategory('');
    setDescription('');
    setPhoto(null);
    setIdemKey(randomKey());
  }

  const state = loadError ? 'error' : sent ? 'sent' : form ? 'ready' : 'loading';
  const mine = myReports();
  return (
    <PhoneShell title={t('resident.report.title')} testId="report-page" state={state}>
      {loadError && <p className="rs-card rs-alert" role="alert">{loadError}</p>}
      {!loadError && !form && <p className="rs-dim">{t('resident.loading')}</p>}
      {form && sent && (
        <section className="rs-card rs-done" data-testid="report-done">
          <div className="rs-done-mark" aria-hidden="true">✓</div>
          <h2>{t('resident.report.doneTitle')}</h2>
          <p>{t('resident.report.doneBody')}</p>
          <label className="rs-label">{t('resident.report.trackLink')}</label>
          <input className="rs-input rs-link" readOnly value={sent.url} data-testid="track-link" onFocus={(e) => e.currentTarget.select()} />
          <div className="rs-row">
            <button type="button" className="rs-btn" onClick={() => void navigator.clipboard?.writeText(sent.url).then(() => setCopied(true))}>
              {copied ? t('resident.report.copied') : t('resident.report.copy')}
            </button>
            <a className="rs-btn rs-primary" href={sent.url} data-testid="track-open">{t('resident.report.openTrack')}</a>
          </div>
          <button type="button" className="rs-text-btn" onClick={another}>{t('resident.report.another')}</button>
        </section>
      )}
      {form && !sent && (
        <form className="rs-form" onSubmit={(e) => (e.preventDefault(), void submit())} noValidate>
          <section className="rs-card rs-place" data-testid="report-place">
            <span className="rs-label">{t('resident.report.place')}</span>
            <strong className="rs-place-name">{form.place.name}</strong>
            <span className="rs-dim">{form.place.communityName}</span>
            {form.place.kind === 'compound' && (
              <select className="rs-input" value={building} onChange={(e) => setBuilding(e.target.value)} aria-label={t('resident.report.pickBuilding')} data-testid="report-building">
                <option value="">{t('resident.report.anyBuilding')}</option>
                {form.place.buildings.map((b) => <option key={b.code} value={b.code}>{b.label}</option>)}
              </select>
            )}
          </section>
          <section className="rs-card">
            <span className="rs-label">{t('resident.report.category')}</span>
            <div className="rs-chips" role="radiogroup">
              {form.categories.map((c) => (
                <button key={c.code} type="button" role="radio" aria-checked={category === c.code} className={`rs-chip${category === c.code ? ' on' : ''}`} onClick={() => setCategory(c.code)} data-testid={`report-cat-${c.code}`}>
                  {lang === 'en' ? c.nameEn : c.name}
                </button>
              ))}
            </div>
          </section>
          <section className="rs-card">
            <label className="rs-label" htmlFor="rs-desc">{t('resident.report.description')}</label>
            <textarea id="rs-desc" className="rs-input rs-textarea" rows={4} maxLength={form.limits.description} placeholder={t('resident.report.descriptionHint')} value={description} onChange={(e) => setDescription(e.target.value)} data-testid="report-description" />
            <span className="rs-count">{description.length} / {form.limits.description}</span>
            <span className="rs-label">{t('resident.report.photo')}</span>
            {photo ? (
              <div className="rs-photo">
                <img src={photo} alt="" data-testid="report-photo-preview" />
                <button type="button" className="rs-text-btn" onClick={() => setPhoto(null)}>{t('resident.report.removePhoto')}</button>
              </div>
            ) : (
              <label className="rs-btn rs-photo-pick">
                {photoBusy ? t('resident.report.photoShrinking') : t('resident.report.addPhoto')}
                <input type="file" accept="image/*" capture="environment" hidden onChange={(e) => void pickPhoto(e.target.files?.[0])} data-testid="report-photo" />
              </label>
            )}
          </section>
          <section className="rs-card">
            <span className="rs-label">{t('resident.report.contact')}</span>
            <p className="rs-hint">{t('resident.report.contactHint')}</p>
            <div className="rs-row">
              <input className="rs-input" maxLength={20} placeholder={t('resident.report.name')} value={name} onChange={(e) => setName(e.target.value)} autoComplete="name" data-testid="report-name" />
              <input className="rs-input" inputMode="tel" maxLength={16} placeholder={t('resident.report.phone')} value={phone} onChange={(e) => setPhone(e.target.value)} autoComplete="tel" data-testid="report-phone" />
            </div>
          </section>
          {error && <p className="rs-alert" role="alert" data-testid="report-error">{error}</p>}
          <button type="submit" className="rs-btn rs-primary rs-submit" disabled={sending || photoBusy} data-testid="report-submit">
            {sending ? t('resident.report.sending') : t('resident.report.submit')}
          </button>
        </form>
      )}
      {mine.length > 0 && !sent && (
        <section className="rs-card rs-mine">
          <span className="rs-label">{t('resident.report.mine')}</span>
          <ul>
            {mine.slice(0, 5).map((m) => (
              <li key={m.id}><a href={m.path}>{t('resident.track.number', { id: m.id })} · {m.what}</a></li>
            ))}
          </ul>
        </section>
      )}
    </PhoneShell>
  );
}
