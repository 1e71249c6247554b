/**
 * Auto-tour for unattended use (`/screen?tour=1&interval=15`): steps through the street, then what
 * needs attention — the out-of-band grids (over 400 first, then under 300, largest gap first), grids
 * with overdue resident requests, the 10-minute life circle's gaps and grids with low party-member
 * reach (issue #20), each with a one-line caption of why it is shown — then each community
 * followed by its grids, and starts again. Any touch, mouse move, wheel or key pauses it; a minute
 * without input resumes it.
 */
import { useEffect, useRef, useState } from 'react';
import type { ScreenExtras, ScreenSummary } from '../http/screen-api';
import type { MessageKey } from '../i18n/zh-cn';
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

/** Why a step is shown: a message key and its parameters (shown as the tour's caption). */
export interface TourCaption { key: MessageKey; params: Record<string, string | number> }

/** What the tour visits beside the summary: the street's extra figures and grids with overdue requests. */
export interface TourAttention {
  extras?: ScreenExtras | null;
  /** Grid code → overdue open requests in it. */
  overdue?: ReadonlyMap<string, number>;
}

/** Grids whose party-member reach is below this share are visited. */
export const LOW_REACH = 0.9;
/** At most this many grids per kind of attention. */
const PER_KIND = 5;

/** The tour's steps and, for each, why it is shown (null for the plain walk through the street). */
export function tourPlan(s: ScreenSummary, attention: TourAttention = {}): { steps: Scope[]; captions: (TourCaption | null)[] } {
  const steps: Scope[] = [STREET];
  const captions: (TourCaption | null)[] = [null];
  const gridOf = new Map(s.grids.map((g) => [g.code, g]));
  const visit = (code: string, caption: TourCaption) => {
    const grid = gridOf.get(code);
    if (!grid) return;
    steps.push({ level: 'grid', community: grid.communityCode, grid: grid.code });
    captions.push(caption);
  };
  const pct = (x: number | null) => `${((x ?? 0) * 100).toFixed(1)}%`;
  const { lo, hi } = s.band;
  for (const { grid } of outOfBand(s.grids, lo, hi)) visit(grid.code, { key: 'party.tour.band', params: { households: grid.households } });
  const overdue = [...(attention.overdue ?? new Map<string, number>())].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, PER_KIND);
  for (const [code, n] of overdue) visit(code, { key: 'party.tour.overdue', params: { n } });
  for (const gap of (attention.extras?.lifeCircle?.gaps ?? []).slice(0, PER_KIND)) {
    visit(gap.grid, { key: 'party.tour.lifeGap', params: { grid: gridOf.get(gap.grid)?.name ?? gap.grid, share: pct(gap.share) } });
  }
  const low = (attention.extras?.partyReach?.byGrid ?? []).filter((g) => g.households > 0 && g.share < LOW_REACH).sort((a, b) => a.share - b.share).slice(0, PER_KIND);
  for (const g of low) visit(g.key, { key: 'party.tour.lowReach', params: { grid: g.name, share: pct(g.share) } });
  const byCommunity = new Map<string, string[]>();
  for (const g of s.grids) {
    const list = byCommunity.get(g.communityCode);
    if (list) list.push(g.code);
    else byCommunity.set(g.communityCode, [g.code]);
  }
  for (const c of s.communities) {
    steps.push({ level: 'community', community: c.code });
    captions.push(null);
    for (const grid of byCommunity.get(c.code) ?? []) {
      steps.push({ level: 'grid', community: c.code, grid });
      captions.push(null);
    }
  }
  return { steps, captions };
}

export function tourSteps(s: ScreenSummary, attention: TourAttention = {}): Scope[] {
  return tourPlan(s, attention).steps;
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
