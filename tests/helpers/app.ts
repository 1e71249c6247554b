/** The Hono app over the shared test database, called in-process with `app.request()`. */
import { createApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { testDb } from './test-db.js';

export async function testApp() {
  const ctx = await testDb();
  const app = createApp({ db: ctx.db, config: loadConfig({}) });
  return { ...ctx, app };
}

/** Personal fields that must never appear in public layers, tiles or screen responses. */
export const PERSONAL_KEYS = ['head_name', 'headName', 'head_phone', 'headPhone', 'phone', 'room', 'name_of_head'];
export const PHONE_PATTERN = /1[3-9]\d{9}/;
