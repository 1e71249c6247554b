/**
 * 大屏范围 — which part of the territory a new kiosk link shows (issue #15.4): the whole deployment,
 * one district or one street, from `GET /api/territory`. Shown only when the deployment has several
 * streets; a link's scope is named in the kiosk table by {@link useScopeName}.
 */
import type { KioskScope } from '../../http/auth-api';
import { streetsOf, useStreetChoice } from '../../http/territory';
import { useI18n } from '../../i18n/i18n';

const spec = (s: KioskScope) => `${s.scopeType}:${s.scopeCode}`;

/** The scope select of the create form (`''` = the whole deployment). */
export function KioskScopeField({ value, onChange }: { value: string; onChange: (spec: string) => void }) {
  const { t } = useI18n();
  const territory = useStreetChoice()?.territory ?? null;
  if (streetsOf(territory).length <= 1 || !territory) return null;
  return (
    <label className="field">
      <span>{t('kiosk.scope')}</span>
      <select value={value} onChange={(e) => onChange(e.target.value)} data-testid="kiosk-scope">
        <option value="">{t('kiosk.scopeAll')}</option>
        {territory.districts.map((d) => (
          <optgroup key={d.code ?? ''} label={d.name ?? d.code ?? t('street.noDistrict')}>
            {d.code && <option value={`district:${d.code}`}>{t('kiosk.scopeDistrict', { name: d.name ?? d.code })}</option>}
            {d.streets.map((s) => (
              <option key={s.code} value={`street:${s.code}`}>
                {s.name}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
    </label>
  );
}

/** Names a kiosk link's scope from the territory (its code when unknown). */
export function useScopeName(): (scope: KioskScope) => string {
  const { t } = useI18n();
  const territory = useStreetChoice()?.territory ?? null;
  return (scope) => {
    if (scope.scopeType === 'district') {
      const d = territory?.districts.find((x) => x.code === scope.scopeCode);
      return t('kiosk.scopeDistrict', { name: d?.name ?? scope.scopeCode });
    }
    if (scope.scopeType === 'street') return streetsOf(territory).find((s) => s.code === scope.scopeCode)?.name ?? scope.scopeCode;
    return spec(scope);
  };
}
