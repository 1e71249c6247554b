/**
 * Auto-tour for unattended use (`/screen?tour=1&interval=15`): steps through the street, the
 * out-of-band grids (over 400 first, then under 300, largest gap first), then each community
 * followed by its grids, and starts again. Any touch, mouse move, wheel or key pauses it; a minute
 * without input resumes it.
 */
import { useEffect, useRef, useState } from 'react';
import type { ScreenSummary } from '../http/screen-api';
import { outOfBand } from './attention-list';
import { STREET, type Scope } from './scope';

export const IDLE_RESUME_MS = 60_000;

export interface TourOptions {
  enabled: boolean;
  intervalMs: number;
}

/** `?tour=1&interval=15` → enabled, 15 s per step (at least 2 s). */
export function tourOptionsFromUrl(search: string): TourOptions {
  const q = new URLSearchParams(search);
  const interval = Number(q.get('interval') ?? 15);
  return { enabled: q.get('tour') === '1', intervalMs: Math.max(2, Number.isFinite(interval) ? interval : 15) * 1000 };
}

export function tourSteps(s: ScreenSummary): Scope[] {
  const steps: Scope[] = [STREET];
  const { lo, hi } = s.band;
  for (const { grid } of outOfBand(s.grids, lo, hi)) {
    steps.push({ level: 'grid', community: grid.communityCode, grid: grid.code });
  }
  const byCommunity = new Map<string, string[]>();
  for (const g of s.grids) {
    const list = byCommunity.get(g.communityCode);
    if (list) list.push(g.code);
    else byCommunity.set(g.communityCode, [g.code]);
  }
  for (const c of s.communities) {
    steps.push({ level: 'community', community: c.code });
    for (const grid of byCommunity.get(c.code) ?? []) steps.push({ level: 'grid', community: c.code, grid });
  }
  return steps;
}

/**
 * Runs the tour: calls `go` with the next step every interval while not paused. Returns whether
 * it is running (`null` when the tour is off) and the step index.
 */
export function useTour(opts: TourOptions, steps: Scope[], go: (s: Scope) => void): { running: boolean | null; step: number } {
  const [paused, setPaused] = useState(false);
  const [step, setStep] = useState(0);
  const stepRef = useRef(0);
  const goRef = useRef(go);
  goRef.current = go;
  const idleTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    if (!opts.enabled) return;
    const onInput = () => {
      setPaused(true);
      clearTimeout(idleTimer.current);
      idleTimer.current = setTimeout(() => setPaused(false), IDLE_RESUME_MS);
    };
    const events = ['mousemove', 'pointerdown', 'touchstart', 'wheel', 'keydown'] as const;
    // Capture phase: the map stops some events from bubbling up to the window.
    for (const e of events) window.addEventListener(e, onInput, { capture: true, passive: true });
    return () => {
      for (const e of events) window.removeEventListener(e, onInput, { capture: true });
      clearTimeout(idleTimer.current);
    };
  }, [opts.enabled]);

  useEffect(() => {
    if (!opts.enabled || paused || steps.length === 0) return;
    const id = setInterval(() => {
      stepRef.current = (stepRef.current + 1) % steps.length;
      goRef.current(steps[stepRef.current]);
      setStep(stepRef.current);
    }, opts.intervalMs);
    return () => clearInterval(id);
  }, [opts.enabled, opts.intervalMs, paused, steps]);

  return { running: opts.enabled ? !paused : null, step };
}
