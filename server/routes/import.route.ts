/**
 * `POST /api/import?layer=&crs=&dryRun=1` — multipart upload (`file`, optional `mapping` JSON).
 * With dryRun: counts, per-row errors and a GeoJSON preview, nothing written. Without: the same
 * and the write, in one transaction. Admins and planners; a community planner only for files
 * whose rows all lie in their own communities (a file reaching into another community is refused
 * whole: 403 out_of_scope, listing the rows), never the street-wide walk network or boundaries.
 *
 * The file is parsed and checked in a worker thread (services/import/import-jobs.ts) so the
 * server stays responsive. By default the request waits and answers with the result as it always
 * did; with `async=1` it answers `202 {job}` at once and the caller follows the job's progress at
 * `GET /api/jobs/:id` or its SSE stream `/api/jobs/:id/events` (the result is the job's `result`).
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import type { AppDeps } from '../app.js';
import type { AppEnv } from '../auth/middleware.js';
import type { Principal } from '../auth/principal.js';
import { PLANNING_ROLES, assertStreetWide, communitiesOf, outOfScope } from '../auth/scope.js';
import { streetCodesOf, wholeDeployment } from '../services/street-context.js';
import type { Context } from 'hono';
import { HttpError, badRequest, validate } from '../http-error.js';
import { IMPORT_LAYERS } from '../../data/import/types.js';
import { UNSAFE_TEXT } from '../../data/import/values.js';
import { ImportFileError, importFileStatus } from '../../data/import/errors.js';
import { audit } from '../repos/audit.repo.js';
import { ImportsBusyError, startImport } from '../services/import/import-jobs.js';
import { ImportRequestError, type ImportResult } from '../services/import/run-import.js';
import { JobFailure } from '../services/worker-jobs.js';
import { IMPORT_BODY_LIMIT, tooLargeFor } from '../security.js';
import { clientIp } from './auth.route.js';
import { boundaryOf, parseMultipart, readBody } from './multipart.js';
import type { Sql } from '../db/client.js';

const querySchema = z.object({
  layer: z.enum(IMPORT_LAYERS),
  crs: z.string().max(64).optional(),
  dryRun: z.enum(['1', 'true', '0', 'false']).optional(),
  source: z.enum(['amap', 'tencent', 'baidu', 'gps', 'osm', 'survey']).optional(),
  async: z.enum(['1', 'true', '0', 'false']).optional(),
  /** OSM boundaries: the admin_levels of district, street and community, e.g. `2,6,8`. */
  osmLevels: z.string().regex(/^\d{1,2}(,\d{1,2}){0,2}$/).optional(),
});
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const mappingSchema = z.record(z.string().max(64), z.string().max(200));

/**
 * Community ids a principal may import into; null = everywhere (planning grants for every street
 * of the deployment). Street and district grants reach their streets' communities (issue #15),
 * community grants their communities.
 */
export async function importScope(db: Sql, p: Principal): Promise<Set<number> | null> {
  if (await wholeDeployment(db, p, PLANNING_ROLES)) return null;
  const wide = p.grants.filter((g) => PLANNING_ROLES.includes(g.role) && (g.scopeType === 'street' || g.scopeType === 'district'));
  const rows = await db.query<{ id: number }>(
    `SELECT c.id FROM communities c JOIN streets s ON s.id = c.street_id
     WHERE c.code = ANY ($1::text[]) OR s.code = ANY ($2::text[])`,
    [communitiesOf(p, PLANNING_ROLES), await streetCodesOf(db, wide)],
  );
  return new Set(rows.map((r) => r.id));
}

/** The importer's errors as HTTP answers, the same whether the file was read here or in a worker. */
function answerError(c: Context, e: unknown) {
  if (e instanceof ImportsBusyError) {
    c.header('Retry-After', String(e.retryAfterS));
    throw e;
  }
  if (e instanceof ImportFileError) throw new HttpError(importFileStatus(e.code), e.code, e.zh, e.en);
  if (e instanceof ImportRequestError) {
    if (e.code === 'out_of_scope') {
      const err = new HttpError(403, e.code, e.zh, e.en);
      if (e.detail) return c.json({ error: { code: e.code, message: err.message, ...(e.detail as object) } }, 403);
      throw err;
    }
    const err = new HttpError(400, e.code, e.zh, e.en);
    if (e.detail) return c.json({ error: { code: e.code, message: err.message, guess: e.detail } }, 400);
    throw err;
  }
  if (e instanceof JobFailure) {
    const status = e.code === 'too_large' ? 413 : e.code === 'cancelled' ? 409 : 500;
    const [zh, en = zh] = e.message.split(' / ');
    throw new HttpError(status, e.code, zh, en);
  }
  throw e;
}

export function importRoutes({ db, cache, jobs }: AppDeps) {
  return new Hono<AppEnv>().post('/', bodyLimit({ maxSize: IMPORT_BODY_LIMIT, onError: tooLargeFor(IMPORT_BODY_LIMIT) }), async (c) => {
    const q = validate(querySchema, c.req.query(), '查询参数');
    const p = c.get('principal')!;
    const dryRun = q.dryRun === '1' || q.dryRun === 'true';
    // Boundaries redraw communities and move buildings between them: street-wide work (issue #15).
    if (q.layer === 'boundaries') {
      const what = { zh: '导入区县、街道、社区边界', en: 'importing district, street and community boundaries' };
      assertStreetWide(p, PLANNING_ROLES, what);
      // A boundary file may redraw any street: it needs planning grants for the whole deployment.
      if (!(await wholeDeployment(db, p, PLANNING_ROLES))) throw outOfScope(`${what.zh}需要全部街道的权限`, `${what.en} needs a role for every street`);
    }
    const boundary = boundaryOf(c.req.header('content-type'));
    const parts = boundary ? parseMultipart(await readBody(c.req.raw), boundary) : null;
    if (!parts) throw badRequest('invalid_input', '请以 multipart/form-data 上传文件（字段 file）', 'upload the file as multipart/form-data (field "file")');
    const file = parts.find((x) => x.name === 'file' && x.filename !== undefined);
    if (!file) throw badRequest('invalid_input', '缺少上传文件（字段 file）', 'missing the uploaded file (field "file")');
    // The file name goes into the audit log, written after the import: a NUL in it (PostgreSQL
    // cannot store one) answered 400 with the rows already written and the import unaudited; a
    // right-to-left override would show the log a name other than the file's.
    if (file.filename!.length > 255 || UNSAFE_TEXT.test(file.filename!)) {
      throw badRequest('invalid_input', '文件名过长（最多 255 个字符）或含有控制字符、双向文字控制符', 'the file name is over 255 characters or contains control characters or bidirectional-text controls');
    }
    const mappingPart = parts.find((x) => x.name === 'mapping' && x.filename === undefined);
    let mappingText: string | undefined;
    try {
      mappingText = mappingPart ? strictUtf8.decode(mappingPart.data) : undefined;
    } catch {
      throw badRequest('invalid_encoding', 'mapping 不是有效的 UTF-8 编码', 'mapping is not valid UTF-8');
    }
    const body = { mapping: mappingText };
    let mapping: Record<string, string> | undefined;
    if (typeof body.mapping === 'string' && body.mapping.trim()) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.mapping);
      } catch {
        throw badRequest('invalid_input', 'mapping 不是有效的 JSON', 'mapping is not valid JSON');
      }
      mapping = validate(mappingSchema, parsed, '列映射');
      // Remembered for the file's header set (import_mappings): held to the JSON-body text rules.
      if (Object.entries(mapping).some(([k, v]) => UNSAFE_TEXT.test(k) || UNSAFE_TEXT.test(v))) {
        throw badRequest('invalid_input', 'mapping 含有控制字符、双向文字控制符或不成对的代理字符', 'mapping contains control characters, bidirectional-text controls or unpaired surrogates');
      }
    }
    const input = {
      filename: file.filename!, bytes: file.data, layer: q.layer, crs: q.crs, mapping, hint: q.source,
      dryRun, osmLevels: q.osmLevels?.split(',').map(Number), allowedCommunities: await importScope(db, p), actor: p.name,
    };
    const after = async (result: ImportResult) => {
      if (!result.written) return;
      cache.invalidate();
      await audit(db, {
        actor: p.name, userId: p.id, action: 'import', targetType: 'layer', targetId: q.layer,
        detail: { file: file.filename, format: result.format, crs: result.crs.used, counts: result.counts }, ip: clientIp(c),
      });
    };
    try {
      const job = await startImport(jobs, db, input, p.id, after);
      if (q.async === '1' || q.async === 'true') return c.json({ job }, 202);
      return c.json((await jobs.settled(job.id)) as ImportResult);
    } catch (e) {
      return answerError(c, e);
    }
  });
}
