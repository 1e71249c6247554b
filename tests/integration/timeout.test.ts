/** A request that outlives the request timeout (a stalled database) is answered 503, not left hanging. */
import { describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import type { Database } from '../../server/db/client.js';
import { testDb } from '../helpers/test-db.js';

describe('request timeout', () => {
  it('answers 503 database_unavailable with Retry-After when the database stalls', async () => {
    const { db } = await testDb();
    const stalled: Database = { ...db, capabilities: db.capabilities, query: () => new Promise(() => {}) };
    const app = createApp({ db: stalled, config: { ...loadConfig({}), requestTimeoutMs: 300 } });
    const t0 = performance.now();
    const res = await app.request('/api/stats');
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('2');
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('database_unavailable');
    expect(body.error.message).toMatch(/数据库.*database/);
    // The real database still answers normally through an app with the default timeout.
    expect((await createApp({ db, config: loadConfig({}) }).request('/api/stats')).status).toBe(200);
  });
});
