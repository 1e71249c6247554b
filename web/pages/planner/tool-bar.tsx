/** The planner's mode toolbar (select, paint, compound, reshape, split, draw, merge, delete) and actions. */
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/zh-cn';
import { exportUrl, type ExportFormat } from './plan-api';
import type { Tool } from './planner-map';

const TOOLS: readonly Tool[] = ['select', 'paint', 'compound', 'reshape', 'split', 'draw', 'merge', 'delete'];
const FORMATS: readonly ExportFormat[] = ['geojson', 'shp', 'xlsx'];

export interface ToolBarProps {
  planId: number;
  status: string;
  version: number;
  editable: boolean;
  tool: Tool;
  onTool: (t: Tool) => void;
  active: { code: string; locked: boolean } | null;
  canUndo: boolean;
  canRedo: boolean;
  onUndo: () => void;
  onRedo: () => void;
  onLock: () => void;
  onRenumber: () => void;
  onPublish: () => void;
  extruded: boolean;
  onExtruded: (v: boolean) => void;
  saving: boolean;
}

export function ToolBar(p: ToolBarProps) {
  const { t } = useI18n();
  return (
    <div className="planner-tools panel" data-testid="planner-tools">
      <span data-testid="plan-status" className="planner-status">
        {t(`planner.status.${p.status}` as MessageKey)} · v{p.version}
      </span>
      {p.editable && (
        <div className="planner-modes" role="toolbar">
          {TOOLS.map((tool) => (
            <button
              key={tool}
              type="button"
              className={`btn btn-small${p.tool === tool ? ' btn-active' : ''}`}
              aria-pressed={p.tool === tool}
              data-testid={`tool-${tool}`}
              onClick={() => p.onTool(tool)}
            >
              {t(`planner.tool.${tool}` as MessageKey)}
            </button>
          ))}
        </div>
      )}
      {p.editable && (
        <>
          <button type="button" className="btn btn-small" data-testid="lock-active" disabled={!p.active} onClick={p.onLock}>
            {p.active?.locked ? t('planner.unlock') : t('planner.lock')}
          </button>
          <button type="button" className="btn btn-small" data-testid="renumber" onClick={p.onRenumber}>{t('planner.renumber')}</button>
          <button type="button" className="btn btn-small" data-testid="undo" disabled={!p.canUndo} onClick={p.onUndo} title="Ctrl+Z">{t('planner.undo')}</button>
          <button type="button" className="btn btn-small" data-testid="redo" disabled={!p.canRedo} onClick={p.onRedo} title="Ctrl+Y / Ctrl+Shift+Z">{t('planner.redo')}</button>
        </>
      )}
      <details className="planner-export" data-testid="export-menu">
        <summary className="btn btn-small">{t('planner.export')}</summary>
        <div className="planner-export-list">
          {FORMATS.map((f) => (
            <a key={f} href={exportUrl(p.planId, f)} download data-testid={`export-${f}`}>{t(`planner.export.${f}` as MessageKey)}</a>
          ))}
        </div>
      </details>
      <label className="planner-inline">
        <input type="checkbox" data-testid="extrude" checked={p.extruded} onChange={(e) => p.onExtruded(e.target.checked)} /> {t('planner.extrude')}
      </label>
      {p.saving && <span className="planner-hint" data-testid="saving">{t('planner.saving')}</span>}
      {p.editable && (
        <button type="button" className="btn btn-primary btn-small planner-publish" data-testid="publish-open" onClick={p.onPublish}>
          {t('planner.publishOpen')}
        </button>
      )}
    </div>
  );
}
