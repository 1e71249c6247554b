/**
 * Which street a set-up request is about (issue #15): `?street=<9-digit code>`, or — when the
 * database holds exactly one street — that street. Kept tiny on purpose: the street resolution of
 * every route (h/territory-api) can replace it without touching the callers.
 */
import type { Sql } from '../../db/client.js';
import { HttpError, badRequest } from '../../http-error.js';

export interface StreetRef {
  id: number;
  code: string;
  name: string;
}

/**
 * The street named by `code`, or the only street when `code` is missing; null when the database
 * holds no street and none was named. 400 `invalid_input` for a malformed code, 404
 * `street_not_found` for an unknown one, 400 `street_required` when several streets exist and none
 * was named.
 */
export async function resolveStreet(db: Sql, code: string | undefined): Promise<StreetRef | null> {
  if (code !== undefined && code !== '') {
    if (!/^\d{9}$/.test(code)) throw badRequest('invalid_input', `街道代码“${code}”应为 9 位数字`, `street code "${code}" must be 9 digits`);
    const [row] = await db.query<StreetRef>('SELECT id, code, name FROM streets WHERE code = $1', [code]);
    if (!row) throw new HttpError(404, 'street_not_found', `街道 ${code} 不存在`, `street ${code} not found`);
    return row;
  }
  const rows = await db.query<StreetRef>('SELECT id, code, name FROM streets ORDER BY id LIMIT 2');
  if (rows.length > 1) {
    throw badRequest('street_required', '数据库中有多个街道，请用 ?street= 指明街道代码', 'the database holds several streets: name one with ?street=<code>');
  }
  return rows[0] ?? null;
}

/** Like {@link resolveStreet}, but a database without streets is 404 `no_street`. */
export async function requireStreet(db: Sql, code: string | undefined): Promise<StreetRef> {
  const street = await resolveStreet(db, code);
  if (!street) throw new HttpError(404, 'no_street', '还没有街道：请先导入边界（/setup）', 'no street yet: import the boundaries first (/setup)');
  return street;
}
