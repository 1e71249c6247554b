/**
 * Residents report without an account (居民点单 / 群众评单, issue #18.3; docs/api.md "Residents'
 * own reports"):
 * - `GET  /api/public/report/:token` — the place a stairwell QR code names (signed token);
 * - `POST /api/public/report/:token` — a report: rate-limited per address, device and place,
 *   text and photo limited; answers an unguessable tracking key (only its SHA-256 is stored);
 * - `GET  /api/public/track/:key` — status and history in plain words (zh/en), no staff names;
 * - `POST /api/public/track/:key/rate` — the resident's rating and comment once resolved: the
 *   only way to `rated` for resident-channel requests.
 * And for staff: `GET /api/report-links?community=` (tokens of a community's buildings and
 * compounds, for the printable QR sheet).
 */
import { createHash, randomBytes } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app.js';
import { maskPhonesIn } from '../auth/masking.js';
import type { AppEnv } from '../auth/middleware.js';
import { PLANNING_ROLES, assertCommunity } from '../auth/scope.js';
import { HttpError, badRequest, notFound, validate } from '../http-error.js';
import { STATUS_NAMES, isLegalPair, type RequestStatus } from '../../geo/requests/lifecycle.js';
import { CATEGORY_CODES, REQUEST_CATEGORIES, category, department } from '../requests/categories.js';
import { type EventRow, getRequest, insertRequest, locate, requestEvents, writeTransition } from '../repos/requests.repo.js';
import { communityBuildings, markResidentReport, reportPlace, requestIdByTracking, setRatingComment, trackingExtras } from '../repos/resident-reports.repo.js';
import { communityExists } from '../repos/layers.repo.js';
import { RateLimited, reportRules, takeReportSlot } from '../resident/report-rate.js';
import { type ReportSubject, reportSecret, signReportToken, verifyReportToken } from '../resident/report-tokens.js';
import { idempotent } from '../services/idempotency.js';
import { clientIp, jsonBody } from './auth.route.js';
import { rateLimitAddress } from '../auth/client-address.js';
import { communityCodeSchema } from './query-schemas.js';
import { PHOTO_MAX_BYTES, decodePhoto } from './requests.route.js';

/** A resident's description: long enough to act on, short enough to read on a phone. */
export const DESCRIPTION_MAX = 500;
export const COMMENT_MAX = 300;

const reportSchema = z
  .object({
    category: z.enum(CATEGORY_CODES),
    description: z.string().trim().min(4).max(DESCRIPTION_MAX),
    /** For a compound's code: the building the resident picked (optional). */
    building: z.string().min(1).max(64).regex(/^[\w-]+$/).optional(),
    reporterName: z.string().trim().min(1).max(20).optional(),
    reporterPhone: z.string().trim().regex(/^(?:\+?86[- ]?)?1[3-9]\d{9}$|^0\d{2,3}-?\d{7,8}$/, 'phone: a mobile or landline number').optional(),
    photo: z.string().max(Math.ceil((PHOTO_MAX_BYTES * 4) / 3) + 40).optional(),
  })
  .strict();

const rateSchema = z
  .object({ rating: z.number().int().min(1).max(5), comment: z.string().trim().max(COMMENT_MAX).optional() })
  .strict();

const trackingKeySchema = z.string().regex(/^[A-Za-z0-9_-]{32}$/, 'tracking key');
const deviceSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);

const hashKey = (key: string) => createHash('sha256').update(key).digest('base64url');

/** The plain words of one history step, from the event's step and detail. */
function stepWords(e: EventRow): { zh: string; en: string } {
  const assignee = e.detail.assignee as { kind: string; code: string } | null | undefined;
  const dept = assignee?.kind === 'department' ? department(assignee.code) : undefined;
  const to = dept ? { zh: dept.name, en: dept.nameEn } : { zh: '本网格网格员', en: 'the grid worker of your area' };
  switch (e.step) {
    case 'report': return { zh: '已收到您的反映', en: 'We received your report' };
    case 'dispatch': case 'claim': return { zh: `已交给${to.zh}处理`, en: `Passed to ${to.en}` };
    case 'redispatch': return { zh: `已改由${to.zh}处理`, en: `Now handled by ${to.en}` };
    case 'escalate': return { zh: `已上报给${to.zh}`, en: `Passed up to ${to.en}` };
    case 'accept': return { zh: '处理人已接单，正在处理', en: 'The handler has taken it on' };
    case 'resolve': return { zh: '已办结', en: 'Done' };
    case 'rate': return { zh: `您的评价：${e.detail.rating ?? ''} 星`, en: `Your rating: ${e.detail.rating ?? ''} stars` };
    case 'close': return { zh: '已结束', en: 'Closed' };
    case 'cancel': return { zh: '未受理', en: 'Not taken up' };
    case 'reopen': return { zh: '已重新处理', en: 'Reopened' };
    default: return { zh: STATUS_NAMES[e.toStatus as RequestStatus]?.zh ?? e.toStatus, en: STATUS_NAMES[e.toStatus as RequestStatus]?.en ?? e.toStatus };
  }
}

/** The tracking view: what the resident may read about their own report (no staff names, phones masked). */
async function trackingView(deps: AppDeps, id: number) {
  const r = (await getRequest(deps.db, id))!;
  const extra = await trackingExtras(deps.db, id);
  const cat = category(r.category);
  const events = await requestEvents(deps.db, id);
  return {
    id: r.id,
    category: { code: cat.code, name: cat.name, nameEn: cat.nameEn },
    description: maskPhonesIn(r.description),
    place: extra.place,
    communityName: r.communityName,
    status: r.status,
    statusText: STATUS_NAMES[r.status],
    reportedAt: r.reportedAt,
    dueAt: r.dueAt,
    resolvedAt: r.resolvedAt,
    rating: r.rating,
    ratingComment: extra.ratingComment,
    spam: extra.spam,
    canRate: r.status === 'resolved' && !extra.spam,
    history: events.map((e) => ({ at: e.at, step: e.step, status: e.toStatus, text: stepWords(e), note: maskPhonesIn(e.note) })),
  };
}

async function verifiedSubject(deps: AppDeps, c: Context): Promise<ReportSubject> {
  return verifyReportToken(await reportSecret(deps.db), c.req.param('token') ?? '');
}

async function trackedId(deps: AppDeps, c: Context): Promise<number> {
  const key = validate(trackingKeySchema, c.req.param('key'), '跟踪链接');
  const id = await requestIdByTracking(deps.db, hashKey(key));
  if (id === null) throw notFound('没有找到这条反映，请检查链接是否完整', 'no report found for this link; check that it is complete');
  return id;
}

export function residentRoutes(deps: AppDeps) {
  const { db } = deps;
  return new Hono<AppEnv>()
    .get('/report/:token', async (c) => {
      const subject = await verifiedSubject(deps, c);
      const place = await reportPlace(db, subject);
      if (!place) throw notFound('二维码对应的楼栋已不存在', 'the place of this QR code no longer exists');
      return c.json({
        place,
        categories: REQUEST_CATEGORIES.map((k) => ({ code: k.code, name: k.name, nameEn: k.nameEn })),
        limits: { description: DESCRIPTION_MAX, photoBytes: PHOTO_MAX_BYTES },
      });
    })
    .use('/report/:token', idempotent(db))
    .post('/report/:token', async (c) => {
      const subject = await verifiedSubject(deps, c);
      const body = validate(reportSchema, await jsonBody(c), '反映');
      const deviceHeader = c.req.header('x-device-id');
      const device = deviceHeader === undefined ? null : validate(deviceSchema, deviceHeader, 'X-Device-Id');
      const photo = body.photo ? decodePhoto(body.photo) : null;
      const place = await reportPlace(db, subject);
      if (!place) throw notFound('二维码对应的楼栋已不存在', 'the place of this QR code no longer exists');
      const building = subject.kind === 'building' ? subject.code : body.building;
      if (building !== undefined && !place.buildings.some((b) => b.code === building)) {
        throw badRequest('invalid_building', '所选楼栋不在该小区', 'the chosen building is not in this compound');
      }
      try {
        await takeReportSlot(db, reportRules({ address: rateLimitAddress(clientIp(c)), device, subject: `${subject.kind}:${subject.code}` }));
      } catch (e) {
        if (e instanceof RateLimited) c.header('Retry-After', String(e.retryAfterS));
        throw e;
      }
      const trackingKey = randomBytes(24).toString('base64url');
      const id = await db.transaction(async (tx) => {
        const location = await locate(tx, building !== undefined ? { building } : { lon: place.lon, lat: place.lat });
        if (!location || location.streetId === null) throw notFound('二维码对应的楼栋已不存在', 'the place of this QR code no longer exists');
        const newId = await insertRequest(tx, {
          category: body.category,
          description: body.description,
          channel: 'resident',
          location,
          reporterName: body.reporterName ?? null,
          reporterPhone: body.reporterPhone ?? null,
          photo: photo?.bytes ?? null,
          photoType: photo?.type ?? null,
          reportedBy: 'resident',
          limitHours: category(body.category).limitHours,
        });
        await markResidentReport(tx, newId, hashKey(trackingKey), `${subject.kind}:${subject.code}`);
        return newId;
      });
      return c.json({ id, trackingKey, trackingPath: `/track?k=${trackingKey}` }, 201);
    })
    .get('/track/:key', async (c) => c.json(await trackingView(deps, await trackedId(deps, c))))
    .use('/track/:key/rate', idempotent(db))
    .post('/track/:key/rate', async (c) => {
      const id = await trackedId(deps, c);
      const body = validate(rateSchema, await jsonBody(c), '评价');
      await db.transaction(async (tx) => {
        const r = (await getRequest(tx, id, true))!;
        if (!isLegalPair(r.status, 'rated')) {
          throw new HttpError(409, 'not_resolved', `当前状态为“${STATUS_NAMES[r.status].zh}”，办结后才能评价`, `you can rate once the request is resolved (it is ${r.status})`);
        }
        const extra = await trackingExtras(tx, id);
        if (extra.spam) throw new HttpError(409, 'not_resolved', '该反映已被标记为无效，不能评价', 'this report was marked as spam and cannot be rated');
        await writeTransition(tx, id, {
          from: r.status, to: 'rated', step: 'rate', level: r.level,
          assignee: r.assigneeKind && r.assignee ? { kind: r.assigneeKind, code: r.assignee, level: r.level } : null,
          rating: body.rating, note: body.comment || null, actor: 'resident', limitHours: category(r.category).limitHours,
        });
        await setRatingComment(tx, id, body.comment || null);
      });
      return c.json(await trackingView(deps, id));
    });
}

/**
 * `GET /api/report-links?community=<12 digits>` — a signed QR token for every residential building
 * of one community and for each of its compounds, for the printable sheet in /admin. Dispatchers
 * of the community (planners and admins) only: the tokens are what a resident's report is trusted by.
 */
export function reportLinkRoutes(deps: AppDeps) {
  return new Hono<AppEnv>().get('/', async (c) => {
    const q = validate(z.object({ community: communityCodeSchema }), c.req.query(), '查询参数');
    assertCommunity(c.get('principal')!, PLANNING_ROLES, q.community, { zh: '只能打印本社区的二维码', en: 'you may only print QR codes of your own community' });
    if (!(await communityExists(deps.db, q.community))) throw notFound(`社区 ${q.community} 不存在`, `community ${q.community} not found`);
    const secret = await reportSecret(deps.db);
    const rows = await communityBuildings(deps.db, q.community);
    const link = (subject: ReportSubject) => `/report?t=${signReportToken(secret, subject)}`;
    const compounds = new Map<string, string>();
    for (const r of rows) if (r.compoundCode && r.compoundName) compounds.set(r.compoundCode, r.compoundName);
    return c.json({
      community: q.community,
      buildings: rows.map((r) => ({ code: r.code, label: r.label, compound: r.compoundName, path: link({ kind: 'building', code: r.code }) })),
      compounds: [...compounds].map(([code, name]) => ({ code, label: name, path: link({ kind: 'compound', code }) })),
    });
  });
}
