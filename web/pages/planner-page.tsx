/**
 * `/planner`: edit a draft grid plan of one community (Districtr-like). Plan bar (list, new draft,
 * open); a mode toolbar (select, paint, whole compound, reshape, split, draw, merge, delete, lock,
 * renumber, export); the community map (planner/planner-map.tsx, terra-draw for the geometric
 * tools); live tallies recomputed with geo/plan/tally.ts from a predicted assignment before the
 * server answers; a households bar chart; live validation with the incremental validator
 * (geo/plan/validator.ts); the diff against the published plan on the map and listed; undo/redo
 * (planner/history.ts, Ctrl+Z / Ctrl+Y / Ctrl+Shift+Z); publish.
 * Read-only for signed-in users without the planner or admin role.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { tallyPlan, type TallyBuilding } from '../../geo/plan/tally';
import { hasRole } from '../auth/roles';
import { useSession } from '../auth/session';
import { ApiError, fetchLayer } from '../http/api-client';
import type { BuildingProps, CommunityProps, HouseholdAggregateProps } from '../http/api-types';
import { useI18n } from '../i18n/i18n';
import { Dialog } from '../ui/dialog';
import { Header } from '../ui/header';
import { footprintCentroid, predictMove, predictReshape, type Centroid } from './planner/optimistic';
import { createPlan, listPlans, type PlanPolygon, type PlanSummary } from './planner/plan-api';
import { editedPart } from './planner/grid-draw';
import { gridAtLine, nearestGrids } from './planner/grid-pick';
import { bboxOf, PlannerMap, type Tool } from './planner/planner-map';
import { PartitionPanel } from './planner/partition-panel';
import { PublishDialog } from './planner/publish-dialog';
import { DiffPanel, TallyPanel, ValidationPanel } from './planner/side-panels';
import { ToolBar } from './planner/tool-bar';
import { usePlanEdits } from './planner/use-plan-edits';
import { useLiveValidation } from './planner/use-live-validation';

type CommunityFeature = GeoJSON.Feature<GeoJSON.Geometry, CommunityProps>;

export function PlannerPage() {
  const session = useSession();
  const { t, lang } = useI18n();
  const { state, me } = session;

  useEffect(() => {
    if (state.status === 'anonymous') location.replace('/login?next=%2Fplanner');
  }, [state.status]);

  const canEdit = hasRole(me, 'planner') || hasRole(me, 'admin');
  const isAdmin = hasRole(me, 'admin');
  const myCommunity = me?.roles.find((g) => g.role === 'planner' && g.scopeType === 'community')?.scopeCode;

  const [plans, setPlans] = useState<PlanSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [communities, setCommunities] = useState<CommunityFeature[]>([]);
  const [community, setCommunity] = useState<string | null>(null);
  const [openId, setOpenId] = useState<number | null>(null);
  const [partitionOpen, setPartitionOpen] = useState(false);

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
      const list = fc.features as CommunityFeature[];
      setCommunities(list);
      setCommunity((c) => c ?? myCommunity ?? list[0]?.properties.code ?? null);
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
        <Header page={t('planner.title')} />
      </div>
    );
  }

  return (
    <div className="app planner-page" data-testid="planner-page" data-state="ready" data-can-edit={canEdit}>
      <Header page={t('planner.title')} />
      <div className="planner-bar panel" data-testid="plan-bar">
        <select data-testid="plan-select" value={openId ?? ''} onChange={(e) => setOpenId(e.target.value ? Number(e.target.value) : null)}>
          <option value="">{t('planner.choosePlan')}</option>
          {(plans ?? []).map((p) => (
            <option key={p.id} value={p.id}>
              #{p.id} {p.name} · {t(`planner.status.${p.status}`)} · v{p.version}
              {p.communityCode ? ` · ${p.communityCode}` : ''}
            </option>
          ))}
        </select>
        {canEdit && isAdmin && (
          <select data-testid="plan-community" value={community ?? ''} onChange={(e) => setCommunity(e.target.value)}>
            {communities.map((c) => (
              <option key={c.properties.code} value={c.properties.code}>
                {c.properties.name}
              </option>
            ))}
          </select>
        )}
        {canEdit && (
          <button type="button" className="btn btn-primary" data-testid="plan-new" onClick={() => void newDraft()}>
            {t('planner.newDraft')}
          </button>
        )}
        {canEdit && <button type="button" className="btn" data-testid="partition-open-panel" onClick={() => setPartitionOpen(true)}>{t('partition.open')}</button>}
        {partitionOpen && <PartitionPanel sourcePlanId={openId} communities={communities.map((f) => f.properties)} defaultCommunity={community} fixedCommunity={isAdmin ? undefined : myCommunity} onClose={() => setPartitionOpen(false)} onOpenDraft={(id) => { setPartitionOpen(false); void reloadPlans(); setOpenId(id); }} />}
        {!canEdit && <span className="planner-readonly" data-testid="planner-readonly">{t('planner.readonly')}</span>}
        {error && <span className="planner-error" data-testid="planner-error">{error}</span>}
      </div>
      {openId !== null ? (
        <PlanEditor
          key={openId}
          id={openId}
          canEdit={canEdit}
          fallbackCommunity={community ?? myCommunity ?? null}
          communities={communities}
          onChanged={() => { setError(null); void reloadPlans(); }}
          onError={showError}
        />
      ) : (
        <div className="planner-empty">{t('planner.empty')}</div>
      )}
    </div>
  );
}

function PlanEditor({
  id,
  canEdit,
  fallbackCommunity,
  communities,
  onChanged,
  onError,
}: {
  id: number;
  canEdit: boolean;
  fallbackCommunity: string | null;
  communities: CommunityFeature[];
  onChanged: () => void;
  onError: (e: unknown) => void;
}) {
  const { t } = useI18n();
  const communityRef = useRef<string | null>(fallbackCommunity);
  const edits = usePlanEdits(id, () => communityRef.current, onChanged, onError);
  const { detail, assignment, shapes } = edits;
  const community = detail?.plan.communityCode ?? fallbackCommunity;
  communityRef.current = community;
  const editable = canEdit && detail?.plan.status === 'draft';

  const [buildings, setBuildings] = useState<GeoJSON.Feature<GeoJSON.Geometry, BuildingProps>[]>([]);
  const [roads, setRoads] = useState<GeoJSON.Feature[]>([]);
  const [party, setParty] = useState<Map<string, number>>(new Map());
  const [tool, setTool] = useState<Tool>('select');
  const [active, setActive] = useState<string | null>(null);
  const [picked, setPicked] = useState<string[]>([]);
  const [deleteInto, setDeleteInto] = useState<string | null>(null);
  const [extruded, setExtruded] = useState(false);
  const [showDiff, setShowDiff] = useState(true);
  const [fitTo, setFitTo] = useState<[number, number, number, number] | null>(null);
  const [publishing, setPublishing] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [latency, setLatency] = useState<{ commit: number; frame: number } | null>(null);
  const projector = useRef<Parameters<NonNullable<Parameters<typeof PlannerMap>[0]['onProjector']>>[0] | null>(null);
  const vertices = useRef<(() => { x: number; y: number }[]) | null>(null);

  useEffect(() => {
    if (!community) return;
    fetchLayer('buildings', { community }).then((fc) => setBuildings(fc.features as GeoJSON.Feature<GeoJSON.Geometry, BuildingProps>[]), onError);
    fetchLayer('roads', { community }).then((fc) => setRoads(fc.features as GeoJSON.Feature[]), onError);
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

  /** The community's grids, with the predicted shape of a grid being reshaped. */
  const communityGrids = useMemo(
    () =>
      (detail?.grids.features ?? [])
        .filter((f) => !community || f.properties.communityCode === community)
        .map((f) => (shapes.has(f.properties.code) ? { ...f, geometry: shapes.get(f.properties.code)! as GeoJSON.Geometry } : f))
        .sort((a, b) => a.properties.code.localeCompare(b.properties.code)),
    [detail, community, shapes],
  );
  const gridByCode = useMemo(() => new Map(communityGrids.map((g) => [g.properties.code, g])), [communityGrids]);
  const locked = useMemo(() => new Set(communityGrids.filter((g) => g.properties.locked).map((g) => g.properties.code)), [communityGrids]);
  const tallyBuildings = useMemo<TallyBuilding[]>(
    () => buildings.map((f) => ({ id: f.properties.code, households: f.properties.households, residents: f.properties.residents, partyMembers: party.get(f.properties.code) ?? 0 })),
    [buildings, party],
  );
  const centroids = useMemo<Centroid[]>(
    () => buildings.flatMap((f) => {
      const at = footprintCentroid(f.geometry);
      return at ? [{ code: f.properties.code, at }] : [];
    }),
    [buildings],
  );
  const tally = useMemo(
    () => tallyPlan(communityGrids.map((g) => ({ id: g.properties.code, kind: g.properties.kind })), tallyBuildings, assignment),
    [communityGrids, tallyBuildings, assignment],
  );

  // Latency: from the optimistic edit to the frame that paints the new tallies (the table is in
  // the DOM when layout effects run; the animation frame callback runs just before that paint).
  useLayoutEffect(() => {
    const start = edits.editStart.current;
    if (start === null) return;
    edits.editStart.current = null;
    const commit = performance.now() - start;
    requestAnimationFrame(() => setLatency({ commit: Math.round(commit), frame: Math.round(performance.now() - start) }));
  }, [tally, edits.editStart]);

  const communityGeometry = useMemo(
    () => communities.find((c) => c.properties.code === community)?.geometry ?? null,
    [communities, community],
  );
  const live = useLiveValidation(communityGrids, communityGeometry, community, buildings, tallyBuildings, centroids, assignment);

  const movedBuildings = useMemo(() => new Set(edits.diff?.moved.map((m) => m.building) ?? []), [edits.diff]);
  const gridFc = useMemo<GeoJSON.FeatureCollection>(
    () => ({
      type: 'FeatureCollection',
      features: communityGrids.map((g) => ({
        ...g,
        properties: { ...g.properties, status: tally.grids.get(g.properties.code)?.status ?? g.properties.status, paint: g.properties.code === active, selected: picked.includes(g.properties.code) },
      })),
    }),
    [communityGrids, tally, active, picked],
  );
  const buildingFc = useMemo<GeoJSON.FeatureCollection>(
    () => ({
      type: 'FeatureCollection',
      features: buildings.map((b) => ({
        ...b,
        properties: { ...b.properties, grid: assignment.get(b.properties.code) ?? null, paint: active !== null && assignment.get(b.properties.code) === active, moved: showDiff && movedBuildings.has(b.properties.code) },
      })),
    }),
    [buildings, assignment, active, showDiff, movedBuildings],
  );
  const editGeometry = useMemo(() => {
    if (tool !== 'reshape' || !active) return null;
    const g = detail?.grids.features.find((f) => f.properties.code === active);
    return (g?.geometry as GeoJSON.Polygon | GeoJSON.MultiPolygon | undefined) ?? null;
  }, [tool, active, detail]);
  const snapTo = useMemo<GeoJSON.FeatureCollection>(
    () => ({ type: 'FeatureCollection', features: [...communityGrids.filter((g) => g.properties.code !== active), ...roads] }),
    [communityGrids, active, roads],
  );

  // ——— edits ———
  const assignCodes = useCallback(
    (codes: string[], compound?: string) => {
      if (!editable || !active) return;
      if (locked.has(active)) return setNotice(t('planner.hint.locked', { grid: active }));
      const moving = codes.filter((c) => assignment.get(c) !== active && !locked.has(assignment.get(c) ?? ''));
      if (moving.length === 0) return;
      const predict = new Map(assignment);
      for (const c of moving) predict.set(c, active);
      void edits.send([compound ? { op: 'assign', grid: active, compounds: [compound] } : { op: 'assign', grid: active, buildings: moving }], { predict });
    },
    [editable, active, locked, assignment, edits, t],
  );

  const onBuildingClick = useCallback(
    (code: string) => {
      const b = buildings.find((f) => f.properties.code === code);
      if (tool === 'compound' && b?.properties.compoundCode) {
        const members = buildings.filter((f) => f.properties.compoundCode === b.properties.compoundCode).map((f) => f.properties.code);
        assignCodes(members, b.properties.compoundCode);
      } else assignCodes([code]);
    },
    [buildings, tool, assignCodes],
  );

  const onGridClick = useCallback(
    (code: string) => {
      if (tool === 'merge') setPicked((p) => (p.includes(code) ? p.filter((x) => x !== code) : [...p, code]));
      else {
        setActive(code);
        setDeleteInto(null);
      }
    },
    [tool],
  );

  const onReshape = useCallback(
    (edited: GeoJSON.Polygon) => {
      if (!active) return;
      // A grid in several pieces: the edited piece is replaced, the others kept.
      const old = detail?.grids.features.find((f) => f.properties.code === active)?.geometry;
      const polygon: GeoJSON.Polygon | GeoJSON.MultiPolygon =
        old?.type === 'MultiPolygon' && old.coordinates.length > 1
          ? { type: 'MultiPolygon', coordinates: old.coordinates.map((p, i) => (i === editedPart(old) ? edited.coordinates : p)) }
          : edited;
      const others = new Map(communityGrids.map((g) => [g.properties.code, g.geometry as GeoJSON.Polygon | GeoJSON.MultiPolygon]));
      const predict = predictReshape(edits.serverAssignment(), centroids, active, polygon, others, locked);
      void edits.send([{ op: 'reshape', grid: active, polygon: polygon as PlanPolygon }], { predict, shape: { grid: active, polygon: polygon as PlanPolygon } });
    },
    [active, detail, communityGrids, centroids, locked, edits],
  );

  const onSplitLine = useCallback(
    (line: GeoJSON.LineString) => {
      const grid = active ?? gridAtLine(communityGrids, line);
      if (!grid) return setNotice(t('planner.hint.needGrid'));
      void edits.send([{ op: 'split', grid, line: line as { type: 'LineString'; coordinates: [number, number][] } }]);
    },
    [active, communityGrids, edits, t],
  );

  const onDrawPolygon = useCallback(
    (polygon: GeoJSON.Polygon) => void edits.send([{ op: 'drawGrid', polygon: polygon as PlanPolygon, kind: 'basic' }]),
    [edits],
  );

  const neighbours = useMemo(() => (active ? nearestGrids(communityGrids, active) : []), [communityGrids, active]);
  const into = deleteInto ?? neighbours[0] ?? null;
  const doDelete = () => {
    if (!active || !into) return;
    const predict = predictMove(assignment, [active], into);
    void edits.send([{ op: 'deleteGrid', grid: active, into }], { predict });
    setActive(into);
  };
  const doMerge = () => {
    if (picked.length < 2) return;
    const predict = predictMove(assignment, picked.slice(1), picked[0]);
    void edits.send([{ op: 'merge', grids: picked }], { predict });
    setActive(picked[0]);
    setPicked([]);
  };
  const toggleLock = (grid: string, lock: boolean) => void edits.send([{ op: 'lock', grid, locked: lock }]);
  const renumber = () => {
    if (!window.confirm(t('planner.renumberConfirm'))) return;
    setActive(null);
    void edits.sendOnce([{ op: 'renumber' }]).then(() => setNotice(t('planner.undoRenumber')));
  };

  const chooseTool = (next: Tool) => {
    setTool(next);
    setNotice(null);
    if (next !== 'merge') setPicked([]);
    else if (active) setPicked([active]);
  };

  // Keyboard: undo / redo (not while typing).
  const { doUndo, doRedo } = edits;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || !editable) return;
      const el = e.target as HTMLElement | null;
      if (el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.isContentEditable)) return;
      const k = e.key.toLowerCase();
      if (k === 'z' && !e.shiftKey) { e.preventDefault(); doUndo(); }
      else if (k === 'y' || (k === 'z' && e.shiftKey)) { e.preventDefault(); doRedo(); }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [doUndo, doRedo, editable]);

  useEffect(() => {
    window.__gridatlas = {
      counts: {},
      errors: [],
      ...window.__gridatlas,
      planner: {
        assign: (code) => onBuildingClick(code),
        selectGrid: (g) => setActive(g),
        setTool: (x) => chooseToolRef.current(x as Tool),
        screenPoint: (code) => projector.current?.building(code) ?? null,
        project: (lng, lat) => projector.current?.lngLat(lng, lat) ?? null,
        vertices: () => vertices.current?.() ?? [],
        version: detail?.version ?? 0,
        saving: edits.saving,
        lastTallyMs: latency?.frame ?? null,
        lastTallyCommitMs: latency?.commit ?? null,
      },
    };
  }, [onBuildingClick, detail, edits.saving, latency]);
  const chooseToolRef = useRef(chooseTool);
  chooseToolRef.current = chooseTool;

  if (!detail) return <div className="planner-empty">{t('planner.loading')}</div>;

  const rows = communityGrids.map((g) => ({ g: g.properties, t: tally.grids.get(g.properties.code)! }));
  const activeGrid = active ? gridByCode.get(active) : undefined;
  const hint =
    tool === 'draw' ? t('planner.hint.draw')
      : tool === 'merge' ? t('planner.hint.merge', { n: picked.length })
        : tool === 'select' ? t('planner.hint.select')
          : tool === 'delete' && !active ? t('planner.hint.delete')
            : !active ? t('planner.hint.needGrid')
              : t(`planner.hint.${tool}` as 'planner.hint.paint', { grid: active.slice(-3) });

  return (
    <div className="planner-body" data-testid="plan-editor" data-plan={id} data-version={detail.version} data-saving={edits.saving > 0} data-tool={tool} data-active={active ?? ''}>
      <div className="planner-left">
        <ToolBar
          planId={id}
          status={detail.plan.status}
          version={detail.version}
          editable={editable}
          tool={tool}
          onTool={chooseTool}
          active={activeGrid ? { code: activeGrid.properties.code, locked: !!activeGrid.properties.locked } : null}
          canUndo={edits.historyLen.undo > 0}
          canRedo={edits.historyLen.redo > 0}
          onUndo={doUndo}
          onRedo={doRedo}
          onLock={() => activeGrid && toggleLock(activeGrid.properties.code, !activeGrid.properties.locked)}
          onRenumber={renumber}
          onPublish={() => setPublishing(true)}
          extruded={extruded}
          onExtruded={setExtruded}
          saving={edits.saving > 0}
        />
        <div className="planner-hintbar">
          <span className="planner-hint" data-testid="planner-hint">{hint}</span>
          {tool === 'merge' && editable && (
            <button type="button" className="btn btn-small btn-primary" data-testid="merge-do" disabled={picked.length < 2} onClick={doMerge}>{t('planner.mergeDo')}</button>
          )}
          {tool === 'delete' && editable && active && into && (
            <>
              <select data-testid="delete-into" value={into} onChange={(e) => setDeleteInto(e.target.value)}>
                {neighbours.map((n) => <option key={n} value={n}>{n.slice(-3)} {gridByCode.get(n)?.properties.name}</option>)}
              </select>
              <button type="button" className="btn btn-small btn-danger" data-testid="delete-do" onClick={doDelete}>
                {t('planner.deleteDo', { grid: active.slice(-3), into: into.slice(-3) })}
              </button>
            </>
          )}
          {notice && <span className="planner-notice" data-testid="planner-notice">{notice}</span>}
          {latency !== null && <span className="planner-latency" data-testid="tally-latency" data-ms={latency.frame} data-commit-ms={latency.commit}>{t('planner.latency', { ms: latency.frame })}</span>}
        </div>
        <PlannerMap
          grids={gridFc}
          buildings={buildingFc}
          extruded={extruded}
          fitTo={fitTo}
          tool={editable ? tool : 'select'}
          editGeometry={editable ? editGeometry : null}
          snapTo={snapTo}
          diff={showDiff ? ((edits.diff?.grids?.features as GeoJSON.FeatureCollection | undefined) ?? null) : null}
          onBuildingClick={onBuildingClick}
          onGridClick={onGridClick}
          onBrush={(codes) => assignCodes(codes)}
          onReshape={onReshape}
          onSplitLine={onSplitLine}
          onDrawPolygon={onDrawPolygon}
          onProjector={(p) => (projector.current = p)}
          onVertices={(v) => (vertices.current = v)}
        />
      </div>
      <div className="planner-side">
        <TallyPanel rows={rows} active={active} picked={picked} editable={editable} onPick={onGridClick} onLock={toggleLock} />
        <ValidationPanel problems={live ?? edits.validation?.problems ?? null} live={live !== null} onZoom={(b) => setFitTo([...b])} />
        <DiffPanel
          diff={edits.diff}
          shown={showDiff}
          onToggle={setShowDiff}
          onZoomGrid={(code) => {
            const f = edits.diff?.grids?.features.features.find((x) => x.properties.code === code);
            const b = f && bboxOf({ type: 'FeatureCollection', features: [f] });
            if (b) setFitTo(b);
          }}
        />
      </div>
      {edits.stale && (
        <Dialog title={t('planner.stale.title')} onClose={() => edits.setStale(false)} testId="stale-dialog">
          <p>{t('planner.stale.body')}</p>
          <button type="button" className="btn btn-primary" data-testid="stale-reload" onClick={edits.reload}>{t('planner.stale.reload')}</button>
        </Dialog>
      )}
      {publishing && (
        <PublishDialog
          id={id}
          validation={edits.validation}
          onClose={() => setPublishing(false)}
          onDone={() => { setPublishing(false); onChanged(); void edits.load(); }}
        />
      )}
    </div>
  );
}
