/**
 * The grid worker's writes on a flaky connection (issue #18.4): every action (claim, accept,
 * resolve with note and photo) is put in a queue kept in localStorage, with an Idempotency-Key
 * made once when it is queued. The queue is sent in order at once, again when the browser says it
 * is online, and every few seconds while anything waits. A retry of an action whose answer was
 * lost gets the stored answer replayed by the server (server/services/idempotency.ts), so nothing
 * is ever applied twice. An action the server refuses (4xx) leaves the queue with its message.
 */
import { ApiError, sendJson } from '../../http/api-client';
import { randomKey } from './resident-api';

export interface QueuedAction {
  key: string;
  requestId: number;
  /** What it does, for the list: the step's name. */
  step: 'claim' | 'accept' | 'resolve';
  path: string;
  body: unknown;
  queuedAt: string;
}

export interface QueueState {
  pending: QueuedAction[];
  /** The last refusals, newest first. */
  failed: { action: QueuedAction; message: string }[];
  /** Bumped after each action the server took. */
  sent: number;
}

const STORE = 'gridatlas.tasks.queue';
const RETRY_MS = 4000;

function load(): QueuedAction[] {
  try {
    return JSON.parse(localStorage.getItem(STORE) ?? '[]') as QueuedAction[];
  } catch {
    return [];
  }
}

let state: QueueState = { pending: load(), failed: [], sent: 0 };
const listeners = new Set<(s: QueueState) => void>();
let flushing = false;
let timer: ReturnType<typeof setTimeout> | null = null;

function set(next: QueueState) {
  state = next;
  try {
    localStorage.setItem(STORE, JSON.stringify(state.pending));
  } catch {
    /* a full storage keeps the queue in memory for this page */
  }
  for (const l of listeners) l(state);
}

export function queueState(): QueueState {
  return state;
}

export function subscribe(l: (s: QueueState) => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** Queues one action and starts sending. */
export function enqueue(a: Omit<QueuedAction, 'key' | 'queuedAt'>) {
  set({ ...state, pending: [...state.pending, { ...a, key: randomKey(), queuedAt: new Date().toISOString() }] });
  void flush();
}

const retryLater = () => {
  if (timer === null) timer = setTimeout(() => ((timer = null), void flush()), RETRY_MS);
};

/** Sends the waiting actions in order; stops at the first that cannot reach the server. */
export async function flush(): Promise<void> {
  if (flushing) return;
  flushing = true;
  try {
    while (state.pending.length > 0) {
      const a = state.pending[0];
      try {
        await sendJson('POST', a.path, a.body, undefined, { 'Idempotency-Key': a.key });
        set({ ...state, pending: state.pending.slice(1), sent: state.sent + 1 });
      } catch (e) {
        const retry = !(e instanceof ApiError) || e.status === 0 || e.status >= 500 || e.status === 408 || e.code === 'request_in_progress';
        if (retry) {
          retryLater();
          return;
        }
        set({ ...state, pending: state.pending.slice(1), failed: [{ action: a, message: e.message }, ...state.failed].slice(0, 5) });
      }
    }
  } finally {
    flushing = false;
  }
}

if (typeof window !== 'undefined') {
  window.addEventListener('online', () => void flush());
}
