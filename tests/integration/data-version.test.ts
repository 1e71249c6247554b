/**
 * Issue #16.2 — the data version every cache is kept under (migration 0017,
 * repos/data-version.repo.ts): bumped once per committed transaction that changed data, at its
 * commit (so a reader never sees a version whose change it cannot see yet), not by rolled-back
 * ones or writes to non-data tables, and different after the table is recreated (a restore).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/client.js';
import { dataVersion } from '../../server/repos/data-version.repo.js';
import { announceNativeOnly, nativeConnection, testDb } from '../helpers/test-db.js';

let db: Database;
let other: Database | null;
beforeAll(async () => {
  ({ db } = await testDb());
  other = await nativeConnection();
});
afterAll(async () => {
  await other?.close();
});

const counter = (v: string) => Number(v.split(':')[1]);
/** A write that changes no data but fires the data tables' triggers. */
const touch = (sql: { query: Database['query'] }) => sql.query('UPDATE facilities SET name = name WHERE id = (SELECT min(id) FROM facilities)');

describe('data version', () => {
  it('moves by one per committed data transaction, however many statements; not for rollbacks or other tables', async () => {
    const v0 = await dataVersion(db);
    await touch(db);
    const v1 = await dataVersion(db);
    expect(counter(v1)).toBe(counter(v0) + 1);
    await db.transaction(async (tx) => {
      await touch(tx);
      await tx.query('UPDATE buildings SET name = name WHERE id = (SELECT min(id) FROM buildings)');
      await touch(tx);
    });
    const v2 = await dataVersion(db);
    expect(counter(v2)).toBe(counter(v1) + 1);
    const rollback = new Error('rollback');
    await expect(db.transaction(async (tx) => {
      await touch(tx);
      throw rollback;
    })).rejects.toBe(rollback);
    await db.query(`UPDATE login_throttle SET attempts = attempts WHERE false`);
    await db.query(`DELETE FROM sessions WHERE false`);
    expect(await dataVersion(db)).toBe(v2);
  });

  it('is bumped at commit: another connection sees the new version only with the change', async () => {
    if (!other) return announceNativeOnly('data version seen from a second connection');
    const conn = other;
    const v0 = await dataVersion(conn);
    let seenInside = '';
    await db.transaction(async (tx) => {
      await touch(tx);
      seenInside = await dataVersion(conn);
    });
    expect(seenInside).toBe(v0);
    expect(counter(await dataVersion(conn))).toBe(counter(v0) + 1);
    // Two writers on two connections, on different rows, at once: two versions.
    await Promise.all([db.transaction(touch), conn.transaction((tx) => tx.query('UPDATE buildings SET name = name WHERE id = (SELECT min(id) FROM buildings)'))]);
    expect(counter(await dataVersion(db))).toBe(counter(v0) + 3);
  });

  it('differs after the table is recreated with the same counter (pg_restore --clean)', async () => {
    const before = await dataVersion(db);
    let recreated = '';
    const rollback = new Error('rollback');
    await expect(db.transaction(async (tx) => {
      await tx.query('DROP TABLE data_version');
      await tx.query(`CREATE TABLE data_version (only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row), version bigint NOT NULL)`);
      await tx.query('INSERT INTO data_version (version) VALUES ($1)', [counter(before)]);
      recreated = await dataVersion(tx);
      throw rollback;
    })).rejects.toBe(rollback);
    expect(counter(recreated)).toBe(counter(before));
    expect(recreated).not.toBe(before);
    expect(await dataVersion(db)).toBe(before);
  });
});
