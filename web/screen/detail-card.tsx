/**
 * Breadcrumb (street › community › grid › building, each clickable) and the card of the current
 * selection: grid code and name, grid workers (surname only), households, residents, party
 * members, 党员中心户, buildings.
 */
import { useI18n } from '../i18n/i18n';
import type { ScreenBuilding, ScreenSummary } from '../http/screen-api';
import { BAND_COLORS } from '../map/palette';

/** Building numbers may already read "2号楼"; do not make it "2号楼号楼". */
const buildingLabel = (number: string, t: (k: 'screen.detail.building', p: Record<string, string>) => string) =>
  /[楼栋座幢]$/.test(number) ? number : t('screen.detail.building', { number });
import type { Figures } from './figures';
import { communityOf, gridOf, scopeChain, type Scope } from './scope';

export function Breadcrumb(props: { summary: ScreenSummary; scope: Scope; building: ScreenBuilding | null; onGo: (s: Scope) => void }) {
  const { t } = useI18n();
  const chain = scopeChain(props.scope);
  const name = (s: Scope) => {
    switch (s.level) {
      case 'street':
        return props.summary.street?.name ?? t('screen.street');
      case 'community': {
        const c = communityOf(props.summary, s.community);
        return c?.shortName || c?.name || s.community;
      }
      case 'grid':
        return gridOf(props.summary, s.grid)?.name ?? s.grid;
      case 'building':
        return props.building?.code === s.building ? buildingLabel(props.building.number, t) : s.building;
    }
  };
  return (
    <nav className="crumbs" data-testid="breadcrumb" data-level={props.scope.level}>
      {chain.map((s, i) => (
        <span key={s.level} className="crumb">
          {i > 0 && <span className="crumb-sep">›</span>}
          <button type="button" data-testid={`crumb-${s.level}`} disabled={i === chain.length - 1} onClick={() => props.onGo(s)}>
            {name(s)}
          </button>
        </span>
      ))}
    </nav>
  );
}

export function DetailCard(props: { summary: ScreenSummary; scope: Scope; figures: Figures; building: ScreenBuilding | null }) {
  const { t, num } = useI18n();
  const { summary, scope, figures: f } = props;
  const grid = scope.level === 'grid' || scope.level === 'building' ? gridOf(summary, scope.grid) : undefined;
  const community = scope.level !== 'street' ? communityOf(summary, scope.community) : undefined;
  const b = scope.level === 'building' && props.building?.code === scope.building ? props.building : null;
  const title = b
    ? buildingLabel(b.number, t) + (b.name ? ` · ${b.name}` : '')
    : grid?.name ?? community?.name ?? t('screen.street');
  const stats: [string, number | string][] = [
    [t('screen.detail.households'), num(f.households)],
    [t('screen.detail.residents'), num(f.residents)],
    [t('screen.detail.partyMembers'), num(f.partyMembers)],
    [t('screen.detail.partyCenters'), num(f.partyCenters)],
    b ? [t('screen.detail.floors'), b.floors] : [t('screen.detail.buildings'), num(f.buildings)],
    grid || b ? [t('screen.detail.status'), grid ? t(`screen.band.${grid.status}`) : '—'] : [t('screen.detail.grids'), f.gridsBasic + f.gridsDedicated],
  ];
  return (
    <div className="detail" data-testid="detail-card" data-kind={scope.level}>
      <div className="detail-title" data-testid="detail-title">
        {grid && <i className="detail-swatch" style={{ background: BAND_COLORS[grid.status] }} />}
        {title}
      </div>
      {grid && (
        <div className="detail-meta">
          <span className="detail-meta-k">{t('screen.detail.code')}</span>
          <span className="detail-code" data-testid="detail-grid-code">{grid.code}</span>
        </div>
      )}
      {grid && (
        <div className="detail-meta" data-testid="detail-workers">
          <span className="detail-meta-k">{t('screen.detail.workers')}</span>
          {grid.workers.length === 0
            ? t('screen.detail.noWorkers')
            : grid.workers.map((w, i) => (
                <span key={i} className="worker">
                  {w.masked}
                  <small>{t(w.role === 'full_time' ? 'screen.detail.fullTime' : 'screen.detail.auxiliary')}</small>
                </span>
              ))}
        </div>
      )}
      {!grid && !community && <div className="detail-hint">{t('screen.detail.streetHint')}</div>}
      <div className="detail-stats">
        {stats.map(([k, v]) => (
          <div key={k} className="detail-stat">
            <span>{k}</span>
            <b>{v}</b>
          </div>
        ))}
      </div>
    </div>
  );
}
