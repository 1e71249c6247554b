/**
 * Resident requests on the wall screen (issue #9): four street-wide figures and a rolling feed of
 * the newest requests — category, community/grid, status, time; never a description or a person.
 * The feed scrolls one line every few seconds so a long list stays readable from across the room.
 */
import { useEffect, useState } from 'react';
import type { RequestFigures } from '../http/screen-api';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/zh-cn';

const FEED_LINES = 4;
const FEED_STEP_MS = 4000;

/** 建昌街社区居民委员会 → 建昌街社区: the committee suffix adds nothing on a wall. */
const shortName = (name: string) => name.replace(/居民委员会$/, '');

export function RequestsPanel({ figures }: { figures: RequestFigures | undefined }) {
  const { t, num, lang } = useI18n();
  const [offset, setOffset] = useState(0);
  const feed = figures?.latest ?? [];
  useEffect(() => {
    if (feed.length <= FEED_LINES) return;
    const timer = setInterval(() => setOffset((o) => (o + 1) % feed.length), FEED_STEP_MS);
    return () => clearInterval(timer);
  }, [feed.length]);

  const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);
  const stats: { id: string; label: MessageKey; value: string; tone?: string }[] = [
    { id: 'resolvedMonth', label: 'screen.req.resolvedMonth', value: figures ? num(figures.resolvedThisMonth) : '—' },
    { id: 'overdue', label: 'screen.req.overdue', value: figures ? num(figures.overdue) : '—', tone: figures && figures.overdue > 0 ? 'red' : undefined },
    { id: 'withinGrid', label: 'screen.req.withinGrid', value: pct(figures?.withinGridShare) },
    { id: 'resolution', label: 'screen.req.resolution', value: pct(figures?.resolutionRate) },
  ];
  const shown = feed.length <= FEED_LINES ? feed : Array.from({ length: FEED_LINES }, (_, i) => feed[(offset + i) % feed.length]);
  // The wall PC's own clock, like the header's (a street office's PC runs on China time).
  const time = (iso: string) =>
    new Date(iso).toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN', { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });

  return (
    <div className="req-panel" data-testid="requests-panel" data-feed={feed.length}>
      <div className="req-stats">
        {stats.map((s) => (
          <div key={s.id} className={`req-stat ${s.tone ? `tone-${s.tone}` : ''}`} data-testid={`req-${s.id}`}>
            <b>{s.value}</b>
            <span>{t(s.label)}</span>
          </div>
        ))}
      </div>
      <ul className="req-feed" data-testid="requests-feed">
        {shown.length === 0 && <li className="req-empty">{t('screen.req.empty')}</li>}
        {shown.map((r) => (
          <li key={r.id} className={r.overdue ? 'overdue' : ''}>
            <span className="req-time">{time(r.reportedAt)}</span>
            <span className="req-cat">{lang === 'en' ? r.categoryNameEn : r.categoryName}</span>
            <span className="req-where">{r.communityName ? shortName(r.communityName) : '—'}</span>
            <span className={`req-status s-${r.status}`}>{t(`screen.req.status.${r.status}` as MessageKey)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
