/**
 * 街道切换 — the street picker of every page (issue #15.4): the streets the caller may see,
 * grouped by district, the current one selected. Choosing another remembers it as the default
 * (localStorage) and reloads the page with `?street=<code>`, so every request of the page is made
 * again for that street. Hidden when the caller sees one street only (then `fallback` shows).
 */
import type { ReactNode } from 'react';
import { rememberStreet, streetHref, streetsOf, useStreetChoice } from '../http/territory';
import { useI18n } from '../i18n/i18n';

export function StreetPicker({ fallback = null, className = 'street-picker' }: { fallback?: ReactNode; className?: string }) {
  const { t } = useI18n();
  const choice = useStreetChoice();
  if (!choice?.territory || streetsOf(choice.territory).length <= 1) return <>{fallback}</>;
  const switchTo = (code: string) => {
    if (code === choice.street) return;
    rememberStreet(code);
    location.assign(streetHref(code));
  };
  return (
    <label className={className} title={t('street.pickerTitle')}>
      <span className="street-dot" aria-hidden="true" />
      <select
        data-testid="street-picker"
        aria-label={t('street.picker')}
        value={choice.street ?? ''}
        onChange={(e) => switchTo(e.target.value)}
      >
        {choice.territory.districts.map((d) => (
          <optgroup key={d.code ?? ''} label={d.name ?? t('street.noDistrict')}>
            {d.streets.map((s) => (
              <option key={s.code} value={s.code}>
                {s.name}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
    </label>
  );
}
