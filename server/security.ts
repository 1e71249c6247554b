/**
 * HTTP hardening: security headers with a Content-Security-Policy that allows no inline or
 * foreign scripts, and a body-size limit on the API. An optional basemap host is the only
 * foreign origin the page may load images from.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import type { Config } from './config.js';
import { errorBody } from './http-error.js';

/** JSON API bodies; uploads (imports) get their own, larger limit on their route. */
export const API_BODY_LIMIT = 1024 * 1024;

/**
 * `POST /api/import` only: a street's shapefile or OSM extract is easily 5–30 MB, far above what
 * any JSON request needs. The route is restricted to admins and planners with a CSRF token, so a
 * large body cannot come from an anonymous client; everything else keeps the 1 MB limit.
 */
export const IMPORT_BODY_LIMIT = 50 * 1024 * 1024;
export const IMPORT_PATH = '/api/import';
/** Parsing and checking a large upload takes longer than an ordinary request. */
export const IMPORT_TIMEOUT_MS = 120_000;

export function tooLargeFor(limit: number) {
  return (c: Context) =>
    c.json(errorBody('payload_too_large', `请求体超过 ${limit / 1024} KB 上限 / Request body exceeds ${limit / 1024} KB`), 413);
}

export const tooLarge = tooLargeFor(API_BODY_LIMIT);

function basemapOrigins(config: Config): string[] {
  if (!config.basemap) return [];
  try {
    return [new URL(config.basemap.url.replace(/\{[a-z]\}/g, '0')).origin];
  } catch {
    return [];
  }
}

export function securityHeaders(config: Config) {
  const tiles = basemapOrigins(config);
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      // Map libraries set element styles; no inline *scripts* are allowed.
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:', 'blob:', ...tiles],
      connectSrc: ["'self'", ...tiles],
      workerSrc: ["'self'", 'blob:'],
      fontSrc: ["'self'", 'data:'],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    crossOriginEmbedderPolicy: false,
    referrerPolicy: 'same-origin',
  });
}

/**
 * `Cache-Control` of API answers whose route set none. Household rosters, reporters' contacts, the
 * audit log or a resident's tracking view must not stay in a shared office PC's browser cache (or
 * its back/forward history) for the next person at the desk, nor in a proxy: `no-store`. Answers
 * with an ETag (public aggregates tagged with the data version, services/etag.ts; a plan's
 * version) keep their revalidation: `private, no-cache` for a signed-in caller, unchanged for
 * anonymous ones (nginx may cache those, docs/deploy.md).
 */
export const apiCacheControl: MiddlewareHandler<{ Variables: { principal: unknown } }> = async (c, next) => {
  await next();
  const h = c.res.headers;
  if (h.has('Cache-Control')) return;
  if (!h.has('ETag')) h.set('Cache-Control', 'no-store');
  else if (c.get('principal')) h.set('Cache-Control', 'private, no-cache');
};

/**
 * Given up after the request timeout: almost always a database connection that stalled (the
 * driver can lose a socket mid-transaction). 503 with Retry-After, like any lost database, so
 * clients retry instead of hanging — unless the request's body had not all arrived (408).
 */
export function requestTimedOut(c?: Context): HTTPException {
  // A body still arriving at the deadline is the client's (a phone on a weak signal, or a client
  // sending a byte at a time): 408, and the connection is closed, not "the database is down".
  const incoming = (c?.env as { incoming?: { complete?: boolean; method?: string } } | undefined)?.incoming;
  if (incoming && incoming.complete === false && incoming.method !== 'GET' && incoming.method !== 'HEAD') {
    const body = JSON.stringify(errorBody('request_timeout', '请求体未在时限内传完，请检查网络后重试 / the request body did not arrive in time; check the connection and retry'));
    return new HTTPException(408, {
      res: new Response(body, { status: 408, headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), connection: 'close' } }),
    });
  }
  const body = JSON.stringify(errorBody('database_unavailable', '请求超时，数据库暂时不可用，请稍后重试 / Request timed out: database temporarily unavailable, please retry'));
  return new HTTPException(503, {
    res: new Response(body, { status: 503, headers: { 'content-type': 'application/json; charset=utf-8', 'retry-after': '2' } }),
  });
}
