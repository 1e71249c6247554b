/**
 * Resident requests API (issue #9, docs/api.md "Resident requests"):
 * create, list, read, transition (staff, scoped); stats, layer, heat and categories (public aggregates).
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app.js';
import { disclosureFor, maskPhonesIn, showName, showPhone } from '../auth/masking.js';
import type { AppEnv } from '../auth/middleware.js';
import type { Principal } from '../auth/principal.js';
import { HttpError, badRequest, notFound, validate } from '../http-error.js';
import { PhotoProblem, cleanPhoto } from '../resident/photo.js';
import { REPORTER_CHANNELS, REQUEST_STATUSES, type Assignee, applyTransition } from '../../geo/requests/lifecycle.js';
import { CATEGORY_CODES, DEPARTMENTS, REQUEST_CATEGORIES, category, department } from '../requests/categories.js';
import { actorKind, canSee, mayReport, requestScope } from '../requests/access.js';
import { communityExists, gridExists } from '../repos/layers.repo.js';
import { type EventRow, type RequestRow, getRequest, insertRequest, listRequests, locate, requestEvents, requestPhoto, writeTransition } from '../repos/requests.repo.js';
import { rates, requestHeat, requestLayer, requestStats } from '../repos/requests-stats.repo.js';
import { clientIp, jsonBody } from './auth.route.js';
import { audit } from '../repos/audit.repo.js';
import { resolvePhoto, setResolvePhoto, setSpam } from '../repos/resident-reports.repo.js';
import { idempotent } from '../services/idempotency.js';
import { streetOf } from '../services/street-context.js';
import { communityCodeSchema, gridCodeSchema, idSchema } from './query-schemas.js';

export const PHOTO_MAX_BYTES = 200 * 1024;
const codeSchema = z.string().min(1).max(64).regex(/^[\w-]+$/, 'code has invalid characters');
const isoSchema = z.iso.datetime({ offset: true }).or(z.iso.date());
const statusListSchema = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
  .pipe(z.array(z.enum(REQUEST_STATUSES)).min(1));

const createSchema = z
  .object({
    category: z.enum(CATEGORY_CODES),
    description: z.string().trim().min(2).max(1000),
    channel: z.enum(REPORTER_CHANNELS),
    lon: z.number().min(-180).max(180).optional(),
    lat: z.number().min(-90).max(90).optional(),
    building: codeSchema.optional(),
    reporterName: z.string().trim().min(1).max(40).optional(),
    reporterPhone: z.string().trim().regex(/^[0-9+\- ]{3,20}$/, 'phone: digits, + and - only').optional(),
    /** data URL `data:image/jpeg;base64,…` or `data:image/png;base64,…`, at most 200 KB decoded. */
    photo: z.string().max(Math.ceil((PHOTO_MAX_BYTES * 4) / 3) + 40).optional(),
  })
  .strict()
  .refine((b) => b.building !== undefined || (b.lon !== undefined && b.lat !== undefined), {
    message: 'give a building code or both lon and lat',
  })
  .refine((b) => (b.lon === undefined) === (b.lat === undefined), { message: 'lon and lat go together' });

const listSchema = z.object({
  grid: gridCodeSchema.optional(),
  community: communityCodeSchema.optional(),
  status: statusListSchema.optional(),
  from: isoSchema.optional(),
  to: isoSchema.optional(),
  overdue: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

const mapSchema = z.object({
  grid: gridCodeSchema.optional(),
  community: communityCodeSchema.optional(),
  status: statusListSchema.optional(),
  category: z.enum(CATEGORY_CODES).optional(),
  from: isoSchema.optional(),
  to: isoSchema.optional(),
});

const transitionSchema = z
  .object({
    to: z.enum(REQUEST_STATUSES),
    note: z.string().trim().max(500).optional(),
    rating: z.number().optional(),
    assignee: z.object({ kind: z.enum(['grid_worker', 'department']), code: codeSchema }).strict().optional(),
    /** Resolving only (issue #18.4): a photo of the finished work, as `photo` of a new request. */
    photo: z.string().max(Math.ceil((PHOTO_MAX_BYTES * 4) / 3) + 40).optional(),
  })
  .strict();

const spamSchema = z.object({ spam: z.boolean(), note: z.string().trim().max(200).optional() }).strict();

const statsSchema = z.object({ community: communityCodeSchema.optional(), grid: gridCodeSchema.optional() });

export function decodePhoto(dataUrl: string): { bytes: Buffer; type: 'image/jpeg' | 'image/png' } {
  const m = /^data:(image\/jpeg|image\/png);base64,([A-Za-z0-9+/=]+)$/.exec(dataUrl);
  if (!m) throw badRequest('invalid_photo', '照片须为 JPEG 或 PNG 的 data URL', 'photo must be a JPEG or PNG data URL');
  const bytes = Buffer.from(m[2], 'base64');
  const jpeg = bytes[0] === 0xff && bytes[1] === 0xd8;
  const png = bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
  if ((m[1] === 'image/jpeg' && !jpeg) || (m[1] === 'image/png' && !png)) {
    throw badRequest('invalid_photo', '照片内容与类型不符', 'photo content does not match its type');
  }
  if (bytes.length > PHOTO_MAX_BYTES) {
    throw badRequest('photo_too_large', '照片不得超过 200 KB', 'photo must be at most 200 KB');
  }
  const type = m[1] as 'image/jpeg' | 'image/png';
  // Kept without EXIF/XMP/text (a phone's GPS position of the resident's home), anything after the
  // image's end, or dimensions no phone could decode (resident/photo.ts).
  try {
    return { bytes: cleanPhoto(bytes, type), type };
  } catch (e) {
    if (e instanceof PhotoProblem) throw badRequest(e.code, e.zh, e.en);
    throw e;
  }
}

/**
 * A staff view of one request: reporter contacts as `disclosureFor` allows for the request's place;
 * a caller who may not see the reporter's phone also gets mobile numbers typed into the description
 * masked.
 */
function present(p: Principal, r: RequestRow) {
  const d = disclosureFor(p, r);
  return {
    ...r,
    description: d.reporterPhone === 'full' ? r.description : maskPhonesIn(r.description)!,
    reporterName: showName(d.reporterName, r.reporterName),
    reporterPhone: showPhone(d.reporterPhone, r.reporterPhone),
    actor: actorKind(p, r),
  };
}

/** A request's history as `p` may read it: notes masked like the description. */
function presentEvents(p: Principal, r: RequestRow, events: EventRow[]) {
  if (disclosureFor(p, r).reporterPhone === 'full') return events;
  return events.map((e) => ({ ...e, note: maskPhonesIn(e.note) }));
}

/**
 * Checks `?community=` / `?grid=` and resolves the request's street (services/street-context.ts;
 * implied by the community or grid). `protectedData`: a street outside the caller's scope is a 403.
 */
async function checkPlace(deps: AppDeps, c: Context<AppEnv>, q: { community?: string; grid?: string }, protectedData = false) {
  if (q.community !== undefined && !(await communityExists(deps.db, q.community))) {
    throw notFound(`社区 ${q.community} 不存在`, `community ${q.community} not found`);
  }
  const street = await streetOf(c, deps.db, { protectedData, impliedBy: q });
  if (q.grid !== undefined && !(await gridExists(deps.db, q.grid, undefined, street?.id))) throw notFound(`网格 ${q.grid} 不存在`, `grid ${q.grid} not found`);
  return street;
}

function resolveAssignee(a: { kind: 'grid_worker' | 'department'; code: string } | undefined, gridCode: string | null): Assignee | undefined {
  if (!a) return undefined;
  if (a.kind === 'grid_worker') {
    if (gridCode === null || a.code !== gridCode) {
      throw badRequest('invalid_assignee', '只能派给本诉求所在网格的网格员', 'a grid-worker dispatch must name the request’s own grid');
    }
    return { kind: 'grid_worker', code: gridCode, level: 'grid' };
  }
  const d = department(a.code);
  if (!d) throw badRequest('invalid_assignee', `没有部门 ${a.code}`, `no department ${a.code}`);
  return { kind: 'department', code: d.code, level: d.level };
}

/** A stored photo as the answer (private to who may see the request), or `missing` when none. */
function photoAnswer(c: Context, photo: { photo: Uint8Array | null; type: string | null } | undefined | null, missing: Error) {
  if (!photo?.photo) throw missing;
  const type = photo.type === 'image/jpeg' || photo.type === 'image/png' ? photo.type : null;
  // A photo stored before photos were cleaned on the way in loses its EXIF (GPS) on the way out;
  // one that does not read as an image is sent as a download, never shown inline.
  let cleaned: Uint8Array | null = null;
  try {
    if (type) cleaned = cleanPhoto(photo.photo, type);
  } catch (e) {
    if (!(e instanceof PhotoProblem)) throw e;
  }
  if (!cleaned) c.header('content-disposition', 'attachment');
  c.header('content-type', cleaned ? type! : 'application/octet-stream');
  const bytes = cleaned ?? photo.photo;
  c.header('cache-control', 'private, max-age=3600');
  return c.body(new Uint8Array(bytes));
}

export function requestRoutes(deps: AppDeps) {
  const { db } = deps;
  const requestId = (c: Context) => validate(idSchema, c.req.param('id'), '诉求编号');
  const visible = async (c: Context<AppEnv>) => {
    const r = await getRequest(db, requestId(c));
    if (!r || !canSee(c.get('principal')!, r)) throw notFound('诉求不存在或不在您的范围内', 'request not found or outside your scope');
    return r;
  };
  return new Hono<AppEnv>()
    .get('/categories', (c) =>
      c.json({ categories: REQUEST_CATEGORIES, departments: DEPARTMENTS, channels: REPORTER_CHANNELS, statuses: REQUEST_STATUSES }),
    )
    .get('/stats', async (c) => {
      const q = validate(statsSchema, c.req.query(), '查询参数');
      const street = await checkPlace(deps, c, q);
      const now = Date.now();
      const { figures, byCategory, monthly, latest } = await requestStats(db, { ...q, streetId: street?.id }, now);
      const names = (code: string) => {
        const k = REQUEST_CATEGORIES.find((x) => x.code === code);
        return { categoryName: k?.name ?? code, categoryNameEn: k?.nameEn ?? code };
      };
      return c.json({
        scope: { community: q.community ?? null, grid: q.grid ?? null },
        street: street && { code: street.code, name: street.name },
        asOf: new Date(now).toISOString(),
        ...figures,
        ...rates(figures),
        byCategory: REQUEST_CATEGORIES.map((k) => {
          const row = byCategory.find((b) => b.category === k.code);
          return { code: k.code, name: k.name, nameEn: k.nameEn, color: k.color, total: row?.total ?? 0, open: row?.open ?? 0 };
        }),
        monthly,
        latest: latest.map((l) => ({ ...l, ...names(l.category) })),
      });
    })
    .get('/layer', async (c) => {
      const q = validate(mapSchema, c.req.query(), '查询参数');
      const street = await checkPlace(deps, c, q);
      c.header('content-type', 'application/geo+json; charset=utf-8');
      return c.body(await requestLayer(db, { ...q, streetId: street?.id }, 10_000));
    })
    .get('/heat', async (c) => {
      const q = validate(mapSchema.extend({ cell: z.coerce.number().min(0.0002).max(0.05).default(0.001) }), c.req.query(), '查询参数');
      const street = await checkPlace(deps, c, q);
      c.header('content-type', 'application/geo+json; charset=utf-8');
      return c.body(await requestHeat(db, { ...q, streetId: street?.id }, q.cell));
    })
    .get('/', async (c) => {
      const p = c.get('principal')!;
      const q = validate(listSchema, c.req.query(), '查询参数');
      const street = await checkPlace(deps, c, q, true);
      const page = await listRequests(db, { ...q, streetId: street?.id }, requestScope(p));
      return c.json({ total: page.total, limit: q.limit, offset: q.offset, items: page.items.map((r) => present(p, r)) });
    })
    .post('/', async (c) => {
      const p = c.get('principal')!;
      const body = validate(createSchema, await jsonBody(c), '诉求');
      const photo = body.photo ? decodePhoto(body.photo) : null;
      const id = await db.transaction(async (tx) => {
        const located = await locate(tx, body);
        if (!located) throw notFound(`楼栋 ${body.building} 不存在`, `building ${body.building} not found`);
        // Outside every street's outline: the street of ?street= (or the caller's / the only one).
        const street = located.streetId === null ? await streetOf(c, tx, { protectedData: true }) : null;
        const location = street ? { ...located, streetId: street.id, streetCode: street.code } : located;
        if (!mayReport(p, location)) {
          throw new HttpError(403, 'out_of_scope', '只能上报您负责范围内（本网格或本社区）的诉求', 'you may only report requests inside your own grid or community');
        }
        return insertRequest(tx, {
          category: body.category,
          description: body.description,
          channel: body.channel,
          location,
          reporterName: body.reporterName ?? null,
          reporterPhone: body.reporterPhone ?? null,
          photo: photo?.bytes ?? null,
          photoType: photo?.type ?? null,
          reportedBy: p.name,
          limitHours: category(body.category).limitHours,
        });
      });
      return c.json(present(p, (await getRequest(db, id))!), 201);
    })
    .get('/:id/history', async (c) => {
      const r = await visible(c);
      const p = c.get('principal')!;
      return c.json({ ...present(p, r), events: presentEvents(p, r, await requestEvents(db, r.id)) });
    })
    .get('/:id/photo', async (c) => {
      const r = await visible(c);
      return photoAnswer(c, await requestPhoto(db, r.id), notFound('该诉求没有照片', 'this request has no photo'));
    })
    .get('/:id/resolve-photo', async (c) => {
      const r = await visible(c);
      return photoAnswer(c, await resolvePhoto(db, r.id), notFound('该诉求没有办结照片', 'this request has no photo of the finished work'));
    })
    .use('/:id/spam', idempotent(db))
    .post('/:id/spam', async (c) => {
      // Issue #18.3: a dispatcher marks (or unmarks) a resident's report as spam; an unhandled one is
      // cancelled with it. Audited.
      const p = c.get('principal')!;
      const id = requestId(c);
      const body = validate(spamSchema, await jsonBody(c), '垃圾标记');
      await db.transaction(async (tx) => {
        const r = await getRequest(tx, id, true);
        if (!r || !canSee(p, r)) throw notFound('诉求不存在或不在您的范围内', 'request not found or outside your scope');
        if (actorKind(p, r) !== 'dispatcher') throw new HttpError(403, 'not_your_step', '只有派单人员可以标记垃圾信息', 'only dispatchers may mark spam');
        if (r.channel !== 'resident') throw badRequest('not_resident_report', '只有居民反映可以标记为垃圾信息', 'only residents’ reports can be marked as spam');
        await setSpam(tx, id, body.spam);
        if (body.spam && r.status === 'reported') {
          await writeTransition(tx, id, {
            from: 'reported', to: 'closed', step: 'cancel', level: r.level, assignee: null, rating: null,
            note: body.note || '垃圾信息 / spam', actor: p.name, limitHours: category(r.category).limitHours,
          });
        }
        await audit(tx, {
          actor: p.name, userId: p.id, action: body.spam ? 'request_spam' : 'request_unspam', targetType: 'request', targetId: String(id),
          detail: { spam: body.spam, note: body.note ?? null, statusBefore: r.status }, ip: clientIp(c),
        });
      });
      const r = (await getRequest(db, id))!;
      return c.json({ ...present(p, r), events: presentEvents(p, r, await requestEvents(db, id)) });
    })
    .use('/:id/transition', idempotent(db))
    .post('/:id/transition', async (c) => {
      const p = c.get('principal')!;
      const id = requestId(c);
      const body = validate(transitionSchema, await jsonBody(c), '状态变更');
      const photo = body.photo ? decodePhoto(body.photo) : null;
      await db.transaction(async (tx) => {
        const r = await getRequest(tx, id, true);
        if (!r) throw notFound('诉求不存在', 'request not found');
        const actor = actorKind(p, r);
        if (!actor) throw new HttpError(403, 'out_of_scope', '您不能办理该诉求（不在您的网格或社区）', 'you may not act on this request (not your grid or community)');
        // 群众评单 (issue #18.3): a resident's report is rated by the resident, through the tracking link.
        if (body.to === 'rated' && r.channel === 'resident') {
          throw new HttpError(403, 'resident_rates', '居民反映的诉求只能由居民通过跟踪链接评价', 'a resident’s request is rated only by the resident, through the tracking link');
        }
        if (photo && body.to !== 'resolved') throw badRequest('invalid_photo', '只有办结时可以附照片', 'a photo goes with resolving only');
        const assignee = resolveAssignee(body.assignee, r.gridCode);
        const state = {
          status: r.status,
          level: r.level,
          assignee: r.assigneeKind && r.assignee ? { kind: r.assigneeKind, code: r.assignee, level: r.assigneeKind === 'grid_worker' ? ('grid' as const) : (department(r.assignee)?.level ?? 'community') } : null,
          rating: r.rating,
        };
        const result = applyTransition(state, { to: body.to, note: body.note, rating: body.rating, assignee }, actor, r.gridCode ?? '');
        if (!result.ok) throw new HttpError(result.error.status, result.error.code, result.error.zh, result.error.en);
        await writeTransition(tx, id, {
          from: r.status, to: body.to, step: result.step, level: result.state.level, assignee: result.state.assignee,
          rating: result.state.rating, note: body.note?.trim() || null, actor: p.name, limitHours: category(r.category).limitHours,
        });
        if (photo) await setResolvePhoto(tx, id, photo);
      });
      const r = (await getRequest(db, id))!;
      return c.json({ ...present(p, r), events: presentEvents(p, r, await requestEvents(db, id)) });
    });
}
