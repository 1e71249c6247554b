/**
 * Resident request lifecycle (居民点单 → 社区派单 → 部门接单 → 群众评单). Pure rules, no I/O: the
 * server asks {@link applyTransition} before it writes anything, so an illegal step never reaches
 * the database.
 *
 *   reported ──dispatch──▶ dispatched ──accept──▶ accepted ──resolve──▶ resolved ──rate──▶ rated ──close──▶ closed
 *      │                    ▲   │ (re-dispatch)     │ (escalate)          │  └──close (no rating)──────────▶ closed
 *      └─cancel (note)─▶ closed  └────────────────────┘                      │
 *   reopen: resolved | rated | closed ──▶ dispatched (same handler unless a new one is named; new due time)
 *
 * Decisions (docs/api.md "Resident requests"):
 * - Reopen goes back to `dispatched`, not `reported`: the request already has a grid and a handler,
 *   and the resident's complaint ("not fixed") goes to the same handler unless the dispatcher names
 *   another. The due time restarts from the reopen.
 * - The rating is the resident's, recorded by the community at the callback (回访); a grid worker
 *   may not rate their own work.
 * - Escalation only goes up (grid → community → street) and never back: "resolved within the grid"
 *   (小事不出网格) means the request never left the grid level.
 * - A grid worker may claim (领办) a reported request of their grid for themselves, accept, resolve,
 *   and escalate what the grid cannot solve; everything else is the dispatcher's (community or street
 *   planner/admin).
 */

export const REQUEST_STATUSES = ['reported', 'dispatched', 'accepted', 'resolved', 'rated', 'closed'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** Statuses in which the request still waits for work (counted as open; may be overdue). */
export const OPEN_STATUSES: readonly RequestStatus[] = ['reported', 'dispatched', 'accepted'];
/** Statuses that count as resolved for rates and "resolved this month". */
export const DONE_STATUSES: readonly RequestStatus[] = ['resolved', 'rated', 'closed'];

export const ESCALATION_LEVELS = ['grid', 'community', 'street'] as const;
export type EscalationLevel = (typeof ESCALATION_LEVELS)[number];

export const REPORTER_CHANNELS = ['grid_worker', 'resident', 'hotline_12345', 'property'] as const;
export type ReporterChannel = (typeof REPORTER_CHANNELS)[number];

/** Who asks for a step: a grid worker of the request's grid, or a dispatcher (community/street planner or admin). */
export type ActorKind = 'grid_worker' | 'dispatcher';

/** The handler a request is dispatched to: a grid worker (grid level) or a department (its level). */
export interface Assignee {
  kind: 'grid_worker' | 'department';
  /** For a grid worker: the grid's code (any worker of that grid may take it); else the department code. */
  code: string;
  level: EscalationLevel;
}

export interface RequestState {
  status: RequestStatus;
  level: EscalationLevel;
  assignee: Assignee | null;
  rating: number | null;
}

export interface TransitionInput {
  to: RequestStatus;
  note?: string;
  rating?: number;
  assignee?: Assignee;
}

export type StepKind = 'dispatch' | 'redispatch' | 'claim' | 'accept' | 'resolve' | 'escalate' | 'rate' | 'close' | 'cancel' | 'reopen';

export interface TransitionError {
  status: 400 | 403 | 409;
  code: string;
  zh: string;
  en: string;
}

export const STATUS_NAMES: Record<RequestStatus, { zh: string; en: string }> = {
  reported: { zh: '已上报', en: 'reported' },
  dispatched: { zh: '已派单', en: 'dispatched' },
  accepted: { zh: '已接单', en: 'accepted' },
  resolved: { zh: '已办结', en: 'resolved' },
  rated: { zh: '已评价', en: 'rated' },
  closed: { zh: '已关闭', en: 'closed' },
};

/** Every legal (from, to) pair; anything not listed is refused with 409. */
export const TRANSITIONS: ReadonlyArray<{ from: RequestStatus; to: RequestStatus; steps: readonly StepKind[] }> = [
  { from: 'reported', to: 'dispatched', steps: ['dispatch', 'claim'] },
  { from: 'reported', to: 'closed', steps: ['cancel'] },
  { from: 'dispatched', to: 'dispatched', steps: ['redispatch'] },
  { from: 'dispatched', to: 'accepted', steps: ['accept'] },
  { from: 'accepted', to: 'resolved', steps: ['resolve'] },
  { from: 'accepted', to: 'dispatched', steps: ['escalate', 'redispatch'] },
  { from: 'resolved', to: 'rated', steps: ['rate'] },
  { from: 'resolved', to: 'closed', steps: ['close'] },
  { from: 'rated', to: 'closed', steps: ['close'] },
  { from: 'resolved', to: 'dispatched', steps: ['reopen'] },
  { from: 'rated', to: 'dispatched', steps: ['reopen'] },
  { from: 'closed', to: 'dispatched', steps: ['reopen'] },
];

export function isLegalPair(from: RequestStatus, to: RequestStatus): boolean {
  return TRANSITIONS.some((t) => t.from === from && t.to === to);
}

/** The statuses a request in `from` may move to next (for buttons in the UI). */
export function nextStatuses(from: RequestStatus): RequestStatus[] {
  return TRANSITIONS.filter((t) => t.from === from).map((t) => t.to);
}

const levelRank = (l: EscalationLevel) => ESCALATION_LEVELS.indexOf(l);
const higher = (a: EscalationLevel, b: EscalationLevel) => (levelRank(a) >= levelRank(b) ? a : b);

const err = (status: TransitionError['status'], code: string, zh: string, en: string): TransitionError => ({ status, code, zh, en });

/**
 * Checks one step and returns the state after it, or why it is refused:
 * 409 `illegal_transition` (not in {@link TRANSITIONS}), 403 `not_your_step` (the actor may not take
 * it), 400 `rating_required` / `note_required` / `assignee_required` / `invalid_escalation`.
 * `actorCode` is the code of the grid a grid worker acts for (a worker may only claim for that grid).
 */
export function applyTransition(
  state: RequestState,
  input: TransitionInput,
  actor: ActorKind,
  actorCode = '',
): { ok: true; step: StepKind; state: RequestState } | { ok: false; error: TransitionError } {
  const from = state.status;
  const to = input.to;
  if (!isLegalPair(from, to)) {
    return {
      ok: false,
      error: err(409, 'illegal_transition', `不能从“${STATUS_NAMES[from].zh}”变为“${STATUS_NAMES[to].zh}”`, `cannot go from ${from} to ${to}`),
    };
  }
  const forbidden = (what: string, whatEn: string) => ({ ok: false as const, error: err(403, 'not_your_step', `网格员不能${what}`, `a grid worker may not ${whatEn}`) });
  const note = input.note?.trim() ?? '';
  const next = (step: StepKind, patch: Partial<RequestState>) => ({ ok: true as const, step, state: { ...state, ...patch } });

  if (to === 'dispatched') {
    const a = input.assignee ?? null;
    if (from === 'reported' || from === 'dispatched' || (from === 'accepted' && actor === 'dispatcher')) {
      if (!a) return { ok: false, error: err(400, 'assignee_required', '派单须指定网格员或部门', 'dispatch needs a grid worker or a department') };
      if (actor === 'grid_worker') {
        if (from !== 'reported') return forbidden('改派', 're-dispatch');
        if (a.kind !== 'grid_worker' || a.code !== actorCode) return forbidden('派单给他人（只能领办给自己）', 'dispatch to others (only claim for themselves)');
      }
      const step: StepKind = from === 'reported' ? (actor === 'grid_worker' ? 'claim' : 'dispatch') : 'redispatch';
      return next(step, { assignee: a, level: higher(state.level, a.level) });
    }
    if (from === 'accepted') {
      // A grid worker escalates what the grid cannot solve: to a community or street department.
      if (!a || a.kind !== 'department' || a.level === 'grid') {
        return { ok: false, error: err(400, 'invalid_escalation', '上报须指定社区或街道部门', 'escalation needs a community or street department') };
      }
      if (!note) return { ok: false, error: err(400, 'note_required', '上报须说明原因', 'escalation needs a note') };
      return next('escalate', { assignee: a, level: higher(state.level, a.level) });
    }
    // Reopen: resolved | rated | closed.
    if (actor !== 'dispatcher') return forbidden('重新打开诉求', 'reopen a request');
    if (!note) return { ok: false, error: err(400, 'note_required', '重新打开须说明原因', 'reopening needs a note') };
    const assignee = a ?? state.assignee;
    if (!assignee) return { ok: false, error: err(400, 'assignee_required', '派单须指定网格员或部门', 'dispatch needs a grid worker or a department') };
    return next('reopen', { assignee, level: higher(state.level, assignee.level), rating: null });
  }
  if (to === 'accepted') {
    if (actor === 'grid_worker' && (state.assignee?.kind !== 'grid_worker' || state.assignee.code !== actorCode)) {
      return forbidden('接他人的单', 'accept a request dispatched to someone else');
    }
    return next('accept', {});
  }
  if (to === 'resolved') {
    if (!note) return { ok: false, error: err(400, 'note_required', '办结须填写处理情况', 'resolving needs a note on what was done') };
    return next('resolve', {});
  }
  if (to === 'rated') {
    if (actor !== 'dispatcher') return forbidden('代居民评价', 'rate on the resident’s behalf');
    const r = input.rating;
    if (r === undefined || !Number.isInteger(r) || r < 1 || r > 5) {
      return { ok: false, error: err(400, 'rating_required', '评价须为 1–5 的整数', 'rating must be an integer 1–5') };
    }
    return next('rate', { rating: r });
  }
  // to === 'closed'
  if (actor !== 'dispatcher') return forbidden('关闭诉求', 'close a request');
  if (from === 'reported') {
    if (!note) return { ok: false, error: err(400, 'note_required', '作废须说明原因（重复、无效）', 'cancelling needs a note (duplicate, invalid)') };
    return next('cancel', {});
  }
  return next('close', {});
}

/** Due time: report (or reopen) time plus the category's limit. */
export function dueAt(startMs: number, limitHours: number): number {
  return startMs + limitHours * 3_600_000;
}

/** Overdue (超期): still open and past its due time. */
export function isOverdue(r: { status: RequestStatus; dueMs: number }, nowMs: number): boolean {
  return OPEN_STATUSES.includes(r.status) && nowMs > r.dueMs;
}

/** Resolved after its due time (办结超期), for the record of a finished request. */
export function resolvedLate(r: { resolvedMs: number | null; dueMs: number }): boolean {
  return r.resolvedMs !== null && r.resolvedMs > r.dueMs;
}
