/**
 * `/track?k=<key>` — a resident follows their report (issue #18.3): status in plain words, the
 * history step by step (no staff names), and once it is done the rating (群众评单: 1–5 stars and a
 * comment) — the only way a resident's request becomes `rated`.
 */
import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/zh-cn';
import { localMessage } from '../i18n/server-message';
import { PhoneShell, shortTime } from './resident/phone-shell';
import { type Tracking, fetchTracking, randomKey, sendRating } from './resident/resident-api';

export function TrackPage() {
  const { t, lang } = useI18n();
  const key = new URLSearchParams(location.search).get('k') ?? '';
  const [track, setTrack] = useState<Tracking | null>(null);
  const [error, setError] = useState<string | null>(key ? null : t('resident.track.notFound'));
  const [stars, setStars] = useState(0);
  const [comment, setComment] = useState('');
  const [rateError, setRateError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [idemKey] = useState(randomKey);

  useEffect(() => {
    document.title = `${t('resident.track.title')} · ${t('app.name')}`;
  }, [t]);

  useEffect(() => {
    if (!key) return;
    fetchTracking(key).then(setTrack, (e: Error) => setError(localMessage(e.message, lang)));
  }, [key, lang]);

  async function rate() {
    if (stars < 1) return setRateError(t('resident.track.needStars'));
    setSending(true);
    setRateError(null);
    try {
      setTrack(await sendRating(key, { rating: stars, ...(comment.trim() ? { comment: comment.trim() } : {}) }, idemKey));
    } catch (e) {
      setRateError(localMessage((e as Error).message, lang));
    } finally {
      setSending(false);
    }
  }

  const words = (x: { zh: string; en: string }) => (lang === 'en' ? x.en : x.zh);
  return (
    <PhoneShell title={t('resident.track.title')} testId="track-page" state={error ? 'error' : track ? 'ready' : 'loading'}>
      {error && <p className="rs-card rs-alert" role="alert">{error}</p>}
      {!error && !track && <p className="rs-dim">{t('resident.loading')}</p>}
      {track && (
        <>
          <section className="rs-card rs-track-head" data-testid="track-status" data-status={track.status}>
            <div className="rs-track-top">
              <span className={`rs-status rs-status-${track.status}`}>{t(`resident.status.${track.status}` as MessageKey)}</span>
              <span className="rs-dim">{t('resident.track.number', { id: track.id })}</span>
            </div>
            <h2 className="rs-track-cat">{lang === 'en' ? track.category.nameEn : track.category.name}</h2>
            <p className="rs-track-desc" data-testid="track-description">{track.description}</p>
            <p className="rs-dim">{[track.place, track.communityName].filter(Boolean).join(' · ')}</p>
            <p className="rs-dim">
              {t('resident.track.reportedAt', { time: shortTime(track.reportedAt, lang) })}
              {['reported', 'dispatched', 'accepted'].includes(track.status) && <> · {t('resident.track.dueAt', { time: shortTime(track.dueAt, lang) })}</>}
            </p>
            {track.spam && <p className="rs-alert">{t('resident.track.spam')}</p>}
          </section>
          {track.canRate && (
            <section className="rs-card rs-rate" data-testid="track-rate">
              <h3>{t('resident.track.rateTitle')}</h3>
              <p className="rs-hint">{t('resident.track.rateHint')}</p>
              <div className="rs-stars" role="radiogroup">
                {[1, 2, 3, 4, 5].map((n) => (
                  <button key={n} type="button" role="radio" aria-checked={stars === n} aria-label={t('resident.track.stars', { n })} className={`rs-star${n <= stars ? ' on' : ''}`} onClick={() => setStars(n)} data-testid={`star-${n}`}>
                    ★
                  </button>
                ))}
              </div>
              <textarea className="rs-input rs-textarea" rows={3} maxLength={300} placeholder={t('resident.track.comment')} value={comment} onChange={(e) => setComment(e.target.value)} data-testid="rate-comment" />
              {rateError && <p className="rs-alert" role="alert">{rateError}</p>}
              <button type="button" className="rs-btn rs-primary rs-submit" disabled={sending} onClick={() => void rate()} data-testid="rate-submit">
                {t('resident.track.rateSubmit')}
              </button>
            </section>
          )}
          {track.rating !== null && (
            <section className="rs-card" data-testid="track-rated">
              <h3>{t('resident.track.thanks')}</h3>
              <p>
                {t('resident.track.yourRating')}: <span className="rs-stars-static">{'★'.repeat(track.rating)}{'☆'.repeat(5 - track.rating)}</span>
              </p>
              {track.ratingComment && <p className="rs-dim">“{track.ratingComment}”</p>}
            </section>
          )}
          <section className="rs-card">
            <h3>{t('resident.track.history')}</h3>
            <ol className="rs-timeline" data-testid="track-history">
              {[...track.history].reverse().map((h, i) => (
                <li key={`${h.at}-${i}`} className={i === 0 ? 'now' : ''} data-step={h.step}>
                  <span className="rs-tl-text">{words(h.text)}</span>
                  {h.note && h.step !== 'rate' && <span className="rs-tl-note">{h.note}</span>}
                  <time className="rs-dim">{shortTime(h.at, lang)}</time>
                </li>
              ))}
            </ol>
          </section>
        </>
      )}
    </PhoneShell>
  );
}
