/**
 * What a boundary import does (issue #15.2): boundaries new / updated / unchanged, buildings that
 * move to another community or end up in none, and whether the published plan needs re-partitioning.
 */
import { useI18n } from '../../i18n/i18n';
import type { BoundaryReport } from './types';

export function BoundarySummary({ report }: { report: BoundaryReport }) {
  const { t } = useI18n();
  const m = report.membership;
  return (
    <section className="panel" data-testid="import-boundaries">
      <h2>{t('import.boundaries.title')}</h2>
      <p>{t('import.boundaries.counts', { ...report.counts })}</p>
      <p data-testid="import-boundaries-moved">{t('import.boundaries.moved', { count: m.moved.count, codes: m.moved.codes.join('、') || '—' })}</p>
      {m.orphaned.count > 0 && <p className="form-warning">{t('import.boundaries.orphaned', { count: m.orphaned.count, codes: m.orphaned.codes.join('、') })}</p>}
      {m.planOutdated && <p className="form-warning" data-testid="import-plan-outdated">{t('import.boundaries.planOutdated')}</p>}
    </section>
  );
}
