/**
 * `npm run backup -- [<file>] [--overwrite] [--force]` — back up the configured database to one file.
 *
 * - Native PostgreSQL (DATABASE_URL): `pg_dump -Fc` (custom format; restore with
 *   `npm run restore`, i.e. pg_restore). Safe while the server runs (pg_dump reads one snapshot).
 * - Embedded PGlite (GRIDATLAS_DATA_DIR): PGlite's own data-folder dump,
 *   `dumpDataDir('gzip')` → a .tar.gz. PGlite is single-process, so the server must be stopped:
 *   the backup refuses while the folder is in use (its postmaster.pid exists).
 *
 * The file is written to `<file>.partial` and renamed when complete, so a failed backup never
 * leaves a truncated file under the final name; an existing file is kept unless --overwrite.
 * --force backs up an embedded folder whose postmaster.pid was left behind by a crashed server.
 *
 * Also the library of `scripts/restore.ts` and the backup test: the helpers below are exported
 * and the command line runs only when this file is the entry point.
 */
import { execFile } from 'node:child_process';
import { existsSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { PGlite } from '@electric-sql/pglite';
import type { Config } from '../server/config.js';

/** A failure with a message for people, in Chinese and English; `code` is the exit status. */
export class BackupError extends Error {
  constructor(
    zh: string,
    en: string,
    readonly code = 1,
  ) {
    super(`${zh}\n${en}`);
  }
}

/** Tables whose row counts are printed after a backup or restore (a quick plausibility check). */
export const SUMMARY_TABLES = ['streets', 'communities', 'buildings', 'households', 'grids', 'facilities', 'users', 'kiosk_tokens'];

/** `postgres://user:secret@host/db` → `postgres://user:***@host/db`, for messages. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(DATABASE_URL)';
  }
}

/** Runs a client tool; resolves with its output, rejects with a bilingual BackupError. */
export function runTool(cmd: string, args: string[], what: { zh: string; en: string }): Promise<string> {
  return new Promise((res, rej) => {
    execFile(cmd, args, { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (!err) return res(`${stdout}${stderr}`);
      if ((err as { code?: unknown }).code === 'ENOENT') {
        return rej(new BackupError(
          `找不到 ${cmd}：请安装 PostgreSQL 客户端工具（Debian: apt-get install postgresql-client-15）`,
          `${cmd} not found: install the PostgreSQL client tools (Debian: apt-get install postgresql-client-15)`,
        ));
      }
      const detail = `${stderr}`.trim() || err.message;
      rej(new BackupError(`${what.zh}失败：${detail}`, `${what.en} failed: ${detail}`));
    });
  });
}

/** The PGlite data folder is in use when its postmaster.pid exists (PGlite removes it on close). */
export function embeddedInUse(dataDir: string): boolean {
  return existsSync(join(dataDir, 'postmaster.pid'));
}

export function refuseIfInUse(dataDir: string, action: { zh: string; en: string }) {
  if (!embeddedInUse(dataDir)) return;
  throw new BackupError(
    `内嵌数据库文件夹 ${dataDir} 正在使用中（存在 postmaster.pid）：请先停止 GridAtlas 服务器再${action.zh}。` +
      `若服务器已崩溃、确定没有进程在用，可加 --force。`,
    `The embedded database folder ${dataDir} is in use (postmaster.pid exists): stop the GridAtlas server before you ${action.en}. ` +
      'If the server crashed and nothing uses the folder, pass --force.',
    3,
  );
}

/** Opens PGlite with PostGIS on a folder, or (with `load`) creates the folder from a dump. */
export async function openPglite(dataDir: string, load?: Blob): Promise<PGlite> {
  const [{ PGlite }, { postgis }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite-postgis'),
  ]);
  return PGlite.create({ dataDir, extensions: { postgis }, ...(load ? { loadDataDir: load } : {}) });
}

/** Row counts of SUMMARY_TABLES (tables that do not exist are left out). */
export async function tableCounts(query: (sql: string) => Promise<Record<string, unknown>[]>): Promise<Record<string, number>> {
  const present = new Set(
    (await query(`SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public'`)).map((r) => String(r.t)),
  );
  const tables = SUMMARY_TABLES.filter((t) => present.has(t));
  if (tables.length === 0) return {};
  const [row] = await query(`SELECT ${tables.map((t) => `(SELECT count(*) FROM ${t})::int AS ${t}`).join(', ')}`);
  return Object.fromEntries(tables.map((t) => [t, Number(row[t])]));
}

export async function nativeCounts(url: string): Promise<Record<string, number>> {
  const { default: postgres } = await import('postgres');
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await tableCounts((q) => sql.unsafe(q) as unknown as Promise<Record<string, unknown>[]>);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export const formatCounts = (c: Record<string, number>) =>
  Object.entries(c).map(([t, n]) => `${t} ${n}`).join(', ') || '(空 / empty)';

export const formatSize = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} KB`;

/** `2024-06-01T10-20-30` — for file and folder names. */
export const stamp = (d = new Date()) => d.toISOString().slice(0, 19).replace(/:/g, '-');

export interface BackupResult {
  file: string;
  bytes: number;
  ms: number;
  counts: Record<string, number>;
}

/**
 * pg_dump -Fc of the database at `url` into `file`. The job queue's schema (`pgboss`, pg-boss's own
 * partitioned tables, issue #19) is left out: queued work is transient, `pg_restore --clean` cannot
 * drop pg-boss's inherited constraints, and pg-boss recreates its schema at start. The jobs'
 * visible state (`background_jobs`) is in the backup.
 */
export async function backupNative(url: string, file: string): Promise<BackupResult> {
  const t0 = Date.now();
  const partial = `${file}.partial`;
  try {
    await runTool('pg_dump', ['--format=custom', '--no-password', '--exclude-schema=pgboss', `--file=${partial}`, `--dbname=${url}`], {
      zh: 'pg_dump 备份',
      en: 'pg_dump',
    });
    // A readable table of contents means a complete custom-format archive.
    await runTool('pg_restore', ['--list', partial], { zh: '检查备份文件', en: 'checking the backup file' });
    renameSync(partial, file);
  } finally {
    rmSync(partial, { force: true });
  }
  return { file, bytes: statSync(file).size, ms: Date.now() - t0, counts: await nativeCounts(url) };
}

/** PGlite dumpDataDir('gzip') of the folder `dataDir` into `file`. */
export async function backupEmbedded(dataDir: string, file: string, force = false): Promise<BackupResult> {
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    throw new BackupError(`${dataDir} 不是 PGlite 数据文件夹（没有 PG_VERSION）`, `${dataDir} is not a PGlite data folder (no PG_VERSION)`, 2);
  }
  if (!force) refuseIfInUse(dataDir, { zh: '备份', en: 'back it up' });
  const t0 = Date.now();
  const pg = await openPglite(dataDir);
  const partial = `${file}.partial`;
  try {
    const counts = await tableCounts(async (q) => (await pg.query<Record<string, unknown>>(q)).rows);
    const dump = await pg.dumpDataDir('gzip');
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    renameSync(partial, file);
    return { file, bytes: statSync(file).size, ms: Date.now() - t0, counts };
  } finally {
    rmSync(partial, { force: true });
    await pg.close();
  }
}

/** The configured backend's backup. */
export function backup(config: Config, file: string, force = false): Promise<BackupResult> {
  return config.databaseUrl ? backupNative(config.databaseUrl, file) : backupEmbedded(resolve(config.dataDir), file, force);
}

/** Prints a BackupError (or anything else) for people and exits with its code. */
export function exitWith(err: unknown): never {
  if (err instanceof BackupError) console.error(`✗ ${err.message}`);
  else console.error(`✗ 意外错误 / unexpected error: ${(err as Error)?.stack ?? err}`);
  process.exit(err instanceof BackupError ? err.code : 1);
}

async function main() {
  const USAGE = '用法 / usage: npm run backup -- [<file>] [--overwrite] [--force]';
  let parsed;
  try {
    parsed = parseArgs({ allowPositionals: true, options: { force: { type: 'boolean' }, overwrite: { type: 'boolean' }, help: { type: 'boolean' } } });
  } catch (err) {
    throw new BackupError(`${(err as Error).message}\n${USAGE}`, '', 2);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const { loadConfig } = await import('../server/config.js');
  const config = loadConfig();
  const file = resolve(positionals[0] ?? `gridatlas-${config.databaseUrl ? 'pg' : 'pglite'}-${stamp()}.${config.databaseUrl ? 'pgdump' : 'tar.gz'}`);
  if (positionals.length > 1) throw new BackupError(`参数过多\n${USAGE}`, 'too many arguments', 2);
  if (existsSync(file) && !values.overwrite) {
    throw new BackupError(`备份文件已存在：${file}（加 --overwrite 覆盖）`, `backup file exists: ${file} (pass --overwrite to replace it)`, 2);
  }
  if (!existsSync(dirname(file))) throw new BackupError(`目录不存在：${dirname(file)}`, `folder does not exist: ${dirname(file)}`, 2);
  const source = config.databaseUrl ? `PostgreSQL ${redact(config.databaseUrl)}` : `PGlite ${resolve(config.dataDir)}`;
  console.log(`备份 / backing up ${source} → ${file} …`);
  const r = await backup(config, file, values.force);
  console.log(`✓ 备份完成 / backup written: ${r.file} (${formatSize(r.bytes)}, ${(r.ms / 1000).toFixed(1)} s)`);
  console.log(`  内容 / contains: ${formatCounts(r.counts)}`);
  console.log(`  恢复 / restore with: npm run restore -- ${positionals[0] ?? r.file}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main().catch(exitWith);
}
