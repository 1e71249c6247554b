/** Target field ↔ file column, one select per field; the server's suggestion is preselected. */
import { useI18n } from '../../i18n/i18n';
import type { TargetField } from './types';

export function MappingTable({ fields, columns, mapping, onChange }: {
  fields: TargetField[];
  columns: string[];
  mapping: Record<string, string>;
  onChange: (next: Record<string, string>) => void;
}) {
  const { t, lang } = useI18n();
  return (
    <table className="data-table import-mapping" data-testid="import-mapping">
      <thead>
        <tr>
          <th>{t('import.mapping.field')}</th>
          <th>{t('import.mapping.column')}</th>
        </tr>
      </thead>
      <tbody>
        {fields.map((f) => (
          <tr key={f.key}>
            <td>
              {lang === 'en' ? f.en : f.zh}
              {f.required && <span className="dim"> · {t('import.mapping.required')}</span>}
            </td>
            <td>
              <select
                value={mapping[f.key] ?? ''}
                onChange={(e) => {
                  const next = { ...mapping };
                  if (e.target.value) next[f.key] = e.target.value;
                  else delete next[f.key];
                  onChange(next);
                }}
                data-testid={`map-${f.key}`}
              >
                <option value="">{t('import.mapping.none')}</option>
                {columns.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
