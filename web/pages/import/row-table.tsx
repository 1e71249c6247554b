/** Per-row messages of an import answer (errors or warnings): row, column, reason, the first 200. */
import { type Lang, useI18n } from '../../i18n/i18n';
import type { RowError, TargetField } from './types';

/** A row message's column: the geometry or a target field's key by its name, a file column as it is. */
function fieldLabel(fields: TargetField[], field: string | undefined, lang: Lang, geometry: string): string {
  if (field === 'geometry') return geometry;
  const f = fields.find((x) => x.key === field);
  return f ? (lang === 'en' ? f.en : f.zh) : (field ?? '');
}

const SHOWN = 200;

export function RowTable({ title, rows, fields, testId }: { title: string; rows: RowError[]; fields: TargetField[]; testId: string }) {
  const { t, lang } = useI18n();
  return (
    <section className="panel">
      <h2>{title}</h2>
      <table className="data-table" data-testid={testId}>
        <thead><tr><th>{t('import.row')}</th><th>{t('import.column')}</th><th>{t('import.reason')}</th></tr></thead>
        <tbody>
          {rows.slice(0, SHOWN).map((e, i) => (
            <tr key={i}><td>{e.count && e.count > 1 ? t('import.rowsCount', { row: e.row, count: e.count }) : e.row}</td><td>{fieldLabel(fields, e.field, lang, t('import.geometry'))}</td><td>{lang === 'en' ? e.en : e.zh}</td></tr>
          ))}
        </tbody>
      </table>
      {rows.length > SHOWN && <p className="dim">{t('import.more', { n: rows.length - SHOWN })}</p>}
    </section>
  );
}
