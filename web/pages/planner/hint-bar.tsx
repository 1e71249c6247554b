/**
 * The line under the toolbar: what the current tool expects next, the merge / delete actions of
 * those tools, the last notice and the measured tally latency.
 */
import { useI18n } from '../../i18n/i18n';
import type { Tool } from './planner-map';

export interface HintBarProps {
  tool: Tool;
  editable: boolean;
  /** The active grid's code. */
  active: string | null;
  /** Grids picked for a merge. */
  picked: string[];
  onMerge: () => void;
  /** The grid a deleted grid's buildings go to, and the candidates (nearest first). */
  into: string | null;
  neighbours: string[];
  gridName: (code: string) => string | undefined;
  onInto: (code: string) => void;
  onDelete: () => void;
  notice: string | null;
  latency: { commit: number; frame: number } | null;
}

export function HintBar({ tool, editable, active, picked, onMerge, into, neighbours, gridName, onInto, onDelete, notice, latency }: HintBarProps) {
  const { t } = useI18n();
  const hint =
    tool === 'draw' ? t('planner.hint.draw')
      : tool === 'merge' ? t('planner.hint.merge', { n: picked.length })
        : tool === 'select' ? t('planner.hint.select')
          : tool === 'delete' && !active ? t('planner.hint.delete')
            : !active ? t('planner.hint.needGrid')
              : t(`planner.hint.${tool}` as 'planner.hint.paint', { grid: active.slice(-3) });
  return (
    <div className="planner-hintbar">
      <span className="planner-hint" data-testid="planner-hint">{hint}</span>
      {tool === 'merge' && editable && (
        <button type="button" className="btn btn-small btn-primary" data-testid="merge-do" disabled={picked.length < 2} onClick={onMerge}>{t('planner.mergeDo')}</button>
      )}
      {tool === 'delete' && editable && active && into && (
        <>
          <select data-testid="delete-into" value={into} onChange={(e) => onInto(e.target.value)}>
            {neighbours.map((n) => <option key={n} value={n}>{n.slice(-3)} {gridName(n)}</option>)}
          </select>
          <button type="button" className="btn btn-small btn-danger" data-testid="delete-do" onClick={onDelete}>
            {t('planner.deleteDo', { grid: active.slice(-3), into: into.slice(-3) })}
          </button>
        </>
      )}
      {notice && <span className="planner-notice" data-testid="planner-notice">{notice}</span>}
      {latency !== null && <span className="planner-latency" data-testid="tally-latency" data-ms={latency.frame} data-commit-ms={latency.commit}>{t('planner.latency', { ms: latency.frame })}</span>}
    </div>
  );
}
