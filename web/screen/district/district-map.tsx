/**
 * The district map of the district wall screen: every street's outline, filled by its share of
 * grids in the 300–400 band, with its name and share; clicking a street opens its wall screen.
 * Plain SVG from the outlines the API sends (a few hundred points per street): no map library,
 * no tiles, drawn at once.
 */
import { useMemo } from 'react';
import { type DistrictStreet, streetScreenHref } from '../../http/district-screen-api';
import type { BBox } from '../../http/screen-api';
import { useI18n } from '../../i18n/i18n';
import { outlinePath, projector, shareColor } from './district-layout';

const pct = (share: number | null) => (share === null ? '—' : `${Math.round(share * 100)}%`);

export function DistrictMap({ streets, bbox, width, height }: { streets: DistrictStreet[]; bbox: BBox | null; width: number; height: number }) {
  const { t } = useI18n();
  const shapes = useMemo(() => {
    if (!bbox) return [];
    const project = projector(bbox, width, height, 36);
    return streets.map((s) => {
      const [cx, cy] = s.bbox ? project([(s.bbox[0] + s.bbox[2]) / 2, (s.bbox[1] + s.bbox[3]) / 2]) : [0, 0];
      return { s, d: s.outline ? outlinePath(s.outline, project) : '', cx, cy };
    });
  }, [streets, bbox, width, height]);
  return (
    <div className="dm" data-testid="district-map">
      <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`}>
        <defs>
          <filter id="dm-glow" x="-20%" y="-20%" width="140%" height="140%">
            <feGaussianBlur stdDeviation="4" result="b" />
            <feMerge>
              <feMergeNode in="b" />
              <feMergeNode in="SourceGraphic" />
            </feMerge>
          </filter>
        </defs>
        {shapes.map(({ s, d }) => (
          <a key={s.code} href={streetScreenHref(s.code)} data-testid={`district-map-street-${s.code}`} aria-label={t('district.tile.open.title', { name: s.name })}>
            <path className="dm-street" d={d} fill={shareColor(s.inBandShare)} filter="url(#dm-glow)" />
          </a>
        ))}
        {shapes.map(({ s, cx, cy }) => (
          <g key={s.code} className="dm-label" transform={`translate(${cx.toFixed(1)}, ${cy.toFixed(1)})`}>
            <text className="dm-name" y={-6}>{s.name}</text>
            <text className="dm-share" y={24}>{pct(s.inBandShare)}</text>
          </g>
        ))}
      </svg>
      <div className="dm-legend">
        <span>{t('district.legend.share')}</span>
        <i className="dm-ramp" />
        <span className="dm-ramp-ticks">
          <b>≤50%</b>
          <b>70%</b>
          <b>85%</b>
          <b>100%</b>
        </span>
        <i className="dm-none" style={{ background: shareColor(null) }} />
        <span>{t('district.legend.none')}</span>
      </div>
    </div>
  );
}
