/**
 * One typed, validated configuration object, read from the environment once at start.
 * Every setting has a safe default so `npm start` works with no configuration at all.
 */
import { z } from 'zod';
import { TrustedProxies } from './auth/client-address.js';

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().default('127.0.0.1'),
  /** Native PostgreSQL + PostGIS. Unset → embedded PGlite under GRIDATLAS_DATA_DIR. */
  DATABASE_URL: z.string().url().optional(),
  /** Streaming replicas of DATABASE_URL (comma-separated URLs): reads of layers, tiles, stats, OGC, screen. */
  DATABASE_REPLICA_URLS: z.string().default(''),
  /** A replica further behind the primary than this is skipped (its reads go to the primary). */
  GRIDATLAS_REPLICA_MAX_LAG_MS: z.coerce.number().int().min(0).max(600_000).default(2000),
  GRIDATLAS_DATA_DIR: z.string().default('.gridatlas/pgdata'),
  /** Seed the demo street when the database is empty (set to 0 to start empty). */
  GRIDATLAS_SEED_DEMO: z.enum(['0', '1']).default('1'),
  GRIDATLAS_SEED: z.coerce.number().int().default(20240601),
  GRIDATLAS_DEMO_BUILDINGS: z.coerce.number().int().positive().optional(),
  /** Optional XYZ raster basemap, e.g. Tianditu with your key. None by default (no internet needed). */
  GRIDATLAS_BASEMAP_URL: z.string().optional(),
  GRIDATLAS_BASEMAP_ATTRIBUTION: z.string().default(''),
  GRIDATLAS_WEB_DIR: z.string().default('dist/web'),
  /** Memory for cached tiles and layer responses; 0 turns the cache off. */
  GRIDATLAS_CACHE_MB: z.coerce.number().min(0).max(4096).default(64),
  /** A request still unanswered after this is given up with 503 (a stalled database connection). */
  GRIDATLAS_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(20_000),
  /**
   * Reverse proxies (addresses or CIDR blocks, comma-separated) whose X-Forwarded-For and
   * X-Forwarded-Proto are believed. Default none: without a proxy those headers come from clients.
   */
  GRIDATLAS_TRUSTED_PROXIES: z.string().default(''),
  /**
   * The address users reach this server at, e.g. `https://grid.example.gov.cn`: absolute links in
   * answers (OGC API links, TileJSON tile URLs, new kiosk links) use it instead of the request's
   * Host header, which any client can set. Unset: the request's host, with https when the browser
   * came over TLS (directly or via a trusted proxy).
   */
  GRIDATLAS_PUBLIC_URL: z
    .string()
    .refine((u) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol), 'an http(s) URL such as https://grid.example.gov.cn')
    .optional(),
  /**
   * After SIGTERM/SIGINT the server keeps accepting and answering this long (`/api/health` says
   * `draining`, answers carry `Connection: close`) before it stops listening (lifecycle/drain.ts).
   */
  GRIDATLAS_DRAIN_MS: z.coerce.number().int().min(0).max(120_000).default(3000),
  /**
   * Partition jobs (issue #19): `queue` — on the PostgreSQL job queue (pg-boss), shared by every
   * server (the default with DATABASE_URL); `memory` — in this process only (always on PGlite).
   */
  GRIDATLAS_JOBS: z.enum(['queue', 'memory']).optional(),
  /** Take queued jobs in this server (1, default) or leave them to `npm run worker` processes (0). */
  GRIDATLAS_JOB_WORKER: z.enum(['0', '1']).default('1'),
  /** A queued job whose process has not renewed its heartbeat for this long is retried elsewhere. */
  GRIDATLAS_JOB_STALE_MS: z.coerce.number().int().min(500).max(600_000).default(30_000),
});

export type Config = {
  port: number;
  host: string;
  databaseUrl?: string;
  /** Read replicas (db/replicas.ts); empty without DATABASE_URL. */
  replicas: { urls: string[]; maxLagMs: number };
  dataDir: string;
  seedDemo: boolean;
  seed: number;
  demoBuildings?: number;
  basemap: { url: string; attribution: string } | null;
  webDir: string;
  cacheMb: number;
  requestTimeoutMs: number;
  trustedProxies: TrustedProxies;
  /** GRIDATLAS_PUBLIC_URL's origin (scheme, host, port), or null: the request's own (client-address.ts publicOrigin). */
  publicOrigin: string | null;
  drainMs: number;
  /** Where partition jobs run (services/jobs/): the shared PostgreSQL queue or this process. */
  jobs: { queue: boolean; work: boolean; staleAfterMs: number };
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`配置无效 / Invalid configuration: ${details}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    replicas: { urls: e.DATABASE_URL ? replicaUrls(e.DATABASE_REPLICA_URLS) : [], maxLagMs: e.GRIDATLAS_REPLICA_MAX_LAG_MS },
    dataDir: e.GRIDATLAS_DATA_DIR,
    seedDemo: e.GRIDATLAS_SEED_DEMO === '1',
    seed: e.GRIDATLAS_SEED,
    demoBuildings: e.GRIDATLAS_DEMO_BUILDINGS,
    basemap: e.GRIDATLAS_BASEMAP_URL
      ? { url: e.GRIDATLAS_BASEMAP_URL, attribution: e.GRIDATLAS_BASEMAP_ATTRIBUTION }
      : null,
    webDir: e.GRIDATLAS_WEB_DIR,
    cacheMb: e.GRIDATLAS_CACHE_MB,
    requestTimeoutMs: e.GRIDATLAS_REQUEST_TIMEOUT_MS,
    trustedProxies: trustedProxies(e.GRIDATLAS_TRUSTED_PROXIES),
    publicOrigin: e.GRIDATLAS_PUBLIC_URL ? new URL(e.GRIDATLAS_PUBLIC_URL).origin : null,
    drainMs: e.GRIDATLAS_DRAIN_MS,
    jobs: {
      queue: Boolean(e.DATABASE_URL) && (e.GRIDATLAS_JOBS ?? 'queue') === 'queue',
      work: e.GRIDATLAS_JOB_WORKER === '1',
      staleAfterMs: e.GRIDATLAS_JOB_STALE_MS,
    },
  };
}

function replicaUrls(setting: string): string[] {
  const urls = setting.split(',').map((u) => u.trim()).filter(Boolean);
  for (const u of urls) {
    if (!URL.canParse(u)) throw new Error(`配置无效 / Invalid configuration: DATABASE_REPLICA_URLS: not a URL: ${u}`);
  }
  return urls;
}

function trustedProxies(setting: string): TrustedProxies {
  try {
    return TrustedProxies.parse(setting);
  } catch (err) {
    throw new Error(`配置无效 / Invalid configuration: ${(err as Error).message}`, { cause: err });
  }
}
