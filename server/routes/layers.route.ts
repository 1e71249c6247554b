import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app.js';
import { badRequest, notFound, validate } from '../http-error.js';
import { LAYER_NAMES, isLayerName } from '../repos/layer-defs.js';
import { communityExists, layerGeoJsonPieces, planExists } from '../repos/layers.repo.js';
import type { AppEnv } from '../auth/middleware.js';
import { streetKey, streetOf } from '../services/street-context.js';
import type { CacheSlot } from '../services/response-cache.js';
import { bboxSchema, communityCodeSchema, idSchema } from './query-schemas.js';

const HEADERS = { 'Content-Type': 'application/geo+json; charset=utf-8' };

/**
 * Bytes computed before the answer's status goes out: a layer up to this size is read whole first
 * (the cursor finished), so a database failure anywhere in it is an ordinary 503 answer, never a
 * 200 cut off mid-body (tests/load/pg-restart.ts). Larger layers stream from there on.
 */
const PREFETCH_BYTES = 1 << 20;

/**
 * The pieces as a byte stream that waits for the client (backpressure), with the first
 * {@link PREFETCH_BYTES} already computed — so an error before then (database down, bad SQL) is
 * still an ordinary error answer. Kept in the cache once complete when it fits in one entry.
 */
async function byteStream(pieces: AsyncGenerator<string>, slot: CacheSlot, maxKeep: number): Promise<ReadableStream<Uint8Array> | Buffer> {
  const ahead: Buffer[] = [];
  let aheadBytes = 0;
  let done = false;
  while (aheadBytes < PREFETCH_BYTES) {
    const next = await pieces.next();
    if (next.done) {
      done = true;
      break;
    }
    const bytes = Buffer.from(next.value, 'utf8');
    ahead.push(bytes);
    aheadBytes += bytes.length;
  }
  // A layer read whole already (most are): one buffer, written in one go — no stream to pump
  // (issue #17: the demo buildings layer, 0.5 MB, cost a third more through a stream than its SQL).
  if (done) {
    const whole = Buffer.concat(ahead, aheadBytes);
    if (whole.length <= maxKeep) slot.keep(whole);
    return whole;
  }
  let kept: Buffer[] | null = maxKeep > 0 ? [] : null;
  let keptBytes = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let bytes = ahead.shift();
      if (!bytes && !done) {
        const next = await pieces.next();
        if (next.done) done = true;
        else bytes = Buffer.from(next.value, 'utf8');
      }
      if (!bytes) {
        if (kept) slot.keep(Buffer.concat(kept, keptBytes));
        controller.close();
        return;
      }
      keptBytes += bytes.length;
      if (kept) kept = keptBytes <= maxKeep ? (kept.push(bytes), kept) : null;
      controller.enqueue(bytes);
    },
    async cancel() {
      kept = null;
      await pieces.return(undefined);
    },
  }, { highWaterMark: 0 });
}

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
    const slot = await cache.slot(key);
    if (slot.body) return c.body(slot.body as Uint8Array<ArrayBuffer>, 200, HEADERS);
    // Streamed as PostgreSQL sends the features (first byte before the query ends on big layers).
    const body = await byteStream(layerGeoJsonPieces(db, layer, { ...q, street }), slot, cache.maxEntryBytes);
    return c.body(body as Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array>, 200, HEADERS);
  });
}
