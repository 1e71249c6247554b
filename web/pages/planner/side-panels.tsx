/** The planner's right-hand panels: live tally table, households chart, validation, diff. */
import type { GridTally } from '../../../geo/plan/tally';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/zh-cn';
import { HouseholdChart } from './household-chart';
import type { PlanDiff, PlanGridProps } from './plan-api';

type BBox = [number, number, number, number];

export interface ShownProblem {
  code: string;
  severity: 'error' | 'warning' | 'info';
  bbox: BBox | null;
  message: { zh: string; en: string };
}

export function TallyPanel({
  rows,
  active,
  picked,
  editable,
  onPick,
  onLock,
}: {
  rows: { g: PlanGridProps; t: GridTally }[];
  active: string | null;
  picked: readonly string[];
  editable: boolean;
  onPick: (grid: string) => void;
  onLock: (grid: string, locked: boolean) => void;
}) {
  const { t, num } = useI18n();
  return (
    <>
      <div className="panel">
        <table className="planner-table" data-testid="tally-table">
          <thead>
            <tr>
              <th>{t('planner.col.grid')}</th>
              <th>{t('planner.col.households')}</th>
              <th>{t('planner.col.residents')}</th>
              <th>{t('planner.col.party')}</th>
              <th title={t('party.loadTitle')}>{t('party.col.load')}</th>
              <th>{t('planner.col.buildings')}</th>
              <th>{t('planner.col.deviation')}</th>
              <th>{t('planner.col.status')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map(({ g, t: x }) => (
              <tr
                key={g.code}
                data-testid="tally-row"
                data-grid={g.code}
                data-households={x.households}
                data-load={x.load}
                data-status={x.status}
                className={[g.code === active ? 'paint' : '', picked.includes(g.code) ? 'picked' : ''].join(' ')}
                onClick={() => onPick(g.code)}
              >
                <td title={`${g.code} ${g.name}`}>
                  {g.locked ? '🔒 ' : ''}
                  {g.code.slice(-3)} {g.name}
                </td>
                <td>{num(x.households)}</td>
                <td>{num(x.residents)}</td>
                <td>{num(x.partyMembers)}</td>
                <td data-testid="tally-load">{num(Math.round(x.load))}</td>
                <td>{x.buildings}</td>
                <td>{x.kind === 'dedicated' ? '—' : (x.deviation > 0 ? '+' : '') + x.deviation}</td>
                <td>
                  <span className={`band-chip band-${x.status}`}>{t(`planner.band.${x.status}` as MessageKey)}</span>
                </td>
                <td>
                  {editable && (
                    <button type="button" className="btn btn-small" data-testid="lock-toggle" onClick={(e) => { e.stopPropagation(); onLock(g.code, !g.locked); }}>
                      {g.locked ? t('planner.unlock') : t('planner.lock')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="panel">
        <HouseholdChart rows={rows.map(({ g, t: x }) => ({ code: g.code.slice(-3), households: x.households, status: x.status }))} />
      </div>
    </>
  );
}

export function ValidationPanel({ problems, live, onZoom }: { problems: ShownProblem[] | null; live: boolean; onZoom: (b: BBox) => void }) {
  const { t, lang } = useI18n();
  const errors = problems?.filter((p) => p.severity === 'error').length ?? 0;
  const warnings = problems?.filter((p) => p.severity === 'warning').length ?? 0;
  const order = { error: 0, warning: 1, info: 2 } as const;
  const sorted = [...(problems ?? [])].sort((a, b) => order[a.severity] - order[b.severity]);
  return (
    <div className="panel" data-testid="validation-panel" data-errors={errors} data-live={live}>
      <h3 className="panel-title">
        {t('planner.validation')}
        {live && <span className="planner-live">{t('planner.validationLive')}</span>}
        {problems && <span className="planner-counts"> · {t('planner.validationCounts', { errors, warnings })}</span>}
      </h3>
      {problems && problems.length === 0 && <div>{t('planner.validationOk')}</div>}
      <ul className="planner-problems">
        {sorted.slice(0, 60).map((p, i) => (
          <li key={i} className={`problem-${p.severity}`} data-testid="problem" data-code={p.code}>
            <button type="button" className="link" onClick={() => p.bbox && onZoom(p.bbox)}>
              {lang === 'en' ? p.message.en : p.message.zh}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function DiffPanel({ diff, shown, onToggle, onZoomGrid }: { diff: PlanDiff | null; shown: boolean; onToggle: (v: boolean) => void; onZoomGrid: (code: string) => void }) {
  const { t } = useI18n();
  const grids = diff?.grids?.features.features ?? [];
  return (
    <div className="panel" data-testid="diff-panel">
      <h3 className="panel-title">
        {t('planner.diff')}
        <label className="planner-inline">
          <input type="checkbox" data-testid="diff-toggle" checked={shown} onChange={(e) => onToggle(e.target.checked)} /> {t('planner.showDiff')}
        </label>
      </h3>
      {diff && (
        <>
          <div data-testid="diff-summary">
            {t('planner.diffSummary', {
              buildings: diff.buildingsMoved,
              households: diff.householdsMoved,
              added: diff.grids?.added ?? 0,
              removed: diff.grids?.removed ?? 0,
              changed: diff.grids?.changed ?? 0,
            })}
          </div>
          <ul className="planner-problems">
            {grids.map((f) => (
              <li key={`g-${f.properties.code}`} className={`diff-${f.properties.change}`}>
                <button type="button" className="link" onClick={() => onZoomGrid(f.properties.code)}>
                  {f.properties.code} · {t(`planner.diff.${f.properties.change}` as MessageKey)}
                </button>
              </li>
            ))}
            {diff.moved.slice(0, 40).map((m) => (
              <li key={m.building} className="diff-moved">
                {m.building}: {m.from?.slice(-3) ?? '—'} → {m.to?.slice(-3) ?? '—'} ({m.households})
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
