/**
 * The editing state of one draft plan: the server's plan (grids, assignment, version), the
 * displayed assignment and grid shapes (an optimistic prediction while a PATCH is on its way),
 * the save queue (edits go one after another, each with If-Match of the version the previous one
 * produced), undo / redo (history.ts) and the stale-version flag (409 → the page offers a reload).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../../http/api-client';
import { isGeometric, restoreOps, type HistoryEntry, type Snapshot } from './history';
import { diffPlan, getPlan, patchPlan, validatePlan, type PlanDetail, type PlanDiff, type PlanOp, type PlanPolygon, type Validation } from './plan-api';

export interface SendOptions {
  /** Predicted assignment, shown at once. */
  predict?: Map<string, string>;
  /** Predicted shape of one grid, shown at once. */
  shape?: { grid: string; polygon: PlanPolygon };
}

type Record = 'new' | 'undo' | 'redo' | 'none';

export function usePlanEdits(id: number, community: () => string | null, onChanged: () => void, onError: (e: unknown) => void) {
  const [detail, setDetail] = useState<PlanDetail | null>(null);
  const [assignment, setAssignment] = useState<Map<string, string>>(new Map());
  const [shapes, setShapes] = useState<Map<string, PlanPolygon>>(new Map());
  const [saving, setSaving] = useState(0);
  const [stale, setStale] = useState(false);
  const [validation, setValidation] = useState<Validation | null>(null);
  const [diff, setDiff] = useState<PlanDiff | null>(null);
  const [historyLen, setHistoryLen] = useState({ undo: 0, redo: 0 });
  /** When the last optimistic change was made (performance.now()), for the latency figure. */
  const editStart = useRef<number | null>(null);
  const server = useRef<{ detail: PlanDetail | null; assignment: Map<string, string> }>({ detail: null, assignment: new Map() });
  const undo = useRef<HistoryEntry[]>([]);
  const redo = useRef<HistoryEntry[]>([]);
  const queue = useRef<Promise<void>>(Promise.resolve());

  const bumpHistory = () => setHistoryLen({ undo: undo.current.length, redo: redo.current.length });

  const adopt = useCallback((d: PlanDetail) => {
    const a = new Map(d.assignments.map((x) => [x.building, x.grid]));
    server.current = { detail: d, assignment: a };
    setDetail(d);
    setAssignment(a);
    setShapes(new Map());
  }, []);

  const refreshChecks = useCallback(() => {
    validatePlan(id).then(setValidation, onError);
    diffPlan(id).then(setDiff, onError);
  }, [id, onError]);

  const load = useCallback(async () => {
    adopt(await getPlan(id));
    refreshChecks();
  }, [id, adopt, refreshChecks]);

  useEffect(() => {
    load().catch(onError);
  }, [load, onError]);

  /** The community's grids and the assignment as the server has them now. */
  const snapshot = useCallback((): Snapshot => {
    const d = server.current.detail;
    const c = community();
    const grids = (d?.grids.features ?? [])
      .filter((f) => !c || f.properties.communityCode === c)
      .map((f) => ({
        code: f.properties.code,
        name: f.properties.name,
        kind: f.properties.kind,
        communityCode: f.properties.communityCode,
        locked: !!f.properties.locked,
        geometry: (f.geometry as PlanPolygon | null) ?? null,
      }));
    return { grids, assignment: new Map(server.current.assignment) };
  }, [community]);

  const run = useCallback(
    (makeOps: () => PlanOp[], record: Record, opts: SendOptions = {}, entry?: HistoryEntry) => {
      if (opts.predict) {
        editStart.current = performance.now();
        setAssignment(opts.predict);
      }
      if (opts.shape) setShapes(new Map([[opts.shape.grid, opts.shape.polygon]]));
      setSaving((n) => n + 1);
      const job = async () => {
        const before = snapshot();
        const ops = makeOps();
        if (ops.length === 0) return;
        try {
          await patchPlan(id, server.current.detail?.version ?? 0, ops);
          adopt(await getPlan(id));
          if (record === 'new' || record === 'redo') {
            undo.current.push({ ops: entry?.ops ?? ops, geometric: entry?.geometric ?? isGeometric(ops), before });
            if (record === 'new') redo.current = [];
          } else if (record === 'undo' && entry) redo.current.push(entry);
          else if (record === 'none' && ops.some((o) => o.op === 'renumber')) {
            undo.current = [];
            redo.current = [];
          }
          bumpHistory();
          refreshChecks();
          onChanged();
        } catch (e) {
          // Back to what the server has; a failed undo stays undoable.
          if (record === 'undo' && entry) undo.current.push(entry);
          if (record === 'redo' && entry) redo.current.push(entry);
          bumpHistory();
          setAssignment(server.current.assignment);
          setShapes(new Map());
          if (e instanceof ApiError && e.code === 'stale_version') setStale(true);
          else onError(e);
        }
      };
      const p = queue.current.then(job).finally(() => setSaving((n) => n - 1));
      queue.current = p.catch(() => undefined);
      return p;
    },
    [id, adopt, snapshot, refreshChecks, onChanged, onError],
  );

  /** A new edit (recorded for undo). */
  const send = useCallback((ops: PlanOp[], opts?: SendOptions) => run(() => ops, 'new', opts), [run]);
  /** An edit that is not undoable (renumber: it clears the history). */
  const sendOnce = useCallback((ops: PlanOp[]) => run(() => ops, 'none'), [run]);

  const doUndo = useCallback(() => {
    const e = undo.current.pop();
    if (!e) return;
    bumpHistory();
    // Assignment-only edits are undone optimistically too.
    const predict = e.geometric ? undefined : new Map([...server.current.assignment, ...e.before.assignment]);
    void run(() => restoreOps(e.before, snapshot(), e.geometric), 'undo', { predict }, e);
  }, [run, snapshot]);

  const doRedo = useCallback(() => {
    const e = redo.current.pop();
    if (!e) return;
    bumpHistory();
    void run(() => e.ops, 'redo', {}, e);
  }, [run]);

  const reload = useCallback(() => {
    setStale(false);
    undo.current = [];
    redo.current = [];
    bumpHistory();
    load().catch(onError);
  }, [load, onError]);

  return {
    detail, assignment, shapes, saving, stale, setStale, validation, diff, historyLen, editStart,
    serverAssignment: () => server.current.assignment,
    send, sendOnce, doUndo, doRedo, reload, load,
  };
}
