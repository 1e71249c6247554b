/**
 * Idempotent writes (issue #18.4): a client that may retry — a grid worker's phone on a flaky
 * connection, a resident pressing "send" twice — sends `Idempotency-Key: <random, 16–100 of
 * A-Z a-z 0-9 _ ->` with the write. The first request with a key is processed and its answer
 * (status and body) stored in PostgreSQL (`idempotency_keys`, migration 0023); every later request
 * with the same key from the same caller gets that answer replayed (`Idempotent-Replayed: true`)
 * without running the write again — across server processes too.
 *
 * - The same key with another route or another body: 422 `idempotency_key_reused`.
 * - The first request still running: 409 `request_in_progress` (Retry-After: 1). A request the
 *   client gave up on (its answer timed out) still finishes here and stores its answer, so the
 *   retry gets it; a key left "in progress" by a stopped server is freed after two minutes.
 * - A refusal (4xx, 5xx) is not kept: nothing was written, the key is freed and a retry runs again.
 * - Callers: a signed-in user or kiosk by id; anonymous residents share `public` (their keys are
 *   random UUIDs made in their browser, so they do not meet).
 * Keys are kept a day. Without the header a write behaves as before.
 */
import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../auth/middleware.js';
import type { Sql } from '../db/client.js';
import { HttpError, badRequest } from '../http-error.js';

const KEY = /^[A-Za-z0-9_-]{16,100}$/;

export function idempotent(db: Sql): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = c.req.header('idempotency-key');
    if (key === undefined || c.req.method === 'GET') return next();
    if (!KEY.test(key)) {
      throw badRequest('invalid_idempotency_key', 'Idempotency-Key 须为 16–100 位字母、数字、_ 或 -', 'Idempotency-Key must be 16–100 characters of A-Z a-z 0-9 _ -');
    }
    const p = c.get('principal');
    const caller = p ? `${p.kind}:${p.id}` : 'public';
    const route = `${c.req.method} ${c.req.path}`;
    const hash = createHash('sha256').update(route).update('\n').update(new Uint8Array(await c.req.arrayBuffer())).digest('base64url');
    // Keys older than a day are forgotten; a key still "in progress" after two minutes belongs to a
    // server that stopped mid-request (nothing was committed for it) and is free again.
    await db.query(
      `DELETE FROM idempotency_keys WHERE created_at < now() - interval '1 day'
         OR (caller = $1 AND key = $2 AND status IS NULL AND created_at < now() - interval '2 minutes')`,
      [caller, key],
    );
    const fresh = await db.query(
      `INSERT INTO idempotency_keys (caller, key, route, request_hash) VALUES ($1, $2, $3, $4) ON CONFLICT (caller, key) DO NOTHING RETURNING 1`,
      [caller, key, route, hash],
    );
    if (fresh.length === 0) {
      const [row] = await db.query<{ route: string; hash: string; status: number | null; body: string | null }>(
        'SELECT route, request_hash AS hash, status, body FROM idempotency_keys WHERE caller = $1 AND key = $2',
        [caller, key],
      );
      if (!row || row.route !== route || row.hash !== hash) {
        throw new HttpError(422, 'idempotency_key_reused', '该 Idempotency-Key 已用于另一个请求', 'this Idempotency-Key was already used for another request');
      }
      if (row.status === null) {
        c.header('Retry-After', '1');
        throw new HttpError(409, 'request_in_progress', '同一请求正在处理，请稍后重试', 'the same request is still being processed; retry shortly');
      }
      return new Response(row.body, {
        status: row.status,
        headers: { 'content-type': 'application/json; charset=utf-8', 'idempotent-replayed': 'true' },
      });
    }
    try {
      await next();
    } finally {
      const status = c.res?.status ?? 500;
      if (status >= 400) {
        await db.query('DELETE FROM idempotency_keys WHERE caller = $1 AND key = $2', [caller, key]);
      } else {
        await db.query('UPDATE idempotency_keys SET status = $3, body = $4 WHERE caller = $1 AND key = $2', [caller, key, status, await c.res.clone().text()]);
      }
    }
  };
}
