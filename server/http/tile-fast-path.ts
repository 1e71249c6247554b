/**
 * Plain vector-tile GETs answered by a raw `node:http` listener in front of the Hono app.
 *
 * A cached tile costs a Map lookup and a socket write; through @hono/node-server and the app's
 * middleware chain (Request/Response objects, secure headers, timeout, session, access) it cost
 * several times that (issue #17: a third of the CPU in the adapter at 64 connections), and a tile
 * built from PostGIS paid a millisecond or more of fixed overhead on top of its SQL. This listener
 * answers `GET /tiles/<layer>/<z>/<x>/<y>.mvt` itself — from the response cache, else `tile_store`,
 * else `ST_AsMVT` (routes/tiles.route.ts `cachedTile`, the route's own code) — with the header set
 * the app would send, computed once by running the app's own security-header middleware.
 *
 * It answers only where the outcome is the same as the app's, and hands the request to the app
 * otherwise: any method but GET, a path the route would refuse (400) or not match, a request that
 * carries a session cookie (the route is public, but a signed-in user who must still change the
 * password is refused it: auth/middleware.ts), the database known to be down (the availability
 * gate's 503), or an error while getting the tile (the app then tries again and answers in its
 * words). A tile not ready within the request timeout gets the app's timeout answer (503).
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { Hono, type Context } from 'hono';
import { serve } from '@hono/node-server';
import type { AppDeps } from '../app.js';
import type { Config } from '../config.js';
import { errorBody, handleError } from '../http-error.js';
import { isLayerName } from '../repos/layer-defs.js';
import { parseTile, tileAnswer, versionedTile } from '../routes/tiles.route.js';
import { requestTimedOut, securityHeaders } from '../security.js';
import { SESSION_COOKIE } from '../auth/middleware.js';
import { dataVersionETag } from '../services/etag.js';
import { WRITE_LSN_COOKIE } from '../db/replicas.js';

// No query string: `?street=` scopes a tile (issue #15) and is resolved by the app's route.
const TILE_PATH = /^\/tiles\/([a-z]+)\/([^/?]+)\/([^/?]+)\/([^/?]+)$/;
const SESSION_COOKIE_NAME = `${SESSION_COOKIE}=`;
const LSN_COOKIE_NAME = `${WRITE_LSN_COOKIE}=`;

/** A response written as is: status, header name/value list (no Content-Length), body. */
interface Frozen {
  status: number;
  headers: string[];
  body: Uint8Array;
}

/** What the app answers with `respond`, through the app's security headers and error handler. */
async function freeze(config: Config, respond: (c: Context) => Response): Promise<Frozen> {
  const mini = new Hono();
  mini.onError(handleError);
  mini.use('*', securityHeaders(config));
  mini.get('/', respond);
  const res = await mini.request('/');
  const headers: string[] = [];
  res.headers.forEach((value, name) => {
    if (name !== 'content-length') headers.push(name, value);
  });
  return { status: res.status, headers, body: new Uint8Array(await res.arrayBuffer()) };
}

function write(res: ServerResponse, status: number, headers: readonly string[], body: Uint8Array) {
  // A flat name/value list straight to writeHead (no setHeader: that makes Node merge header by header).
  res.writeHead(status, body.length ? [...headers, 'content-length', String(body.length)] : (headers as string[]));
  res.end(body.length ? body : undefined);
}

/** The tile a plain GET asks for, or null when the app must answer this request. */
function plainTileRequest(req: IncomingMessage, deps: Pick<AppDeps, 'availability'>) {
  if (req.method !== 'GET' || !req.url?.startsWith('/tiles/')) return null;
  const m = TILE_PATH.exec(req.url);
  if (!m || !isLayerName(m[1])) return null;
  // A session or a read-your-writes cookie (db/replicas.ts), a conditional request (If-None-Match
  // → 304, services/etag.ts) or a database known to be down: the app answers.
  const cookie = req.headers.cookie;
  if (cookie?.includes(SESSION_COOKIE_NAME) || cookie?.includes(LSN_COOKIE_NAME) || req.headers['if-none-match'] || deps.availability.isDown) return null;
  const t = parseTile(m[2], m[3], m[4]);
  return typeof t === 'string' ? null : { layer: m[1], ...t };
}

/**
 * A request listener that answers plain tile GETs itself and passes every other request to
 * `app` (the Hono app's listener).
 */
export function tileFastPath(deps: AppDeps, app: RequestListener): RequestListener {
  type Answers = { tile: Frozen; timedOut: Frozen };
  let frozen: Promise<Answers> | null = null;
  /** The frozen answers once computed: a warm request uses them without awaiting a promise. */
  let ready: Answers | null = null;
  const answers = () =>
    (frozen ??= Promise.all([
      freeze(deps.config, (c) => c.body(null, 200, tileAnswer(new Uint8Array(1)).headers)),
      freeze(deps.config, () => {
        throw requestTimedOut();
      }),
    ]).then(([tile, timedOut]) => (ready = { tile, timedOut })));

  /**
   * Answers the tile; `extra` are headers besides the frozen ones (the replica it was read from).
   * False when nothing was written and the app must answer. A tile not ready within the request
   * timeout is answered by a timer (the app's timeout answer), without a promise race per request.
   */
  async function answer(t: NonNullable<ReturnType<typeof plainTileRequest>>, res: ServerResponse, extra: string[]): Promise<boolean> {
    const { tile: ok, timedOut } = ready ?? (await answers());
    let written = false;
    const timer = setTimeout(() => {
      written = true;
      write(res, timedOut.status, extra.length ? [...timedOut.headers, ...extra] : timedOut.headers, timedOut.body);
    }, deps.config.requestTimeoutMs);
    try {
      // The ETag's version: read by the cache's slot before the tile is computed when the cache is
      // on; with the tile (in its statement) when it is off.
      const { tile, version } = await versionedTile(deps, t.layer, t.z, t.x, t.y, null, { withVersion: true });
      if (written) return true;
      written = true;
      const status = tileAnswer(tile).status;
      // The same data-version ETag as the app's middleware gives an anonymous caller (issue #19).
      const headers = status === 200 && version !== null
        ? [...ok.headers, 'etag', dataVersionETag(version, null), 'vary', 'Cookie', ...extra]
        : extra.length ? [...ok.headers, ...extra] : ok.headers;
      write(res, status, headers, tile);
      return true;
    } catch {
      return written;
    } finally {
      clearTimeout(timer);
    }
  }

  return (req, res) => {
    const t = plainTileRequest(req, deps);
    if (!t) return app(req, res);
    // With read replicas, read where the app's middleware would (db/replicas.ts; no write to wait for).
    const answered = deps.replicas
      ? deps.replicas.read(null, (label) => answer(t, res, ['x-gridatlas-read', label]))
      : answer(t, res, []);
    void answered.then((done) => done || app(req, res));
  };
}

/** A Host value URL parsing would not keep as it is (`a@b`, `evil.example/<x>`, `é.example`). */
function badHost(host: string): boolean {
  if (/^[a-z0-9._-]+(?::\d{1,5})?$/.test(host)) return false;
  try {
    const parsed = new URL(`http://${host}/`);
    return parsed.hostname.length !== host.length && parsed.hostname !== host.replace(/:\d+$/, '').toLowerCase();
  } catch {
    return true;
  }
}

const INVALID_HOST = { code: 'invalid_host', zh: 'Host 请求头无效', en: 'invalid Host header' };

/**
 * Why this request must be refused before the app sees it: a Host header that is not a host
 * (`a@b`, `evil.example/<x>`, a name that URL parsing changes), a backslash in the path (both of
 * which @hono/node-server would refuse with an empty 400), or a request target that is not a path:
 * `OPTIONS *` (asterisk form) or anything else not starting with `/`. An absolute-form target
 * (`GET http://host/path`) is taken as RFC 9112 §3.2.2 says — its authority is the request's host —
 * by originForm first; its authority must pass the same check as a Host header. Null when fine.
 */
export function malformedRequest(req: Pick<IncomingMessage, 'headers' | 'url'>): { code: string; zh: string; en: string } | null {
  const host = req.headers.host;
  if (host !== undefined && badHost(host)) return INVALID_HOST;
  const target = req.url ?? '/';
  if (!target.startsWith('/')) {
    return /^https?:\/\//i.test(target) ? INVALID_HOST : { code: 'invalid_path', zh: '请求目标须为以 / 开头的路径', en: 'the request target must be a path starting with /' };
  }
  const backslash = target.indexOf('\\');
  const query = target.indexOf('?');
  if (backslash !== -1 && (query === -1 || backslash < query)) {
    return { code: 'invalid_path', zh: '请求路径含有反斜杠', en: 'backslash in the request path' };
  }
  return null;
}

/**
 * An absolute-form request target (`GET http://evil.example/ogc HTTP/1.1`, meant for proxies) made
 * origin-form: its authority becomes the Host header and the path the target (RFC 9112 §3.2.2).
 * @hono/node-server would otherwise build the request's URL from the target as it is, bypassing
 * the Host check, so OGC, TileJSON and kiosk links would name any host a client typed there. An
 * authority with user information or of a bad host is left as it is (refused by malformedRequest).
 */
export function originForm(req: Pick<IncomingMessage, 'headers' | 'url'>): void {
  const m = /^https?:\/\/([^/?#]*)(.*)$/i.exec(req.url ?? '');
  if (!m || m[1] === '' || m[1].includes('@') || badHost(m[1])) return;
  req.headers.host = m[1];
  req.url = m[2].startsWith('/') ? m[2] : `/${m[2]}`;
}

/** Answers a malformed request (malformedRequest) with a JSON 400 instead of node-server's empty one. */
function refuseMalformed(listener: RequestListener): RequestListener {
  return (req, res) => {
    originForm(req);
    const problem = malformedRequest(req);
    if (!problem) return listener(req, res);
    const body = JSON.stringify(errorBody(problem.code, `${problem.zh} / ${problem.en}`));
    res.writeHead(400, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body), connection: 'close' });
    res.end(body);
  };
}

/** What Node's HTTP parser refused, as a status and a bilingual message (clientErrorAnswer). */
const PARSER_ERRORS: Record<string, { status: number; code: string; zh: string; en: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, code: 'header_too_large', zh: '请求行或请求头过长（上限 16 KB）', en: 'request line or header fields too large (limit 16 KB)' },
  METHOD_NOT_ALLOWED: { status: 405, code: 'method_not_allowed', zh: '不支持 CONNECT 方法（本服务器不是代理）', en: 'CONNECT is not supported (this server is not a proxy)' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, code: 'request_timeout', zh: '请求超时', en: 'request timed out' },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: { status: 413, code: 'payload_too_large', zh: '分块扩展过长', en: 'chunk extensions too large' },
};
const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 405: 'Method Not Allowed', 408: 'Request Timeout', 413: 'Payload Too Large', 431: 'Request Header Fields Too Large' };

/**
 * The answer to a request Node's HTTP parser refused before any handler ran (a 20 KB URL, a broken
 * request line, a bad chunk): the same JSON error body as every other refusal, where Node would send
 * an empty `400`/`431`. Written raw on the socket (there is no response object yet), then closed.
 */
export function clientErrorAnswer(err: NodeJS.ErrnoException): string {
  const known = (err.code && PARSER_ERRORS[err.code]) || { status: 400, code: 'malformed_request', zh: 'HTTP 请求格式错误', en: 'malformed HTTP request' };
  const body = JSON.stringify(errorBody(known.code, `${known.zh} / ${known.en}`));
  return (
    `HTTP/1.1 ${known.status} ${STATUS_TEXT[known.status]}\r\n` +
    'Content-Type: application/json; charset=utf-8\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
  );
}

function answerClientError(err: NodeJS.ErrnoException, socket: Duplex) {
  // A reset or a socket already gone has nobody to answer; an answer already under way on this
  // keep-alive socket must not get another one spliced into it (Node's own rule).
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (err.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  socket.end(clientErrorAnswer(err));
}

/**
 * `CONNECT host:port` (a proxy tunnel request): Node hands it to the server's `connect` event and,
 * with no listener, closes the socket without a word. Answered like any refused request: 405.
 */
function answerConnect(_req: IncomingMessage, socket: Duplex) {
  if (!socket.writable) return socket.destroy();
  socket.end(clientErrorAnswer(Object.assign(new Error('CONNECT'), { code: 'METHOD_NOT_ALLOWED' })));
}

/** A built app with what serving it on a port needs besides `fetch`. */
export interface ServableApp {
  fetch: (request: Request, env?: unknown) => Response | Promise<Response>;
  deps: AppDeps;
}

/**
 * `serve()` from @hono/node-server with the tile fast path in front of the app. Every server that
 * listens on a port (server/main.ts, the benchmarks, tests) starts through here.
 */
export function serveApp(app: ServableApp, options: { port: number; hostname?: string }, onListening?: Parameters<typeof serve>[1]) {
  return serve(
    {
      fetch: app.fetch,
      ...options,
      createServer: ((serverOptions: object, listener: RequestListener) =>
        createServer(serverOptions, refuseMalformed(tileFastPath(app.deps, listener))).on('clientError', answerClientError).on('connect', answerConnect)) as never,
    },
    onListening,
  );
}
