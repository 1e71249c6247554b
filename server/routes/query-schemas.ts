/** zod schemas for query parameters shared by several routes. */
import { z } from 'zod';

/** `minx,miny,maxx,maxy` in WGS84 degrees, non-empty and not inverted. */
export const bboxSchema = z
  .string()
  .transform((s, ctx) => {
    const parts = s.split(',').map((v) => Number(v.trim()));
    if (parts.length !== 4 || parts.some((v) => !Number.isFinite(v))) {
      ctx.addIssue({ code: 'custom', message: 'bbox must be four numbers minx,miny,maxx,maxy' });
      return z.NEVER;
    }
    const [minx, miny, maxx, maxy] = parts;
    if (minx < -180 || maxx > 180 || miny < -90 || maxy > 90) {
      ctx.addIssue({ code: 'custom', message: 'bbox outside WGS84 range' });
      return z.NEVER;
    }
    if (minx >= maxx || miny >= maxy) {
      ctx.addIssue({ code: 'custom', message: 'bbox is inverted or empty (need minx<maxx, miny<maxy)' });
      return z.NEVER;
    }
    return parts as [number, number, number, number];
  });

/** 12-digit statistical division code of a community (e.g. 370602001001). */
export const communityCodeSchema = z.string().regex(/^\d{12}$/, 'community must be a 12-digit code');

/** Grid codes look like `370602001001-003`; kept loose but bounded and printable. */
export const gridCodeSchema = z.string().min(1).max(64).regex(/^[\w-]+$/, 'grid code has invalid characters');

/**
 * A row id: a JSON number, or (in a path or query) plain decimal digits. Not `z.coerce`, which
 * would also take `0x10`, ` 1`, `1e3`, `true` or `[1]` as ids — several spellings of one resource.
 */
export const idSchema = z
  .union([z.number(), z.string().regex(/^\d{1,10}$/, 'id must be a decimal integer').transform(Number)])
  .pipe(z.number().int().positive().max(2_147_483_647));
