/** Street-wide key figures from `/api/stats`, with the grid band counts in their map colours. */
import type { Stats } from '../http/api-types';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/zh-cn';
import { BAND_COLORS } from '../map/palette';

interface Kpi {
  key: string;
  label: MessageKey;
  value: number;
  color?: string;
}

export function KpiStrip({ stats }: { stats: Stats | null }) {
  const { t, num } = useI18n();
  const items: Kpi[] = stats
    ? [
        { key: 'buildings', label: 'kpi.buildings', value: stats.buildings },
        { key: 'households', label: 'kpi.households', value: stats.households },
        { key: 'residents', label: 'kpi.residents', value: stats.residents },
        { key: 'partyMembers', label: 'kpi.partyMembers', value: stats.partyMembers, color: '#FB6A4A' },
        { key: 'grids', label: 'kpi.grids', value: stats.grids.total },
        { key: 'gridsIn', label: 'kpi.gridsIn', value: stats.grids.in, color: BAND_COLORS.in },
        { key: 'gridsUnder', label: 'kpi.gridsUnder', value: stats.grids.under, color: BAND_COLORS.under },
        { key: 'gridsOver', label: 'kpi.gridsOver', value: stats.grids.over, color: BAND_COLORS.over },
        { key: 'dedicated', label: 'kpi.dedicated', value: stats.grids.dedicated, color: BAND_COLORS.dedicated },
      ]
    : [];
  return (
    <section className="panel kpi-strip" data-testid="kpi" aria-busy={!stats}>
      {stats ? (
        items.map((k) => (
          <div className="kpi" key={k.key} data-kpi={k.key}>
            <div className="kpi-value" style={k.color ? { color: k.color } : undefined}>
              {num(k.value)}
            </div>
            <div className="kpi-label">
              {k.color && <span className="kpi-dot" style={{ background: k.color }} />}
              {t(k.label)}
            </div>
          </div>
        ))
      ) : (
        <div className="kpi-loading">{t('app.loading')}</div>
      )}
    </section>
  );
}
