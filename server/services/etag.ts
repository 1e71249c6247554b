/**
 * ETags from the data version (issue #19.4): tiles, layers and the public figures (stats, wall
 * screen) carry `ETag: W/"<data version>.<who>"` and a request whose `If-None-Match` names the
 * current one is answered `304 Not Modified` before any query runs — for a browser, and for an
 * nginx `proxy_cache` in front (`proxy_cache_revalidate on`, docs/deploy.md), which then keeps
 * serving its copy after a single cheap round trip.
 *
 * Why this is correct: the version is bumped at the commit of every transaction that changed data,
 * whichever process made it (repos/data-version.repo.ts), and it is read after the request arrived
 * (through the response cache's reader, on the same database the request reads: primary or
 * replica). An answer tagged V was computed after V was read, so it is at least as new as V; a
 * client that sends V while the version still is V has the current answer.
 *
 * `<who>` separates callers who may see different answers for the same URL (masking and scope,
 * issue #14): anonymous callers share `public`; a signed-in caller's tag is a hash of its kind,
 * id and grants, so a changed grant changes the tag too.
 */
import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../auth/middleware.js';
import type { Principal } from '../auth/principal.js';

/** GET/HEAD routes answered with a data-version ETag. */
const TAGGED_PREFIXES = ['/tiles/', '/api/layers', '/api/stats', '/api/screen'];

function who(p: Principal | null | undefined): string {
  if (!p) return 'public';
  const grants = p.kind === 'kiosk' ? JSON.stringify(p.kioskScope ?? null) : JSON.stringify(p.grants);
  return createHash('sha256').update(`${p.kind}:${p.id}:${grants}`).digest('base64url').slice(0, 16);
}

/** The ETag of an answer computed after data version `version` was read, for `principal`. */
export function dataVersionETag(version: string, principal: Principal | null | undefined): string {
  return `W/"${version}.${who(principal)}"`;
}

/** True when an `If-None-Match` header names `etag` (weak comparison, RFC 9110 §13.1.2) or is `*`. */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const opaque = (t: string) => t.trim().replace(/^W\//, '');
  return header.split(',').some((t) => t.trim() === '*' || opaque(t) === opaque(etag));
}

/** The middleware; `version` reads the data version for this request (null: no version, no tag). */
export function dataVersionETags(version: () => Promise<string | null>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if ((c.req.method !== 'GET' && c.req.method !== 'HEAD') || !TAGGED_PREFIXES.some((p) => c.req.path.startsWith(p))) return next();
    const v = await version();
    if (v === null) return next();
    const etag = dataVersionETag(v, c.get('principal'));
    if (matchesIfNoneMatch(c.req.header('if-none-match'), etag)) {
      return c.body(null, 304, { ETag: etag, Vary: 'Cookie' });
    }
    await next();
    if (c.res.status === 200 && !c.res.headers.has('ETag')) {
      c.res.headers.set('ETag', etag);
      c.res.headers.append('Vary', 'Cookie');
    }
  };
}
