/** `window.__gridatlas.planner`: hooks for the browser tests (same code paths as the UI). */
export interface PlannerTestHook {
  /** Assigns a building to the active grid, as a click in paint mode does. */
  assign: (code: string) => void;
  selectGrid: (grid: string) => void;
  setTool: (tool: string) => void;
  /** A building's on-screen centre (map container pixels). */
  screenPoint: (code: string) => { x: number; y: number } | null;
  /** Any lng/lat on screen (map container pixels). */
  project: (lng: number, lat: number) => { x: number; y: number } | null;
  /** The vertices of the polygon being reshaped, on screen. */
  vertices: () => { x: number; y: number }[];
  version: number;
  saving: number;
  /** ms from the last optimistic edit to the browser painting the new tallies. */
  lastTallyMs: number | null;
  /** ms from the last optimistic edit to the new tallies being in the DOM (React commit). */
  lastTallyCommitMs: number | null;
}
