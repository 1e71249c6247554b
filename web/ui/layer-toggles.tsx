/** The layer switch panel; each row shows the layer's swatch and how many features it holds. */
import type { LayerData } from '../http/api-types';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/zh-cn';
import { BAND_COLORS, BASE, BUILDING_USE_COLORS, PARTY_RAMP, ROAD_STYLES } from '../map/palette';
import { TOGGLE_KEYS, type ToggleKey, type Toggles } from '../map/toggles';

/** `source: null`: a figure of its own, not a map layer (no feature count). */
const ROWS: Record<ToggleKey, { label: MessageKey; swatch: string; source: keyof LayerData | null }> = {
  communities: { label: 'layers.communities', swatch: BASE.communityLine, source: 'communities' },
  grids: { label: 'layers.grids', swatch: BAND_COLORS.in, source: 'grids' },
  buildings: { label: 'layers.buildings', swatch: BUILDING_USE_COLORS.residential, source: 'buildings' },
  partyDensity: { label: 'layers.partyDensity', swatch: `rgb(${PARTY_RAMP[4].join(',')})`, source: 'households' },
  partyReach: { label: 'party.layer', swatch: 'rgb(214,39,40)', source: null },
  facilities: { label: 'layers.facilities', swatch: '#E69F00', source: 'facilities' },
  roads: { label: 'layers.roads', swatch: ROAD_STYLES.arterial.color, source: 'roads' },
  compounds: { label: 'layers.compounds', swatch: BASE.compoundLine, source: 'compounds' },
};

export function LayerToggles({
  toggles,
  layers,
  onChange,
}: {
  toggles: Toggles;
  layers: Partial<LayerData>;
  onChange: (next: Toggles) => void;
}) {
  const { t, num } = useI18n();
  return (
    <section className="panel layer-toggles" data-testid="layer-toggles">
      <h2 className="panel-title">{t('layers.title')}</h2>
      <ul>
        {TOGGLE_KEYS.map((key) => {
          const row = ROWS[key];
          const fc = row.source ? layers[row.source] : undefined;
          return (
            <li key={key}>
              <label className={toggles[key] ? 'toggle on' : 'toggle'} data-layer={key}>
                <input
                  type="checkbox"
                  checked={toggles[key]}
                  data-testid={`toggle-${key}`}
                  onChange={(e) => onChange({ ...toggles, [key]: e.target.checked })}
                />
                <span className="switch" aria-hidden="true" />
                <span className="swatch" style={{ background: row.swatch }} />
                <span className="toggle-label">{t(row.label)}</span>
                <span className="toggle-count">{fc ? num(fc.features.length) : row.source ? '…' : ''}</span>
              </label>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
