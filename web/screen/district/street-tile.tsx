/**
 * One street's tile on the district wall screen: name and district, households, grids with a bar
 * of under / in band / over, the share in band, open and overdue requests and the life-circle
 * share. The whole tile is a link to the street's own wall screen.
 */
import { type DistrictStreet, streetScreenHref } from '../../http/district-screen-api';
import { useI18n } from '../../i18n/i18n';
import { BAND_COLORS } from '../../map/palette';
import { shareColor } from './district-layout';

const pct = (share: number | null) => (share === null ? '—' : `${Math.round(share * 100)}%`);

export function StreetTile({ street: s, district, compact }: { street: DistrictStreet; district: string | null; compact: boolean }) {
  const { t, num } = useI18n();
  const basic = s.underGrids + s.inBandGrids + s.overGrids;
  const seg = (n: number) => `${basic === 0 ? 0 : (n / basic) * 100}%`;
  return (
    <a
      className={`dt ${compact ? 'dt-compact' : ''}`}
      href={streetScreenHref(s.code)}
      data-testid={`district-tile-${s.code}`}
      title={t('district.tile.open.title', { name: s.name })}
      style={{ ['--share' as string]: shareColor(s.inBandShare) }}
    >
      <i className="sp-corner tl" />
      <i className="sp-corner tr" />
      <i className="sp-corner bl" />
      <i className="sp-corner br" />
      <header className="dt-head">
        <span className="dt-name">{s.name}</span>
        {district && <span className="dt-district">{district}</span>}
      </header>
      <div className="dt-main">
        <div className="dt-big">
          <b data-testid="tile-households">{num(s.households)}</b>
          <span>{t('district.tile.households')}</span>
        </div>
        <div className="dt-share">
          <b style={{ color: shareColor(s.inBandShare) }}>{pct(s.inBandShare)}</b>
          <span>{t('district.tile.inBand')}</span>
        </div>
      </div>
      <div className="dt-bar" aria-hidden="true">
        <i style={{ width: seg(s.underGrids), background: BAND_COLORS.under }} />
        <i style={{ width: seg(s.inBandGrids), background: BAND_COLORS.in }} />
        <i style={{ width: seg(s.overGrids), background: BAND_COLORS.over }} />
      </div>
      <div className="dt-grids">
        <span>{t('district.tile.grids', { n: num(s.grids) })}</span>
        <span style={{ color: BAND_COLORS.in }}>
          {t('district.tile.inBandCount')} <b>{s.inBandGrids}</b>
        </span>
        <span style={{ color: BAND_COLORS.under }}>
          {t('district.tile.under')} <b data-testid="tile-under">{s.underGrids}</b>
        </span>
        <span style={{ color: BAND_COLORS.over }}>
          {t('district.tile.over')} <b data-testid="tile-over">{s.overGrids}</b>
        </span>
      </div>
      {!compact && (
        <div className="dt-facts">
          <span>
            <b>{num(s.communities)}</b>
            {t('district.tile.communities')}
          </span>
          <span>
            <b>{num(s.buildings)}</b>
            {t('district.tile.buildings')}
          </span>
          <span>
            <b>{num(s.residents)}</b>
            {t('district.tile.residents')}
          </span>
          <span>
            <b>{num(s.grids - basic)}</b>
            {t('district.tile.dedicated')}
          </span>
        </div>
      )}
      <div className="dt-foot">
        <span>
          {t('district.tile.open')} <b>{num(s.openRequests)}</b>
        </span>
        <span className={s.overdueRequests > 0 ? 'dt-alarm' : ''}>
          {t('district.tile.overdue')} <b data-testid="tile-overdue">{num(s.overdueRequests)}</b>
        </span>
        <span>
          {compact ? t('district.tile.lifeShort') : t('district.tile.life')} <b>{pct(s.lifeCircleShare)}</b>
        </span>
      </div>
    </a>
  );
}
