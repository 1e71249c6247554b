import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app.js';
import { badRequest, notFound, validate } from '../http-error.js';
import { LAYER_NAMES, isLayerName } from '../repos/layer-defs.js';
import { communityExists, layerGeoJson, planExists } from '../repos/layers.repo.js';
import type { AppEnv } from '../auth/middleware.js';
import { streetKey, streetOf } from '../services/street-context.js';
import { bboxSchema, communityCodeSchema, idSchema } from './query-schemas.js';

const encoder = new TextEncoder();

const querySchema = z.object({
  bbox: bboxSchema.optional(),
  community: communityCodeSchema.optional(),
  plan: idSchema.optional(),
});

/**
 * `GET /api/layers/:layer` — a layer as GeoJSON (public aggregates, no personal fields), of one
 * street (`?street=`, services/street-context.ts; implied by `?community=` / `?plan=`): its
 * communities, compounds, buildings, households, facilities and its published plan's grids; roads
 * by the street's extent.
 */
export function layerRoutes({ db, cache }: AppDeps) {
  return new Hono<AppEnv>().get('/:layer', async (c) => {
    const layer = c.req.param('layer');
    if (!isLayerName(layer)) {
      throw badRequest('unknown_layer', `未知图层“${layer}”，可选：${LAYER_NAMES.join('、')}`,
        `unknown layer "${layer}"; one of: ${LAYER_NAMES.join(', ')}`);
    }
    const q = validate(querySchema, c.req.query(), '查询参数');
    if (q.plan !== undefined && layer !== 'grids' && layer !== 'buildings' && layer !== 'communities') {
      throw badRequest('invalid_input', '只有网格、楼栋和社区图层接受 plan 参数', 'only grids, buildings and communities accept ?plan=');
    }
    if (q.plan !== undefined && !(await planExists(db, q.plan))) throw notFound(`方案 ${q.plan} 不存在`, `plan ${q.plan} not found`);
    if (q.community !== undefined && !(await communityExists(db, q.community))) {
      throw notFound(`社区 ${q.community} 不存在`, `community ${q.community} not found`);
    }
    const street = await streetOf(c, db, { impliedBy: q });
    const key = `layer:${streetKey(street)}:${layer}:${q.bbox?.join(',') ?? ''}:${q.community ?? ''}:${q.plan ?? ''}`;
    const body = await cache.get(key, async () => encoder.encode(await layerGeoJson(db, layer, { ...q, street })));
    return c.body(body as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': 'application/geo+json; charset=utf-8' });
  });
}
