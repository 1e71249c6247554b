/**
 * Errors the API reports to clients: always JSON `{error: {code, message}}` with a message in
 * Chinese and English, never a stack trace.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { isDatabaseUnavailable } from './db/client.js';

export class HttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    zh: string,
    en: string,
  ) {
    super(`${zh} / ${en}`);
  }
}

export const badRequest = (code: string, zh: string, en: string) => new HttpError(400, code, zh, en);
export const notFound = (zh: string, en: string) => new HttpError(404, 'not_found', zh, en);

export function errorBody(code: string, message: string) {
  return { error: { code, message } };
}

/** Validates `input` with a zod schema; a failure becomes a 400 naming the offending fields. */
export function validate<S extends z.ZodType>(schema: S, input: unknown, what = '参数'): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const fields = parsed.error.issues
    .map((i) => `${i.path.join('.') || what}: ${i.message}`)
    .join('; ');
  throw badRequest('invalid_input', `${what}无效（${fields}）`, `invalid input (${fields})`);
}

/**
 * Hono onError handler: known errors keep their status; a lost database is a 503 the client may
 * retry (the driver reconnects by itself on the next query); anything else is a logged 500.
 */
export function handleError(err: Error, c: Context) {
  if (err instanceof HttpError) return c.json(errorBody(err.code, err.message), err.status);
  if (err instanceof HTTPException) return err.getResponse();
  const sqlstate = (err as { code?: unknown }).code;
  if (sqlstate === '22021' || sqlstate === '22P05' || sqlstate === '22P02') {
    // Text PostgreSQL cannot store (NUL bytes, bad encodings) or a malformed literal: the client's input.
    return c.json(errorBody('invalid_input', '输入含有无法保存的字符或格式 / Input contains characters or values that cannot be stored'), 400);
  }
  if (isDatabaseUnavailable(err)) {
    // Known down (the availability gate gave the query up): a probe runs every 500 ms.
    c.header('Retry-After', (err as { code?: unknown }).code === 'DATABASE_DOWN' ? '1' : '2');
    return c.json(errorBody('database_unavailable', '数据库暂时不可用，请稍后重试 / Database temporarily unavailable, please retry shortly'), 503);
  }
  console.error('[gridatlas] unhandled error:', err);
  return c.json(errorBody('internal', '服务器内部错误 / Internal server error'), 500);
}
