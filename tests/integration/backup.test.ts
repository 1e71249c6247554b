/**
 * `npm run backup` / `npm run restore` on both backends, through the real command lines:
 * back up, change data, restore — the change is gone and every table has its original row count.
 * Native: a database created for this test on the DATABASE_URL server (dropped afterwards).
 * Embedded: PGlite data folders under a temporary directory.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { seedStreet } from '../../data/seed.js';
import { generateStreet } from '../../data/generate/index.js';
import { createKioskToken, createUser } from '../../server/auth/users.repo.js';
import type { Database } from '../../server/db/client.js';
import { openDatabase } from '../../server/db/open.js';
import { TEST_SEED, announceNativeOnly } from '../helpers/test-db.js';

const TSX = resolve('node_modules/.bin/tsx');
const work = mkdtempSync(join(tmpdir(), 'gridatlas-backup-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Cli {
  code: number;
  out: string;
}

/** Runs `scripts/<name>.ts` as `npm run <name>` would, with the given database settings only. */
function cli(name: 'backup' | 'restore', args: string[], db: { url?: string; dataDir?: string }): Promise<Cli> {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  delete env.GRIDATLAS_DATA_DIR;
  if (db.url) env.DATABASE_URL = db.url;
  if (db.dataDir) env.GRIDATLAS_DATA_DIR = db.dataDir;
  return new Promise((res) => {
    execFile(TSX, [`scripts/${name}.ts`, ...args], { env, timeout: 240_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? Number((err as { code: number }).code) : 1) : 0;
      res({ code, out: `${stdout}${stderr}` });
    });
  });
}

/** Row count of every table in the public schema. */
async function counts(db: Database): Promise<Record<string, number>> {
  const tables = await db.query<{ t: string }>(
    `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
  );
  const out: Record<string, number> = {};
  for (const { t } of tables) out[t] = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${t}"`))[0].n;
  return out;
}

/** A small street plus an account and a kiosk link, so auth tables have rows too. */
async function seedSmall(db: Database) {
  const ds = generateStreet({ seed: TEST_SEED, buildings: 120 });
  await seedStreet(db, ds);
  const id = await createUser(db, {
    username: 'backup_admin', password: 'Backup-test-2024',
    grants: [{ role: 'admin', scopeType: 'street', scopeCode: ds.street.code }],
  });
  await createKioskToken(db, 'backup-test-kiosk-token', 'lobby', id);
}

/** The change that the restore must undo: deletions, an update and inserts across tables. */
async function change(db: Database) {
  await db.query(`DELETE FROM households WHERE building_id IN (SELECT id FROM buildings ORDER BY id LIMIT 10)`);
  await db.query(`UPDATE buildings SET name = 'changed-after-backup' WHERE id IN (SELECT id FROM buildings ORDER BY id LIMIT 5)`);
  await db.query(`INSERT INTO kiosk_tokens (token_hash, label) VALUES ('after-backup', 'after backup')`);
  await db.query(`DELETE FROM user_roles`);
}

async function changeIsGone(db: Database) {
  const [b] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM buildings WHERE name = 'changed-after-backup'`);
  const [k] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM kiosk_tokens WHERE label = 'after backup'`);
  expect(b.n).toBe(0);
  expect(k.n).toBe(0);
}

function bilingual(s: string) {
  expect(s).toMatch(/[\u4e00-\u9fff]/);
  expect(s).toMatch(/[A-Za-z]{4,} [A-Za-z]{2,}/);
}

describe('backup and restore: native PostgreSQL (pg_dump / pg_restore)', () => {
  const base = process.env.DATABASE_URL;
  it('restores the backed-up state exactly', async (ctx) => {
    if (!base) {
      announceNativeOnly('backup/restore with pg_dump');
      ctx.skip();
      return;
    }
    const name = `gridatlas_t_backup_${Date.now().toString(36)}_${process.pid}`;
    const admin = postgres(base, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE "${name}"`);
    const u = new URL(base);
    u.pathname = `/${name}`;
    const url = u.toString();
    try {
      let db = await openDatabase({ url });
      await seedSmall(db);
      const original = await counts(db);
      expect(original.households).toBeGreaterThan(0);
      await db.close();

      const file = join(work, 'native.pgdump');
      const b = await cli('backup', [file], { url });
      expect(b.code, b.out).toBe(0);
      expect(b.out).toMatch(/备份完成 \/ backup written/);
      expect(existsSync(file)).toBe(true);
      expect(existsSync(`${file}.partial`)).toBe(false);
      // An existing backup is never overwritten by accident.
      const again = await cli('backup', [file], { url });
      expect(again.code).toBe(2);
      bilingual(again.out);

      db = await openDatabase({ url });
      await change(db);
      expect(await counts(db)).not.toEqual(original);
      await db.close();

      const r = await cli('restore', [file], { url });
      expect(r.code, r.out).toBe(0);
      expect(r.out).toMatch(/恢复完成 \/ restored/);

      db = await openDatabase({ url });
      expect(await counts(db)).toEqual(original);
      await changeIsGone(db);
      await db.close();

      // A PGlite backup is refused with a clear message (and changes nothing).
      const fake = join(work, 'not-native.tar.gz');
      writeFileSync(fake, Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]));
      const wrong = await cli('restore', [fake], { url });
      expect(wrong.code).toBe(2);
      expect(wrong.out).toMatch(/PGlite/);
      bilingual(wrong.out);
    } finally {
      await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    }
  }, 300_000);
});

describe('backup and restore: embedded PGlite (data-folder dump)', () => {
  it('restores into a fresh folder, keeps the old one, refuses while the folder is held', async () => {
    const dataDir = join(work, 'pgdata');
    let db = await openDatabase({ dataDir });
    await seedSmall(db);
    const original = await counts(db);
    await db.close();

    const file = join(work, 'embedded.tar.gz');
    const b = await cli('backup', [file], { dataDir });
    expect(b.code, b.out).toBe(0);
    expect(existsSync(file)).toBe(true);

    db = await openDatabase({ dataDir });
    await change(db);
    expect(await counts(db)).not.toEqual(original);
    // The folder is held (as by a running server): both commands refuse and change nothing.
    const held = await cli('restore', [file], { dataDir });
    expect(held.code, held.out).toBe(3);
    expect(held.out).toMatch(/正在使用中/);
    expect(held.out).toMatch(/in use/);
    const heldBackup = await cli('backup', [join(work, 'while-held.tar.gz')], { dataDir });
    expect(heldBackup.code, heldBackup.out).toBe(3);
    expect(readdirSync(work).filter((f) => f.startsWith('pgdata.'))).toEqual([]);
    await db.close();

    const r = await cli('restore', [file], { dataDir });
    expect(r.code, r.out).toBe(0);
    const kept = readdirSync(work).filter((f) => f.startsWith('pgdata.before-restore-'));
    expect(kept).toHaveLength(1);
    expect(readdirSync(work).filter((f) => f.startsWith('pgdata.restoring-'))).toEqual([]);
    expect(existsSync(join(dataDir, 'postmaster.pid'))).toBe(false);

    db = await openDatabase({ dataDir });
    expect(await counts(db)).toEqual(original);
    await changeIsGone(db);
    await db.close();

    // The replaced folder still holds the changed data (nothing was thrown away).
    const old = await openDatabase({ dataDir: join(work, kept[0]) });
    const [k] = await old.query<{ n: number }>(`SELECT count(*)::int AS n FROM kiosk_tokens WHERE label = 'after backup'`);
    expect(k.n).toBe(1);
    await old.close();

    // A pg_dump archive is refused on the embedded backend.
    const fake = join(work, 'native-archive.pgdump');
    writeFileSync(fake, 'PGDMP-not-really');
    const wrong = await cli('restore', [fake], { dataDir });
    expect(wrong.code).toBe(2);
    expect(wrong.out).toMatch(/DATABASE_URL/);
    bilingual(wrong.out);
  }, 300_000);
});
