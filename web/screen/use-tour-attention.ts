/**
 * Grids with overdue open resident requests, for the wall-screen tour (issue #20): read once when
 * the tour is on, from the public request points (no personal data), and again at each refresh.
 */
import { useEffect, useState } from 'react';
import { getJson } from '../http/api-client';

interface RequestPoint { properties: { overdue: boolean; grid: string | null } }

export function useOverdueGrids(enabled: boolean, refreshedAt: Date | null): ReadonlyMap<string, number> | null {
  const [overdue, setOverdue] = useState<ReadonlyMap<string, number> | null>(null);
  useEffect(() => {
    if (!enabled) return;
    const ctrl = new AbortController();
    getJson<{ features: RequestPoint[] }>('/api/requests/layer?status=reported,dispatched,accepted', ctrl.signal).then(
      (fc) => {
        const m = new Map<string, number>();
        for (const f of fc.features) if (f.properties.overdue && f.properties.grid) m.set(f.properties.grid, (m.get(f.properties.grid) ?? 0) + 1);
        setOverdue(m);
      },
      (e: unknown) => {
        console.warn('overdue requests', e);
        setOverdue(new Map());
      },
    );
    return () => ctrl.abort();
  }, [enabled, refreshedAt]);
  return overdue;
}
