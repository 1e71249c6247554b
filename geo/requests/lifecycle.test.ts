import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ActorKind,
  type Assignee,
  type RequestState,
  type RequestStatus,
  ESCALATION_LEVELS,
  REQUEST_STATUSES,
  TRANSITIONS,
  applyTransition,
  dueAt,
  isLegalPair,
  isOverdue,
  nextStatuses,
  resolvedLate,
} from './lifecycle';

const WORKER = 'w1';
const start: RequestState = { status: 'reported', level: 'grid', assignee: null, rating: null };
const me: Assignee = { kind: 'grid_worker', code: WORKER, level: 'grid' };

const assigneeArb = fc.oneof(
  fc.constant<Assignee>(me),
  fc.constant<Assignee>({ kind: 'grid_worker', code: 'w2', level: 'grid' }),
  fc.constantFrom(...ESCALATION_LEVELS).map<Assignee>((level) => ({ kind: 'department', code: `d-${level}`, level })),
);
const inputArb = fc.record(
  {
    to: fc.constantFrom(...REQUEST_STATUSES),
    note: fc.oneof(fc.constant(''), fc.constant('  '), fc.constant('已处理')),
    rating: fc.oneof(fc.integer({ min: -2, max: 8 }), fc.double({ min: 0, max: 6, noNaN: true })),
    assignee: assigneeArb,
  },
  { requiredKeys: ['to'] },
);
const stepArb = fc.record({ input: inputArb, actor: fc.constantFrom<ActorKind>('grid_worker', 'dispatcher') });

describe('request lifecycle', () => {
  it('never accepts an illegal transition, whatever sequence of steps is tried', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 40 }), (steps) => {
        let s = start;
        for (const { input, actor } of steps) {
          const r = applyTransition(s, input, actor, WORKER);
          if (!r.ok) {
            // Refused steps name a 4xx and both languages, and leave the state as it was.
            expect([400, 403, 409]).toContain(r.error.status);
            expect(r.error.zh.length).toBeGreaterThan(0);
            expect(r.error.en.length).toBeGreaterThan(0);
            if (!isLegalPair(s.status, input.to)) expect(r.error.status).toBe(409);
            continue;
          }
          expect(isLegalPair(s.status, input.to)).toBe(true);
          const next = r.state;
          expect(next.status === s.status || next.status === input.to).toBe(true);
          // Escalation never goes down; a rating only exists on rated/closed requests and is 1–5.
          expect(ESCALATION_LEVELS.indexOf(next.level)).toBeGreaterThanOrEqual(ESCALATION_LEVELS.indexOf(s.level));
          if (input.to === 'rated') expect(Number.isInteger(next.rating) && next.rating! >= 1 && next.rating! <= 5).toBe(true);
          if (input.to === 'dispatched') expect(next.assignee).not.toBeNull();
          if (actor === 'grid_worker') expect(['claim', 'accept', 'resolve', 'escalate']).toContain(r.step);
          s = { ...next, status: input.to };
        }
      }),
      { numRuns: 500 },
    );
  }, 60_000);

  it('refuses every pair that is not in the table with 409, for both actors', () => {
    for (const from of REQUEST_STATUSES) {
      for (const to of REQUEST_STATUSES) {
        if (isLegalPair(from, to)) continue;
        for (const actor of ['grid_worker', 'dispatcher'] as const) {
          const r = applyTransition({ ...start, status: from, assignee: me }, { to, note: 'x', rating: 5, assignee: me }, actor, WORKER);
          expect(r.ok ? 'accepted' : r.error.status, `${from}→${to}`).toBe(409);
        }
      }
    }
  });

  it('reaches every status and takes every legal pair along some path from reported', () => {
    const dept: Assignee = { kind: 'department', code: 'street_urban', level: 'street' };
    const good = (to: RequestStatus, from: RequestStatus) => ({
      to,
      note: '说明',
      rating: 4,
      assignee: from === 'accepted' && to === 'dispatched' ? dept : me,
    });
    const seen = new Set<string>();
    const reached = new Set<RequestStatus>(['reported']);
    const queue: RequestState[] = [start];
    const visited = new Set<string>();
    while (queue.length) {
      const s = queue.shift()!;
      const key = `${s.status}|${s.level}`;
      if (visited.has(key)) continue;
      visited.add(key);
      for (const to of nextStatuses(s.status)) {
        const r = applyTransition(s, good(to, s.status), 'dispatcher', WORKER);
        expect(r.ok, `${s.status}→${to}`).toBe(true);
        if (!r.ok) continue;
        seen.add(`${s.status}→${to}`);
        reached.add(to);
        queue.push({ ...r.state, status: to });
      }
    }
    expect([...reached].sort()).toEqual([...REQUEST_STATUSES].sort());
    expect(seen.size).toBe(TRANSITIONS.length);
  });

  it('grid workers claim for themselves, accept their own, escalate upward only; dispatchers rate, close, reopen', () => {
    const dispatched = { ...start, status: 'dispatched' as const, assignee: me };
    expect(applyTransition(start, { to: 'dispatched', assignee: me }, 'grid_worker', WORKER)).toMatchObject({ ok: true, step: 'claim' });
    expect(applyTransition(start, { to: 'dispatched', assignee: { ...me, code: 'w2' } }, 'grid_worker', WORKER)).toMatchObject({ ok: false, error: { status: 403 } });
    expect(applyTransition(dispatched, { to: 'accepted' }, 'grid_worker', 'w2')).toMatchObject({ ok: false, error: { status: 403 } });
    const accepted = { ...dispatched, status: 'accepted' as const };
    expect(applyTransition(accepted, { to: 'resolved' }, 'grid_worker', WORKER)).toMatchObject({ ok: false, error: { code: 'note_required' } });
    expect(applyTransition(accepted, { to: 'dispatched', note: '需要物业', assignee: me }, 'grid_worker', WORKER)).toMatchObject({ ok: false, error: { code: 'invalid_escalation' } });
    const up = applyTransition(accepted, { to: 'dispatched', note: '需要物业', assignee: { kind: 'department', code: 'property', level: 'community' } }, 'grid_worker', WORKER);
    expect(up).toMatchObject({ ok: true, step: 'escalate', state: { level: 'community' } });
    const resolved = { ...accepted, status: 'resolved' as const };
    expect(applyTransition(resolved, { to: 'rated', rating: 5 }, 'grid_worker', WORKER)).toMatchObject({ ok: false, error: { status: 403 } });
    expect(applyTransition(resolved, { to: 'rated', rating: 0 }, 'dispatcher')).toMatchObject({ ok: false, error: { code: 'rating_required' } });
    expect(applyTransition(resolved, { to: 'rated', rating: 5 }, 'dispatcher')).toMatchObject({ ok: true, state: { rating: 5 } });
    const closed = { ...resolved, status: 'closed' as const, rating: 2 };
    expect(applyTransition(closed, { to: 'dispatched' }, 'dispatcher')).toMatchObject({ ok: false, error: { code: 'note_required' } });
    expect(applyTransition(closed, { to: 'dispatched', note: '居民反映未修好' }, 'dispatcher')).toMatchObject({ ok: true, step: 'reopen', state: { assignee: me, rating: null } });
    expect(applyTransition(closed, { to: 'dispatched', note: 'x' }, 'grid_worker', WORKER)).toMatchObject({ ok: false, error: { status: 403 } });
  });
});

describe('overdue', () => {
  it('is open and past due, exactly', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...REQUEST_STATUSES),
        fc.integer({ min: 0, max: 2_000_000_000_000 }),
        fc.integer({ min: 1, max: 720 }),
        fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }),
        (status, reportedMs, hours, offset) => {
          const due = dueAt(reportedMs, hours);
          expect(due - reportedMs).toBe(hours * 3_600_000);
          const now = due + offset;
          const open = status === 'reported' || status === 'dispatched' || status === 'accepted';
          expect(isOverdue({ status, dueMs: due }, now)).toBe(open && offset > 0);
        },
      ),
    );
  });

  it('is not overdue at the due instant; resolved late means resolved after it', () => {
    const due = dueAt(Date.UTC(2026, 0, 1), 24);
    expect(isOverdue({ status: 'accepted', dueMs: due }, due)).toBe(false);
    expect(isOverdue({ status: 'accepted', dueMs: due }, due + 1)).toBe(true);
    expect(resolvedLate({ resolvedMs: due + 1, dueMs: due })).toBe(true);
    expect(resolvedLate({ resolvedMs: due, dueMs: due })).toBe(false);
    expect(resolvedLate({ resolvedMs: null, dueMs: due })).toBe(false);
  });
});
