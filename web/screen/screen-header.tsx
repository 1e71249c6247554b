/** Header: date and clock, the street and title, the street picker, last update and the online/offline mark. */
import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { streetsOf, useStreetChoice } from '../http/territory';
import { StreetPicker } from '../ui/street-picker';

/** "区县总览": back to the district wall screen of the shown street, when the caller sees several streets. */
function DistrictLink() {
  const { t } = useI18n();
  const choice = useStreetChoice();
  if (!choice?.territory || streetsOf(choice.territory).length <= 1) return null;
  const district = choice.territory.districts.find((d) => d.streets.some((s) => s.code === choice.street))?.code;
  const href = district ? `/screen/district?district=${district}` : '/screen/district';
  return (
    <a className="sh-district-link" href={href} data-testid="district-link">
      {t('district.back')}
    </a>
  );
}

const pad = (n: number) => String(n).padStart(2, '0');
const WEEKDAYS_ZH = ['日', '一', '二', '三', '四', '五', '六'];

export function ScreenHeader(props: {
  streetName: string;
  updatedAt: Date | null;
  offline: boolean;
  touring: boolean | null;
  /** The title after the name (default: the street screen's); the subtitle below it. */
  title?: string;
  subtitle?: string;
  /** Show the street picker (default true; the district screen is about no one street). */
  picker?: boolean;
}) {
  const { t, lang } = useI18n();
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const id = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(id);
  }, []);
  const date =
    lang === 'en'
      ? now.toLocaleDateString('en-GB', { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric' })
      : `${now.getFullYear()}年${now.getMonth() + 1}月${now.getDate()}日 星期${WEEKDAYS_ZH[now.getDay()]}`;
  const time = `${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}`;
  const upd = props.updatedAt ? `${pad(props.updatedAt.getHours())}:${pad(props.updatedAt.getMinutes())}:${pad(props.updatedAt.getSeconds())}` : '—';
  return (
    <header className="sh" data-testid="screen-header">
      <div className="sh-side sh-left">
        <span className="sh-time" data-testid="screen-clock">{time}</span>
        <span className="sh-date">{date}</span>
      </div>
      <div className="sh-center">
        <div className="sh-title-bg" />
        <h1 className={[...`${props.streetName}${props.title ?? t('screen.title')}`].length > 16 ? 'sh-title long' : 'sh-title'}
          title={`${props.streetName} · ${props.title ?? t('screen.title')}`}>
          <span data-testid="street-name">{props.streetName}</span>
          {props.streetName && <span className="sh-dot">·</span>}
          {props.title ?? t('screen.title')}
        </h1>
        <div className="sh-subtitle">{props.subtitle ?? t('screen.subtitle')}</div>
      </div>
      <div className="sh-side sh-right">
        {props.picker !== false && <DistrictLink />}
        {props.picker !== false && <StreetPicker className="sh-picker" />}
        {props.touring !== null && (
          <span className={`sh-tour ${props.touring ? 'on' : ''}`} data-testid="tour-state" data-state={props.touring ? 'running' : 'paused'}>
            {props.touring ? t('screen.tour') : t('screen.tourPaused')}
          </span>
        )}
        <span className="sh-updated" data-testid="last-update">{t('screen.updated', { time: upd })}</span>
        <span
          className={`sh-status ${props.offline ? 'offline' : 'online'}`}
          data-testid="connection"
          data-state={props.offline ? 'offline' : 'online'}
          title={props.offline ? t('screen.offlineHint') : ''}
        >
          <i />
          {props.offline ? `${t('screen.offline')} / offline` : t('screen.online')}
        </span>
      </div>
    </header>
  );
}
