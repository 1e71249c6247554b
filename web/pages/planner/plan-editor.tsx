/**
 * One open plan in the planner: the mode toolbar (select, paint, whole compound, reshape, split,
 * draw, merge, delete, lock, renumber, export); the community map (planner-map.tsx, terra-draw for
 * the geometric tools); live tallies recomputed with geo/plan/tally.ts from a predicted assignment
 * before the server answers; live validation with the incremental validator (geo/plan/validator.ts);
 * the diff against the published plan on the map and listed; undo/redo (history.ts, use-undo-keys.ts);
 * publish. Edits are sent and predicted by use-plan-edits.ts.
 */
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import { tallyPlan, type TallyBuilding } from '../../../geo/plan/tally';
import { useI18n } from '../../i18n/i18n';
import { HintBar } from './hint-bar';
import { footprintCentroid, type Centroid } from './optimistic';
import type { CommunityFeature } from './plan-bar';
import { bboxOf, PlannerMap } from './planner-map';
import { PublishDialog } from './publish-dialog';
import { DiffPanel, TallyPanel, ValidationPanel } from './side-panels';
import { StaleDialog } from './stale-dialog';
import { ToolBar } from './tool-bar';
import { useCommunityLayers } from './use-community-layers';
import { useLiveValidation } from './use-live-validation';
import { usePlanEdits } from './use-plan-edits';
import { usePlanTools } from './use-plan-tools';
import { usePlannerTestHook, type PlannerProjector } from './use-planner-test-hook';
import { useUndoKeys } from './use-undo-keys';

export function PlanEditor({
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

  const { buildings, roads, party, loads } = useCommunityLayers(community, onError);
  const [extruded, setExtruded] = useState(false);
  const [showDiff, setShowDiff] = useState(true);
  const [fitTo, setFitTo] = useState<[number, number, number, number] | null>(null);
  const [publishing, setPublishing] = useState(false);
  const [latency, setLatency] = useState<{ commit: number; frame: number } | null>(null);
  const projector = useRef<PlannerProjector | null>(null);
  const vertices = useRef<(() => { x: number; y: number }[]) | null>(null);

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
    () => buildings.map((f) => ({
      id: f.properties.code, households: f.properties.households, residents: f.properties.residents,
      partyMembers: party.get(f.properties.code) ?? 0, load: loads.get(f.properties.code),
    })),
    [buildings, party, loads],
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

  const {
    tool, chooseTool, active, setActive, picked, notice, neighbours, into, setDeleteInto,
    assignCodes, onBuildingClick, onGridClick, onReshape, onSplitLine, onDrawPolygon, doDelete, doMerge, toggleLock, renumber,
  } = usePlanTools({ edits, editable, communityGrids, buildings, centroids, locked });

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

  const { doUndo, doRedo } = edits;
  useUndoKeys(editable, doUndo, doRedo);
  usePlannerTestHook({
    onBuildingClick,
    selectGrid: setActive,
    chooseTool,
    projector,
    vertices,
    version: detail?.version ?? 0,
    saving: edits.saving,
    latency,
  });

  if (!detail) return <div className="planner-empty">{t('planner.loading')}</div>;

  const rows = communityGrids.map((g) => ({ g: g.properties, t: tally.grids.get(g.properties.code)! }));
  const activeGrid = active ? gridByCode.get(active) : undefined;

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
        <HintBar
          tool={tool}
          editable={editable}
          active={active}
          picked={picked}
          onMerge={doMerge}
          into={into}
          neighbours={neighbours}
          gridName={(code) => gridByCode.get(code)?.properties.name}
          onInto={setDeleteInto}
          onDelete={doDelete}
          notice={notice}
          latency={latency}
        />
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
      {edits.stale && <StaleDialog onClose={() => edits.setStale(false)} onReload={edits.reload} />}
      {publishing && (
        <PublishDialog
          id={id}
          community={detail.plan.communityCode && (communities.find((f) => f.properties.code === detail.plan.communityCode)?.properties.shortName ?? detail.plan.communityCode)}
          validation={edits.validation}
          onClose={() => setPublishing(false)}
          onDone={() => { setPublishing(false); onChanged(); void edits.load(); }}
        />
      )}
    </div>
  );
}
