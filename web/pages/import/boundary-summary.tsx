/**
 * What a boundary import does (issue #15.2): boundaries new / updated / unchanged, buildings that
 * move to another community or end up in none, and whether the published plan needs re-partitioning.
 */
import { useI18n } from '../../i18n/i18n';
import type { BoundaryReport } from './types';

const SHOWN = 100;

export function BoundarySummary({ report }: { report: BoundaryReport }) {
  const { t } = useI18n();
  const m = report.membership;
  return (
    <section className="panel" data-testid="import-boundaries">
      <h2>{t('import.boundaries.title')}</h2>
      <p>{t('import.boundaries.counts', { ...report.counts })}</p>
      {report.boundaries.length > 0 && (
        <div className="import-boundary-list">
          <table className="data-table" data-testid="import-boundaries-list">
            <thead><tr><th>{t('import.row')}</th><th>{t('import.boundaries.level')}</th><th>{t('import.boundaries.code')}</th><th>{t('import.boundaries.name')}</th><th>{t('import.boundaries.parent')}</th><th>{t('import.boundaries.status')}</th></tr></thead>
            <tbody>
              {report.boundaries.slice(0, SHOWN).map((e) => (
                <tr key={e.row} data-level={e.level}>
                  <td>{e.row}</td>
                  <td>{t(`import.boundaries.level.${e.level}`)}</td>
                  <td>{e.code}{e.codeBy && e.codeBy !== 'file' && <span className="dim"> {t(`import.boundaries.codeBy.${e.codeBy}`)}</span>}</td>
                  <td>{e.name}</td>
                  <td>{e.parent ?? '—'}{e.parentBy === 'containment' && <span className="dim"> {t('import.boundaries.byContainment')}</span>}</td>
                  <td>{t(`import.boundaries.status.${e.status}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {report.boundaries.length > SHOWN && <p className="dim">{t('import.more', { n: report.boundaries.length - SHOWN })}</p>}
      <p data-testid="import-boundaries-moved">{t('import.boundaries.moved', { count: m.moved.count, codes: m.moved.codes.join('、') || '—' })}</p>
      {m.orphaned.count > 0 && <p className="form-warning">{t('import.boundaries.orphaned', { count: m.orphaned.count, codes: m.orphaned.codes.join('、') })}</p>}
      {m.planOutdated && <p className="form-warning" data-testid="import-plan-outdated">{t('import.boundaries.planOutdated')}</p>}
    </section>
  );
}
