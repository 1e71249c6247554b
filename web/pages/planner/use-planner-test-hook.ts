/** Publishes `window.__gridatlas.planner` (test-hook.ts) for the browser tests: the same code paths as the UI. */
import { useEffect, useRef } from 'react';
import type { PlannerMapProps, Tool } from './planner-map';
import type { PlannerTestHook } from './test-hook';

/** What the map hands the page to place things on screen (PlannerMap's onProjector). */
export type PlannerProjector = Parameters<NonNullable<PlannerMapProps['onProjector']>>[0];

export interface PlannerTestHookInputs {
  onBuildingClick: (code: string) => void;
  selectGrid: (grid: string) => void;
  chooseTool: (tool: Tool) => void;
  projector: { current: PlannerProjector | null };
  vertices: { current: (() => { x: number; y: number }[]) | null };
  version: number;
  saving: number;
  latency: { commit: number; frame: number } | null;
}

export function usePlannerTestHook({ onBuildingClick, selectGrid, chooseTool, projector, vertices, version, saving, latency }: PlannerTestHookInputs) {
  // chooseTool is a new function every render: the hook reads the latest through a ref.
  const chooseToolRef = useRef(chooseTool);
  useEffect(() => {
    const planner: PlannerTestHook = {
      assign: (code) => onBuildingClick(code),
      selectGrid: (g) => selectGrid(g),
      setTool: (x) => chooseToolRef.current(x as Tool),
      screenPoint: (code) => projector.current?.building(code) ?? null,
      project: (lng, lat) => projector.current?.lngLat(lng, lat) ?? null,
      vertices: () => vertices.current?.() ?? [],
      version,
      saving,
      lastTallyMs: latency?.frame ?? null,
      lastTallyCommitMs: latency?.commit ?? null,
    };
    window.__gridatlas = { counts: {}, errors: [], ...window.__gridatlas, planner };
  }, [onBuildingClick, selectGrid, projector, vertices, version, saving, latency]);
  chooseToolRef.current = chooseTool;
}
