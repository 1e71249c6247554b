/**
 * "Nearest facility of a category" for the current start point: choose a category, get the one
 * nearest on foot (GET /api/nearest, k = 1) with its walking minutes; the page draws its route.
 */
import type { FacilityCategory } from '../../http/api-types';
import { useI18n } from '../../i18n/i18n';

export function NearestPicker({
  categories,
  category,
  onCategory,
  result,
}: {
  categories: FacilityCategory[];
  category: string;
  onCategory: (code: string) => void;
  /** The answer for `category`: a facility, `'none'` (nothing reachable), or null (not asked yet). */
  result: { name: string; minutes: number; distanceM: number } | 'none' | null;
}) {
  const { t, lang } = useI18n();
  const cat = categories.find((c) => c.code === category);
  const catName = cat ? (lang === 'en' ? cat.nameEn : cat.name) : '';
  return (
    <div className="life-nearest" data-testid="life-nearest">
      <label>
        <span>{t('phone.nearest')}</span>
        <select value={category} data-testid="life-nearest-category" onChange={(e) => onCategory(e.target.value)}>
          <option value="">{t('phone.nearestPick')}</option>
          {categories.map((c) => (
            <option key={c.code} value={c.code}>{lang === 'en' ? c.nameEn : c.name}</option>
          ))}
        </select>
      </label>
      {result === 'none' && <p className="life-muted">{t('phone.nearestNone', { cat: catName })}</p>}
      {result && result !== 'none' && (
        <p className="life-route" data-testid="life-nearest-result">
          {t('phone.nearestResult', { cat: catName, name: result.name, m: result.minutes, d: Math.round(result.distanceM) })}
        </p>
      )}
    </div>
  );
}
