/**
 * Password hashing with scrypt (node:crypto): `scrypt$N$r$p$salt$hash`, base64url. Parameters are
 * stored with each hash so they can be raised later without invalidating old passwords.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';

const N = 16384;
const R = 8;
const P = 1;
const KEYLEN = 32;

function scrypt(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password.normalize('NFKC'), salt, KEYLEN, { N: n, r, p, maxmem: 64 * 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, N, R, P);
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [algo, n, r, p, salt, hash] = stored.split('$');
  if (algo !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await scrypt(password, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p));
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** Minimum rules: 10+ characters, not all one kind. Returns a bilingual reason or null. */
export function passwordProblem(password: string): string | null {
  if (password.length < 10) return '密码至少 10 个字符 / Password must have at least 10 characters';
  if (password.length > 200) return '密码过长 / Password too long';
  const kinds = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (kinds < 2) return '密码需包含至少两类字符（字母、数字、符号）/ Use at least two kinds of characters';
  return null;
}

/** A random secret for generated passwords and tokens. */
export const randomSecret = (bytes = 18) => randomBytes(bytes).toString('base64url');
