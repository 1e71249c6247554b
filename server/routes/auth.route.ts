import { UNSAFE_TEXT } from '../../data/import/values.js';
import { Hono } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import type { AppDeps } from '../app.js';
import { type AppEnv, SESSION_COOKIE } from '../auth/middleware.js';
import { clientOf, rateLimitAddress } from '../auth/client-address.js';
import { type ThrottleKey, addressThrottled, clearAttempts, reserveAttempt } from '../auth/login-throttle.js';
import { decoyHash, verifyPassword } from '../auth/password.js';
import { passwordProblem } from '../auth/password-strength.js';
import { createSession, deleteSession } from '../auth/sessions.repo.js';
import { setPassword } from '../auth/users.repo.js';
import { HttpError, badRequest, validate } from '../http-error.js';
import { audit } from '../repos/audit.repo.js';
import type { Context } from 'hono';

/** How long checking a password takes here (moving average, ms): refusals without a check wait as long. */
const hashTime = { ms: 50 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const loginSchema = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(200) });
const passwordSchema = z.object({ current: z.string().min(1).max(200), next: z.string().min(1).max(200) });

/**
 * Client address for login throttling and the audit log: the direct peer, or — when the peer is a
 * configured trusted proxy — the right-most untrusted X-Forwarded-For hop (auth/client-address.ts).
 */
export function clientIp(c: Context): string {
  return clientOf(c).ip;
}

/** The session cookie is `Secure` whenever the browser came over HTTPS, also via a trusted proxy. */
export function sessionCookieSecure(c: Context): boolean {
  return clientOf(c).https;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** UNSAFE_TEXT (data/import/values.ts): controls, bidirectional-text controls, lone surrogates. */
const BAD_TEXT = UNSAFE_TEXT;

/**
 * True when any string (or key) inside holds a character of BAD_TEXT. Iterative, so hostile
 * nesting cannot exhaust the stack.
 */
function hasBadChars(root: unknown): boolean {
  const stack: unknown[] = [root];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (BAD_TEXT.test(v)) return true;
    } else if (Array.isArray(v)) {
      for (const x of v) stack.push(x);
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) stack.push(k, x);
    }
  }
  return false;
}

/**
 * True when the media type (RFC 9110 §8.3.1: type/subtype before any parameter) is exactly
 * `application/json`. Looking for the text anywhere would pass `text/plain; x=application/json`,
 * which a foreign page may send without a CORS preflight (a "simple" content type).
 */
export function isJsonMediaType(header: string | undefined): boolean {
  return (header ?? '').split(';')[0].trim().toLowerCase() === 'application/json';
}

/** Reads a JSON body: requires the JSON content type, strict UTF-8, and storable strings. */
export async function jsonBody(c: Context): Promise<unknown> {
  if (!isJsonMediaType(c.req.header('content-type'))) {
    throw badRequest('invalid_input', '请求体须为 JSON（Content-Type: application/json）', 'body must be JSON (Content-Type: application/json)');
  }
  let text: string;
  try {
    text = utf8.decode(await c.req.arrayBuffer());
  } catch {
    throw badRequest('invalid_encoding', '请求体不是有效的 UTF-8 编码', 'body is not valid UTF-8');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest('invalid_json', '请求体不是有效的 JSON', 'body is not valid JSON');
  }
  if (hasBadChars(value)) {
    throw badRequest('invalid_input', '请求体含有控制字符、双向文字控制符或不成对的代理字符', 'body contains control characters, bidirectional-text controls or unpaired surrogates');
  }
  return value;
}

/** `POST /api/auth/login`, `POST /api/auth/logout`, `GET /api/auth/me`, `POST /api/auth/password`. */
export function authRoutes({ db }: AppDeps) {
  return new Hono<AppEnv>()
    .post('/login', async (c) => {
      const body = validate(loginSchema, await jsonBody(c), '登录信息');
      const ip = clientIp(c);
      const [user] = await db.query<{ id: number; password_hash: string; disabled: boolean; must_change_password: boolean }>(
        'SELECT id, password_hash, disabled, must_change_password FROM users WHERE lower(username) = lower($1)',
        [body.username],
      );
      // Known account: throttled per (account, address); unknown name: per address (login-throttle.ts).
      // An IPv6 client counts by its /64 (client-address.ts rateLimitAddress); the audit log keeps `ip`.
      const address = rateLimitAddress(ip);
      const key: ThrottleKey = user ? { scope: 'account', username: body.username, address } : { scope: 'address', address };
      const tooMany = (wait: number) => {
        c.header('Retry-After', String(wait));
        return new HttpError(429, 'too_many_attempts', `登录失败次数过多，请 ${wait} 秒后再试`, `too many failed logins; retry in ${wait} s`);
      };
      const slot = await reserveAttempt(db, key);
      if (!slot.ok) {
        // From an address throttled for made-up names every refusal looks alike: the address's wait,
        // after as long as a password check takes (a real name's wrong password is checked first,
        // below), so neither status, Retry-After nor timing tells a real name from a made-up one.
        const sprayed = user ? await addressThrottled(db, address) : slot.retryAfterS;
        if (sprayed === null) throw tooMany(slot.retryAfterS);
        await sleep(hashTime.ms);
        throw tooMany(sprayed);
      }
      const started = performance.now();
      const matches = await verifyPassword(body.password, user?.password_hash ?? (await decoyHash()));
      hashTime.ms = Math.round(0.8 * hashTime.ms + 0.2 * (performance.now() - started));
      if (!user || user.disabled || !matches) {
        await audit(db, { actor: body.username, action: 'login_failed', ip });
        // An address that sprayed made-up names gets 429 on unknown names; a wrong password for a
        // real name from it gets the same 429 (a right one still signs in), so 401 versus 429 does
        // not tell which names exist.
        const wait = user ? await addressThrottled(db, address) : null;
        if (wait !== null) throw tooMany(wait);
        throw new HttpError(401, 'bad_credentials', '用户名或密码错误', 'wrong username or password');
      }
      await clearAttempts(db, key);
      const s = await createSession(db, { userId: user.id });
      setCookie(c, SESSION_COOKIE, s.cookie, { httpOnly: true, sameSite: 'Strict', path: '/', maxAge: s.maxAge, secure: sessionCookieSecure(c) });
      await audit(db, { actor: body.username, userId: user.id, action: 'login', ip });
      return c.json({ ok: true, csrfToken: s.csrf, mustChangePassword: user.must_change_password });
    })
    .post('/logout', async (c) => {
      const p = c.get('principal')!;
      await deleteSession(db, p.sessionId);
      deleteCookie(c, SESSION_COOKIE, { path: '/', secure: sessionCookieSecure(c) });
      await audit(db, { actor: p.name, userId: p.kind === 'user' ? p.id : null, action: 'logout', ip: clientIp(c) });
      return c.json({ ok: true });
    })
    .get('/me', (c) => {
      const p = c.get('principal')!;
      return c.json({
        kind: p.kind,
        username: p.name,
        displayName: p.displayName,
        roles: p.kind === 'kiosk' ? [{ role: 'screen', ...(p.kioskScope ?? { scopeType: 'street', scopeCode: '*' }) }] : p.grants,
        csrfToken: p.csrfToken,
        mustChangePassword: p.mustChangePassword === true,
      });
    })
    .post('/password', async (c) => {
      const p = c.get('principal')!;
      const body = validate(passwordSchema, await jsonBody(c), '密码');
      const [user] = await db.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [p.id]);
      if (!user || !(await verifyPassword(body.current, user.password_hash))) {
        throw new HttpError(403, 'bad_credentials', '当前密码错误', 'current password is wrong');
      }
      if (body.next === body.current) throw badRequest('weak_password', '新密码不能与当前密码相同', 'the new password must differ from the current one');
      const problem = await passwordProblem(body.next, { username: p.name, displayName: p.displayName });
      if (problem) throw badRequest(problem.code, problem.zh, problem.en);
      await db.transaction(async (tx) => {
        await setPassword(tx, { username: p.name, password: body.next, mustChange: false, keepSession: p.sessionId });
        await audit(tx, { actor: p.name, userId: p.id, action: 'password_change', ip: clientIp(c) });
      });
      return c.json({ ok: true });
    });
}
