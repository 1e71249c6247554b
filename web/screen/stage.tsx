/**
 * The wall screen is designed once, at 1920×1080, and scaled as a whole to the viewport with a CSS
 * transform (`scale = min(width/1920, height/1080)`, centred, letterboxed if not 16:9). Every
 * size in the layout is a design pixel, so 3840×2160 shows exactly the same picture twice as
 * large — text stays readable from 5 m and nothing reflows or gets cut off. The map inside the
 * stage draws at devicePixelRatio × scale, so it stays sharp on a 4K panel.
 */
import { useEffect, useState, type ReactNode } from 'react';

export const STAGE_W = 1920;
export const STAGE_H = 1080;

function currentScale(): number {
  return Math.min(window.innerWidth / STAGE_W, window.innerHeight / STAGE_H);
}

export function useStageScale(): number {
  const [scale, setScale] = useState(currentScale);
  useEffect(() => {
    const onResize = () => setScale(currentScale());
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  return scale;
}

export function Stage({ scale, children }: { scale: number; children: ReactNode }) {
  const left = (window.innerWidth - STAGE_W * scale) / 2;
  const top = (window.innerHeight - STAGE_H * scale) / 2;
  return (
    <div className="screen-viewport">
      <div
        className="screen-stage"
        data-testid="screen-stage"
        style={{ width: STAGE_W, height: STAGE_H, transform: `translate(${left}px, ${top}px) scale(${scale})` }}
      >
        {children}
      </div>
    </div>
  );
}
