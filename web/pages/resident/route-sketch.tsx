/**
 * A walking route drawn small inside a task card: the line from the walk network
 * (`GET /api/worker/route`), the start (you) and the building, on a local equirectangular
 * projection — enough to see which way to go without loading a whole map on a phone.
 */
export function RouteSketch({ line }: { line: [number, number][] }) {
  const W = 320;
  const H = 160;
  const pad = 14;
  const k = Math.cos((line[0][1] * Math.PI) / 180);
  const xs = line.map((p) => p[0] * k);
  const ys = line.map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const scale = Math.min((W - 2 * pad) / Math.max(x1 - x0, 1e-9), (H - 2 * pad) / Math.max(y1 - y0, 1e-9));
  const ox = (W - (x1 - x0) * scale) / 2;
  const oy = (H - (y1 - y0) * scale) / 2;
  const pts = line.map((p) => [ox + (p[0] * k - x0) * scale, H - (oy + (p[1] - y0) * scale)] as const);
  const [sx, sy] = pts[0];
  const [ex, ey] = pts[pts.length - 1];
  return (
    <svg className="rs-route" viewBox={`0 0 ${W} ${H}`} role="img" aria-label="route" data-testid="route-sketch">
      <polyline points={pts.map((p) => p.join(',')).join(' ')} fill="none" stroke="#1677ff" strokeWidth="5" strokeLinecap="round" strokeLinejoin="round" />
      <circle cx={sx} cy={sy} r="7" fill="#fff" stroke="#1677ff" strokeWidth="4" />
      <path d={`M${ex} ${ey} l-8 -16 a9 9 0 1 1 16 0 z`} fill="#ff3b30" />
    </svg>
  );
}
