/** Shared query parsing for the life-circle routes: coordinates, speed, snapping the start point. */
import { z } from 'zod';
import { badRequest, validate } from '../http-error.js';
import type { Snap } from '../../geo/routing/index.js';
import type { WalkNetwork } from '../services/walk-network.js';

/** A start point further than this from every walkable edge is "not on the street network". */
export const MAX_START_SNAP_M = 250;

export const lngSchema = z.coerce.number().min(-180).max(180);
export const latSchema = z.coerce.number().min(-90).max(90);
export const speedSchema = z.coerce.number().min(20).max(150);

/** Parses lng/lat with a clear zh/en message (the most common mistake: swapped or missing). */
export function parseLngLat(q: Record<string, string>): [number, number] {
  const lng = lngSchema.safeParse(q.lng ?? '');
  const lat = latSchema.safeParse(q.lat ?? '');
  if (q.lng === undefined || q.lat === undefined || q.lng === '' || q.lat === '' || !lng.success || !lat.success) {
    throw badRequest(
      'invalid_coordinates',
      `坐标无效：需要 lng（-180…180）和 lat（-90…90），收到 lng=${String(q.lng)}、lat=${String(q.lat)}`,
      `invalid coordinates: need lng (-180…180) and lat (-90…90), got lng=${String(q.lng)}, lat=${String(q.lat)}`,
    );
  }
  return [lng.data, lat.data];
}

/** Snaps a point to the nearest walkable edge or answers 400 `off_network`. */
export function snapStart(net: WalkNetwork, lng: number, lat: number): Snap {
  const snap = net.index.nearest(lng, lat, MAX_START_SNAP_M);
  if (!snap) {
    throw badRequest(
      'off_network',
      `该点不在步行网络附近（${MAX_START_SNAP_M} 米内没有可步行的道路）`,
      `the point is not near the walk network (no walkable street within ${MAX_START_SNAP_M} m)`,
    );
  }
  return snap;
}

export const minutesListSchema = z
  .string()
  .transform((s, ctx) => {
    const parts = s.split(',').map((v) => Number(v.trim()));
    if (parts.length === 0 || parts.length > 5 || parts.some((v) => !Number.isFinite(v) || v <= 0 || v > 60)) {
      ctx.addIssue({ code: 'custom', message: 'minutes must be 1–5 comma-separated numbers in (0, 60]' });
      return z.NEVER;
    }
    return [...new Set(parts)].sort((a, b) => a - b);
  });

export function parseQuery<S extends z.ZodType>(schema: S, q: Record<string, string>): z.infer<S> {
  return validate(schema, q, '查询参数');
}

export const round1 = (v: number) => Math.round(v * 10) / 10;
