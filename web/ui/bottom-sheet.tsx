/**
 * The phone's bottom sheet: details slide up over a full-screen map. Three resting heights —
 * `peek` (the handle and a one-line summary), `half` and `full` — chosen by dragging the handle
 * (touch or mouse, snapping to the nearest height on release) or by tapping it (peek ↔ half,
 * full → half). The page owns the state (`snap`/`onSnap`) so it can open the sheet when there is
 * something new to read (a search result, a tapped building). The content scrolls inside.
 *
 * Used on phones only (see use-phone.ts); desktop pages keep their side panels.
 */
import { useRef, useState, type ReactNode } from 'react';

export type SheetSnap = 'peek' | 'half' | 'full';

/** Resting heights as a share of the sheet's container (the page below the header). */
const HEIGHTS: Record<SheetSnap, number> = { peek: 0.16, half: 0.5, full: 0.92 };
/** A press that moves less than this is a tap. */
const TAP_PX = 6;

export function BottomSheet({
  snap,
  onSnap,
  summary,
  children,
  label,
  testId = 'bottom-sheet',
}: {
  snap: SheetSnap;
  onSnap: (snap: SheetSnap) => void;
  /** Always visible under the handle, also when peeking. */
  summary?: ReactNode;
  children: ReactNode;
  /** Accessible name of the handle (e.g. "详情"). */
  label: string;
  testId?: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  /** The height in px while a drag is under way; null at rest (the height then comes from `snap`). */
  const [dragPx, setDragPx] = useState<number | null>(null);
  const drag = useRef<{ y0: number; h0: number; moved: boolean } | null>(null);

  const containerHeight = () => box.current?.parentElement?.clientHeight ?? window.innerHeight;

  const onPointerDown = (e: React.PointerEvent) => {
    const h0 = box.current?.getBoundingClientRect().height ?? 0;
    drag.current = { y0: e.clientY, h0, moved: false };
    (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
  };
  const onPointerMove = (e: React.PointerEvent) => {
    const d = drag.current;
    if (!d) return;
    const dy = e.clientY - d.y0;
    if (Math.abs(dy) > TAP_PX) d.moved = true;
    if (!d.moved) return;
    const max = containerHeight();
    setDragPx(Math.min(max * HEIGHTS.full, Math.max(max * HEIGHTS.peek * 0.6, d.h0 - dy)));
  };
  const onPointerUp = () => {
    const d = drag.current;
    drag.current = null;
    if (!d) return;
    if (!d.moved) {
      onSnap(snap === 'peek' ? 'half' : snap === 'half' ? 'peek' : 'half');
      return;
    }
    const share = (dragPx ?? d.h0) / containerHeight();
    const nearest = (Object.keys(HEIGHTS) as SheetSnap[]).reduce((a, b) => (Math.abs(HEIGHTS[b] - share) < Math.abs(HEIGHTS[a] - share) ? b : a));
    setDragPx(null);
    onSnap(nearest);
  };

  return (
    <div
      ref={box}
      className={`bottom-sheet panel${dragPx !== null ? ' dragging' : ''}`}
      style={{ height: dragPx !== null ? `${dragPx}px` : `${HEIGHTS[snap] * 100}%` }}
      data-testid={testId}
      data-snap={snap}
    >
      <div
        className="bottom-sheet-handle"
        role="button"
        tabIndex={0}
        aria-label={label}
        aria-expanded={snap !== 'peek'}
        data-testid={`${testId}-handle`}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
        onKeyDown={(e) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            onSnap(snap === 'peek' ? 'half' : 'peek');
          }
        }}
      >
        <span className="bottom-sheet-grip" />
        {summary && <div className="bottom-sheet-summary">{summary}</div>}
      </div>
      <div className="bottom-sheet-body">{children}</div>
    </div>
  );
}
