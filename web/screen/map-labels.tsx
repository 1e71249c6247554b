/**
 * Community and grid names on the wall screen as HTML pills over the map, moved with the camera.
 *
 * The map page draws its labels with deck.gl's TextLayer (many labels, collision with zoom). The
 * wall screen shows at most a few dozen at a time, and there HTML is the cheaper choice: no glyph
 * atlas to rasterise, no extra shader programs to compile, crisp text at any stage scale. Labels are
 * placed in list order and one that would overlap an earlier one is hidden. On a
 * software-rendered screen (no GPU) that saved about a second of the first render
 * (docs/benchmarks.md, issue #7).
 */
import type { Map as MapLibreMap } from 'maplibre-gl';
import { useEffect, useRef } from 'react';
import type { Label } from '../map/deck/labels-layer';

export interface ScreenLabel extends Label {
  kind: 'community' | 'grid';
}

export function MapLabels(props: { map: MapLibreMap | null; labels: ScreenLabel[] }) {
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const map = props.map;
    const root = box.current;
    if (!map || !root) return;
    let frame = 0;
    const place = () => {
      frame = 0;
      const w = root.clientWidth;
      const h = root.clientHeight;
      const els = Array.from(root.children as HTMLCollectionOf<HTMLElement>).slice(0, props.labels.length);
      // Sizes first, then positions: reading a size after a style write would lay the page out
      // once per label.
      const sizes = els.map((el) => [el.offsetWidth / 2, el.offsetHeight / 2]);
      // In list order: a label that would overlap one already placed is hidden (earlier wins).
      const placed: [number, number, number, number][] = [];
      for (let i = 0; i < els.length; i++) {
        const el = els[i];
        const [lng, lat] = props.labels[i].position;
        const p = map.project([lng, lat]);
        const [bw, bh] = sizes[i];
        const box: [number, number, number, number] = [p.x - bw, p.y - bh, p.x + bw, p.y + bh];
        const inside = p.x > -100 && p.y > -40 && p.x < w + 100 && p.y < h + 40;
        const free = !placed.some((b) => box[0] < b[2] && box[2] > b[0] && box[1] < b[3] && box[3] > b[1]);
        const show = inside && free;
        el.style.visibility = show ? 'visible' : 'hidden';
        if (show) {
          placed.push(box);
          el.style.transform = `translate(${Math.round(p.x)}px, ${Math.round(p.y)}px) translate(-50%, -50%)`;
        }
      }
    };
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(place);
    };
    place();
    map.on('move', schedule);
    map.on('resize', schedule);
    return () => {
      cancelAnimationFrame(frame);
      map.off('move', schedule);
      map.off('resize', schedule);
    };
  }, [props.map, props.labels]);

  return (
    <div ref={box} className="screen-map-labels" data-testid="map-labels">
      {props.labels.map((l) => (
        <span key={`${l.kind}:${l.code}`} className={`ml-${l.kind}`} data-code={l.code} style={{ visibility: 'hidden' }}>
          {l.text}
        </span>
      ))}
    </div>
  );
}
