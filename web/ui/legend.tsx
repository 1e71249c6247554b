/**
 * Legend drawn from the same palette and icon atlas as the map, so what it shows is what the map
 * draws. Sections follow the layer toggles: a hidden layer's legend section is dimmed.
 */
import type { FacilityCategory, Stats } from '../http/api-types';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/zh-cn';
import { UNKNOWN_ICON, type IconAtlas } from '../map/deck/facility-icon-atlas';
import {
  BAND_COLORS,
  BAND_ORDER,
  BUILDING_USE_COLORS,
  BUILDING_USE_ORDER,
  PARTY_RAMP,
  ROAD_STYLES,
} from '../map/palette';
import type { Toggles } from '../map/toggles';

/** "社区服务站（居委会）" → "社区服务站": the bracketed part is in the tooltip. */
function shortCategoryName(name: string): string {
  return name.replace(/[（(].*?[）)]\s*$/, '').trim() || name;
}

const ROAD_LEGEND = ['arterial', 'secondary', 'local', 'footway', 'gate'] as const;

export function Legend({
  toggles,
  categories,
  atlas,
  stats,
}: {
  stats: Stats | null;
  toggles: Toggles;
  categories: FacilityCategory[] | null;
  atlas: IconAtlas | null;
}) {
  const { t, lang, num } = useI18n();
  const sorted = [...(categories ?? [])].sort((a, b) => a.sort - b.sort);
  return (
    <section className="panel legend" data-testid="legend">
      <h2 className="panel-title">{t('legend.title')}</h2>
      <div className="legend-scroll">
        <div className={toggles.grids ? 'legend-section' : 'legend-section off'}>
          <h3>{t('legend.band')}</h3>
          <ul className="legend-list">
            {BAND_ORDER.map((s) => (
              <li key={s} data-band={s}>
                <span className="legend-fill" style={{ background: BAND_COLORS[s], borderColor: BAND_COLORS[s] }} />
                <span className="legend-text">{t(`legend.band.${s}` as MessageKey)}</span>
                {stats && <span className="legend-count">{num(s === 'dedicated' ? stats.grids.dedicated : stats.grids[s])}</span>}
              </li>
            ))}
          </ul>
        </div>

        {toggles.partyDensity && (
          <div className="legend-section">
            <h3>{t('legend.party')}</h3>
            <div className="ramp">
              {PARTY_RAMP.map((c) => (
                <span key={c.join()} style={{ background: `rgb(${c.join(',')})` }} />
              ))}
            </div>
            <div className="ramp-labels">
              <span>{t('legend.partyLow')}</span>
              <span>{t('legend.partyHigh')}</span>
            </div>
          </div>
        )}

        {toggles.partyReach && (
          <div className="legend-section" data-testid="legend-party-reach">
            <h3>{t('party.layer')}</h3>
            <ul className="legend-list">
              {([['rgb(214,39,40)', 'rgb(214,39,40)', 'party.legend.centre'], ['rgb(255,140,0)', 'rgb(255,140,0)', 'party.legend.leftOut'],
                ['transparent', 'rgb(255,212,0)', 'party.legend.suggest']] as const).map(([fill, line, label]) => (
                <li key={label}>
                  <span className="legend-fill" style={{ background: fill, borderColor: line, borderRadius: '50%' }} />
                  <span className="legend-text">{t(label)}</span>
                </li>
              ))}
            </ul>
          </div>
        )}

        <div className={toggles.buildings ? 'legend-section' : 'legend-section off'}>
          <h3>{t('legend.buildings')}</h3>
          <ul className="legend-list two-col">
            {BUILDING_USE_ORDER.map((u) => (
              <li key={u}>
                <span className="legend-block" style={{ background: BUILDING_USE_COLORS[u] }} />
                {t(`use.${u}` as MessageKey)}
              </li>
            ))}
          </ul>
        </div>

        <div className={toggles.facilities ? 'legend-section' : 'legend-section off'}>
          <h3>{t('legend.facilities')}</h3>
          <ul className="legend-list two-col facilities">
            {sorted.map((c) => (
              <li key={c.code} data-category={c.code} title={`${c.name} · ${c.count}`}>
                <img
                  className="legend-icon"
                  alt=""
                  src={atlas?.dataUrls[c.code] ?? atlas?.dataUrls[UNKNOWN_ICON] ?? ''}
                />
                <span className="legend-text">{lang === 'en' ? c.nameEn || c.name : shortCategoryName(c.name)}</span>
              </li>
            ))}
          </ul>
        </div>

        <div className={toggles.roads ? 'legend-section' : 'legend-section off'}>
          <h3>{t('legend.roads')}</h3>
          <ul className="legend-list two-col">
            {ROAD_LEGEND.map((k) => {
              const s = ROAD_STYLES[k];
              const h = Math.max(1.5, Math.min(7, s.width18 / 2.5));
              return (
                <li key={k}>
                  <span
                    className="legend-line"
                    style={{
                      height: `${h}px`,
                      background: s.dash
                        ? `repeating-linear-gradient(90deg, ${s.color} 0 4px, transparent 4px 7px)`
                        : s.color,
                    }}
                  />
                  {t(`road.${k}` as MessageKey)}
                </li>
              );
            })}
          </ul>
        </div>
      </div>
    </section>
  );
}
