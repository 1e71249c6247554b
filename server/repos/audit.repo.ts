/** The audit log: who did what, when, to what — every edit, publish, import, login, detail read. */
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

export async function searchAudit(db: Sql, q: AuditQuery) {
  const where = `($1::text IS NULL OR actor = $1) AND ($2::text IS NULL OR action = $2)
    AND ($3::text IS NULL OR target_id = $3) AND ($4::timestamptz IS NULL OR at >= $4) AND ($5::timestamptz IS NULL OR at < $5)`;
  const params = [q.actor ?? null, q.action ?? null, q.target ?? null, q.from ?? null, q.to ?? null];
  const [{ total }] = await db.query<{ total: number }>(`SELECT count(*)::int AS total FROM audit_log WHERE ${where}`, params);
  const items = await db.query(
    `SELECT id::int AS id, at, actor, user_id AS "userId", action, target_type AS "targetType", target_id AS "targetId", detail, ip
     FROM audit_log WHERE ${where} ORDER BY id DESC LIMIT $6 OFFSET $7`,
    [...params, q.limit, q.offset],
  );
  return { total, items };
}
