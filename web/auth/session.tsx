/**
 * Who is signed in, for every page: a React context over `GET /api/auth/me`.
 *
 * The session cookie is HttpOnly, so the page cannot see whether one exists. Asking `/me` on every
 * anonymous visit of the public map would cost a request and a 401 in the console each time, so a
 * non-secret hint in localStorage ("this browser signed in") decides whether the header asks.
 * Protected pages (`/admin`, `/screen`) always ask. The server stays the only authority: the hint
 * only saves a request, a stale hint costs one 401 and is then dropped.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, setCsrfToken } from '../http/api-client';
import { fetchMe, logout, type Me } from '../http/auth-api';
import { loginHref } from './next-path';

export type SessionState =
  | { status: 'loading' }
  | { status: 'anonymous' }
  | { status: 'signed-in'; me: Me }
  /** `/me` failed for another reason than 401 (network, 5xx): the message to show. */
  | { status: 'error'; error: ApiError };

export interface Session {
  state: SessionState;
  /** The signed-in principal, or null. */
  me: Me | null;
  refresh: () => Promise<void>;
  /** Ends the session; with `goTo`, leaves for that page instead of showing the current one anonymous. */
  signOut: (goTo?: string) => Promise<void>;
}

const HINT_KEY = 'gridatlas.session';

/** Remembers (or forgets) that this browser holds a session; see the file comment. */
export function rememberSession(signedIn: boolean) {
  try {
    if (signedIn) localStorage.setItem(HINT_KEY, '1');
    else localStorage.removeItem(HINT_KEY);
  } catch {
    /* storage disabled: the header then always asks /me */
  }
}

function hinted(): boolean {
  try {
    return localStorage.getItem(HINT_KEY) === '1';
  } catch {
    return true;
  }
}

const SessionContext = createContext<Session | null>(null);

/**
 * `probe="always"` asks the server on mount (pages that need to know); `"if-hinted"` only when
 * this browser signed in before (public pages).
 */
export function SessionProvider({ probe, children }: { probe: 'always' | 'if-hinted'; children: ReactNode }) {
  const [askServer] = useState(() => probe === 'always' || hinted());
  const [state, setState] = useState<SessionState>(() => (askServer ? { status: 'loading' } : { status: 'anonymous' }));

  const load = useCallback(async (signal?: AbortSignal) => {
    try {
      const me = await fetchMe(signal);
      rememberSession(true);
      // A printed password must be replaced first; the server refuses everything else meanwhile.
      if (me.mustChangePassword && !/^\/login\/?$/.test(location.pathname)) {
        location.replace(loginHref());
        return;
      }
      setState({ status: 'signed-in', me });
    } catch (e) {
      if (signal?.aborted) return;
      if (e instanceof ApiError && e.status === 401) {
        rememberSession(false);
        setCsrfToken(null);
        setState({ status: 'anonymous' });
      } else {
        setState({ status: 'error', error: e instanceof ApiError ? e : new ApiError(0, 'unknown', String(e)) });
      }
    }
  }, []);

  useEffect(() => {
    if (!askServer) return;
    const ctrl = new AbortController();
    void load(ctrl.signal);
    return () => ctrl.abort();
  }, [askServer, load]);

  const signOut = useCallback(async (goTo?: string) => {
    try {
      await logout();
    } catch (e) {
      // Already signed out on the server (expired or revoked): the goal is reached.
      if (!(e instanceof ApiError && e.status === 401)) throw e;
    }
    rememberSession(false);
    if (goTo) location.assign(goTo);
    else setState({ status: 'anonymous' });
  }, []);

  const value = useMemo<Session>(
    () => ({
      state,
      me: state.status === 'signed-in' ? state.me : null,
      refresh: () => load(),
      signOut,
    }),
    [state, load, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession must be used inside <SessionProvider>');
  return ctx;
}
