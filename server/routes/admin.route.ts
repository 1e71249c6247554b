import { type Context, Hono } from 'hono';
import { setCookie } from 'hono/cookie';
import { z } from 'zod';
import type { AppDeps } from '../app.js';
import { PERSONAL_FIELDS, disclosureFor } from '../auth/masking.js';
import { type AppEnv, SESSION_COOKIE } from '../auth/middleware.js';
import { assertStreetWide, outOfScope, parseScope } from '../auth/scope.js';
import type { Sql } from '../db/client.js';
import { streetCodesOf, wholeDeployment } from '../services/street-context.js';
import { randomSecret } from '../auth/password.js';
import { createSession, sha256 } from '../auth/sessions.repo.js';
import { createKioskToken } from '../auth/users.repo.js';
import { unlockAccount } from '../auth/login-throttle.js';
import { notFound, validate } from '../http-error.js';
import { audit, searchAudit } from '../repos/audit.repo.js';
import { clientIp, jsonBody, sessionCookieSecure } from './auth.route.js';
import { publicOrigin } from '../auth/client-address.js';
import { idSchema } from './query-schemas.js';

/** An audit entry's place: the street as a whole. */
const STREET_ROW = { communityCode: null, gridCode: null } as const;

const auditQuery = z.object({
  actor: z.string().max(80).optional(),
  action: z.string().max(40).regex(/^[a-z_]+$/).optional(),
  target: z.string().max(80).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

/**
 * The caller, when an admin for every street of the deployment (`street:*`, or street/district
 * grants covering them all — in a one-street deployment its street); else 403 `out_of_scope`.
 * The audit log, kiosk links and accounts span the deployment (issue #15).
 */
async function streetAdmin(c: Context<AppEnv>, db: Sql) {
  const p = c.get('principal')!;
  const what = { zh: '审计日志、大屏链接和账户管理', en: 'the audit log, kiosk links and accounts' };
  assertStreetWide(p, ['admin'], what);
  if (!(await wholeDeployment(db, p, ['admin']))) {
    throw outOfScope(`${what.zh}涵盖所有街道，需要全部街道的管理员`, `${what.en} span every street: they need an admin of every street`);
  }
  return p;
}

/** A kiosk link's scope: `district:370613`, `street:370613005`, `community:…`, `grid:…` (auth/scope.ts parseScope). */
const kioskScopeSchema = z.string().max(80).transform((spec, ctx) => {
  const scope = parseScope(spec);
  if (!scope || scope.scopeCode === '*') {
    ctx.addIssue({ code: 'custom', message: 'scope looks like district:370613, street:370613005, community:<12 digits> or grid:<code>' });
    return z.NEVER;
  }
  return scope;
});

/**
 * `GET /api/audit`, kiosk-link administration and lifting a user's login throttle (admin only,
 * see ROUTE_ACCESS). All are street-wide (the whole audit log, the street's wall screens, any
 * account): an admin grant scoped to a community or grid does not reach them (issue #14).
 */
export function adminRoutes({ db, config }: AppDeps) {
  return new Hono<AppEnv>()
    .get('/audit', async (c) => {
      await streetAdmin(c, db);
      const q = validate(auditQuery, c.req.query(), '查询参数');
      // The log is street-wide: its rows have no community or grid, so only street-wide grants cover them.
      const d = disclosureFor(c.get('principal')!, STREET_ROW);
      return c.json(await searchAudit(db, q, { clear: PERSONAL_FIELDS.every((f) => d[f] === 'full') }));
    })
    .get('/kiosk-tokens', async (c) => {
      await streetAdmin(c, db);
      return c.json(
        await db.query(
          `SELECT id, label, created_at AS "createdAt", revoked_at AS "revokedAt",
             CASE WHEN scope_type IS NULL THEN NULL ELSE json_build_object('scopeType', scope_type, 'scopeCode', scope_code) END AS scope
           FROM kiosk_tokens ORDER BY id`,
        ),
      );
    })
    .post('/kiosk-tokens', async (c) => {
      const p = await streetAdmin(c, db);
      const body = validate(z.object({ label: z.string().min(1).max(60), scope: kioskScopeSchema.nullish() }), await jsonBody(c), '参数');
      const scope = body.scope ?? null;
      if (scope && (await streetCodesOf(db, [scope])).length === 0) {
        throw notFound(`范围 ${scope.scopeType}:${scope.scopeCode} 不存在`, `scope ${scope.scopeType}:${scope.scopeCode} not found`);
      }
      const token = randomSecret(24);
      const id = await db.transaction(async (tx) => {
        const created = await createKioskToken(tx, token, body.label, p.id, scope);
        await audit(tx, { actor: p.name, userId: p.id, action: 'kiosk_create', targetType: 'kiosk', targetId: String(created), detail: { scope }, ip: clientIp(c) });
        return created;
      });
      return c.json({ id, label: body.label, scope, url: `${publicOrigin(c, config.publicOrigin)}/kiosk/${token}` }, 201);
    })
    .delete('/kiosk-tokens/:id', async (c) => {
      const p = await streetAdmin(c, db);
      const id = validate(idSchema, c.req.param('id'), 'id');
      await db.transaction(async (tx) => {
        const rows = await tx.query('UPDATE kiosk_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING id', [id]);
        if (rows.length === 0) throw notFound(`大屏链接 ${id} 不存在或已撤销`, `kiosk link ${id} not found or already revoked`);
        await tx.query('DELETE FROM sessions WHERE kiosk_id = $1', [id]);
        await audit(tx, { actor: p.name, userId: p.id, action: 'kiosk_revoke', targetType: 'kiosk', targetId: String(id), ip: clientIp(c) });
      });
      return c.json({ ok: true });
    })
    // The admin way back in (issue #14.5): forgets the user's login throttle from every address.
    .delete('/users/:username/login-throttle', async (c) => {
      const p = await streetAdmin(c, db);
      const username = validate(z.string().min(1).max(64), c.req.param('username'), '用户名');
      const cleared = await db.transaction(async (tx) => {
        const n = await unlockAccount(tx, username);
        await audit(tx, { actor: p.name, userId: p.id, action: 'login_unlock', targetType: 'user', targetId: username.toLowerCase(), detail: { cleared: n }, ip: clientIp(c) });
        return n;
      });
      return c.json({ ok: true, cleared });
    });
}

/** Where a kiosk link lands (issue #15): its street's or its district's wall screen. */
export function kioskLanding(scopeType: string | null, scopeCode: string | null): string {
  if (scopeType === 'street' && scopeCode) return `/screen?street=${encodeURIComponent(scopeCode)}`;
  if (scopeType === 'district' && scopeCode) return `/screen/district?district=${encodeURIComponent(scopeCode)}`;
  return '/screen';
}

/**
 * `GET /kiosk/:token` — opens a read-only screen session and goes to its wall screen (a signed-in
 * staff member's browser arriving from another site keeps its session instead): a street's link
 * to `/screen?street=`, a district's to the district screen `/screen/district?district=`, any other
 * (deployment-wide, community, grid) to `/screen`.
 */
export function kioskRoutes({ db }: AppDeps) {
  return new Hono<AppEnv>().get('/:token', async (c) => {
    const token = c.req.param('token');
    const [k] = token.length <= 64
      ? await db.query<{ id: number; label: string; scope_type: string | null; scope_code: string | null }>(
        'SELECT id, label, scope_type, scope_code FROM kiosk_tokens WHERE token_hash = $1 AND revoked_at IS NULL', [sha256(token)])
      : [];
    if (!k) throw notFound('大屏链接无效或已撤销', 'kiosk link unknown or revoked');
    // A staff member's browser sent here by another site (a link planted in a page or a chat, the
    // token any street's admin can make) keeps its own session: the screen opens under it, not signed
    // out into someone else's kiosk. Opened on purpose — typed, pasted, bookmarked (Sec-Fetch-Site
    // `none`) or from our own pages — the link turns this browser into the kiosk, as it should.
    const site = c.req.header('sec-fetch-site');
    if (c.get('principal')?.kind === 'user' && (site === 'cross-site' || site === 'same-site')) {
      return c.redirect(kioskLanding(k.scope_type, k.scope_code), 302);
    }
    const s = await createSession(db, { kioskId: k.id });
    setCookie(c, SESSION_COOKIE, s.cookie, { httpOnly: true, sameSite: 'Lax', path: '/', maxAge: s.maxAge, secure: sessionCookieSecure(c) });
    await audit(db, { actor: `kiosk:${k.label}`, action: 'kiosk_login', targetType: 'kiosk', targetId: String(k.id), ip: clientIp(c) });
    return c.redirect(kioskLanding(k.scope_type, k.scope_code), 302);
  });
}
