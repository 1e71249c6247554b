/**
 * Draws the facility icon atlas at run time on a canvas: one round badge per category, filled with
 * the category's colour and carrying its glyph. No image files, so nothing to fetch offline and
 * new categories get an icon automatically.
 */
import type { FacilityCategory } from '../../http/api-types';
import { CJK_FONT_STACK } from '../fonts';
import { hexToRgb } from '../palette';
import { glyphForCategory } from './facility-glyphs';

export interface IconAtlas {
  canvas: HTMLCanvasElement;
  mapping: Record<string, { x: number; y: number; width: number; height: number; anchorY: number; mask: boolean }>;
  /** Data URL of each badge, for the legend (so legend and map show the same picture). */
  dataUrls: Record<string, string>;
}

/** Key used for facilities whose category is missing from /api/categories. */
export const UNKNOWN_ICON = '__unknown__';

const CELL = 64;

/** Dark or light glyph, whichever contrasts more with the badge colour. */
function glyphColor(hex: string): string {
  const [r, g, b] = hexToRgb(hex);
  const luminance = (0.299 * r + 0.587 * g + 0.114 * b) / 255;
  return luminance > 0.62 ? '#111418' : '#FFFFFF';
}

function drawBadge(ctx: CanvasRenderingContext2D, x: number, y: number, color: string, glyph: string) {
  const cx = x + CELL / 2;
  const cy = y + CELL / 2;
  ctx.beginPath();
  ctx.arc(cx, cy, CELL / 2 - 3, 0, Math.PI * 2);
  ctx.fillStyle = 'rgba(8,11,14,0.9)';
  ctx.fill();
  ctx.beginPath();
  ctx.arc(cx, cy, CELL / 2 - 6, 0, Math.PI * 2);
  ctx.fillStyle = color;
  ctx.fill();
  ctx.lineWidth = 2.5;
  ctx.strokeStyle = 'rgba(255,255,255,0.92)';
  ctx.stroke();
  ctx.fillStyle = glyphColor(color);
  ctx.font = `bold 32px ${CJK_FONT_STACK}`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(glyph, cx, cy + 1);
}

export function buildIconAtlas(categories: readonly FacilityCategory[]): IconAtlas {
  const entries = [
    ...categories.map((c) => ({ key: c.code, color: c.color, glyph: glyphForCategory(c) })),
    { key: UNKNOWN_ICON, color: '#8895A3', glyph: '设' },
  ];
  const cols = Math.min(8, entries.length);
  const rows = Math.ceil(entries.length / cols);
  const canvas = document.createElement('canvas');
  canvas.width = cols * CELL;
  canvas.height = rows * CELL;
  const ctx = canvas.getContext('2d');
  const mapping: IconAtlas['mapping'] = {};
  const dataUrls: IconAtlas['dataUrls'] = {};
  if (!ctx) return { canvas, mapping, dataUrls };

  const single = document.createElement('canvas');
  single.width = CELL;
  single.height = CELL;
  const sctx = single.getContext('2d');

  entries.forEach((e, i) => {
    const x = (i % cols) * CELL;
    const y = Math.floor(i / cols) * CELL;
    drawBadge(ctx, x, y, e.color, e.glyph);
    mapping[e.key] = { x, y, width: CELL, height: CELL, anchorY: CELL / 2, mask: false };
    if (sctx) {
      sctx.clearRect(0, 0, CELL, CELL);
      drawBadge(sctx, 0, 0, e.color, e.glyph);
      dataUrls[e.key] = single.toDataURL('image/png');
    }
  });
  return { canvas, mapping, dataUrls };
}
