/**
 * Starts the real app (createApp + @hono/node-server, as server/main.ts does) in this process on
 * an ephemeral port of 127.0.0.1, over a given database. Used by the load and fault tests.
 */
import type { AddressInfo } from 'node:net';
import { createApp } from '../../server/app.js';
import { serveApp } from '../../server/http/tile-fast-path.js';
import type { Config } from '../../server/config.js';
import type { Database } from '../../server/db/client.js';
import { installDriverGuards } from '../../server/db/driver-guards.js';

export interface RunningServer {
  baseUrl: string;
  close(): Promise<void>;
}

export async function startInProcess(db: Database, config: Config): Promise<RunningServer> {
  installDriverGuards(); // as server/main.ts does
  const app = createApp({ db, config });
  const server = serveApp(app, { port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}

/** `postgres://user:secret@host/db` → `postgres://user:***@host/db`, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}
