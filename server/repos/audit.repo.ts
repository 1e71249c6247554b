/**
 * The audit log: who did what, when, to what — every edit, publish, import, login, detail read.
 * Entries are kept as written; `detail` is served with personal names and phones masked
 * (masking.ts `maskPersonalJson`) unless the reader may see the street's personal data in clear.
 */
import { maskPersonalJson } from '../auth/masking.js';
import type { Sql } from '../db/client.js';

export interface AuditEntry {
  actor: string;
  userId?: number | null;
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  detail?: Record<string, unknown>;
  ip?: string | null;
}

export async function audit(db: Sql, e: AuditEntry) {
  await db.query(
    `INSERT INTO audit_log (actor, user_id, action, target_type, target_id, detail, ip)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7)`,
    [e.actor, e.userId ?? null, e.action, e.targetType ?? null, e.targetId ?? null, JSON.stringify(e.detail ?? {}), e.ip ?? null],
  );
}

export interface AuditQuery {
  actor?: string;
  action?: string;
  target?: string;
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

/** `clear`: serve `detail` as stored (a street-wide admin); otherwise with personal data masked. */
export async function searchAudit(db: Sql, q: AuditQuery, opts: { clear: boolean }) {
  const where = `($1::text IS NULL OR actor = $1) AND ($2::text IS NULL OR action = $2)
    AND ($3::text IS NULL OR target_id = $3) AND ($4::timestamptz IS NULL OR at >= $4) AND ($5::timestamptz IS NULL OR at < $5)`;
  const params = [q.actor ?? null, q.action ?? null, q.target ?? null, q.from ?? null, q.to ?? null];
  const [{ total }] = await db.query<{ total: number }>(`SELECT count(*)::int AS total FROM audit_log WHERE ${where}`, params);
  const rows = await db.query<{ detail: unknown }>(
    `SELECT id::int AS id, at, actor, user_id AS "userId", action, target_type AS "targetType", target_id AS "targetId", detail, ip
     FROM audit_log WHERE ${where} ORDER BY id DESC LIMIT $6 OFFSET $7`,
    [...params, q.limit, q.offset],
  );
  return { total, items: opts.clear ? rows : rows.map((r) => ({ ...r, detail: maskPersonalJson(r.detail) })) };
}
