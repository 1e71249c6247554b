/**
 * `npm run restore -- <file> [--force]` — replace the configured database with a backup made by
 * `npm run backup`.
 *
 * - Native PostgreSQL (DATABASE_URL): `pg_restore --clean --if-exists --no-owner` in a single
 *   transaction — all or nothing: if any statement fails, the database is left as it was.
 *   The database itself must exist. A running server keeps serving (it reconnects by itself), and
 *   its next answers show the restored data: its caches are keyed by the data version, which the
 *   restore changes (repos/data-version.repo.ts).
 * - Embedded PGlite (GRIDATLAS_DATA_DIR): the dump is loaded into a fresh folder beside the data
 *   folder and checked; only then is the data folder renamed to
 *   `<dir>.before-restore-<timestamp>` (kept, never deleted) and the fresh folder put in its place.
 *   Refused while the folder is in use (postmaster.pid exists) unless --force (after a crash).
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Config } from '../server/config.js';
import {
  BackupError, embeddedInUse, exitWith, formatCounts, formatSize, nativeCounts, openPglite, redact, refuseIfInUse, runTool,
  stamp, tableCounts,
} from './backup.js';

export type BackupKind = 'pg_dump' | 'pglite' | 'unknown';

/** What a backup file is, from its first bytes: `PGDMP` (pg_dump -Fc) or gzip (PGlite dump). */
export function backupKind(file: string): BackupKind {
  const head = Buffer.alloc(5);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, 5, 0);
  } finally {
    closeSync(fd);
  }
  if (head.toString('latin1') === 'PGDMP') return 'pg_dump';
  if (head[0] === 0x1f && head[1] === 0x8b) return 'pglite';
  return 'unknown';
}

export interface RestoreResult {
  ms: number;
  counts: Record<string, number>;
  /** Embedded: where the replaced data folder was kept. */
  keptAt?: string;
  /** Native: other sessions connected to the database during the restore. */
  otherSessions?: number;
}

export async function restoreNative(url: string, file: string): Promise<RestoreResult> {
  const t0 = Date.now();
  const { default: postgres } = await import('postgres');
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  let otherSessions: number;
  try {
    const [row] = await sql`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`;
    otherSessions = Number(row.n);
  } catch (err) {
    throw new BackupError(`无法连接数据库 ${redact(url)}：${(err as Error).message}`, `cannot connect to ${redact(url)}: ${(err as Error).message}`);
  } finally {
    await sql.end({ timeout: 5 });
  }
  if (otherSessions > 0) {
    console.warn(
      `! 另有 ${otherSessions} 个会话连接着此数据库（运行中的服务器？）。恢复会等待它们的锁；服务器的下一个应答即为恢复后的数据。\n` +
        `! ${otherSessions} other sessions are connected to this database (a running server?). The restore waits for their locks; ` +
        "a running server's next answers show the restored data.",
    );
  }
  await runTool(
    'pg_restore',
    ['--clean', '--if-exists', '--no-owner', '--single-transaction', '--exit-on-error', '--no-password', `--dbname=${url}`, file],
    { zh: 'pg_restore 恢复（数据库未改变）', en: 'pg_restore (the database was left unchanged)' },
  );
  return { ms: Date.now() - t0, counts: await nativeCounts(url), otherSessions };
}

export async function restoreEmbedded(dataDir: string, file: string, force = false): Promise<RestoreResult> {
  if (!force) refuseIfInUse(dataDir, { zh: '恢复', en: 'restore into it' });
  const t0 = Date.now();
  const when = stamp();
  const fresh = `${dataDir}.restoring-${when}`;
  const keptAt = `${dataDir}.before-restore-${when}`;
  if (existsSync(fresh) || existsSync(keptAt)) {
    throw new BackupError(`临时文件夹已存在：${fresh}`, `a folder of this restore already exists: ${fresh}`);
  }
  mkdirSync(dirname(dataDir), { recursive: true });
  let counts: Record<string, number>;
  try {
    const pg = await openPglite(fresh, new Blob([readFileSync(file)]));
    try {
      const [m] = (await pg.query<{ n: number }>('SELECT count(*)::int AS n FROM _migrations')).rows;
      if (!m?.n) throw new Error('no migrations recorded');
      counts = await tableCounts(async (q) => (await pg.query<Record<string, unknown>>(q)).rows);
    } finally {
      await pg.close();
    }
  } catch (err) {
    rmSync(fresh, { recursive: true, force: true });
    throw new BackupError(
      `备份文件无法载入，数据文件夹未改变：${(err as Error).message}`,
      `the backup could not be loaded; the data folder was left unchanged: ${(err as Error).message}`,
    );
  }
  // Checked again: the server may have started while the backup was loading.
  if (!force && embeddedInUse(dataDir)) {
    rmSync(fresh, { recursive: true, force: true });
    refuseIfInUse(dataDir, { zh: '恢复', en: 'restore into it' });
  }
  const had = existsSync(dataDir);
  if (had) renameSync(dataDir, keptAt);
  try {
    renameSync(fresh, dataDir);
  } catch (err) {
    if (had) renameSync(keptAt, dataDir);
    throw err;
  }
  return { ms: Date.now() - t0, counts, keptAt: had ? keptAt : undefined };
}

/** The configured backend's restore; checks that the file is a backup of that backend. */
export async function restore(config: Config, file: string, force = false): Promise<RestoreResult> {
  if (!existsSync(file)) throw new BackupError(`备份文件不存在：${file}`, `backup file not found: ${file}`, 2);
  const kind = backupKind(file);
  if (config.databaseUrl) {
    if (kind === 'pglite') {
      throw new BackupError(
        '这是内嵌数据库（PGlite）的备份，而当前配置的是 PostgreSQL（DATABASE_URL）。要恢复到内嵌数据库，请取消 DATABASE_URL。',
        'This is an embedded (PGlite) backup but DATABASE_URL selects PostgreSQL; unset DATABASE_URL to restore it into PGlite.', 2);
    }
    if (kind !== 'pg_dump') throw new BackupError(`不是 pg_dump 备份文件：${file}`, `not a pg_dump custom-format archive: ${file}`, 2);
    return restoreNative(config.databaseUrl, file);
  }
  if (kind === 'pg_dump') {
    throw new BackupError(
      '这是 PostgreSQL（pg_dump）备份，而当前使用内嵌数据库。要恢复到 PostgreSQL，请设置 DATABASE_URL。',
      'This is a PostgreSQL (pg_dump) backup but no DATABASE_URL is set; set DATABASE_URL to restore it into PostgreSQL.', 2);
  }
  if (kind !== 'pglite') throw new BackupError(`不是 PGlite 备份文件（.tar.gz）：${file}`, `not a PGlite backup (.tar.gz): ${file}`, 2);
  return restoreEmbedded(resolve(config.dataDir), file, force);
}

async function main() {
  const USAGE = '用法 / usage: npm run restore -- <file> [--force]';
  let parsed;
  try {
    parsed = parseArgs({ allowPositionals: true, options: { force: { type: 'boolean' }, help: { type: 'boolean' } } });
  } catch (err) {
    throw new BackupError(`${(err as Error).message}\n${USAGE}`, '', 2);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (positionals.length !== 1) throw new BackupError(`请给出一个备份文件\n${USAGE}`, 'give exactly one backup file', 2);
  const file = resolve(positionals[0]);
  const { loadConfig } = await import('../server/config.js');
  const config = loadConfig();
  const target = config.databaseUrl ? `PostgreSQL ${redact(config.databaseUrl)}` : `PGlite ${resolve(config.dataDir)}`;
  const size = existsSync(file) ? ` (${formatSize(statSync(file).size)})` : '';
  console.log(`恢复 / restoring ${file}${size} → ${target} …`);
  const r = await restore(config, file, values.force);
  console.log(`✓ 恢复完成 / restored in ${(r.ms / 1000).toFixed(1)} s: ${formatCounts(r.counts)}`);
  if (r.keptAt) console.log(`  原数据文件夹保留在 / the previous data folder is kept at ${r.keptAt}`);
  if (config.databaseUrl) console.log('  请重启服务器以清除其缓存 / restart the server so that it drops its response cache');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main().catch(exitWith);
}
