/**
 * `/planner`: edit a draft grid plan of one community (Districtr-like). Plan bar (list, new draft,
 * open), the community map (click or Shift-drag to assign buildings to the paint grid, optionally
 * the whole compound), live tallies recomputed with geo/plan/tally.ts before the server answers,
 * a households bar chart, validation, undo/redo, lock, diff and publish.
 * Read-only for signed-in users without the planner or admin role.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { tallyPlan, type TallyBuilding } from '../../geo/plan/tally';
import { hasRole } from '../auth/roles';
import { useSession } from '../auth/session';
import { ApiError, fetchLayer } from '../http/api-client';
import type { BuildingProps, CommunityProps, HouseholdAggregateProps } from '../http/api-types';
import { useI18n } from '../i18n/i18n';
import { Dialog } from '../ui/dialog';
import { Header } from '../ui/header';
import { HouseholdChart } from './planner/household-chart';
import {
  createPlan,
  diffPlan,
  getPlan,
  listPlans,
  patchPlan,
  publishPlan,
  validatePlan,
  type PlanDetail,
  type PlanDiff,
  type PlanOp,
  type PlanSummary,
  type Validation,
} from './planner/plan-api';
import { PlannerMap } from './planner/planner-map';

/** One undoable edit: which buildings moved, from where (per building) and to which grid. */
interface Edit {
  to: string;
  from: Map<string, string>;
}


export function PlannerPage() {
  const session = useSession();
  const { lang } = useI18n();
  const tr = useCallback((zh: string, en: string) => (lang === 'en' ? en : zh), [lang]);
  const { state, me } = session;

  useEffect(() => {
    if (state.status === 'anonymous') location.replace('/login?next=%2Fplanner');
  }, [state.status]);

  const canEdit = hasRole(me, 'planner') || hasRole(me, 'admin');
  const isAdmin = hasRole(me, 'admin');
  const myCommunity = me?.roles.find((g) => g.role === 'planner' && g.scopeType === 'community')?.scopeCode;

  const [plans, setPlans] = useState<PlanSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [communities, setCommunities] = useState<CommunityProps[]>([]);
  const [community, setCommunity] = useState<string | null>(null);
  const [openId, setOpenId] = useState<number | null>(null);

  const showError = useCallback((e: unknown) => {
    if (e instanceof ApiError) {
      const [zh, en] = e.message.split(' / ');
      setError(lang === 'en' ? (en ?? zh) : zh);
    } else setError(String(e));
  }, [lang]);

  const reloadPlans = useCallback(() => listPlans().then(setPlans, showError), [showError]);
  useEffect(() => {
    if (state.status !== 'signed-in') return;
    void reloadPlans();
    fetchLayer('communities').then((fc) => {
      const list = fc.features.map((f) => f.properties as CommunityProps);
      setCommunities(list);
      setCommunity((c) => c ?? myCommunity ?? list[0]?.code ?? null);
    }, showError);
  }, [state.status, reloadPlans, showError, myCommunity]);

  const newDraft = async () => {
    setError(null);
    try {
      const { id } = await createPlan(isAdmin ? (community ?? undefined) : myCommunity, 'published');
      await reloadPlans();
      setOpenId(id);
    } catch (e) {
      showError(e);
    }
  };

  if (state.status !== 'signed-in') {
    return (
      <div className="app planner-page" data-testid="planner-page" data-state={state.status}>
        <Header page={tr('网格规划', 'Grid planner')} />
      </div>
    );
  }

  return (
    <div className="app planner-page" data-testid="planner-page" data-state="ready" data-can-edit={canEdit}>
      <Header page={tr('网格规划', 'Grid planner')} />
      <div className="planner-bar panel" data-testid="plan-bar">
        <select data-testid="plan-select" value={openId ?? ''} onChange={(e) => setOpenId(e.target.value ? Number(e.target.value) : null)}>
          <option value="">{tr('选择方案…', 'Choose a plan…')}</option>
          {(plans ?? []).map((p) => (
            <option key={p.id} value={p.id}>
              #{p.id} {p.name} · {statusName(p.status, tr)} · v{p.version}
              {p.communityCode ? ` · ${p.communityCode}` : ''}
            </option>
          ))}
        </select>
        {canEdit && isAdmin && (
          <select data-testid="plan-community" value={community ?? ''} onChange={(e) => setCommunity(e.target.value)}>
            {communities.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name}
              </option>
            ))}
          </select>
        )}
        {canEdit && (
          <button type="button" className="btn btn-primary" data-testid="plan-new" onClick={() => void newDraft()}>
            {tr('新建草案', 'New draft')}
          </button>
        )}
        {!canEdit && <span className="planner-readonly" data-testid="planner-readonly">{tr('只读：无规划权限', 'Read-only: no planner role')}</span>}
        {error && <span className="planner-error" data-testid="planner-error">{error}</span>}
      </div>
      {openId !== null ? (
        <PlanEditor
          key={openId}
          id={openId}
          canEdit={canEdit}
          fallbackCommunity={community ?? myCommunity ?? null}
          onChanged={() => void reloadPlans()}
          onError={showError}
        />
      ) : (
        <div className="planner-empty">{tr('选择一个方案或新建草案。', 'Choose a plan or create a draft.')}</div>
      )}
    </div>
  );
}

function statusName(s: string, tr: (zh: string, en: string) => string) {
  return s === 'draft' ? tr('草案', 'draft') : s === 'published' ? tr('已发布', 'published') : tr('已归档', 'archived');
}

function PlanEditor({
  id,
  canEdit,
  fallbackCommunity,
  onChanged,
  onError,
}: {
  id: number;
  canEdit: boolean;
  fallbackCommunity: string | null;
  onChanged: () => void;
  onError: (e: unknown) => void;
}) {
  const { lang, num } = useI18n();
  const tr = useCallback((zh: string, en: string) => (lang === 'en' ? en : zh), [lang]);
  const [detail, setDetail] = useState<PlanDetail | null>(null);
  const [assignment, setAssignment] = useState<Map<string, string>>(new Map());
  const [version, setVersion] = useState(0);
  const [buildings, setBuildings] = useState<GeoJSON.Feature<GeoJSON.Geometry, BuildingProps>[]>([]);
  const [party, setParty] = useState<Map<string, number>>(new Map());
  const [paint, setPaint] = useState<string | null>(null);
  const [wholeCompound, setWholeCompound] = useState(false);
  const [extruded, setExtruded] = useState(false);
  const [validation, setValidation] = useState<Validation | null>(null);
  const [diff, setDiff] = useState<PlanDiff | null>(null);
  const [fitTo, setFitTo] = useState<[number, number, number, number] | null>(null);
  const [stale, setStale] = useState(false);
  const [publishing, setPublishing] = useState(false);
  const [saving, setSaving] = useState(0);
  const undo = useRef<Edit[]>([]);
  const redo = useRef<Edit[]>([]);
  const [, bump] = useState(0);
  const projector = useRef<((code: string) => { x: number; y: number } | null) | null>(null);

  const community = detail?.plan.communityCode ?? fallbackCommunity;
  const editable = canEdit && detail?.plan.status === 'draft';

  const load = useCallback(async () => {
    const d = await getPlan(id);
    setDetail(d);
    setVersion(d.version);
    setAssignment(new Map(d.assignments.map((a) => [a.building, a.grid])));
  }, [id]);

  const refreshChecks = useCallback(() => {
    validatePlan(id).then(setValidation, onError);
    diffPlan(id).then(setDiff, onError);
  }, [id, onError]);

  useEffect(() => {
    load().then(refreshChecks, onError);
  }, [load, refreshChecks, onError]);

  useEffect(() => {
    if (!community) return;
    fetchLayer('buildings', { community }).then((fc) => setBuildings(fc.features as GeoJSON.Feature<GeoJSON.Geometry, BuildingProps>[]), onError);
    // Party members per building come from the household aggregates (counts only).
    fetchLayer('households', { community }).then((fc) => {
      const m = new Map<string, number>();
      for (const f of fc.features) {
        const p = f.properties as HouseholdAggregateProps;
        m.set(p.buildingCode, p.partyMembers);
      }
      setParty(m);
    }, onError);
  }, [community, onError]);

  const communityGrids = useMemo(
    () =>
      (detail?.grids.features ?? [])
        .filter((f) => !community || f.properties.communityCode === community)
        .sort((a, b) => a.properties.code.localeCompare(b.properties.code)),
    [detail, community],
  );
  const tallyBuildings = useMemo<TallyBuilding[]>(
    () => buildings.map((f) => ({ id: f.properties.code, households: f.properties.households, residents: f.properties.residents, partyMembers: party.get(f.properties.code) ?? 0 })),
    [buildings, party],
  );
  const tally = useMemo(
    () => tallyPlan(communityGrids.map((g) => ({ id: g.properties.code, kind: g.properties.kind })), tallyBuildings, assignment),
    [communityGrids, tallyBuildings, assignment],
  );

  const gridFc = useMemo<GeoJSON.FeatureCollection>(
    () => ({
      type: 'FeatureCollection',
      features: communityGrids.map((g) => ({ ...g, properties: { ...g.properties, status: tally.grids.get(g.properties.code)?.status ?? g.properties.status, paint: g.properties.code === paint } })),
    }),
    [communityGrids, tally, paint],
  );
  const buildingFc = useMemo<GeoJSON.FeatureCollection>(
    () => ({
      type: 'FeatureCollection',
      features: buildings.map((b) => ({ ...b, properties: { ...b.properties, grid: assignment.get(b.properties.code) ?? null, paint: paint !== null && assignment.get(b.properties.code) === paint } })),
    }),
    [buildings, assignment, paint],
  );

  /** Sends one edit: optimistic local assignment first, then PATCH with If-Match. */
  const apply = useCallback(
    async (to: string, codes: string[], opts: { record: boolean; compoundCodes?: string[] }) => {
      if (!editable) return;
      const moving = codes.filter((c) => assignment.get(c) !== to);
      if (moving.length === 0 && !opts.compoundCodes?.length) return;
      const from = new Map(moving.map((c) => [c, assignment.get(c) ?? '']));
      const next = new Map(assignment);
      for (const c of moving) next.set(c, to);
      setAssignment(next);
      if (opts.record) {
        undo.current.push({ to, from });
        redo.current = [];
        bump((n) => n + 1);
      }
      const op: PlanOp = opts.compoundCodes?.length ? { op: 'assign', grid: to, compounds: opts.compoundCodes } : { op: 'assign', grid: to, buildings: moving };
      setSaving((n) => n + 1);
      try {
        const r = await patchPlan(id, version, [op]);
        setVersion(r.version);
        const d = await getPlan(id);
        setDetail(d);
        setAssignment(new Map(d.assignments.map((a) => [a.building, a.grid])));
        refreshChecks();
        onChanged();
      } catch (e) {
        setAssignment(assignment); // roll back
        if (opts.record) undo.current.pop();
        if (e instanceof ApiError && e.code === 'stale_version') setStale(true);
        else onError(e);
      } finally {
        setSaving((n) => n - 1);
      }
    },
    [editable, assignment, id, version, refreshChecks, onChanged, onError],
  );

  const assignBuilding = useCallback(
    (code: string) => {
      if (!paint) return;
      const b = buildings.find((f) => f.properties.code === code);
      if (wholeCompound && b?.properties.compoundCode) {
        const members = buildings.filter((f) => f.properties.compoundCode === b.properties.compoundCode).map((f) => f.properties.code);
        void apply(paint, members, { record: true, compoundCodes: [b.properties.compoundCode] });
      } else void apply(paint, [code], { record: true });
    },
    [paint, buildings, wholeCompound, apply],
  );

  /** Undo: assign the buildings back to their previous grids (one op per previous grid). */
  const revert = useCallback(
    async (edit: Edit, dir: 'undo' | 'redo') => {
      if (dir === 'redo') {
        await apply(edit.to, [...edit.from.keys()], { record: false });
        return;
      }
      const byGrid = new Map<string, string[]>();
      for (const [b, g] of edit.from) if (g) byGrid.set(g, [...(byGrid.get(g) ?? []), b]);
      for (const [g, bs] of byGrid) await apply(g, bs, { record: false });
    },
    [apply],
  );
  const doUndo = useCallback(() => {
    const e = undo.current.pop();
    if (!e) return;
    redo.current.push(e);
    bump((n) => n + 1);
    void revert(e, 'undo');
  }, [revert]);
  const doRedo = useCallback(() => {
    const e = redo.current.pop();
    if (!e) return;
    undo.current.push(e);
    bump((n) => n + 1);
    void revert(e, 'redo');
  }, [revert]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey)) return;
      if (e.key === 'z' && !e.shiftKey) { e.preventDefault(); doUndo(); }
      else if (e.key === 'y' || (e.key === 'z' && e.shiftKey)) { e.preventDefault(); doRedo(); }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [doUndo, doRedo]);

  useEffect(() => {
    const hook = { assign: (code: string) => assignBuilding(code), selectGrid: (g: string) => setPaint(g), screenPoint: (code: string) => projector.current?.(code) ?? null, version, saving };
    window.__gridatlas = { counts: {}, errors: [], ...window.__gridatlas, planner: hook };
  }, [assignBuilding, version, saving]);

  const toggleLock = async (grid: string, locked: boolean) => {
    try {
      const r = await patchPlan(id, version, [{ op: 'lock', grid, locked }]);
      setVersion(r.version);
      await load();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'stale_version') setStale(true);
      else onError(e);
    }
  };

  if (!detail) return <div className="planner-empty">{tr('载入中…', 'Loading…')}</div>;

  const rows = communityGrids.map((g) => ({ g: g.properties, t: tally.grids.get(g.properties.code)! }));
  return (
    <div className="planner-body" data-testid="plan-editor" data-plan={id} data-version={version} data-saving={saving > 0}>
      <div className="planner-left">
        <div className="planner-tools panel">
          <span data-testid="plan-status">{statusName(detail.plan.status, tr)} · v{version}</span>
          <label>
            <input type="checkbox" data-testid="whole-compound" checked={wholeCompound} onChange={(e) => setWholeCompound(e.target.checked)} /> {tr('整个小区', 'Whole compound')}
          </label>
          <label>
            <input type="checkbox" data-testid="extrude" checked={extruded} onChange={(e) => setExtruded(e.target.checked)} /> {tr('立体', '3D')}
          </label>
          <button type="button" className="btn" data-testid="undo" disabled={!editable || undo.current.length === 0} onClick={doUndo}>{tr('撤销', 'Undo')}</button>
          <button type="button" className="btn" data-testid="redo" disabled={!editable || redo.current.length === 0} onClick={doRedo}>{tr('重做', 'Redo')}</button>
          {editable && <button type="button" className="btn btn-primary" data-testid="publish-open" onClick={() => setPublishing(true)}>{tr('发布…', 'Publish…')}</button>}
          <span className="planner-hint">{paint ? tr(`点击楼栋划入 ${paint}；Shift+拖动框选`, `Click a building to move it into ${paint}; Shift+drag to brush`) : tr('先在表中选择网格', 'Choose a grid in the table first')}</span>
        </div>
        <PlannerMap grids={gridFc} buildings={buildingFc} extruded={extruded} fitTo={fitTo} onBuildingClick={assignBuilding} onBrush={(codes) => paint && void apply(paint, codes, { record: true })} onProjector={(p) => (projector.current = p)} />
      </div>
      <div className="planner-side">
        <div className="panel">
          <table className="planner-table" data-testid="tally-table">
            <thead>
              <tr>
                <th>{tr('网格', 'Grid')}</th><th>{tr('户数', 'HH')}</th><th>{tr('人口', 'Res.')}</th><th>{tr('党员', 'Party')}</th><th>{tr('楼栋', 'Bldg')}</th><th>{tr('偏差', 'Dev.')}</th><th>{tr('状态', 'Status')}</th><th />
              </tr>
            </thead>
            <tbody>
              {rows.map(({ g, t }) => (
                <tr key={g.code} data-testid="tally-row" data-grid={g.code} data-households={t.households} className={g.code === paint ? 'paint' : ''} onClick={() => setPaint(g.code)}>
                  <td title={g.name}>{g.code.slice(-3)} {g.name}</td>
                  <td>{num(t.households)}</td>
                  <td>{num(t.residents)}</td>
                  <td>{num(t.partyMembers)}</td>
                  <td>{t.buildings}</td>
                  <td>{t.kind === 'dedicated' ? '—' : (t.deviation > 0 ? '+' : '') + t.deviation}</td>
                  <td><span className={`band-chip band-${t.status}`}>{bandName(t.status, tr)}</span></td>
                  <td>
                    {editable && (
                      <button type="button" className="btn btn-small" data-testid="lock-toggle" onClick={(e) => { e.stopPropagation(); void toggleLock(g.code, !g.locked); }}>
                        {g.locked ? tr('解锁', 'Unlock') : tr('锁定', 'Lock')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="panel"><HouseholdChart rows={rows.map(({ g, t }) => ({ code: g.code.slice(-3), households: t.households, status: t.status }))} /></div>
        <div className="panel" data-testid="validation-panel">
          <h3 className="panel-title">{tr('校验', 'Validation')} {validation && `· ${validation.errors} ${tr('错误', 'errors')} · ${validation.warnings} ${tr('警告', 'warnings')}`}</h3>
          <ul className="planner-problems">
            {(validation?.problems ?? []).filter((p) => !community || p.gridIds.some((g) => communityGrids.some((c) => c.properties.code === g)) || p.gridIds.length === 0).slice(0, 50).map((p, i) => (
              <li key={i} className={`problem-${p.severity}`} data-testid="problem">
                <button type="button" className="link" onClick={() => p.bbox && setFitTo([...p.bbox])}>{lang === 'en' ? p.message.en : p.message.zh}</button>
              </li>
            ))}
          </ul>
        </div>
        <div className="panel" data-testid="diff-panel">
          <h3 className="panel-title">{tr('与已发布方案相比', 'Against the published plan')}</h3>
          {diff && (
            <>
              <div>{tr(`移动楼栋 ${diff.buildingsMoved} 栋，${diff.householdsMoved} 户`, `${diff.buildingsMoved} buildings, ${diff.householdsMoved} households moved`)}</div>
              <ul className="planner-problems">
                {diff.moved.slice(0, 30).map((m) => (
                  <li key={m.building}>{m.building}: {m.from ?? '—'} → {m.to ?? '—'} ({m.households})</li>
                ))}
              </ul>
            </>
          )}
        </div>
      </div>
      {stale && (
        <Dialog title={tr('方案已被他人修改', 'Someone else saved first')} onClose={() => setStale(false)} testId="stale-dialog">
          <p>{tr('你的修改未保存。重新载入最新版本？', 'Your edit was not saved. Reload the latest version?')}</p>
          <button type="button" className="btn btn-primary" data-testid="stale-reload" onClick={() => { setStale(false); undo.current = []; redo.current = []; void load().then(refreshChecks, onError); }}>{tr('重新载入', 'Reload')}</button>
        </Dialog>
      )}
      {publishing && (
        <PublishDialog
          id={id}
          validation={validation}
          onClose={() => setPublishing(false)}
          onDone={() => { setPublishing(false); onChanged(); void load().then(refreshChecks, onError); }}
        />
      )}
    </div>
  );
}

function bandName(s: string, tr: (zh: string, en: string) => string) {
  return s === 'in' ? tr('达标', 'in band') : s === 'under' ? tr('偏少', 'under') : s === 'over' ? tr('超标', 'over') : tr('专属', 'dedicated');
}

function PublishDialog({ id, validation, onClose, onDone }: { id: number; validation: Validation | null; onClose: () => void; onDone: () => void }) {
  const { lang } = useI18n();
  const tr = (zh: string, en: string) => (lang === 'en' ? en : zh);
  const [reason, setReason] = useState('');
  const [err, setErr] = useState<string | null>(null);
  const errors = validation?.errors ?? 0;
  const submit = async () => {
    try {
      await publishPlan(id, reason.trim() || undefined);
      onDone();
    } catch (e) {
      setErr(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <Dialog title={tr('发布方案', 'Publish plan')} onClose={onClose} testId="publish-dialog">
      <p>{tr(`${errors} 个错误，${validation?.warnings ?? 0} 个警告。`, `${errors} errors, ${validation?.warnings ?? 0} warnings.`)}</p>
      <ul className="planner-problems">
        {(validation?.problems ?? []).filter((p) => p.severity === 'error').slice(0, 10).map((p, i) => (
          <li key={i} className="problem-error">{lang === 'en' ? p.message.en : p.message.zh}</li>
        ))}
      </ul>
      <label className="field">
        {errors > 0 ? tr('存在错误，须填写发布理由', 'The plan has errors: give a reason') : tr('发布理由（可选）', 'Reason (optional)')}
        <textarea data-testid="publish-reason" value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      {err && <p className="planner-error">{err}</p>}
      <button type="button" className="btn btn-primary" data-testid="publish-submit" disabled={errors > 0 && !reason.trim()} onClick={() => void submit()}>
        {tr('发布', 'Publish')}
      </button>
    </Dialog>
  );
}
