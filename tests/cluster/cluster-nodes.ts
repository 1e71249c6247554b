/**
 * The pieces of the one-machine cluster of `npm run cluster-test` (issue #19): a PostgreSQL 15
 * primary made with initdb, a streaming replica made from it with `pg_basebackup -R`, app servers
 * (`server/main.ts`) and nginx in front, all children of this process in one temporary folder.
 * PostgreSQL runs as the `postgres` user when this runs as root (it refuses to run as root).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { appendFileSync, chmodSync, chownSync, mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';

export const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';
const asRoot = process.getuid?.() === 0;

export const log = (m: string) => console.log(`[cluster] ${m}`);

/** A free TCP port on 127.0.0.1 at or above `from`. */
export async function freePort(from: number): Promise<number> {
  for (let port = from; port < from + 100; port++) {
    const free = await new Promise<boolean>((resolve) => {
      const s = net.createServer().once('error', () => resolve(false)).listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`no free port from ${from}`);
}

/** Runs a PostgreSQL tool (as `postgres` when root). */
function pg(tool: string, args: string[]): string {
  const cmd = join(PG_BIN, tool);
  return asRoot
    ? execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
    : execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function ownByPostgres(dir: string) {
  mkdirSync(dir, { recursive: true });
  if (!asRoot) return;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
  chownSync(dir, uid, gid);
  chmodSync(dir, 0o700);
}

export interface PgNode {
  port: number;
  dir: string;
  url: string;
  stop(mode?: 'fast' | 'immediate'): void;
}

function pgNode(dir: string, port: number): PgNode {
  return {
    port, dir, url: `postgres://postgres@127.0.0.1:${port}/gridatlas`,
    stop: (mode = 'fast') => {
      try {
        pg('pg_ctl', ['-D', dir, '-m', mode, '-w', 'stop']);
      } catch {
        // already stopped
      }
    },
  };
}

/** initdb, replication allowed from 127.0.0.1, started; the database `gridatlas` created. */
export function startPrimary(root: string, port: number): PgNode {
  const dir = join(root, 'primary');
  ownByPostgres(root);
  ownByPostgres(dir);
  pg('initdb', ['-D', dir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C']);
  appendFileSync(join(dir, 'postgresql.conf'), [
    `port = ${port}`, `listen_addresses = '127.0.0.1'`, `unix_socket_directories = '${root}'`, 'wal_level = replica', 'max_wal_senders = 4',
    'hot_standby = on', 'shared_buffers = 64MB', 'max_connections = 120', 'fsync = off', 'synchronous_commit = off',
    'full_page_writes = off', 'wal_keep_size = 256MB', '',
  ].join('\n'));
  appendFileSync(join(dir, 'pg_hba.conf'), 'host replication all 127.0.0.1/32 trust\n');
  pg('pg_ctl', ['-D', dir, '-l', join(root, 'primary.log'), '-w', 'start']);
  pg('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', 'gridatlas']);
  return pgNode(dir, port);
}

/** A streaming replica of `primary` by `pg_basebackup -R` (standby.signal + primary_conninfo), started. */
export function startReplica(root: string, primary: PgNode, port: number): PgNode {
  const dir = join(root, 'replica');
  ownByPostgres(dir);
  pg('pg_basebackup', ['-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres', '-D', dir, '-R', '-X', 'stream']);
  appendFileSync(join(dir, 'postgresql.conf'), `port = ${port}\n`);
  pg('pg_ctl', ['-D', dir, '-l', join(root, 'replica.log'), '-w', 'start']);
  return pgNode(dir, port);
}

export interface AppNode {
  name: string;
  port: number;
  child: ChildProcess;
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** `server/main.ts` with the cluster's primary and replica; resolves once it listens. */
export async function startApp(name: string, port: number, env: Record<string, string>): Promise<AppNode> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  for (let i = 0; i < 3000 && !out.includes('GridAtlas on') && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 100));
  if (!out.includes('GridAtlas on')) throw new Error(`${name} did not start:\n${out.slice(-3000)}`);
  return {
    name, port, child, output: () => out,
    kill: async (signal = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/**
 * nginx in front: one listener per upstream set (`sets[i]` → port `ports[i]`), passive health
 * checks (`max_fails`), idempotent requests retried on the next server when one fails, and the
 * answering server named in `X-Upstream`.
 */
export function startNginx(root: string, ports: number[], sets: number[][]): ChildProcess {
  const dir = join(root, 'nginx');
  mkdirSync(dir, { recursive: true });
  const upstreams = sets.map((servers, i) => `
  upstream gridatlas_${i} {
${servers.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=10s;`).join('\n')}
    keepalive 32;
  }
  server {
    listen 127.0.0.1:${ports[i]};
    location / {
      proxy_pass http://gridatlas_${i};
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_next_upstream error timeout http_502 http_503;
      proxy_next_upstream_tries 3;
      proxy_connect_timeout 2s;
      proxy_buffering off;
      add_header X-Upstream $upstream_addr always;
    }
  }`).join('\n');
  const conf = join(dir, 'nginx.conf');
  writeFileSync(conf, `
${process.getuid?.() === 0 ? 'user root;' : ''}
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 2048; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
${upstreams}
}
`);
  return spawn('nginx', ['-p', dir, '-c', conf, '-g', 'daemon off;'], { stdio: ['ignore', 'inherit', 'inherit'] });
}
