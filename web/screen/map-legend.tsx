/** A slim legend over the top of the map: band colours, party density, facilities, buildings. */
import type { FacilityCategory } from '../http/api-types';
import { useI18n } from '../i18n/i18n';
import type { IconAtlas } from '../map/deck/facility-icon-atlas';
import { BAND_COLORS, BAND_ORDER, PARTY_RAMP } from '../map/palette';

export function MapLegend({ categories, atlas }: { categories: FacilityCategory[]; atlas: IconAtlas | null }) {
  const { t } = useI18n();
  const icons = categories.filter((c) => ['party_center', 'health_station', 'elderly_canteen', 'primary_school'].includes(c.code));
  return (
    <div className="map-legend" data-testid="map-legend">
      {BAND_ORDER.map((b) => (
        <span key={b} className="ml-item">
          <i className="ml-swatch" style={{ background: BAND_COLORS[b] }} />
          {t(`screen.band.${b}`)}
        </span>
      ))}
      <span className="ml-item">
        <i className="ml-ramp" style={{ background: `linear-gradient(90deg, ${PARTY_RAMP.map((c) => `rgb(${c.join(',')})`).join(',')})` }} />
        {t('screen.legend.density')}
      </span>
      <span className="ml-item">
        {atlas && icons.map((c) => atlas.dataUrls[c.code] && <img key={c.code} src={atlas.dataUrls[c.code]} alt="" className="ml-icon" />)}
        {t('screen.legend.facility')}
      </span>
    </div>
  );
}
