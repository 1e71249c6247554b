/**
 * Request pipeline for authentication and authorisation:
 * 1. `session`: the `ga_session` cookie → principal (or null) on the context.
 * 2. `access`: the matched route's entry in ROUTE_ACCESS decides: 401 without a principal,
 *    403 without a role; an undeclared route is refused outright.
 * 3. CSRF: any state-changing request made with a session must echo the session's CSRF token in
 *    `X-CSRF-Token` (the cookie is SameSite=Strict as well).
 * 4. A user whose printed password is still unchanged may only read /me, change the password or
 *    sign out (403 `password_change_required` elsewhere).
 * 5. Before all of these: a state-changing request a browser made from another site (Sec-Fetch-Site,
 *    or without it a foreign Origin) is refused with 403 `cross_site` — also on the routes exempt
 *    from the CSRF token (login, residents' reports and ratings), which act without a session.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Database } from '../db/client.js';
import type { ClientInfo } from './client-address.js';
import { HttpError } from '../http-error.js';
import { ROUTE_ACCESS, routeKey } from './access.js';
import { decide, type Principal } from './principal.js';
import { principalOf } from './sessions.repo.js';

export const SESSION_COOKIE = 'ga_session';

export type AppEnv = { Variables: { principal: Principal | null; client: ClientInfo } };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Login, and residents' anonymous writes (issue #18.3: they act by token, never by the session). */
const CSRF_EXEMPT = new Set(['POST /api/auth/login', 'POST /api/public/report/:token', 'POST /api/public/track/:key/rate']);
/** What a user with a must-change password may still do (plus loading the web app's pages). */
const BEFORE_PASSWORD_CHANGE = new Set(['GET /api/auth/me', 'POST /api/auth/password', 'POST /api/auth/logout', 'POST /api/auth/login', 'GET /*', 'GET /kiosk/:token']);

export function sessionMiddleware(db: Database): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const cookie = getCookie(c, SESSION_COOKIE);
    c.set('principal', cookie && cookie.length <= 128 ? await principalOf(db, cookie) : null);
    await next();
  };
}

/** The ROUTE_ACCESS key of the route this request matched, or null (→ 404 later). */
export function matchedRouteKey(c: Context): string | null {
  const routes = c.req.matchedRoutes.filter((r) => r.method !== 'ALL' && r.path !== '/*' && r.path !== '*');
  const last = routes[routes.length - 1];
  return last ? routeKey(last.method, last.path) : null;
}

/**
 * True when a browser says this request came from a page of another site: `Sec-Fetch-Site` other
 * than `same-origin` or `none` (typed or bookmarked), or — from a browser that sends no
 * Sec-Fetch-Site — an `Origin` whose host name differs from the request's `Host` (`null`: a sandboxed
 * or privacy-hidden origin). Clients that send neither header (scripts, curl, GIS tools) are not
 * browsers a foreign page can steer, and pass.
 */
export function crossSiteRequest(c: Context): boolean {
  const site = c.req.header('sec-fetch-site');
  if (site !== undefined) return site !== 'same-origin' && site !== 'none';
  const origin = c.req.header('origin');
  if (origin === undefined) return false;
  let from: string;
  try {
    from = new URL(origin).hostname;
  } catch {
    return true; // `null` and anything else that is not an origin
  }
  let own: string;
  try {
    own = new URL(`http://${c.req.header('host') ?? new URL(c.req.url).host}`).hostname;
  } catch {
    return true;
  }
  return from.toLowerCase() !== own.toLowerCase();
}

export const accessMiddleware: MiddlewareHandler<AppEnv> = async (c, next) => {
  const key = matchedRouteKey(c);
  if (!key) return next();
  if (!SAFE_METHODS.has(c.req.method) && crossSiteRequest(c)) {
    throw new HttpError(403, 'cross_site', '拒绝来自其他网站的请求', 'request refused: it came from a page of another site');
  }
  const access = ROUTE_ACCESS[key];
  if (access === undefined) {
    throw new HttpError(403, 'undeclared_route', `接口未声明访问权限：${key}`, `route declares no access rule: ${key}`);
  }
  const p = c.get('principal');
  const decision = decide(access, p);
  if (decision === 'unauthenticated') throw new HttpError(401, 'unauthenticated', '请先登录', 'please sign in');
  if (decision === 'forbidden') throw new HttpError(403, 'forbidden', '当前角色无权访问', 'your role may not do this');
  if (p && !SAFE_METHODS.has(c.req.method) && !CSRF_EXEMPT.has(key)) {
    if (c.req.header('x-csrf-token') !== p.csrfToken) {
      throw new HttpError(403, 'csrf', '缺少或错误的 CSRF 令牌', 'missing or wrong CSRF token (X-CSRF-Token)');
    }
  }
  if (p?.mustChangePassword && !BEFORE_PASSWORD_CHANGE.has(key)) {
    throw new HttpError(403, 'password_change_required', '请先修改初始密码', 'change your initial password first');
  }
  return next();
};
