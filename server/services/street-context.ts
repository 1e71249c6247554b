/**
 * Which street a street-wide request is about (issue #15): the one place that turns `?street=` /
 * `?district=` and the caller into a street, so no route picks "the first street" again.
 *
 * Resolution of a request's street:
 * 1. `?street=<9 digits>` given → that street (malformed → 400 `invalid_street`, unknown → 404
 *    `street_not_found`). A kiosk, or any caller of a protected route, asking for a street outside
 *    its scope → 403 `out_of_scope`.
 * 2. absent → the caller's single street, when its grants (or its kiosk link) cover exactly one;
 * 3. → the only street in the database (or the only one of `?district=`);
 * 4. → else 400 `street_required` (the client picks one from `GET /api/territory`).
 * A database without any street resolves to null: routes then answer for the (empty) whole.
 *
 * "Covers" follows the codes: a district grant covers the streets whose code starts with its 6
 * digits (or whose district row has that code), a community or grid grant the street it lies in,
 * a street grant `'*'` the whole deployment.
 */
import type { Context } from 'hono';
import type { Sql } from '../db/client.js';
import { HttpError, badRequest } from '../http-error.js';
import type { AppEnv } from '../auth/middleware.js';
import type { Principal, Scope, UserRole } from '../auth/principal.js';
import { outOfScope } from '../auth/scope.js';

export const STREET_CODE_RE = /^\d{9}$/;
export const DISTRICT_CODE_RE = /^\d{6}$/;

export type Bbox = [number, number, number, number];

/** A resolved street: what routes filter by (`id`) and report (`code`, `name`, district, extent). */
export interface StreetRef {
  id: number;
  code: string;
  name: string;
  districtCode: string | null;
  districtName: string | null;
  /** [minLng, minLat, maxLng, maxLat] of its outline (or of its communities), 6 decimals; null when empty. */
  bbox: Bbox | null;
}

export interface ResolveOptions {
  /**
   * A protected route (personal data, plans, audit …): a caller asking for a street outside its
   * scope gets 403 `out_of_scope`. Public aggregate routes leave it false; kiosks are always held
   * to their scope.
   */
  protectedData?: boolean;
  /**
   * Other parameters of the request that name a place of one street (`?community=`, `?plan=`,
   * `?grid=`): without `?street=`, their street is the request's (before the caller's and the
   * database's only street). Unknown codes/ids imply nothing (the route reports them).
   */
  impliedBy?: { community?: string; plan?: number; grid?: string };
}

const BBOX_SQL = (e: string) => `CASE WHEN ${e} IS NULL THEN NULL ELSE json_build_array(
  round(ST_XMin(${e})::numeric, 6)::float8, round(ST_YMin(${e})::numeric, 6)::float8,
  round(ST_XMax(${e})::numeric, 6)::float8, round(ST_YMax(${e})::numeric, 6)::float8) END`;

/** SELECT list of a {@link StreetRef} over `streets s LEFT JOIN districts d`. */
export const STREET_REF_COLUMNS = `s.id, s.code, s.name, d.code AS "districtCode", d.name AS "districtName",
  ${BBOX_SQL(`coalesce(ST_Envelope(s.geom)::box2d, (SELECT ST_Extent(c.geom) FROM communities c WHERE c.street_id = s.id))`)} AS bbox`;

/** The street's district code: its district row's, else its code's first 6 digits. */
const DISTRICT_OF_SQL = `coalesce(d.code, left(s.code, 6))`;

/**
 * The scopes a caller's reach is made of; null = unrestricted (anonymous, a deployment-wide
 * grant `street:*`, a kiosk link without scope).
 */
export function callerScopes(p: Principal | null): Scope[] | null {
  if (!p) return null;
  if (p.kind === 'kiosk') return p.kioskScope ? [p.kioskScope] : null;
  if (p.grants.some((g) => g.scopeType === 'street' && g.scopeCode === '*')) return null;
  return p.grants.map(({ scopeType, scopeCode }) => ({ scopeType, scopeCode }));
}

/** The codes of the streets `scopes` cover (sorted). */
export async function streetCodesOf(db: Sql, scopes: readonly Scope[]): Promise<string[]> {
  const of = (t: Scope['scopeType']) => scopes.filter((s) => s.scopeType === t).map((s) => s.scopeCode);
  if (scopes.length === 0) return [];
  const rows = await db.query<{ code: string }>(
    `SELECT s.code FROM streets s LEFT JOIN districts d ON d.id = s.district_id
     WHERE s.code = ANY($1::text[]) OR ${DISTRICT_OF_SQL} = ANY($2::text[])
        OR s.id IN (SELECT street_id FROM communities WHERE code = ANY($3::text[]))
        OR s.id IN (SELECT c.street_id FROM grids g JOIN communities c ON c.id = g.community_id WHERE g.code = ANY($4::text[]))
     ORDER BY s.code`,
    [of('street'), of('district'), of('community'), of('grid')],
  );
  return rows.map((r) => r.code);
}

/** The codes of the streets the caller reaches, or null when unrestricted (see {@link callerScopes}). */
export async function callerStreetCodes(db: Sql, p: Principal | null): Promise<string[] | null> {
  const scopes = callerScopes(p);
  return scopes === null ? null : streetCodesOf(db, scopes);
}

const streetRequired = () =>
  new HttpError(400, 'street_required',
    '数据库中有多个街道，请用 ?street=<9位街道代码> 指定（可选街道见 GET /api/territory）',
    'several streets in this deployment: pick one with ?street=<9-digit code> (the list: GET /api/territory)');

/** Validates the `street` / `district` query values (400 on a malformed code). */
export function parseTerritoryQuery(q: { street?: string; district?: string }): { street?: string; district?: string } {
  if (q.street !== undefined && !STREET_CODE_RE.test(q.street)) {
    throw badRequest('invalid_street', `街道代码应为 9 位数字：${q.street.slice(0, 40)}`, `street must be a 9-digit code: ${q.street.slice(0, 40)}`);
  }
  if (q.district !== undefined && !DISTRICT_CODE_RE.test(q.district)) {
    throw badRequest('invalid_district', `区县代码应为 6 位数字：${q.district.slice(0, 40)}`, `district must be a 6-digit code: ${q.district.slice(0, 40)}`);
  }
  return q;
}

/** The street with `code`, or null. */
export async function streetByCode(db: Sql, code: string): Promise<StreetRef | null> {
  const [row] = await db.query<StreetRef>(
    `SELECT ${STREET_REF_COLUMNS} FROM streets s LEFT JOIN districts d ON d.id = s.district_id WHERE s.code = $1`,
    [code],
  );
  return row ?? null;
}

/** The street with database id `id`, or null. */
export async function streetById(db: Sql, id: number): Promise<StreetRef | null> {
  const [row] = await db.query<StreetRef>(
    `SELECT ${STREET_REF_COLUMNS} FROM streets s LEFT JOIN districts d ON d.id = s.district_id WHERE s.id = $1`,
    [id],
  );
  return row ?? null;
}

/**
 * True when `p` holds one of `roles` street-wide for every street of the database (a `street:*`
 * grant, or street/district grants that together cover them all — in a one-street deployment
 * any grant for its street): deployment-wide records such as the audit log, kiosk links, and
 * other users' jobs.
 */
export async function wholeDeployment(db: Sql, p: Principal, roles: readonly UserRole[]): Promise<boolean> {
  const grants = p.grants.filter((g) => roles.includes(g.role) && (g.scopeType === 'street' || g.scopeType === 'district'));
  if (grants.length === 0) return false;
  if (grants.some((g) => g.scopeCode === '*')) return true;
  const mine = new Set(await streetCodesOf(db, grants));
  const all = await db.query<{ code: string }>('SELECT code FROM streets');
  return all.every((r) => mine.has(r.code));
}

/** 403 unless the caller's scope reaches street `code` (unrestricted callers always do). */
export async function assertStreetInScope(db: Sql, p: Principal | null, code: string): Promise<void> {
  const mine = await callerStreetCodes(db, p);
  if (mine !== null && !mine.includes(code)) {
    throw outOfScope(`街道 ${code} 不在您的权限范围内`, `street ${code} is outside your scope`);
  }
}

/**
 * Resolves the street of a request from its `street` / `district` query values and the caller
 * (the rules at the top of this file). Null only when the database holds no street at all.
 */
export async function resolveStreet(
  db: Sql,
  p: Principal | null,
  query: { street?: string; district?: string },
  opts: ResolveOptions = {},
): Promise<StreetRef | null> {
  const q = parseTerritoryQuery(query);
  if (q.street !== undefined) {
    const street = await streetByCode(db, q.street);
    if (!street) throw new HttpError(404, 'street_not_found', `街道 ${q.street} 不存在（可选街道见 GET /api/territory）`, `street ${q.street} not found (the list: GET /api/territory)`);
    if (q.district !== undefined && (street.districtCode ?? street.code.slice(0, 6)) !== q.district) {
      throw badRequest('street_not_in_district', `街道 ${q.street} 不属于区县 ${q.district}`, `street ${q.street} is not in district ${q.district}`);
    }
    if (opts.protectedData || p?.kind === 'kiosk') await assertStreetInScope(db, p, street.code);
    return street;
  }
  const implied = opts.impliedBy ? await impliedStreetCode(db, opts.impliedBy) : null;
  if (implied !== null) return resolveStreet(db, p, { street: implied, district: q.district }, opts);
  const inDistrict = q.district === undefined ? null : await districtStreetCodes(db, q.district);
  const within = (codes: string[]) => (inDistrict === null ? codes : codes.filter((c) => inDistrict.includes(c)));
  const mine = await callerStreetCodes(db, p);
  if (mine !== null) {
    const candidates = within(mine);
    if (candidates.length === 1) return streetByCode(db, candidates[0]);
  }
  // The first two streets whole, so a one-street database costs one query here, not two (issue #17).
  const firstTwo = inDistrict === null
    ? await db.query<StreetRef>(`SELECT ${STREET_REF_COLUMNS} FROM streets s LEFT JOIN districts d ON d.id = s.district_id ORDER BY s.code LIMIT 2`)
    : null;
  const all = inDistrict ?? firstTwo!.map((r) => r.code);
  if (all.length === 0 && inDistrict === null) return null;
  if (all.length === 1) {
    // Users keep today's one-street behaviour (routes filter by their grants); a kiosk stays in its scope.
    if (p?.kind === 'kiosk') await assertStreetInScope(db, p, all[0]);
    return firstTwo?.[0] ?? streetByCode(db, all[0]);
  }
  throw streetRequired();
}

/** The street code of a community, plan or grid (in that order), or null when none is given or known. */
async function impliedStreetCode(db: Sql, by: NonNullable<ResolveOptions['impliedBy']>): Promise<string | null> {
  if (by.community === undefined && by.plan === undefined && by.grid === undefined) return null;
  const [row] = await db.query<{ code: string | null }>(
    `SELECT coalesce(
       (SELECT s.code FROM communities c JOIN streets s ON s.id = c.street_id WHERE c.code = $1),
       (SELECT s.code FROM grid_plans p JOIN streets s ON s.id = p.street_id WHERE p.id = $2::int),
       (SELECT s.code FROM grids g JOIN communities c ON c.id = g.community_id JOIN streets s ON s.id = c.street_id
        WHERE g.code = $3 ORDER BY g.plan_id DESC LIMIT 1)) AS code`,
    [by.community ?? null, by.plan ?? null, by.grid ?? null],
  );
  return row?.code ?? null;
}

/** Codes of district `code`'s streets; 404 `district_not_found` when neither a district row nor a street has that code. */
async function districtStreetCodes(db: Sql, code: string): Promise<string[]> {
  const rows = await db.query<{ code: string | null }>(
    `SELECT s.code FROM (SELECT 1) one
     LEFT JOIN (streets s LEFT JOIN districts d ON d.id = s.district_id) ON ${DISTRICT_OF_SQL} = $1
     WHERE s.code IS NOT NULL OR EXISTS (SELECT 1 FROM districts WHERE code = $1) ORDER BY s.code`,
    [code],
  );
  if (rows.length === 0) throw new HttpError(404, 'district_not_found', `区县 ${code} 不存在`, `district ${code} not found`);
  return rows.flatMap((r) => (r.code === null ? [] : [r.code]));
}

/** {@link resolveStreet} for a route handler: reads `?street=` / `?district=` and the principal. */
export function streetOf(c: Context<AppEnv>, db: Sql, opts: ResolveOptions = {}): Promise<StreetRef | null> {
  return resolveStreet(db, c.get('principal') ?? null, { street: c.req.query('street'), district: c.req.query('district') }, opts);
}

/** Like {@link streetOf}, but a database without streets is a 404 `street_not_found` (e.g. creating a plan). */
export async function requireStreetOf(c: Context<AppEnv>, db: Sql, opts: ResolveOptions = {}): Promise<StreetRef> {
  const street = await streetOf(c, db, opts);
  if (!street) throw new HttpError(404, 'street_not_found', '数据库中还没有街道，请先导入边界', 'no street in the database yet: import boundaries first');
  return street;
}

/** The part of a response-cache key that names the street (`all` for an empty database). */
export const streetKey = (s: StreetRef | null) => s?.code ?? 'all';
