/** The facility list of an isochrone, grouped by category, with walking minutes and a route button. */
import { useI18n } from '../../i18n/i18n';
import type { IsochroneReply, ReachedFacility } from './life-api';
import { BAND_FILL } from './life-colours';

export function ReachPanel({ iso, chosen, onRoute }: { iso: IsochroneReply; chosen: string | null; onRoute: (category: string, f: ReachedFacility) => void }) {
  const { t, lang } = useI18n();
  return (
    <div className="life-reach" data-testid="life-reach">
      <div className="life-bands" data-testid="life-bands">
        {iso.features.map((f) => (
          <span key={f.properties.minutes} className="life-band-chip" style={{ borderColor: BAND_FILL[f.properties.minutes] ?? '#8E7CC3' }}>
            <i style={{ background: BAND_FILL[f.properties.minutes] ?? '#8E7CC3' }} />
            {t('life.bandLegend', { m: f.properties.minutes, d: f.properties.distanceM })}
          </span>
        ))}
        <span className="life-muted">{t('life.speed', { speed: iso.speedMPerMin })}</span>
      </div>
      <h3>{t('life.reached', { n: iso.facilities.count })}</h3>
      {iso.facilities.count === 0 && <p className="life-muted">{t('life.noFacilities')}</p>}
      {iso.facilities.byCategory.map((g) => (
        <section key={g.category} className="life-cat" data-testid="life-category" data-category={g.category}>
          <h4>
            <i className="life-dot" style={{ background: g.color }} />
            {lang === 'en' ? g.nameEn : g.name}
            <span className="life-muted"> · {g.facilities.length}</span>
          </h4>
          <ul>
            {g.facilities.map((f) => (
              <li key={f.code} className={chosen === f.code ? 'chosen' : undefined} data-testid="life-facility">
                <span className="life-fname" title={f.name}>{f.name}</span>
                <span className="life-min">{t('life.minutes', { m: f.minutes })}</span>
                <span className="life-muted">{t('life.meters', { d: Math.round(f.distanceM) })}</span>
                <button type="button" className="btn-small" onClick={() => onRoute(g.category, f)}>{t('life.routeTo')}</button>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
