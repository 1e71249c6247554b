/**
 * Shows the clicked grid, building or facility. Only aggregate and public fields appear here;
 * household records never reach the map page.
 */
import type { ReactNode } from 'react';
import type { FacilityCategory, LayerData } from '../http/api-types';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/zh-cn';
import { BAND_COLORS, BUILDING_USE_COLORS } from '../map/palette';
import type { Selection } from '../map/selection';

type Row = [MessageKey, ReactNode];

const USE_KEYS = new Set(Object.keys(BUILDING_USE_COLORS));

function Rows({ rows }: { rows: Row[] }) {
  const { t } = useI18n();
  return (
    <dl className="detail-rows">
      {rows.map(([k, v]) => (
        <div className="detail-row" key={k} data-field={k}>
          <dt>{t(k)}</dt>
          <dd>{v === null || v === undefined || v === '' ? '—' : v}</dd>
        </div>
      ))}
    </dl>
  );
}

function Chip({ color, children }: { color: string; children: ReactNode }) {
  return (
    <span className="chip" style={{ borderColor: color, color }}>
      <span className="chip-dot" style={{ background: color }} />
      {children}
    </span>
  );
}

export function DetailPanel({
  selection,
  layers,
  categories,
  onClose,
}: {
  selection: Selection | null;
  layers: Partial<LayerData>;
  categories: FacilityCategory[] | null;
  onClose: () => void;
}) {
  const { t, num, lang } = useI18n();
  /** Dedicated types share their codes with building uses (school, market …). */
  const labelOfUse = (code: string) => (USE_KEYS.has(code) ? t(`use.${code}` as MessageKey) : code);
  if (!selection) {
    return (
      <section className="panel detail-panel empty" data-testid="detail-panel" data-kind="none">
        <h2 className="panel-title">{t('detail.title')}</h2>
        <p className="detail-hint">{t('detail.hint')}</p>
      </section>
    );
  }

  let kindLabel: MessageKey;
  let title: string;
  let rows: Row[];
  if (selection.kind === 'grid') {
    const p = selection.props;
    const community = layers.communities?.features.find((f) => f.properties.code === p.communityCode)?.properties;
    kindLabel = 'detail.grid';
    title = p.name;
    rows = [
      ['detail.code', <code key="c">{p.code}</code>],
      ['detail.community', community?.shortName || community?.name || p.communityName],
      ['detail.kind', t(p.kind === 'dedicated' ? 'detail.kind.dedicated' : 'detail.kind.basic') + (p.dedicatedType ? ` · ${labelOfUse(p.dedicatedType)}` : '')],
      ['detail.households', num(p.households)],
      ['detail.residents', num(p.residents)],
      ['detail.partyMembers', num(p.partyMembers)],
      ['detail.partyCenters', num(p.partyCenters)],
      ['detail.buildings', num(p.buildings)],
      ['detail.workers', num(p.workers)],
      ['detail.status', <Chip key="s" color={BAND_COLORS[p.status] ?? '#888'}>{t(`legend.band.${p.status}` as MessageKey)}</Chip>],
    ];
  } else if (selection.kind === 'building') {
    const p = selection.props;
    const grid = layers.grids?.features.find((f) => f.properties.code === p.gridCode)?.properties;
    kindLabel = 'detail.building';
    title = p.name ? `${p.number} · ${p.name}` : p.number;
    rows = [
      ['detail.code', <code key="c">{p.code}</code>],
      ['detail.number', p.number],
      ['detail.use', <Chip key="u" color={BUILDING_USE_COLORS[p.use] ?? '#aaa'}>{t(`use.${p.use}` as MessageKey)}</Chip>],
      ['detail.floors', num(p.floors)],
      ['detail.height', `${num(p.heightM)} ${t('unit.meters')}`],
      ['detail.units', num(p.units)],
      ['detail.households', num(p.households)],
      ['detail.residents', num(p.residents)],
      ['detail.gridCode', p.gridCode ? (grid ? `${grid.name} (${p.gridCode})` : p.gridCode) : null],
    ];
  } else {
    const p = selection.props;
    const cat = categories?.find((c) => c.code === p.category);
    const catName = lang === 'en' && cat?.nameEn ? cat.nameEn : p.categoryName;
    kindLabel = 'detail.facility';
    title = p.name;
    rows = [
      ['detail.code', <code key="c">{p.code}</code>],
      ['detail.category', <Chip key="k" color={p.color || cat?.color || '#aaa'}>{catName}</Chip>],
      ['detail.level', ['5min', '10min', '15min', 'block'].includes(p.level) ? t(`level.${p.level}` as MessageKey) : p.level],
      ['detail.address', p.address],
    ];
  }

  return (
    <section className="panel detail-panel" data-testid="detail-panel" data-kind={selection.kind} lang={lang}>
      <div className="detail-head">
        <span className="detail-kind">{t(kindLabel)}</span>
        <button type="button" className="detail-close" onClick={onClose} title={t('detail.close')} aria-label={t('detail.close')}>
          ×
        </button>
      </div>
      <h2 className="detail-title" data-testid="detail-title">{title}</h2>
      <Rows rows={rows} />
    </section>
  );
}
