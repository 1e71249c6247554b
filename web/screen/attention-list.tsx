/**
 * The question a leader asks first: which grids are outside the 300–400 band, by how much.
 * Over first, then under, largest gap first; a click drills into the grid.
 */
import { useI18n } from '../i18n/i18n';
import type { ScreenGrid } from '../http/screen-api';
import { BAND_COLORS } from '../map/palette';

export function outOfBand(grids: readonly ScreenGrid[], lo: number, hi: number): { grid: ScreenGrid; gap: number }[] {
  return grids
    .filter((g) => g.status === 'over' || g.status === 'under')
    .map((g) => ({ grid: g, gap: g.status === 'over' ? g.households - hi : lo - g.households }))
    .sort((a, b) => (a.grid.status === b.grid.status ? b.gap - a.gap : a.grid.status === 'over' ? -1 : 1));
}

export function AttentionList(props: { grids: ScreenGrid[]; lo: number; hi: number; selected: string | null; onPick: (g: ScreenGrid) => void }) {
  const { t } = useI18n();
  const rows = outOfBand(props.grids, props.lo, props.hi).slice(0, 5);
  if (rows.length === 0) {
    // "Every grid is within the band" only when there are basic grids to be within it.
    const none = props.grids.some((g) => g.kind === 'basic') ? 'screen.attention.none' : 'screen.attention.noGrids';
    return <div className="attention-none" data-testid="attention-list">{t(none)}</div>;
  }
  return (
    <ul className="attention" data-testid="attention-list">
      {rows.map(({ grid, gap }) => (
        <li key={grid.code} className={props.selected === grid.code ? 'sel' : ''} onClick={() => props.onPick(grid)}>
          <i style={{ background: BAND_COLORS[grid.status] }} />
          <span className="attention-name">{grid.name}</span>
          <b>{grid.households}</b>
          <span className={`attention-gap ${grid.status}`}>
            {t(grid.status === 'over' ? 'screen.attention.over' : 'screen.attention.under', { n: gap })}
          </span>
        </li>
      ))}
    </ul>
  );
}
