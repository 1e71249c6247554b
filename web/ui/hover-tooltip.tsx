/** A small label following the pointer: what you would get by clicking, before you click. */
import type { HoverInfo } from '../map/map-controller';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/zh-cn';

export function HoverTooltip({ hover }: { hover: HoverInfo | null }) {
  const { t, num } = useI18n();
  if (!hover) return null;
  const { hit } = hover;
  let title: string;
  let sub: string;
  if (hit.kind === 'grid') {
    title = hit.props.name;
    sub = `${num(hit.props.households)}${t('unit.households')} · ${t(`legend.band.${hit.props.status}` as MessageKey)}`;
  } else if (hit.kind === 'building') {
    title = hit.props.name ? `${hit.props.number} ${hit.props.name}` : hit.props.number;
    sub = `${t(`use.${hit.props.use}` as MessageKey)} · ${num(hit.props.floors)}${t('unit.floors')} · ${num(hit.props.households)}${t('unit.households')}`;
  } else {
    title = hit.props.name;
    sub = hit.props.categoryName;
  }
  return (
    <div className="hover-tooltip" style={{ left: hover.x + 14, top: hover.y + 14 }} data-testid="hover-tooltip">
      <div className="hover-title">{title}</div>
      <div className="hover-sub">{sub}</div>
    </div>
  );
}
