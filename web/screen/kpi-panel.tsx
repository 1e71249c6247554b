/** The KPI tiles (web/screen/kpis.ts), big numerals for reading from across the room. */
import { useI18n } from '../i18n/i18n';
import type { ScreenSummary } from '../http/screen-api';
import { kpiCount, type Figures } from './figures';
import { KPIS } from './kpis';

export function KpiPanel({ figures, summary }: { figures: Figures; summary: ScreenSummary }) {
  const { t, num, lang } = useI18n();
  return (
    <div className="kpi-grid" data-testid="kpi-grid">
      {KPIS.map((k) => {
        const v = k.value(figures, summary);
        const text = v === null ? '—' : k.format === 'percent' ? (v * 100).toFixed(1) : kpiCount(v, lang, num);
        const unit = k.format === 'percent' ? '%' : k.unit ? t(k.unit) : '';
        return (
          <div key={k.id} className={`kpi-tile tone-${k.tone ?? 'cyan'}`} data-testid={`kpi-${k.id}`} data-value={v ?? ''}>
            <div className="kpi-label">{t(k.label)}</div>
            <div className="kpi-value">
              {text}
              {v !== null && unit && <small>{unit}</small>}
            </div>
            {k.detail && <div className="kpi-detail">{k.detail(figures, t, summary)}</div>}
          </div>
        );
      })}
    </div>
  );
}
