/**
 * The planner's tool state (mode, active grid, grids picked for a merge, the grid a deletion goes
 * into, the last notice) and the edits each tool sends, with their predicted assignment.
 */
import { useCallback, useMemo, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { editedPart } from './grid-draw';
import { gridAtLine, nearestGrids } from './grid-pick';
import { predictMove, predictReshape, type Centroid } from './optimistic';
import type { PlanGridProps, PlanPolygon } from './plan-api';
import type { Tool } from './planner-map';
import type { BuildingFeature } from './use-community-layers';
import type { usePlanEdits } from './use-plan-edits';

export interface PlanToolsInputs {
  edits: ReturnType<typeof usePlanEdits>;
  /** A draft and a user who may edit it. */
  editable: boolean;
  /** The community's grids (with predicted shapes). */
  communityGrids: GeoJSON.Feature<GeoJSON.Geometry, PlanGridProps>[];
  buildings: BuildingFeature[];
  centroids: Centroid[];
  locked: Set<string>;
}

export function usePlanTools({ edits, editable, communityGrids, buildings, centroids, locked }: PlanToolsInputs) {
  const { t } = useI18n();
  const { detail, assignment } = edits;
  const [tool, setTool] = useState<Tool>('select');
  const [active, setActive] = useState<string | null>(null);
  const [picked, setPicked] = useState<string[]>([]);
  const [deleteInto, setDeleteInto] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

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

  return {
    tool, chooseTool, active, setActive, picked, notice, neighbours, into, setDeleteInto,
    assignCodes, onBuildingClick, onGridClick, onReshape, onSplitLine, onDrawPolygon, doDelete, doMerge, toggleLock, renumber,
  };
}
